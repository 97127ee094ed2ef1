import type { Problem } from "../../problems";
import type { EnvironmentRule } from "../rule";
import { declaredModels, namedCandidates } from "../route-candidates";

/** A route's models are declared and enabled, its fallbacks distinct and not the primary, its canary not the primary. */
export const routeCandidateRules: EnvironmentRule = {
  name: "route-candidates",
  description: "every model a route names is declared and enabled; fallbacks are distinct and not the primary; the canary is not the primary",
  stage: "models",
  check(input) {
    const problems: Problem[] = [];
    const add = (path: string, message: string, fix: string) => problems.push({ path, message, fix });
    const declared = declaredModels(input);
    for (const [task, route] of Object.entries(input.draft.routes)) {
      const base = `routes.${task}`;
      route.fallbacks.forEach((f, i) => {
        if (f === route.primary) add(`${base}.fallbacks[${i}]`, `fallback ${f} is the primary`, "remove it or choose a different model");
        else if (route.fallbacks.indexOf(f) !== i) add(`${base}.fallbacks[${i}]`, `fallback ${f} is listed twice`, "list each fallback once");
      });
      if (route.canary?.model === route.primary) add(`${base}.canary.model`, `canary ${route.canary.model} is the primary`, "canary a different model, or remove the canary");
      for (const { id, path } of namedCandidates(task, route)) {
        const d = declared.get(id);
        // A model declared by a malformed entry is reported there.
        if (!d && !input.draft.unparsedModelIds.has(id)) add(path, `${id} is not declared in models`, `add {"id": "${id}"} to models or pick a declared model`);
        else if (d && !d.model.enabled) add(path, `${id} is disabled (models[${d.index}].enabled is false)`, `enable it or route to another model`);
      }
    }
    return problems;
  },
};
