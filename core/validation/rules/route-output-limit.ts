import { own } from "../../catalog";
import type { EnvironmentRule } from "../rule";
import { resolvedCandidates } from "../route-candidates";

/** A route's maxTokens is within the output limit of every candidate (models without a known limit are skipped). */
export const routeOutputLimit: EnvironmentRule = {
  name: "route-output-limit",
  description: "a route's maxTokens is within the output limit of each of its models",
  stage: "models",
  check: (input) =>
    Object.entries(input.draft.routes).flatMap(([task, route]) =>
      resolvedCandidates(input, task, route).flatMap((id) => {
        const limit = own(input.models.specs, id)?.maxOutputTokens;
        return limit !== undefined && route.maxTokens > limit
          ? [{ path: `routes.${task}.maxTokens`, message: `${route.maxTokens} exceeds the output limit of ${id} (${limit})`, fix: `set maxTokens to at most ${limit}` }]
          : [];
      }),
    ),
};
