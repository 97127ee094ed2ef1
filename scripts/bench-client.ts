/**
 * Routing-client benchmark against the local endpoint (real SDK, real HTTP/2, real AppConfigData session):
 *  1. Router overhead: 2,000 routed Converse calls vs 2,000 bare SDK Converse calls, interleaved after a warm-up;
 *     the added latency is reported as the difference of the percentiles (p50, p99) and as percentiles of the
 *     per-pair differences. Targets: p50 <= 0.3 ms, p99 <= 1.5 ms.
 *  2. Primary throttled: average wire calls per request (target <= 2) and wire calls that reached the primary
 *     while its cooldown was open (target 0).
 * Run: npm run bench:client [-- --calls 2000]
 */
import { ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { bedrockRuntimeClient } from "../client/aws-clients";
import type { EmfRecord } from "../client/metrics";
import { createRouter, type Router } from "../client/router";
import { buildConverseRequest } from "../core/converse-request";
import type { RoutingDocument } from "../core/routing-document";
import { startLocalEndpoint, type LocalEndpoint } from "../local/endpoint";


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
  writeFileSync(scenario, JSON.stringify({ appConfig: [{ region: REGION, ...APP, content: JSON.stringify(DOC) }] }));
  const child = spawn(process.execPath, [require.resolve("ts-node/dist/bin.js"), "--transpile-only", join(__dirname, "..", "local", "cli.ts"), "--port", "0", "--scenario", scenario], {
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

async function overhead(calls: number): Promise<{ ok: boolean; lines: string[] }> {
  const ep = await endpointProcess();
  const app = APP;
  const metrics = countingSink();
  // The real production shape: document from AppConfig (poll interval honoured), EMF records serialised per call.
  const router = createRouter({ region: REGION, endpointUrl: ep.url, credentials: CREDS, appConfig: app, metrics: metrics.sink });
  const bare = bedrockRuntimeClient({ region: REGION, endpointUrl: ep.url, credentials: CREDS });
  const route = DOC.routes.summarization;
  const bareCall = () => bare.send(new ConverseCommand(buildConverseRequest(PRIMARY.invokeId, route, INPUT)));
  const routedCall = () => router.converse({ task: "summarization", ...INPUT });
  try {
    for (let i = 0; i < 300; i++) {
      await bareCall();
      await routedCall();
    }
    const b: number[] = [];
    const r: number[] = [];
    const diff: number[] = [];
    for (let i = 0; i < calls; i++) {
      // Alternate the order so neither side always runs on a warmer connection.
      let tb: number, tr: number;
      if (i % 2 === 0) {
        let t = process.hrtime.bigint();
        await bareCall();
        tb = ms(process.hrtime.bigint() - t);
        t = process.hrtime.bigint();
        await routedCall();
        tr = ms(process.hrtime.bigint() - t);
      } else {
        let t = process.hrtime.bigint();
        await routedCall();
        tr = ms(process.hrtime.bigint() - t);
        t = process.hrtime.bigint();
        await bareCall();
        tb = ms(process.hrtime.bigint() - t);
      }
      b.push(tb);
      r.push(tr);
      diff.push(tr - tb);
    }
    b.sort((x, y) => x - y);
    r.sort((x, y) => x - y);
    diff.sort((x, y) => x - y);
    const p50 = percentile(r, 50) - percentile(b, 50);
    const p99 = percentile(r, 99) - percentile(b, 99);
    const ok = p50 <= 0.3 && p99 <= 1.5;
    return {
      ok,
      lines: [
        `router overhead over ${calls} interleaved calls each (after 300 warm-up pairs; document from AppConfig, EMF serialised per call):`,
        `  bare SDK Converse   p50 ${fmt(percentile(b, 50))}  p99 ${fmt(percentile(b, 99))}`,
        `  routed Converse     p50 ${fmt(percentile(r, 50))}  p99 ${fmt(percentile(r, 99))}`,
        `  added latency       p50 ${fmt(p50)} (target <= 0.300)  p99 ${fmt(p99)} (target <= 1.500)  ${ok ? "OK" : "MISSED"}`,
        `  per-pair difference p50 ${fmt(percentile(diff, 50))}  p99 ${fmt(percentile(diff, 99))} (includes the bare call's own jitter)`,
        `  EMF bytes per call  ${(metrics.bytes() / (calls + 300)).toFixed(0)}; AppConfigData polls ${router.documentStatus.lastPoll ? "ran (poll interval honoured)" : "none"}`,
      ],
    };
  } finally {
    router.close();
    bare.destroy();
    ep.stop();
  }
}

async function throttled(ep: LocalEndpoint, requests: number): Promise<{ ok: boolean; lines: string[] }> {
  // A short cooldown so the run also exercises half-open probes; defaults otherwise (3 failures, 3 wire calls max).
  const cooldownMs = 250;
  const router: Router = createRouter({ region: REGION, endpointUrl: ep.url, credentials: CREDS, document: DOC, metrics: false, breaker: { cooldownMs } });
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
  const avg = wire.length / requests;
  const ok = avg <= 2 && primaryWhileOpen === 0;
  return {
    ok,
    lines: [
      `primary throttled (every call), ${requests} requests in ${Date.now() - started} ms, cooldown ${cooldownMs} ms:`,
      `  wire calls          ${wire.length} (${avg.toFixed(3)} per request, target <= 2)`,
      `  to the primary      ${toPrimary} (${probes} half-open probes); while its cooldown was open: ${primaryWhileOpen} (target 0)  ${ok ? "OK" : "MISSED"}`,
      `  served by fallback  ${servedByFallback}/${requests}`,
    ],
  };
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { calls: { type: "string", default: "2000" }, requests: { type: "string", default: "1000" } } });
  const calls = Number(values.calls);
  const requests = Number(values.requests);
  const a = await overhead(calls);
  a.lines.forEach((l) => console.log(l));
  const ep = await startLocalEndpoint();
  try {
    const b = await throttled(ep, requests);
    b.lines.forEach((l) => console.log(l));
    return a.ok && b.ok ? 0 : 1;
  } finally {
    await ep.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  },
);
