import { requestParameterProblems } from "../../environment";
import type { Problem } from "../../problems";
import type { EnvironmentRule } from "../rule";
import { declaredModels, namedCandidates, resolvedCandidates } from "../route-candidates";

/** How a route names a model, from the path namedCandidates gives it. */
function roleOf(path: string): string {
  return path.endsWith(".primary") ? "primary" : path.endsWith(".canary.model") ? "canary" : "fallback";
}

/**
 * A route's request parameters (temperature, topP, thinking, tool choice) are ones each of its models accepts: primary,
 * fallbacks and canary alike, since any of them may serve a call (core/catalog/request-constraints.ts). And each model a
 * route uses is one Converse serves: an error where the catalog says it is not, a warning where no source says yet.
 */
export const routeRequestParameters: EnvironmentRule = {
  name: "route-request-parameters",
  description: "a route's request parameters are accepted by each of its models, and Converse serves each model a route uses",
  stage: "models",
  check(input) {
    const problems: Problem[] = [];
    const used = new Set<string>();
    for (const [task, route] of Object.entries(input.draft.routes)) {
      const resolved = new Set(resolvedCandidates(input, task, route));
      const models = namedCandidates(task, route)
        .filter((c) => resolved.has(c.id))
        .map((c) => ({ id: c.id, role: `the ${roleOf(c.path)}` }));
      for (const m of models) used.add(m.id);
      problems.push(...requestParameterProblems(task, route, models, input.models.specs));
    }
    for (const [id, { index }] of declaredModels(input)) {
      if (!used.has(id)) continue;
      const converse = input.models.specs[id]?.requestConstraints.converse;
      if (converse === "unsupported")
        problems.push({ path: `models[${index}].id`, message: `${id} is not served by Converse (catalog/overlay.json requestConstraints.converse), and the routing client calls Converse`, fix: "route its tasks to another model" });
      else if (converse === "unconfirmed")
        problems.push({
          path: `models[${index}].id`,
          message: `whether Converse serves ${id} is unconfirmed (catalog/overlay.json requestConstraints.converse)`,
          fix: "after apply, npm run smoke probes it over Converse: record what it finds (supported or unsupported) in catalog/overlay.json",
          severity: "warning",
        });
    }
    return problems;
  },
};
