/**
 * Routing-client benchmark against the local endpoint (real SDK, real HTTP/2, real AppConfigData session):
 *  1. Router overhead: 2,000 routed Converse calls, each timed as a whole and split into the time spent inside the
 *     SDK's send() (the wire call) and the rest, which is the router's own work (plan lookup, request building,
 *     breaker, response check, result, metric record). That split is measured in one process on one call, so it is
 *     never negative and does not include the endpoint's jitter. Targets for the router's own time: p50 <= 0.3 ms,
 *     p99 <= 1.5 ms. For context, the routed calls are interleaved with as many bare SDK calls and the median of the
 *     paired differences is printed with a bootstrap 95% confidence interval: two wire calls' noise, so it may
 *     straddle 0; it has no target.
 *     The same run again with the quota store on (a real redis-server on a free loopback port, started here) and
 *     again with and without it on a document that carries the models' quotas (so every call also consults the
 *     fleet's view): the store must keep the router's own time within the same targets; the difference to the run
 *     without it is the store's added time per call (no call ever waits for the store; its budget is 5 ms).
 *  2. OpenTelemetry: the router's own time for `--trace-calls` routed calls each with telemetry off (`telemetry:
 *     false`, the same path as an application without @opentelemetry/api), with the API installed and no provider
 *     registered (the default), and with an SDK tracer provider (every span recorded, batched to an exporter that counts them) and a meter
 *     provider. Targets: with no provider, p50/p99 within 0.05/0.3 ms of off (the promise that an application that
 *     does not trace pays nothing); tracing on is printed without a target (its cost is the application's choice).
 *  3. Primary throttled: average wire calls per request (target <= 2) and wire calls that reached the primary
 *     while its breaker was open (target 0).
 * Run: npm run bench:client [-- --calls 2000] [--trace-calls 1000] [--store-only] [--check]   (exit policy: scripts/bench-policy.ts)
 */
import { BedrockRuntimeClient, ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { MeterProvider, MetricReader } from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseCommandLine } from "../cli/command-line";
import { bedrockRuntimeClient } from "../client/aws-clients";
import type { EmfRecord } from "../client/metrics";
import { createRouter, type Router, type RouterOptions } from "../client/router";
import { buildConverseRequest, type RoutingDocument } from "../core/runtime";
import { startLocalEndpoint, type LocalEndpoint } from "../local/endpoint";
import { benchArgs, BenchReport, runBench } from "./bench-policy";
import { startRedisServer } from "./redis-server";


const REGION = "us-east-1";
const CREDS = { accessKeyId: "local", secretAccessKey: "local" };
const PRIMARY = { id: "anthropic.claude-haiku-4-5-20251001-v1:0", invokeId: "us.anthropic.claude-haiku-4-5-20251001-v1:0" };
const FALLBACK = { id: "amazon.nova-lite-v1:0", invokeId: "us.amazon.nova-lite-v1:0" };
const DOC: RoutingDocument = {
  schemaVersion: 1,
  environment: "bench",
  region: REGION,
  models: { [PRIMARY.id]: { invokeId: PRIMARY.invokeId, enabled: true }, [FALLBACK.id]: { invokeId: FALLBACK.invokeId, enabled: true } },
  routes: { summarization: { primary: PRIMARY.id, fallbacks: [FALLBACK.id], maxTokens: 64 } },
};
const INPUT = { messages: [{ role: "user" as const, content: [{ text: "Summarise: the quarterly numbers are in and they look fine." }] }] };
/** The same document with the models' applied quotas (ample: the calls never wait), in its own profile. */
const QUOTA_DOC: RoutingDocument = {
  ...DOC,
  models: Object.fromEntries(Object.entries(DOC.models).map(([id, m]) => [id, { ...m, quota: { tokensPerMinute: 1e9, outputBurndown: 1 } }])),
};

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}
const ms = (ns: bigint) => Number(ns) / 1e6;
const fmt = (x: number) => `${x.toFixed(3)} ms`;

/** A sink that pays the serialisation cost of the default stdout sink without printing. */
function countingSink() {
  let bytes = 0;
  return { sink: (r: EmfRecord) => void (bytes += JSON.stringify(r).length + 1), bytes: () => bytes };
}

const APP = { application: "bedrock-bench", environment: "bench", profile: "routing" };

/**
 * The endpoint for the overhead run lives in its own process, so its request handling and garbage collection do not
 * land inside the measured calls (in-process, the endpoint's jitter dwarfs the router's p99).
 */
async function endpointProcess(): Promise<{ url: string; stop: () => void; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), "bench-client-"));
  const scenario = join(dir, "scenario.json");
  writeFileSync(scenario, JSON.stringify({ appConfig: [{ region: REGION, ...APP, content: JSON.stringify(DOC) }, { region: REGION, ...APP, profile: "routing-quota", content: JSON.stringify(QUOTA_DOC) }] }));
  const child = spawn(process.execPath, ["-r", require.resolve("../cli/transpile-cache.js"), join(__dirname, "..", "local", "cli.ts"), "--port", "0", "--scenario", scenario], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = "";
    child.stdout.on("data", (d: Buffer) => {
      buf += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(buf);
      if (m) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`local endpoint exited with ${code} before listening`)));
  });
  return {
    url,
    dir,
    stop: () => {
      child.kill("SIGTERM");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Times every SDK send() in this process (the routed calls run one at a time, so the last one belongs to the call
 * being measured). Benchmark instrumentation only: it measures, it does not change what is sent or answered.
 */
let instrumented: { last: () => number } | undefined;
function instrumentSend(): { last: () => number } {
  if (instrumented) return instrumented;
  let lastMs = 0;
  const original = BedrockRuntimeClient.prototype.send;
  BedrockRuntimeClient.prototype.send = function (this: BedrockRuntimeClient, ...args: unknown[]) {
    const t = process.hrtime.bigint();
    const p = (original as (...a: unknown[]) => Promise<unknown>).apply(this, args);
    return p.finally(() => (lastMs = ms(process.hrtime.bigint() - t)));
  } as typeof original;
  instrumented = { last: () => lastMs };
  return instrumented;
}

/** Bootstrap 95% confidence interval of the median (1,000 resamples, fixed seed for a stable printout). */
function medianInterval(xs: readonly number[]): [number, number] {
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const medians: number[] = [];
  for (let b = 0; b < 1000; b++) {
    const sample = Array.from({ length: xs.length }, () => xs[Math.floor(random() * xs.length)]).sort((x, y) => x - y);
    medians.push(percentile(sample, 50));
  }
  medians.sort((x, y) => x - y);
  return [percentile(medians, 2.5), percentile(medians, 97.5)];
}

/**
 * The store's reply timeout in these runs: generous, so that a server starved of CPU by the niceness below (on a busy
 * 2-core machine) still counts as in use and every call's updates are sent and their replies read, which is the cost
 * measured here; the default 50 ms would switch the router to its local estimate and measure less work.
 */
const STORE_TIMEOUT_MS = 2_000;

/** One overhead run: which routing profile (with or without quotas) and whether the quota store is on. */
interface Variant {
  readonly label: string;
  readonly profile: string;
  readonly storeUrl?: string;
}

/** The router's own time per call: p50 and p99, ms. */
type OwnTime = { p50: number; p99: number };

async function overhead(calls: number, report: BenchReport, variant: Variant = { label: "", profile: APP.profile }): Promise<OwnTime> {
  const ep = await endpointProcess();
  const app = { ...APP, profile: variant.profile };
  const metrics = countingSink();
  const send = instrumentSend();
  // The real production shape: document from AppConfig (poll interval honoured), EMF records serialised per call.
  const router = createRouter({ region: REGION, endpointUrl: ep.url, credentials: CREDS, appConfig: app, metrics: metrics.sink, ...(variant.storeUrl ? { quotaStore: { url: variant.storeUrl, timeoutMs: STORE_TIMEOUT_MS } } : {}) });
  const bare = bedrockRuntimeClient({ region: REGION, endpointUrl: ep.url, credentials: CREDS });
  const route = DOC.routes.summarization;
  const bareCall = () => bare.send(new ConverseCommand(buildConverseRequest(PRIMARY.invokeId, route, INPUT)));
  const routedCall = () => router.converse({ task: "summarization", ...INPUT });
  try {
    for (let i = 0; i < 300; i++) {
      await bareCall();
      await routedCall();
    }
    if (variant.storeUrl && router.quotaStore()?.state !== "shared") throw new Error(`the quota store is not in use: ${JSON.stringify(router.quotaStore())}`);
    const b: number[] = [];
    const r: number[] = [];
    const own: number[] = [];
    const diff: number[] = [];
    const timeRouted = async () => {
      const t = process.hrtime.bigint();
      const res = await routedCall();
      const total = ms(process.hrtime.bigint() - t);
      if (res.attempts !== 1) throw new Error("the overhead run expects one wire call per routed call");
      // Timer resolution can make the split a hair below zero; it is the router's time, so it is at least 0.
      own.push(Math.max(0, total - send.last()));
      return total;
    };
    const timeBare = async () => {
      const t = process.hrtime.bigint();
      await bareCall();
      return ms(process.hrtime.bigint() - t);
    };
    for (let i = 0; i < calls; i++) {
      // Alternate the order so neither side always runs on a warmer connection.
      let tb: number, tr: number;
      if (i % 2 === 0) {
        tb = await timeBare();
        tr = await timeRouted();
      } else {
        tr = await timeRouted();
        tb = await timeBare();
      }
      b.push(tb);
      r.push(tr);
      diff.push(tr - tb);
    }
    for (const xs of [b, r, own, diff]) xs.sort((x, y) => x - y);
    const [lo, hi] = medianInterval(diff);
    console.log(`router overhead over ${calls} routed calls (after 300 warm-up pairs; document from AppConfig, EMF serialised per call)${variant.label}:`);
    const ownTime = { p50: percentile(own, 50), p99: percentile(own, 99) };
    report.figure({ label: "router's own time p50", value: ownTime.p50, target: 0.3, bound: "<=", format: fmt, note: "routed call minus its SDK send(), same call" });
    report.figure({ label: "router's own time p99", value: ownTime.p99, target: 1.5, bound: "<=", format: fmt });
    report.info("bare SDK Converse", `p50 ${fmt(percentile(b, 50))}  p99 ${fmt(percentile(b, 99))}`);
    report.info("routed Converse", `p50 ${fmt(percentile(r, 50))}  p99 ${fmt(percentile(r, 99))}`);
    report.info("routed - bare, paired", `median ${fmt(percentile(diff, 50))} (95% CI ${fmt(lo)} to ${fmt(hi)}; two wire calls' noise, no target)`);
    report.info("EMF bytes per call", `${(metrics.bytes() / (calls + 300)).toFixed(0)}; AppConfigData polls ${router.documentStatus.lastPoll ? "ran (poll interval honoured)" : "none"}`);
    if (variant.storeUrl) report.info("quota store", `${JSON.stringify(router.quotaStore()?.state)}, degradations ${router.quotaStore()?.degradations}`);
    return ownTime;
  } finally {
    router.close();
    bare.destroy();
    ep.stop();
  }
}

/**
 * The router's own time per call (routed call minus its send()) for each configuration, sorted. The routers take
 * turns call by call (rotating who goes first), so a slow stretch of a busy machine lands on all of them alike.
 */
async function ownTimes(ep: { url: string }, send: { last: () => number }, configs: ReadonlyArray<Partial<RouterOptions>>, calls: number, warm: number): Promise<number[][]> {
  const routers = configs.map((options) => createRouter({ region: REGION, endpointUrl: ep.url, credentials: CREDS, appConfig: APP, metrics: countingSink().sink, ...options }));
  const own: number[][] = configs.map(() => []);
  try {
    for (let i = 0; i < warm + calls; i++) {
      for (let k = 0; k < routers.length; k++) {
        const which = (i + k) % routers.length;
        const t = process.hrtime.bigint();
        const res = await routers[which].converse({ task: "summarization", ...INPUT });
        const total = ms(process.hrtime.bigint() - t);
        if (res.attempts !== 1) throw new Error("the overhead run expects one wire call per routed call");
        if (i >= warm) own[which].push(Math.max(0, total - send.last()));
      }
    }
    return own.map((xs) => xs.sort((x, y) => x - y));
  } finally {
    for (const r of routers) r.close();
  }
}

/** A span exporter that counts and lets go (an OTLP exporter's cost is its own process's, not the router's). */
class CountingExporter implements SpanExporter {
  spans = 0;
  export(spans: ReadableSpan[], done: (result: { code: number }) => void): void {
    this.spans += spans.length;
    done({ code: 0 });
  }
  async shutdown(): Promise<void> {}
}

/** A metric reader nobody collects from: the instruments record, nothing is exported. */
class IdleReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

async function tracingOverhead(calls: number, report: BenchReport): Promise<void> {
  const ep = await endpointProcess();
  const send = instrumentSend();
  const warm = 200;
  // What a production set-up records through: a batching span processor and a meter provider. Passed to one router
  // only, so the global providers stay unregistered for the other two.
  const exporter = new CountingExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
  const meterProvider = new MeterProvider({ readers: [new IdleReader()] });
  try {
    const [off, idle, on] = await ownTimes(ep, send, [{ telemetry: false }, {}, { telemetry: { tracerProvider, meterProvider } }], calls, warm);
    await tracerProvider.forceFlush();
    const spans = exporter.spans;
    console.log(`OpenTelemetry, router's own time over ${calls} calls each, the three routers taking turns (after ${warm} warm-up rounds):`);
    const row = (xs: number[]) => `p50 ${fmt(percentile(xs, 50))}  p99 ${fmt(percentile(xs, 99))}`;
    report.info("telemetry off (as without the API)", row(off));
    report.info("API installed, no provider", row(idle));
    report.info("tracer + meter provider", `${row(on)}  (${spans} spans recorded)`);
    report.figure({ label: "no provider: p50 over off", value: percentile(idle, 50) - percentile(off, 50), target: 0.05, bound: "<=", format: fmt });
    report.figure({ label: "no provider: p99 over off", value: percentile(idle, 99) - percentile(off, 99), target: 0.3, bound: "<=", format: fmt });
    // Tracing on is the application's choice and cost (span objects, batching, garbage): figures without a target.
    report.info("tracing on: over off", `p50 +${fmt(percentile(on, 50) - percentile(off, 50))}  p99 +${fmt(percentile(on, 99) - percentile(off, 99))}`);
  } finally {
    await tracerProvider.shutdown();
    await meterProvider.shutdown();
    ep.stop();
  }
}

async function throttled(ep: LocalEndpoint, requests: number, report: BenchReport): Promise<void> {
  // A short probe interval so the run also exercises half-open probes; defaults otherwise (3 failures, 3 wire calls max).
  const probeIntervalMs = 250;
  const router: Router = createRouter({ region: REGION, endpointUrl: ep.url, credentials: CREDS, document: DOC, metrics: false, breaker: { probeIntervalMs } });
  ep.reset();
  ep.clearCalls();
  ep.inject({ modelId: PRIMARY.invokeId, fault: "throttle" });
  let primaryWhileOpen = 0;
  let probes = 0;
  let servedByFallback = 0;
  const started = Date.now();
  try {
    for (let i = 0; i < requests; i++) {
      const before = ep.calls.length;
      const view = router.breakers().find((b) => b.invokeId === PRIMARY.invokeId)!;
      const openUntil = view.state === "open" ? view.openUntil! : undefined;
      const res = await router.converse({ task: "summarization", ...INPUT });
      if (res.servedBy.modelId === FALLBACK.id) servedByFallback++;
      const mine = ep.calls.slice(before).filter((c) => c.modelId === PRIMARY.invokeId);
      if (openUntil !== undefined) primaryWhileOpen += mine.filter((c) => c.at < openUntil).length;
      if (view.state === "half-open") probes += mine.length;
    }
  } finally {
    router.close();
  }
  const wire = ep.calls.filter((c) => c.service === "bedrock-runtime");
  const toPrimary = wire.filter((c) => c.modelId === PRIMARY.invokeId).length;
  console.log(`primary throttled (every call), ${requests} requests in ${Date.now() - started} ms, probe interval ${probeIntervalMs} ms:`);
  report.figure({ label: "wire calls per request", value: wire.length / requests, target: 2, bound: "<=", format: (x) => x.toFixed(3), note: `${wire.length} in all` });
  report.figure({ label: "calls to the primary while open", value: primaryWhileOpen, target: 0, bound: "<=", format: (x) => String(x), note: `${toPrimary} to the primary, ${probes} half-open probes` });
  report.info("served by fallback", `${servedByFallback}/${requests}`);
}

/** The overhead runs with the quota store on, beside the same runs without it; the differences are the store's time. */
async function withStore(calls: number, report: BenchReport, without: OwnTime): Promise<void> {
  // Niced: on a 2-core machine the server would otherwise run inside the measured calls' time, which a store on
  // another host (ElastiCache) never does; its replies still come over the same loopback.
  const redis = await startRedisServer({ niceness: 19 });
  try {
    const store = await overhead(calls, report, { label: ", quota store on", profile: APP.profile, storeUrl: redis.url });
    const quotaWithout = await overhead(calls, report, { label: ", document with quotas", profile: "routing-quota" });
    const quotaStore = await overhead(calls, report, { label: ", document with quotas, quota store on", profile: "routing-quota", storeUrl: redis.url });
    const delta = (a: OwnTime, b: OwnTime) => `p50 ${fmt(a.p50 - b.p50)}, p99 ${fmt(a.p99 - b.p99)}`;
    console.log("the quota store's added time per call (own time with it minus without; no call waits for the store):");
    report.info("document without quotas", delta(store, without));
    report.info("document with quotas", delta(quotaStore, quotaWithout));
    report.figure({ label: "store's added time p99 (worst)", value: Math.max(store.p99 - without.p99, quotaStore.p99 - quotaWithout.p99), target: 5, bound: "<=", format: fmt, note: "the store's budget per call" });
  } finally {
    await redis.stop();
  }
}

async function main(): Promise<number> {
  const { check, rest } = benchArgs();
  const { values } = parseCommandLine({
    args: rest,
    options: { calls: { type: "string", default: "2000" }, "trace-calls": { type: "string", default: "1000" }, requests: { type: "string", default: "1000" }, "store-only": { type: "boolean", default: false } },
  });
  const report = new BenchReport(check);
  const without = await overhead(Number(values.calls), report);
  await withStore(Number(values.calls), report, without);
  if (values["store-only"]) return report.finish();
  await tracingOverhead(Number(values["trace-calls"]), report);
  const ep = await startLocalEndpoint();
  try {
    await throttled(ep, Number(values.requests), report);
  } finally {
    await ep.close();
  }
  return report.finish();
}

runBench(main);
