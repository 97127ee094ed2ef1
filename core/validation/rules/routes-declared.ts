import type { EnvironmentRule } from "../rule";

/** At least one route: without one, nothing can be invoked. */
export const routesDeclared: EnvironmentRule = {
  name: "routes-declared",
  description: "the environment declares at least one route",
  stage: "draft",
  check: ({ draft: d }) => (d.routesPresent && d.routeNames.size === 0 ? [{ path: "routes", message: "no routes declared", fix: "add at least one task route" }] : []),
};
