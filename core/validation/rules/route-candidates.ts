import { catalogModelIds } from "../../catalog";
import { closest, type Problem } from "../../problems";
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
    const known = new Set(catalogModelIds(input.options.catalog));
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
        if (!d && !input.draft.unparsedModelIds.has(id)) {
          // A typo of a declared model (a letter or two off: one edit per 10 characters, at least 2) is the likelier
          // mistake, unless the route names a catalog model and the declared one is the typo (reported at models[i]).
          const near = known.has(id) ? [] : closest(id, declared.keys(), { max: 1, maxDistance: Math.max(2, Math.floor(id.length / 10)) });
          add(path, `${id} is not declared in models`, near.length ? `did you mean ${near[0]} (models[${declared.get(near[0])!.index}])? Otherwise add {"id": "${id}"} to models` : `add {"id": "${id}"} to models or pick a declared model`);
        }
        else if (d && !d.model.enabled) add(path, `${id} is disabled (models[${d.index}].enabled is false)`, `enable it or route to another model`);
      }
    }
    return problems;
  },
};
