/**
 * bench:quota's models, routing document and the four scenarios (scripts/bench-quota.ts runs them). Everything is in
 * stand-in time: the local endpoint's quota mode compresses it, the routers' timers are scaled alike.
 */
import type { RoutingDocument } from "../../core/runtime";

export const REGION = "us-east-1";
export const CREDS = { accessKeyId: "local", secretAccessKey: "local" };
export const MINUTE = 60_000;

/** The two models, as the stand-in serves them (stand-in ms). */
export const PRIMARY = {
  modelId: "anthropic.claude-haiku-4-5-20251001-v1:0",
  invokeId: "us.anthropic.claude-haiku-4-5-20251001-v1:0",
  outputBurndown: 5,
  maxOutputTokens: 64_000,
  latency: { baseMs: 800, perOutputTokenMs: 4, jitter: 0.2 },
};
export const FALLBACK = {
  modelId: "amazon.nova-lite-v1:0",
  invokeId: "us.amazon.nova-lite-v1:0",
  outputBurndown: 1,
  maxOutputTokens: 10_000,
  latency: { baseMs: 400, perOutputTokenMs: 2, jitter: 0.2 },
};
export type Model = typeof PRIMARY;
export const INPUT_TOKENS = 1000;
export const MAX_TOKENS = 512;
export const OUTPUT_TOKENS = 256;
/** 4 characters per token, as the stand-in counts them. */
export const INPUT = { messages: [{ role: "user" as const, content: [{ text: "q".repeat(INPUT_TOKENS * 4) }] }] };

export const charge = (m: Model) => INPUT_TOKENS + OUTPUT_TOKENS * m.outputBurndown;
/** TPM that serves `perMinute` requests of this model. */
const tpmFor = (m: Model, perMinute: number) => Math.round(perMinute * charge(m));
/** The model's own slowest answer (latency model mean × (1 + jitter)). */
export const ownLatency = (m: Model) => (m.latency.baseMs + m.latency.perOutputTokenMs * OUTPUT_TOKENS) * (1 + m.latency.jitter);

export const DOC: RoutingDocument = {
  schemaVersion: 1,
  environment: "bench",
  region: REGION,
  models: {
    [PRIMARY.modelId]: { invokeId: PRIMARY.invokeId, enabled: true },
    [FALLBACK.modelId]: { invokeId: FALLBACK.invokeId, enabled: true },
  },
  routes: { summarization: { primary: PRIMARY.modelId, fallbacks: [FALLBACK.modelId], maxTokens: MAX_TOKENS } },
};

/** One stretch of the arrival process: `perMinute` requests per stand-in minute from `fromMs` on. */
export interface Segment {
  readonly fromMs: number;
  readonly perMinute: number;
}

export interface Scenario {
  readonly name: string;
  readonly title: string;
  /** Stand-in ms the arrivals span. */
  readonly runMs: number;
  readonly load: readonly Segment[];
  readonly primaryTpm: number;
  readonly fallbackTpm: number;
  readonly outage?: { readonly startMs: number; readonly endMs: number };
  /** Single-router contenders to run; the naive loop may also send no maxTokens. */
  readonly contenders: readonly Contender[];
  /** Target on 429s as a share of wire calls (steady overload only). */
  readonly max429Share?: number;
}

/** `router, quota learned`: the same router with no quota in the document (what it learns from throttles). */
export type Contender = "router" | "router, quota learned" | "naive" | "naive, maxTokens unset";

/** The routing document as synth writes it when the catalog snapshot read the applied quotas (or without them). */
export function documentFor(sc: Scenario, withQuota: boolean): RoutingDocument {
  if (!withQuota) return DOC;
  const quota = (m: Model, tpm: number) => ({ tokensPerMinute: tpm, outputBurndown: m.outputBurndown });
  return {
    ...DOC,
    models: {
      [PRIMARY.modelId]: { ...DOC.models[PRIMARY.modelId], quota: quota(PRIMARY, sc.primaryTpm) },
      [FALLBACK.modelId]: { ...DOC.models[FALLBACK.modelId], quota: quota(FALLBACK, sc.fallbackTpm) },
    },
  };
}

const BASE = 120;
export const SCENARIOS: readonly Scenario[] = [
  {
    name: "steady",
    title: `steady overload: ${BASE} req/min; the primary's quota covers half of it, the fallback's ${0.75 * BASE}/min`,
    runMs: 3 * MINUTE,
    load: [{ fromMs: 0, perMinute: BASE }],
    primaryTpm: tpmFor(PRIMARY, BASE / 2),
    fallbackTpm: tpmFor(FALLBACK, 0.75 * BASE),
    contenders: ["router", "router, quota learned", "naive"],
    max429Share: 0.05,
  },
  {
    name: "outage",
    title: `primary outage: ${BASE} req/min; the primary answers 503 for the middle third; its quota covers 1.25x the load, the fallback's 0.75x`,
    runMs: 6 * MINUTE,
    load: [{ fromMs: 0, perMinute: BASE }],
    primaryTpm: tpmFor(PRIMARY, 1.25 * BASE),
    fallbackTpm: tpmFor(FALLBACK, 0.75 * BASE),
    outage: { startMs: 2 * MINUTE, endMs: 4 * MINUTE },
    contenders: ["router", "naive"],
  },
  {
    name: "burst",
    title: `3x burst: ${0.75 * BASE} req/min, ${2.25 * BASE} for one minute; the primary's quota covers 1.2x the base, the fallback's 0.8x`,
    runMs: 3 * MINUTE,
    load: [
      { fromMs: 0, perMinute: 0.75 * BASE },
      { fromMs: MINUTE, perMinute: 2.25 * BASE },
      { fromMs: 2 * MINUTE, perMinute: 0.75 * BASE },
    ],
    primaryTpm: tpmFor(PRIMARY, 1.2 * 0.75 * BASE),
    fallbackTpm: tpmFor(FALLBACK, 0.8 * 0.75 * BASE),
    contenders: ["router", "naive"],
  },
  {
    name: "maxtok",
    title: `maxTokens set vs unset: ${BASE} req/min; the primary's quota covers 1.1x the load, the fallback's 0.7x, by charge; unset maxTokens reserves the model maximum`,
    runMs: 3 * MINUTE,
    load: [{ fromMs: 0, perMinute: BASE }],
    primaryTpm: tpmFor(PRIMARY, 1.1 * BASE),
    fallbackTpm: tpmFor(FALLBACK, 0.7 * BASE),
    contenders: ["router", "naive", "naive, maxTokens unset"],
  },
];

/** Arrival times (stand-in ms) of a piecewise-constant Poisson process over the run. */
export function arrivals(load: readonly Segment[], runMs: number, random: () => number): number[] {
  const out: number[] = [];
  load.forEach((seg, i) => {
    const end = i + 1 < load.length ? load[i + 1].fromMs : runMs;
    const mean = MINUTE / seg.perMinute;
    for (let t = seg.fromMs - Math.log(1 - random()) * mean; t < end; t -= Math.log(1 - random()) * mean) out.push(t);
  });
  return out;
}

/** Requests per stand-in minute the quotas can serve (Σ TPM / charge over the time each model is available). */
export function ceilingPerMinute(sc: Scenario): number {
  const primaryUp = sc.outage ? 1 - (sc.outage.endMs - sc.outage.startMs) / sc.runMs : 1;
  return (sc.primaryTpm / charge(PRIMARY)) * primaryUp + sc.fallbackTpm / charge(FALLBACK);
}
