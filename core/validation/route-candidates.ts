import type { ModelConfig, RouteConfig } from "../environment";
import type { ModelsInput } from "./rule";

/** A model a route names, with the JSON path it is named at. */
export interface NamedCandidate {
  readonly id: string;
  readonly path: string;
}

/**
 * The models a route names as candidates, each once and with its path: the primary, the fallbacks that are neither the
 * primary nor repeated, and the canary unless it is the primary or a fallback (a fallback may be canaried).
 */
export function namedCandidates(task: string, route: RouteConfig): NamedCandidate[] {
  const base = `routes.${task}`;
  const out: NamedCandidate[] = [{ id: route.primary, path: `${base}.primary` }];
  route.fallbacks.forEach((f, i) => {
    if (f !== route.primary && route.fallbacks.indexOf(f) === i) out.push({ id: f, path: `${base}.fallbacks[${i}]` });
  });
  if (route.canary && route.canary.model !== route.primary && !route.fallbacks.includes(route.canary.model)) out.push({ id: route.canary.model, path: `${base}.canary.model` });
  return out;
}

/** The first well-formed declaration of each model ID, with its index in `models`. */
export function declaredModels(input: ModelsInput): Map<string, { index: number; model: ModelConfig }> {
  const declared = new Map<string, { index: number; model: ModelConfig }>();
  for (const [i, m] of input.draft.models.entries()) if (m && !declared.has(m.id)) declared.set(m.id, { index: i, model: m });
  return declared;
}

/** The candidates of a route that are declared, enabled and resolved by the catalog: what its limits are checked against. */
export function resolvedCandidates(input: ModelsInput, task: string, route: RouteConfig): string[] {
  const declared = declaredModels(input);
  return namedCandidates(task, route)
    .map((c) => c.id)
    .filter((id) => declared.get(id)?.model.enabled === true && Object.hasOwn(input.models.specs, id));
}
