/**
 * One bench:quota row: a contender (one router, a fleet of routers in this process or in processes of their own, or
 * the naive loop) against the local endpoint's quota mode for one scenario, with or without the quota store (and
 * with the store killed halfway), reduced to the figures the report prints.
 */
import { bedrockRuntimeClient } from "../../client/aws-clients";
import { RespConnection } from "../../client/resp-connection";
import { parseStoreUrl } from "../../client/store-url";
import type { QuotaModelSpec } from "../../local/endpoint";
import { seededRandom } from "../../local/seeded-random";
import type { EndpointProcess } from "../endpoint-process";
import type { RedisServer } from "../redis-server";
import { startFleetWorker, type FleetWorker } from "./fleet-worker";
import { arrivals, ceilingPerMinute, CREDS, documentFor, FALLBACK, MINUTE, OUTPUT_TOKENS, PRIMARY, REGION, type Model, type Scenario } from "./scenarios";
import { naiveSender, playArrivals, routerSender, type Outcome, type Send } from "./senders";

/** What one row runs. */
export interface Row {
  readonly label: string;
  readonly kind: "router" | "naive";
  /** Router: the document carries the applied quotas (else the router learns them from throttles). */
  readonly withQuota: boolean;
  /** Naive: send no maxTokens. */
  readonly unsetMaxTokens?: boolean;
  readonly instances: number;
  /** `killed`: the store is killed (SIGKILL) halfway through the run. */
  readonly store: "none" | "shared" | "killed";
  /** One process per router instead of all in this one. */
  readonly processes: boolean;
}

export interface RunFigures {
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
  /** Routers that reported the store degraded (in-process fleets). */
  readonly degraded?: number;
}

/** Contenders the arrivals are played through. */
interface Contestant {
  warm(): Promise<void>;
  play(times: readonly number[], start: number): Promise<Outcome[]>;
  /** Routers that ended degraded (in-process only). */
  degraded(): number | undefined;
  close(): void;
}

export interface BenchEnv {
  readonly ep: EndpointProcess;
  readonly redis?: RedisServer;
  readonly compression: number;
  readonly seed: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function inProcess(senders: ReadonlyArray<{ send: Send; close: () => void; degraded?: () => boolean }>, compression: number): Contestant {
  return {
    warm: async () => void (await Promise.all(senders.map((s) => s.send().catch(() => undefined)))),
    play: async (times, start) => (await playArrivals(senders.map((s) => s.send), times, start, compression)).map(([, o]) => o),
    degraded: () => (senders[0]?.degraded ? senders.filter((s) => s.degraded!()).length : undefined),
    close: () => senders.forEach((s) => s.close()),
  };
}

async function inProcesses(row: Row, sc: Scenario, env: BenchEnv): Promise<Contestant> {
  const workers: FleetWorker[] = [];
  for (let i = 0; i < row.instances; i++) workers.push(await startFleetWorker());
  const spec = { endpointUrl: env.ep.url, document: documentFor(sc, row.withQuota), compression: env.compression, seed: env.seed, ...(row.store !== "none" ? { storeUrl: env.redis!.url } : {}) };
  return {
    warm: async () => void (await Promise.all(workers.map((w, i) => w.warm(spec, i)))),
    play: async (times, start) => {
      const parts = await Promise.all(workers.map((w, i) => w.play(times, start, i, workers.length)));
      return parts.flat().sort((a, b) => a[0] - b[0]).map(([, o]) => o);
    },
    degraded: () => undefined,
    close: () => workers.forEach((w) => w.close()),
  };
}

async function contestant(row: Row, sc: Scenario, env: BenchEnv): Promise<Contestant> {
  if (row.kind === "naive") {
    const client = bedrockRuntimeClient({ region: REGION, endpointUrl: env.ep.url, credentials: CREDS });
    return inProcess([{ send: naiveSender(client, env.compression, seededRandom(env.seed + 1), row.unsetMaxTokens === true), close: () => client.destroy() }], env.compression);
  }
  if (row.processes) return inProcesses(row, sc, env);
  const spec = { endpointUrl: env.ep.url, document: documentFor(sc, row.withQuota), compression: env.compression, seed: env.seed, ...(row.store !== "none" ? { storeUrl: env.redis!.url } : {}) };
  const routers = Array.from({ length: row.instances }, (_, i) => routerSender(spec, i));
  return inProcess(
    routers.map((r) => ({ ...r, degraded: () => (r.router.quotaStore()?.degradations ?? 0) > 0 })),
    env.compression,
  );
}

/** Empties the store, so one row's window and leases never carry over into the next. */
async function flushStore(redis: RedisServer): Promise<void> {
  const conn = await RespConnection.open(parseStoreUrl(redis.url), { connectTimeoutMs: 5_000 });
  try {
    await conn.command(["FLUSHALL"], 5_000);
  } finally {
    conn.close();
  }
}

function quotaSpecs(sc: Scenario): QuotaModelSpec[] {
  const spec = (m: Model, tpm: number, outage?: Scenario["outage"]): QuotaModelSpec => ({
    modelId: m.invokeId,
    tokensPerMinute: tpm,
    outputBurndown: m.outputBurndown,
    maxOutputTokens: m.maxOutputTokens,
    outputTokens: OUTPUT_TOKENS,
    latency: m.latency,
    ...(outage ? { outages: [{ ...outage, status: 503 as const }] } : {}),
  });
  return [spec(PRIMARY, sc.primaryTpm, sc.outage), spec(FALLBACK, sc.fallbackTpm)];
}

export async function run(env: BenchEnv, sc: Scenario, row: Row): Promise<RunFigures> {
  const { ep, redis, compression, seed } = env;
  const times = arrivals(sc.load, sc.runMs, seededRandom(seed));
  if (row.store !== "none") await flushStore(redis!);
  const c = await contestant(row, sc, env);
  let killTimer: NodeJS.Timeout | undefined;
  try {
    // Warm the connections outside the quota mode and the log, so the first arrivals do not pay the h2 set-up; then
    // forget the warm-up in the store too.
    await ep.setQuotaMode(undefined);
    await c.warm();
    await ep.clearCalls();
    if (row.store !== "none") await flushStore(redis!);
    await ep.setQuotaMode({ timeCompression: compression, seed, models: quotaSpecs(sc) });
    // Processes need a moment to receive their share before the first arrival.
    const start = Date.now() + (row.processes ? 300 : 0);
    if (row.store === "killed") killTimer = setTimeout(() => void redis!.kill(), start - Date.now() + sc.runMs / 2 / compression);
    const outcomes = await c.play(times, start);
    const calls = (await ep.calls()).filter((call) => call.service === "bedrock-runtime");
    const served = outcomes.filter((o) => o.ok);
    const latencies = served.map((o) => o.latencyMs).sort((a, b) => a - b);
    const failures = new Map<string, number>();
    for (const o of outcomes) if (!o.ok) failures.set(o.cause!, (failures.get(o.cause!) ?? 0) + 1);
    const offeredPerMinute = (times.length / sc.runMs) * MINUTE;
    const servedPerMinute = (served.length / sc.runMs) * MINUTE;
    let recoveryMs: number | undefined;
    if (sc.outage) {
      const end = start + sc.outage.endMs / compression;
      const back = calls.find((call) => call.modelId === PRIMARY.invokeId && call.status === 200 && call.at >= end);
      recoveryMs = back ? (back.at - end) * compression : sc.runMs - sc.outage.endMs;
    }
    const degraded = c.degraded();
    return {
      offered: times.length,
      served: served.length,
      wireCalls: calls.length,
      throttles: calls.filter((call) => call.status === 429).length,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      fallbackShare: served.filter((o) => o.fellBack).length / Math.max(1, served.length),
      goodput: servedPerMinute / Math.min(offeredPerMinute, ceilingPerMinute(sc)),
      recoveryMs,
      failures,
      ...(degraded !== undefined && row.store !== "none" ? { degraded } : {}),
    };
  } finally {
    if (killTimer) clearTimeout(killTimer);
    c.close();
    await ep.setQuotaMode(undefined);
    if (row.store === "killed") await redis!.restart();
  }
}
