import { modelOf, type ModelQuota, type RouteEntry, type RoutingDocument } from "../core/routing-document";

/** One model a route may call. */
export interface Candidate {
  /** Foundation-model ID (the document's key). */
  readonly modelId: string;
  /** What goes on the wire as Converse `modelId`. */
  readonly invokeId: string;
}

/** A route resolved once per document version, so the per-call path does no lookups or filtering. */
export interface RoutePlan {
  readonly task: string;
  readonly route: RouteEntry;
  /** Enabled models in routing order (primary first); disabled ones are never called. */
  readonly candidates: readonly Candidate[];
  readonly invokeIds: readonly string[];
  /** Each candidate's applied quota from the document, in the same order (undefined: not known). */
  readonly targets: readonly { readonly invokeId: string; readonly quota?: ModelQuota }[];
}

export interface CompiledDocument {
  readonly document: RoutingDocument;
  readonly plans: ReadonlyMap<string, RoutePlan>;
}

/** Resolves every route of an already-validated document. */
export function compileDocument(document: RoutingDocument): CompiledDocument {
  const plans = new Map<string, RoutePlan>();
  for (const [task, route] of Object.entries(document.routes)) {
    const candidates: Candidate[] = [];
    const targets: { invokeId: string; quota?: ModelQuota }[] = [];
    for (const modelId of [route.primary, ...route.fallbacks]) {
      const m = modelOf(document, modelId);
      if (!m?.enabled) continue;
      candidates.push({ modelId, invokeId: m.invokeId });
      targets.push({ invokeId: m.invokeId, ...(m.quota ? { quota: m.quota } : {}) });
    }
    plans.set(task, { task, route, candidates, invokeIds: candidates.map((c) => c.invokeId), targets });
  }
  return { document, plans };
}
