import type { ManifestModel, StackManifest } from "../core/manifest";
import type { RoutingDocument } from "../core/routing-document";

/** One model to probe in one region. */
export interface ProbeTarget {
  /** Foundation-model ID (key of the document's models). */
  readonly modelId: string;
  /** The ID production sends (from the deployed document). */
  readonly invokeId: string;
  /** Smallest maxTokens of the routes using the model; the probe caps it further (PROBE_MAX_TOKENS). */
  readonly maxTokens: number;
  /** The routes naming the model, with their limits (maxTokens from the document, input estimate from the manifest). */
  readonly routes: readonly RouteUse[];
  /** The manifest's facts (quota codes, burndown); absent if the document names a model synth did not provision. */
  readonly model?: ManifestModel;
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
 * Models to probe: every enabled model that some route of `doc` references (primary or fallback), in document order.
 * Disabled models are what the platform team switched off; traffic cannot reach them, so they are not probed.
 */
export function probeTargets(doc: RoutingDocument, manifest: StackManifest): ProbeTarget[] {
  const targets: ProbeTarget[] = [];
  for (const [modelId, entry] of Object.entries(doc.models)) {
    if (!entry.enabled) continue;
    const routes = Object.entries(doc.routes)
      .filter(([, r]) => r.primary === modelId || r.fallbacks.includes(modelId))
      .map(([task, r]) => ({ task, maxTokens: r.maxTokens, inputTokensEstimate: (Object.hasOwn(manifest.routes, task) ? manifest.routes[task].inputTokensEstimate : undefined) ?? DEFAULT_INPUT_TOKENS }));
    if (routes.length === 0) continue;
    targets.push({
      modelId,
      invokeId: entry.invokeId,
      maxTokens: Math.min(...routes.map((r) => r.maxTokens)),
      routes,
      ...(Object.hasOwn(manifest.models, modelId) ? { model: manifest.models[modelId] } : {}),
    });
  }
  return targets;
}

/** Every (route, probed model) pair. */
export function quotaTargets(targets: readonly ProbeTarget[]): QuotaTarget[] {
  return targets.flatMap((target) => target.routes.map((r) => ({ ...r, target })));
}
