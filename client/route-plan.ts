import { modelOf, type ModelQuota, type RouteEntry, type RoutingDocument } from "../core/runtime";

/** One model a route may call. */
export interface Candidate {
  /** Foundation-model ID (the document's key). */
  readonly modelId: string;
  /** What goes on the wire as Converse `modelId`. */
  readonly invokeId: string;
}

/** The enabled models one call tries, in order, with what the per-call path needs of each. */
export interface CandidateOrder {
  /** Enabled models in routing order; disabled ones are never called. */
  readonly candidates: readonly Candidate[];
  readonly invokeIds: readonly string[];
  /** Each candidate's applied quota from the document, in the same order (undefined: not known). */
  readonly targets: readonly { readonly invokeId: string; readonly quota?: ModelQuota }[];
}

/** A route resolved once per document version, so the per-call path does no lookups or filtering. */
export interface RoutePlan extends CandidateOrder {
  readonly task: string;
  readonly route: RouteEntry;
  /**
   * The route's canary when its model is enabled: its share of calls and their order (canary, then the route's own
   * order without it). Absent without a canary or when the canary's model is disabled.
   */
  readonly canary?: { readonly percent: number; readonly order: CandidateOrder };
}

export interface CompiledDocument {
  readonly document: RoutingDocument;
  readonly plans: ReadonlyMap<string, RoutePlan>;
}

/** Resolves every route of an already-validated document. */
export function compileDocument(document: RoutingDocument): CompiledDocument {
  const plans = new Map<string, RoutePlan>();
  for (const [task, route] of Object.entries(document.routes)) {
    const own = orderOf(document, [route.primary, ...route.fallbacks]);
    const canaryModel = route.canary && modelOf(document, route.canary.model)?.enabled ? route.canary.model : undefined;
    // Canary first, then the route's own order; a canary that is also a fallback is tried once.
    const canary = canaryModel ? { percent: route.canary!.percent, order: orderOf(document, [canaryModel, route.primary, ...route.fallbacks.filter((f) => f !== canaryModel)]) } : undefined;
    plans.set(task, { task, route, ...own, ...(canary ? { canary } : {}) });
  }
  return { document, plans };
}

function orderOf(document: RoutingDocument, modelIds: readonly string[]): CandidateOrder {
  const candidates: Candidate[] = [];
  const targets: { invokeId: string; quota?: ModelQuota }[] = [];
  for (const modelId of modelIds) {
    const m = modelOf(document, modelId);
    if (!m?.enabled) continue;
    candidates.push({ modelId, invokeId: m.invokeId });
    targets.push({ invokeId: m.invokeId, ...(m.quota ? { quota: m.quota } : {}) });
  }
  return { candidates, invokeIds: candidates.map((c) => c.invokeId), targets };
}
