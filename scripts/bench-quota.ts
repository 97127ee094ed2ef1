/**
 * Quota benchmark: the router against a naive "try the primary, then the fallback" loop, on the local endpoint's quota
 * mode (per-model TPM buckets with Bedrock's reservation and burndown, a latency model, outage windows), time-compressed
 * so a quota-minute lasts a few seconds. Both contenders use the same SDK client settings (retries off), attempt
 * budget, backoff and deadline; the router's own timers are scaled by the same factor as the stand-in's time.
 *
 * Four scenarios, open-loop Poisson arrivals (seeded, the same for every contender), a primary (Claude Haiku 4.5,
 * burndown 5) and one fallback (Nova Lite), 1,000 input tokens, maxTokens 512, 256 output tokens:
 *   steady   primary quota covers half the offered load, the fallback the rest with headroom
 *   outage   the primary answers 503 for the middle third of the run
 *   burst    three times the base load for the middle minute of three
 *   maxtok   the same load with maxTokens set (512) and unset (the model maximum is reserved)
 * Figures are in stand-in time (wall-clock ms × compression). Each router figure is printed with its target, `within`
 * or `OVER` (exit policy: scripts/bench-policy.ts: exit 0, --check exits 1 on a miss).
 *
 * Run: npm run bench:quota [-- --scenario steady|outage|burst|maxtok] [--compression 10] [--seed 1] [--check]
 */
import { ConverseCommand, type BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { parseCommandLine } from "../cli/command-line";
import { bedrockRuntimeClient } from "../client/aws-clients";
import { backoffDelay } from "../client/backoff";
import { DEFAULT_BREAKER } from "../client/circuit-breaker";
import { createRouter, type RouterOptions } from "../client/router";
import { buildConverseRequest, classifyError, type RoutingDocument } from "../core/runtime";
import type { QuotaModelSpec } from "../local/endpoint";
import { seededRandom } from "../local/seeded-random";
import { benchArgs, BenchReport, runBench } from "./bench-policy";
import { startEndpointProcess, type EndpointProcess } from "./endpoint-process";

const REGION = "us-east-1";
const CREDS = { accessKeyId: "local", secretAccessKey: "local" };
const MINUTE = 60_000;

/** The two models, as the stand-in serves them (stand-in ms). */
const PRIMARY = {
  modelId: "anthropic.claude-haiku-4-5-20251001-v1:0",
  invokeId: "us.anthropic.claude-haiku-4-5-20251001-v1:0",
  outputBurndown: 5,
  maxOutputTokens: 64_000,
  latency: { baseMs: 800, perOutputTokenMs: 4, jitter: 0.2 },
};
const FALLBACK = {
  modelId: "amazon.nova-lite-v1:0",
  invokeId: "us.amazon.nova-lite-v1:0",
  outputBurndown: 1,
  maxOutputTokens: 10_000,
  latency: { baseMs: 400, perOutputTokenMs: 2, jitter: 0.2 },
};
type Model = typeof PRIMARY;
const INPUT_TOKENS = 1000;
const MAX_TOKENS = 512;
const OUTPUT_TOKENS = 256;
/** 4 characters per token, as the stand-in counts them. */
const INPUT = { messages: [{ role: "user" as const, content: [{ text: "q".repeat(INPUT_TOKENS * 4) }] }] };

const charge = (m: Model) => INPUT_TOKENS + OUTPUT_TOKENS * m.outputBurndown;
/** TPM that serves `perMinute` requests of this model. */
const tpmFor = (m: Model, perMinute: number) => Math.round(perMinute * charge(m));
/** The model's own slowest answer (latency model mean × (1 + jitter)). */
const ownLatency = (m: Model) => (m.latency.baseMs + m.latency.perOutputTokenMs * OUTPUT_TOKENS) * (1 + m.latency.jitter);

const DOC: RoutingDocument = {
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
interface Segment {
  readonly fromMs: number;
  readonly perMinute: number;
}

interface Scenario {
  readonly name: string;
  readonly title: string;
  /** Stand-in ms the arrivals span. */
  readonly runMs: number;
  readonly load: readonly Segment[];
  readonly primaryTpm: number;
  readonly fallbackTpm: number;
  readonly outage?: { readonly startMs: number; readonly endMs: number };
  /** Contenders to run; the naive loop may also send no maxTokens. */
  readonly contenders: readonly Contender[];
  /** Target on 429s as a share of wire calls (steady overload only). */
  readonly max429Share?: number;
}

/** `router, quota learned`: the same router with no quota in the document (what it learns from throttles). */
type Contender = "router" | "router, quota learned" | "naive" | "naive, maxTokens unset";

/** The routing document as synth writes it when the catalog snapshot read the applied quotas. */
function documentFor(sc: Scenario, withQuota: boolean): RoutingDocument {
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
const SCENARIOS: readonly Scenario[] = [
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
function arrivals(load: readonly Segment[], runMs: number, random: () => number): number[] {
  const out: number[] = [];
  load.forEach((seg, i) => {
    const end = i + 1 < load.length ? load[i + 1].fromMs : runMs;
    const mean = MINUTE / seg.perMinute;
    for (let t = seg.fromMs - Math.log(1 - random()) * mean; t < end; t -= Math.log(1 - random()) * mean) out.push(t);
  });
  return out;
}

interface Outcome {
  readonly ok: boolean;
  /** Stand-in ms from arrival to answer (or failure). */
  readonly latencyMs: number;
  readonly fellBack: boolean;
  readonly cause?: string;
}

type Send = () => Promise<{ fellBack: boolean }>;

/**
 * The router's timers in stand-in time: each default divided by the compression, so the router sees the same
 * quota-minutes, latencies and outages the stand-in plays.
 */
function routerTimers(compression: number): Partial<RouterOptions> {
  const s = (ms: number) => ms / compression;
  return {
    deadlineMs: s(120_000),
    attemptTimeoutMs: s(60_000),
    backoff: { baseMs: s(250), capMs: s(4000) },
    breaker: { probeIntervalMs: s(DEFAULT_BREAKER.probeIntervalMs) },
    quota: { minuteMs: s(MINUTE) },
  };
}

/** The naive loop: primary, fallback, backoff, primary... within the router's attempt budget and deadline. */
function naiveSender(client: BedrockRuntimeClient, compression: number, random: () => number, unsetMaxTokens: boolean): Send {
  const s = (ms: number) => ms / compression;
  const backoff = { baseMs: s(250), capMs: s(4000) };
  const requestFor = (m: Model) => {
    const r = buildConverseRequest(m.invokeId, DOC.routes.summarization, INPUT);
    if (unsetMaxTokens) delete r.inferenceConfig;
    return r;
  };
  const requests = [requestFor(PRIMARY), requestFor(FALLBACK)];
  return async () => {
    const deadline = Date.now() + s(120_000);
    let last: unknown;
    for (let attempt = 0, pass = 0; attempt < 3; ) {
      for (let i = 0; i < requests.length && attempt < 3; i++, attempt++) {
        const left = deadline - Date.now();
        if (left <= 0) throw last ?? new Error("deadline");
        try {
          await client.send(new ConverseCommand(requests[i]), { abortSignal: AbortSignal.timeout(Math.min(s(60_000), left)) });
          return { fellBack: i > 0 };
        } catch (e) {
          last = e;
          if (!classifyError(e as Error).retryable) throw e;
        }
      }
      if (attempt >= 3) break;
      const delay = backoffDelay(pass++, backoff, random);
      if (Date.now() + delay >= deadline) break;
      await new Promise((r) => setTimeout(r, delay));
    }
    throw last;
  };
}

interface RunFigures {
  readonly offered: number;
  readonly served: number;
  readonly wireCalls: number;
  readonly throttles: number;
  readonly p50: number;
  readonly p99: number;
  readonly fallbackShare: number;
  /** Served per stand-in minute over the run, against min(offered, ceiling). */
  readonly goodput: number;
  /** Stand-in ms from the end of the outage to the primary's first success; undefined without an outage. */
  readonly recoveryMs?: number;
  readonly failures: ReadonlyMap<string, number>;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Requests per stand-in minute the quotas can serve (Σ TPM / charge over the time each model is available). */
function ceilingPerMinute(sc: Scenario): number {
  const primaryUp = sc.outage ? 1 - (sc.outage.endMs - sc.outage.startMs) / sc.runMs : 1;
  return (sc.primaryTpm / charge(PRIMARY)) * primaryUp + sc.fallbackTpm / charge(FALLBACK);
}

async function run(ep: EndpointProcess, sc: Scenario, contender: Contender, compression: number, seed: number): Promise<RunFigures> {
  const spec = (m: Model, tpm: number, outage?: Scenario["outage"]): QuotaModelSpec => ({
    modelId: m.invokeId,
    tokensPerMinute: tpm,
    outputBurndown: m.outputBurndown,
    maxOutputTokens: m.maxOutputTokens,
    outputTokens: OUTPUT_TOKENS,
    latency: m.latency,
    ...(outage ? { outages: [{ ...outage, status: 503 as const }] } : {}),
  });
  const times = arrivals(sc.load, sc.runMs, seededRandom(seed));
  let send: Send;
  let close: () => void;
  if (contender.startsWith("router")) {
    const document = documentFor(sc, contender === "router");
    const router = createRouter({ region: REGION, endpointUrl: ep.url, credentials: CREDS, document, metrics: false, random: seededRandom(seed + 1), ...routerTimers(compression) });
    send = async () => ({ fellBack: (await router.converse({ task: "summarization", ...INPUT })).fellBack });
    close = () => router.close();
  } else {
    const client = bedrockRuntimeClient({ region: REGION, endpointUrl: ep.url, credentials: CREDS });
    send = naiveSender(client, compression, seededRandom(seed + 1), contender === "naive, maxTokens unset");
    close = () => client.destroy();
  }
  // Warm the connection outside the quota mode and the log, so the first arrivals do not pay the TLS-less h2 set-up.
  await ep.setQuotaMode(undefined);
  await send().catch(() => undefined);
  await ep.clearCalls();
  await ep.setQuotaMode({ timeCompression: compression, seed, models: [spec(PRIMARY, sc.primaryTpm, sc.outage), spec(FALLBACK, sc.fallbackTpm)] });
  const start = Date.now();
  const pending: Promise<Outcome>[] = [];
  try {
    for (const t of times) {
      const due = start + t / compression;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const began = Date.now();
      pending.push(
        send().then(
          (r) => ({ ok: true, latencyMs: (Date.now() - began) * compression, fellBack: r.fellBack }),
          (e: unknown) => ({ ok: false, latencyMs: (Date.now() - began) * compression, fellBack: false, cause: causeOf(e) }),
        ),
      );
    }
    const outcomes = await Promise.all(pending);
    const calls = (await ep.calls()).filter((c) => c.service === "bedrock-runtime");
    const served = outcomes.filter((o) => o.ok);
    const latencies = served.map((o) => o.latencyMs).sort((a, b) => a - b);
    const failures = new Map<string, number>();
    for (const o of outcomes) if (!o.ok) failures.set(o.cause!, (failures.get(o.cause!) ?? 0) + 1);
    const offeredPerMinute = (times.length / sc.runMs) * MINUTE;
    const servedPerMinute = (served.length / sc.runMs) * MINUTE;
    let recoveryMs: number | undefined;
    if (sc.outage) {
      const end = start + sc.outage.endMs / compression;
      const back = calls.find((c) => c.modelId === PRIMARY.invokeId && c.status === 200 && c.at >= end);
      recoveryMs = back ? (back.at - end) * compression : sc.runMs - sc.outage.endMs;
    }
    return {
      offered: times.length,
      served: served.length,
      wireCalls: calls.length,
      throttles: calls.filter((c) => c.status === 429).length,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      fallbackShare: served.filter((o) => o.fellBack).length / Math.max(1, served.length),
      goodput: servedPerMinute / Math.min(offeredPerMinute, ceilingPerMinute(sc)),
      recoveryMs,
      failures,
    };
  } finally {
    close();
    await ep.setQuotaMode(undefined);
  }
}

function causeOf(e: unknown): string {
  const details = (e as { details?: { routerCause?: string } }).details;
  if (details?.routerCause) return details.routerCause;
  return classifyError(e as Error).cause;
}

// ---- report ------------------------------------------------------------------------------------------------------

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const num = (x: number) => Math.round(x).toLocaleString("en-US");

/** The scenario's table (every contender, no verdicts), then each router figure against its target. */
function report(sc: Scenario, rows: ReadonlyArray<[Contender, RunFigures]>, compression: number, bench: BenchReport): void {
  const slower = Math.max(ownLatency(PRIMARY), ownLatency(FALLBACK));
  const outageMs = sc.outage ? sc.outage.endMs - sc.outage.startMs : 0;
  console.log(`${sc.title}; ${sc.runMs / MINUTE} minutes (${(sc.runMs / compression / 1000).toFixed(0)} s at x${compression})`);
  console.log(
    `  primary TPM ${num(sc.primaryTpm)} (${num(sc.primaryTpm / charge(PRIMARY))} req/min at ${num(charge(PRIMARY))} tokens), fallback TPM ${num(sc.fallbackTpm)} (${num(sc.fallbackTpm / charge(FALLBACK))} req/min at ${num(charge(FALLBACK))}); ceiling ${num(ceilingPerMinute(sc))} req/min`,
  );
  console.log(
    `  ${"contender".padEnd(24)}${"offered".padStart(8)}${"served".padStart(9)}${"goodput".padStart(9)}${"calls/ok".padStart(10)}${"429s (share)".padStart(15)}${"p50 ms".padStart(8)}${"p99 ms".padStart(9)}${"fallback".padStart(10)}${sc.outage ? "  primary back after" : ""}`,
  );
  const share = (f: RunFigures) => ({ served: f.served / f.offered, calls: f.wireCalls / Math.max(1, f.served), throttles: f.throttles / Math.max(1, f.wireCalls) });
  for (const [contender, f] of rows) {
    const r = share(f);
    const cols = [
      contender.padEnd(24),
      String(f.offered).padStart(8),
      pct(r.served).padStart(9),
      pct(f.goodput).padStart(9),
      r.calls.toFixed(2).padStart(10),
      `${f.throttles} (${pct(r.throttles)})`.padStart(15),
      num(f.p50).padStart(8),
      num(f.p99).padStart(9),
      pct(f.fallbackShare).padStart(10),
      ...(f.recoveryMs !== undefined ? [`  ${(f.recoveryMs / 1000).toFixed(1)} s`] : []),
    ];
    console.log(`  ${cols.join("")}`);
    if (f.failures.size) console.log(`  ${"".padEnd(24)}failed: ${[...f.failures].map(([c, n]) => `${c} ${n}`).join(", ")}`);
  }
  for (const [contender, f] of rows) {
    if (!contender.startsWith("router")) continue;
    const r = share(f);
    const label = (what: string) => `${sc.name} ${contender === "router" ? "router" : "learned"}: ${what}`;
    bench.figure({ label: label("served"), value: 100 * r.served, target: 99, bound: ">=", format: (x) => `${x.toFixed(1)}%` });
    bench.figure({ label: label("calls per success"), value: r.calls, target: 1.3, bound: "<=", format: (x) => x.toFixed(2) });
    bench.figure({ label: label("p99"), value: f.p99, target: 2 * slower, bound: "<=", format: (x) => `${num(x)} ms`, note: `2x the slower model's own ${num(slower)} ms` });
    // The 429 target assumes the applied quota is known (the document's); a learned one is shown, not judged.
    if (sc.max429Share !== undefined && contender === "router")
      bench.figure({ label: label("429s of wire calls"), value: 100 * r.throttles, target: 100 * sc.max429Share, bound: "<=", format: (x) => `${x.toFixed(1)}%`, note: `at ${pct(f.goodput)} goodput` });
    if (f.recoveryMs !== undefined)
      bench.figure({ label: label("primary back after"), value: f.recoveryMs / 1000, target: outageMs / 10 / 1000, bound: "<=", format: (x) => `${x.toFixed(1)} s`, note: "10% of the outage" });
  }
}

async function main(): Promise<number> {
  const { check, rest } = benchArgs();
  const { values } = parseCommandLine({
    args: rest,
    options: {
      scenario: { type: "string" },
      compression: { type: "string", default: "10" },
      seed: { type: "string", default: "1" },
    },
  });
  const compression = Number(values.compression);
  const seed = Number(values.seed);
  if (!(compression >= 1 && compression <= 100)) throw new Error(`--compression must be within 1..100, got ${values.compression}`);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${values.seed}`);
  const chosen = values.scenario === undefined ? SCENARIOS : SCENARIOS.filter((s) => s.name === values.scenario);
  if (chosen.length === 0) throw new Error(`--scenario must be one of ${SCENARIOS.map((s) => s.name).join(", ")}`);

  console.log(
    `quota benchmark: ${PRIMARY.modelId} (burndown ${PRIMARY.outputBurndown}) then ${FALLBACK.modelId}; ${INPUT_TOKENS} input tokens, maxTokens ${MAX_TOKENS}, ${OUTPUT_TOKENS} output tokens; ` +
      `runs of 3 stand-in minutes (the outage 6) at x${compression}; figures in stand-in ms; seed ${seed}`,
  );
  const bench = new BenchReport(check);
  const ep = await startEndpointProcess();
  try {
    for (const sc of chosen) {
      const rows: Array<[Contender, RunFigures]> = [];
      for (const contender of sc.contenders) rows.push([contender, await run(ep, sc, contender, compression, seed)]);
      report(sc, rows, compression, bench);
    }
  } finally {
    ep.close();
  }
  return bench.finish();
}

runBench(main);
