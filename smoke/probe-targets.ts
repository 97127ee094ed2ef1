import type { ManifestModel, StackManifest } from "../core/routing";
import type { RouteEntry, RouteGuardrail, RouteServiceTier, RoutingDocument } from "../core/runtime";

/** What a route sends that models differ in accepting (core/catalog/request-constraints.ts); each part absent when unset. */
export type ProbeParameters = Pick<RouteEntry, "temperature" | "topP" | "thinking" | "toolChoice">;

/** One model to probe in one region, the way some routes call it (their service tier and guardrail). */
export interface ProbeTarget {
  /** Foundation-model ID (key of the document's models). */
  readonly modelId: string;
  /** The ID production sends (from the deployed document): a workload's application profile ARN with cost attribution. */
  readonly invokeId: string;
  /** With cost attribution: the workload whose application profile this probe calls. */
  readonly workload?: string;
  /** The tier these routes request; absent for routes that name none. */
  readonly serviceTier?: RouteServiceTier;
  /** The guardrail these routes apply; absent for unguarded routes. */
  readonly guardrail?: RouteGuardrail;
  /** Smallest maxTokens of the routes using the model this way; the probe caps it further (PROBE_MAX_TOKENS). */
  readonly maxTokens: number;
  /** The routes naming the model, with their limits (maxTokens from the document, input estimate from the manifest). */
  readonly routes: readonly RouteUse[];
  /** The manifest's facts (quota codes, burndown); absent if the document names a model synth did not provision. */
  readonly model?: ManifestModel;
  /** Routes (of `routes`) on which the model is the canary, so the report names the canary it proves. Default: none. */
  readonly canaryOf?: readonly string[];
  /** The request parameters these routes send (temperature, topP, thinking, tool choice). Default: none. */
  readonly parameters?: ProbeParameters;
}

/** The parameters of a route that are set, in a fixed order (so equal settings make equal keys). */
function parametersOf(r: RouteEntry): ProbeParameters {
  return {
    ...(r.temperature === undefined ? {} : { temperature: r.temperature }),
    ...(r.topP === undefined ? {} : { topP: r.topP }),
    ...(r.thinking ? { thinking: r.thinking } : {}),
    ...(r.toolChoice && r.toolChoice !== "auto" ? { toolChoice: r.toolChoice } : {}),
  };
}

/** A route as it bears on one model's quota. */
export interface RouteUse {
  readonly task: string;
  readonly maxTokens: number;
  readonly inputTokensEstimate: number;
}

/** One (route, model) pair whose quota figures are reported. */
export interface QuotaTarget extends RouteUse {
  readonly target: ProbeTarget;
}

/** Fallback for a route synth did not describe (only possible with a hand-edited document). */
const DEFAULT_INPUT_TOKENS = 1000;

/**
 * The invoke IDs one way of calling a model is probed with: with cost attribution (a workloads section), the
 * application profile of each workload whose routes call it that way (`only`: of that workload alone), or when none of
 * them is a workload's, any workload's profile of the model; else the model's own invoke ID.
 */
function invokersOf(doc: RoutingDocument, modelId: string, tasks: readonly string[], only: string | undefined): Array<{ invokeId: string; workload?: string; tasks?: readonly string[] }> {
  const own = doc.models[modelId].invokeId;
  if (!doc.workloads) return [{ invokeId: own }];
  const profiles = Object.entries(doc.workloads).flatMap(([w, e]) => (Object.hasOwn(e.invokeIds, modelId) && (only === undefined || w === only) ? [{ workload: w, invokeId: e.invokeIds[modelId], tasks: e.routes }] : []));
  const using = profiles.filter((p) => p.tasks.some((t) => tasks.includes(t)));
  if (using.length) return using;
  // No workload calls the model this way: any workload's profile proves it, for the way's every route.
  return profiles.length ? [{ workload: profiles[0].workload, invokeId: profiles[0].invokeId }] : [{ invokeId: own }];
}

/**
 * What to probe: every enabled model that some route of `doc` references (primary, fallback or canary), once per way the
 * routes call it (service tier and guardrail), since each is a different request that IAM and Bedrock judge on its
 * own (a tier the model lacks, a missing guardrail), and with cost attribution once per workload profile that way calls
 * it through (`workload`: only that workload's, for a run as its role). In document order, untiered and unguarded
 * first. Disabled models are what the platform team switched off; traffic cannot reach them, so they are not probed.
 */
export function probeTargets(doc: RoutingDocument, manifest: StackManifest, workload?: string): ProbeTarget[] {
  const targets: ProbeTarget[] = [];
  for (const [modelId, entry] of Object.entries(doc.models)) {
    if (!entry.enabled) continue;
    const ways = new Map<string, { serviceTier?: RouteServiceTier; guardrail?: RouteGuardrail; parameters: ProbeParameters; routes: RouteUse[]; canaryOf: string[] }>();
    for (const [task, r] of Object.entries(doc.routes)) {
      const canary = r.canary?.model === modelId;
      if (r.primary !== modelId && !r.fallbacks.includes(modelId) && !canary) continue;
      const parameters = parametersOf(r);
      const key = JSON.stringify([r.serviceTier ?? null, r.guardrail ? [r.guardrail.name, r.guardrail.identifier, r.guardrail.version] : null, parameters]);
      const way = ways.get(key) ?? { ...(r.serviceTier ? { serviceTier: r.serviceTier } : {}), ...(r.guardrail ? { guardrail: r.guardrail } : {}), parameters, routes: [], canaryOf: [] };
      ways.set(key, way);
      if (canary) way.canaryOf.push(task);
      way.routes.push({ task, maxTokens: r.maxTokens, inputTokensEstimate: (Object.hasOwn(manifest.routes, task) ? manifest.routes[task].inputTokensEstimate : undefined) ?? DEFAULT_INPUT_TOKENS });
    }
    const plain = (w: { serviceTier?: string; guardrail?: RouteGuardrail; parameters: ProbeParameters }) => (w.serviceTier ? 1 : 0) + (w.guardrail ? 2 : 0) + (Object.keys(w.parameters).length ? 4 : 0);
    for (const way of [...ways.values()].sort((a, b) => plain(a) - plain(b)))
      for (const invoker of invokersOf(doc, modelId, way.routes.map((r) => r.task), workload)) {
        // A workload's probe proves its own routes of the way (the report names those, the quota rows follow them).
        const routes = invoker.tasks ? way.routes.filter((r) => invoker.tasks!.includes(r.task)) : way.routes;
        const canaryOf = way.canaryOf.filter((t) => routes.some((r) => r.task === t));
        targets.push({
          modelId,
          invokeId: invoker.invokeId,
          ...(invoker.workload ? { workload: invoker.workload } : {}),
          ...(way.serviceTier ? { serviceTier: way.serviceTier } : {}),
          ...(way.guardrail ? { guardrail: way.guardrail } : {}),
          maxTokens: Math.min(...routes.map((r) => r.maxTokens)),
          routes,
          ...(Object.hasOwn(manifest.models, modelId) ? { model: manifest.models[modelId] } : {}),
          ...(canaryOf.length ? { canaryOf } : {}),
          ...(Object.keys(way.parameters).length ? { parameters: way.parameters } : {}),
        });
      }
  }
  return targets;
}

/** `temperature=0.2 thinking=adaptive toolChoice=any`: the parameters a target sends. */
export function parametersLabel(p: ProbeParameters | undefined): string[] {
  if (!p) return [];
  return [
    ...(p.temperature === undefined ? [] : [`temperature=${p.temperature}`]),
    ...(p.topP === undefined ? [] : [`topP=${p.topP}`]),
    ...(p.thinking ? [`thinking=${p.thinking.type}`] : []),
    ...(p.toolChoice ? [`toolChoice=${p.toolChoice}`] : []),
  ];
}

/**
 * How rows name a target: the invoke ID (for an application profile, the workload and model: its ARN is opaque), plus
 * the tier, guardrail, parameters and canaried routes when the routes name them.
 */
export function targetLabel(target: Pick<ProbeTarget, "invokeId" | "serviceTier" | "guardrail" | "canaryOf" | "parameters" | "workload" | "modelId">): string {
  return [
    target.workload ? `workload=${target.workload} ${target.modelId}` : target.invokeId,
    ...(target.serviceTier ? [`tier=${target.serviceTier}`] : []),
    ...(target.guardrail ? [`guardrail=${target.guardrail.name}`] : []),
    ...parametersLabel(target.parameters),
    ...(target.canaryOf?.length ? [`canary=${target.canaryOf.join(",")}`] : []),
  ].join(" ");
}

/** Every (route, probed model) pair, once however many workload profiles probe the model (they share its quotas). */
export function quotaTargets(targets: readonly ProbeTarget[]): QuotaTarget[] {
  const seen = new Set<string>();
  return targets.flatMap((target) =>
    target.routes.flatMap((r) => {
      const key = JSON.stringify([r.task, target.modelId]);
      if (seen.has(key)) return [];
      seen.add(key);
      return [{ ...r, target }];
    }),
  );
}
