import { type BaselinePlan, DEFAULT_TTFT_P90_MS, routeCandidates } from "../environment";

/** A model's TTFT alarm threshold and the streaming routes it comes from. */
export interface TtftThreshold {
  /** The strictest threshold of those routes, in ms. */
  readonly thresholdMs: number;
  readonly routes: readonly string[];
}

/** Foundation-model ID -> TTFT threshold, for every model a streaming route may call (primary, fallback or canary). */
export function ttftThresholds(plan: BaselinePlan): Map<string, TtftThreshold> {
  const out = new Map<string, TtftThreshold>();
  for (const [task, route] of Object.entries(plan.config.routes)) {
    if (!route.streaming) continue;
    const ms = route.timeToFirstTokenP90Ms ?? DEFAULT_TTFT_P90_MS;
    for (const id of routeCandidates(plan, task)) {
      const before = out.get(id);
      out.set(id, { thresholdMs: Math.min(ms, before?.thresholdMs ?? ms), routes: [...(before?.routes ?? []), task] });
    }
  }
  return out;
}
