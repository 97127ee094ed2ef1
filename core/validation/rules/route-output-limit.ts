import { maxTokensProblems } from "../../environment";
import type { EnvironmentRule } from "../rule";
import { resolvedCandidates } from "../route-candidates";

/** A route's maxTokens is within the output limit of every candidate (models without a known limit are skipped). */
export const routeOutputLimit: EnvironmentRule = {
  name: "route-output-limit",
  description: "a route's maxTokens is within the output limit of each of its models",
  stage: "models",
  check: (input) => Object.entries(input.draft.routes).flatMap(([task, route]) => maxTokensProblems(task, route.maxTokens, resolvedCandidates(input, task, route), input.models.specs)),
};
