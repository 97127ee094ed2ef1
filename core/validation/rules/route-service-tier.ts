import { serviceTierProblems } from "../../environment";
import type { EnvironmentRule } from "../rule";
import { resolvedCandidates } from "../route-candidates";

/**
 * A route's service tier is one every candidate accepts: an error where the catalog (or declared facts) says a model
 * does not, a warning where no source says (core/environment/route-limits.ts).
 */
export const routeServiceTier: EnvironmentRule = {
  name: "route-service-tier",
  description: "a route's service tier is supported by each of its models",
  stage: "models",
  check: (input) => Object.entries(input.draft.routes).flatMap(([task, route]) => serviceTierProblems(task, route.serviceTier, resolvedCandidates(input, task, route), input.models.specs)),
};
