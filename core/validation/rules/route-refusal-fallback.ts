import type { EnvironmentRule } from "../rule";

/**
 * A route with `onRefusal: fallback` has a model to fall back to: after a refusal the client tries the candidates
 * after the refusing one (client/refusal-fallback.ts), so a route with neither fallbacks nor a canary can only return
 * the refusal (a warning: it works, the setting does nothing).
 */
export const routeRefusalFallback: EnvironmentRule = {
  name: "route-refusal-fallback",
  description: "a route that falls back on refusals has a model to fall back to",
  stage: "draft",
  check: ({ draft }) =>
    Object.entries(draft.routes).flatMap(([task, r]) =>
      r.onRefusal === "fallback" && r.fallbacks.length === 0 && !r.canary
        ? [{ path: `routes.${task}.onRefusal`, message: `"fallback" does nothing on route "${task}": it has no fallback (or canary) to try after a refusal`, fix: `add a fallback that answers what the primary declines, or remove onRefusal (the default returns the refusal)`, severity: "warning" as const }]
        : [],
    ),
};
