import { modelOf, type ModelQuota, type RouteEntry, type RoutingDocument, type TokenPrice, type WorkloadEntry } from "../core/runtime";

/** One model a route may call. */
export interface Candidate {
  /** Foundation-model ID (the document's key). */
  readonly modelId: string;
  /** What goes on the wire as Converse `modelId` (with cost attribution, the workload's application profile ARN). */
  readonly invokeId: string;
}

/** The enabled models one call tries, in order, with what the per-call path needs of each. */
export interface CandidateOrder {
  /** Enabled models in routing order; disabled ones are never called. */
  readonly candidates: readonly Candidate[];
  readonly invokeIds: readonly string[];
  /**
   * Each candidate's applied quota from the document, in the same order (undefined: not known), and whose it is: a
   * workload's application profile draws on its model's per-model, per-Region quota, which every workload's profile of
   * the model shares (https://docs.aws.amazon.com/bedrock/latest/userguide/quotas-runtime.html), so its estimate (and a
   * fleet's shared bucket) is keyed by the model's own invoke ID.
   */
  readonly targets: readonly { readonly invokeId: string; readonly quotaKey?: string; readonly quota?: ModelQuota }[];
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
  /** Routes the router's workload may call (every route without a workload section). */
  readonly plans: ReadonlyMap<string, RoutePlan>;
  /**
   * Why the router cannot route with this document for its workload (a document that attributes cost per workload
   * needs one it lists): every call fails with it, as configuration. Absent when routing works.
   */
  readonly workloadProblem?: { readonly cause: "workload-required" | "unknown-workload"; readonly message: string; readonly hint: string };
  /** Tasks of the document the workload may not call (its routes are `plans`). */
  readonly otherTasks: ReadonlySet<string>;
}

/** The workload entry a router uses, or the problem that keeps it from routing. */
function workloadOf(document: RoutingDocument, workload: string | undefined): { entry?: WorkloadEntry; problem?: CompiledDocument["workloadProblem"] } {
  const listed = document.workloads;
  if (!listed) return {};
  const names = Object.keys(listed).join(", ") || "(none)";
  if (workload === undefined)
    return {
      problem: {
        cause: "workload-required",
        message: `the routing document attributes cost per workload (${names}): the router must say which one it runs as`,
        hint: `pass workload to createRouter, one of: ${names} (each calls only through its own application inference profiles)`,
      },
    };
  if (!Object.hasOwn(listed, workload))
    return { problem: { cause: "unknown-workload", message: `workload "${workload}" is not in the routing document (workloads: ${names})`, hint: `use one of ${names}, or add the workload in config/<env>.json and deploy` } };
  return { entry: listed[workload] };
}

/**
 * Resolves every route of an already-validated document for the router's workload: with a workload section, only its
 * routes, each candidate called by the workload's own invoke ID (a model it has none for is never called).
 */
export function compileDocument(document: RoutingDocument, workload?: string): CompiledDocument {
  const plans = new Map<string, RoutePlan>();
  const { entry, problem } = workloadOf(document, workload);
  const otherTasks = new Set<string>();
  for (const [task, route] of Object.entries(document.routes)) {
    if (entry && !entry.routes.includes(task)) {
      otherTasks.add(task);
      continue;
    }
    const own = orderOf(document, [route.primary, ...route.fallbacks], entry);
    const canaryModel = route.canary && modelOf(document, route.canary.model)?.enabled ? route.canary.model : undefined;
    // Canary first, then the route's own order; a canary that is also a fallback is tried once.
    const canary = canaryModel ? { percent: route.canary!.percent, order: orderOf(document, [canaryModel, route.primary, ...route.fallbacks.filter((f) => f !== canaryModel)], entry) } : undefined;
    plans.set(task, { task, route, ...own, ...(canary ? { canary } : {}) });
  }
  return { document, plans, otherTasks, ...(problem ? { workloadProblem: problem } : {}) };
}

function orderOf(document: RoutingDocument, modelIds: readonly string[], workload: WorkloadEntry | undefined): CandidateOrder {
  const candidates: Candidate[] = [];
  const targets: { invokeId: string; quotaKey?: string; quota?: ModelQuota }[] = [];
  for (const modelId of modelIds) {
    const m = modelOf(document, modelId);
    if (!m?.enabled) continue;
    const invokeId = workload ? (Object.hasOwn(workload.invokeIds, modelId) ? workload.invokeIds[modelId] : undefined) : m.invokeId;
    if (invokeId === undefined) continue;
    candidates.push({ modelId, invokeId });
    targets.push({ invokeId, ...(invokeId !== m.invokeId ? { quotaKey: m.invokeId } : {}), ...(m.quota ? { quota: m.quota } : {}) });
  }
  return { candidates, invokeIds: candidates.map((c) => c.invokeId), targets };
}

/**
 * The quotas a router holding `compiled` draws on (with cost attribution, those of its workload's models: a profile
 * shares its model's), each with the document's applied value.
 */
export function quotasDrawnOn(compiled: CompiledDocument | undefined): Map<string, RoutePlan["targets"][number]["quota"]> {
  const known = new Map<string, RoutePlan["targets"][number]["quota"]>();
  if (compiled && !compiled.document.workloads) for (const m of Object.values(compiled.document.models)) known.set(m.invokeId, m.quota);
  for (const plan of compiled?.plans.values() ?? []) for (const t of [...plan.targets, ...(plan.canary?.order.targets ?? [])]) known.set(t.quotaKey ?? t.invokeId, t.quota);
  return known;
}

/** The price of a model in a compiled document (for the cost estimate), when it carries one. */
export function priceOf(compiled: CompiledDocument | undefined, modelId: string): TokenPrice | undefined {
  return compiled ? modelOf(compiled.document, modelId)?.price : undefined;
}
