/**
 * bench:quota's contenders as senders (one call each, resolving with whether a fallback served it), and the loop that
 * plays open-loop arrivals through them. Shared by the benchmark's own process and its fleet workers.
 */
import { ConverseCommand, type BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { backoffDelay } from "../../client/backoff";
import { DEFAULT_BREAKER } from "../../client/circuit-breaker";
import { createRouter, type Router, type RouterOptions } from "../../client/router";
import { buildConverseRequest, classifyError, type RoutingDocument } from "../../core/runtime";
import { seededRandom } from "../../local/seeded-random";
import { CREDS, DOC, FALLBACK, INPUT, MINUTE, PRIMARY, REGION, type Model } from "./scenarios";

export type Send = () => Promise<{ fellBack: boolean }>;

/** One arrival's fate. */
export interface Outcome {
  readonly ok: boolean;
  /** Stand-in ms from arrival to answer (or failure). */
  readonly latencyMs: number;
  readonly fellBack: boolean;
  readonly cause?: string;
}

/**
 * The router's timers in stand-in time: each default divided by the compression, so the router sees the same
 * quota-minutes, latencies and outages the stand-in plays (the quota store's refresh interval follows the quota period).
 */
export function routerTimers(compression: number): Partial<RouterOptions> {
  const s = (ms: number) => ms / compression;
  return {
    deadlineMs: s(120_000),
    attemptTimeoutMs: s(60_000),
    backoff: { baseMs: s(250), capMs: s(4000) },
    breaker: { probeIntervalMs: s(DEFAULT_BREAKER.probeIntervalMs) },
    quota: { minuteMs: s(MINUTE) },
  };
}

/** Everything a router of the benchmark is made from (plain data: fleet workers get it over IPC). */
export interface RouterSpec {
  readonly endpointUrl: string;
  readonly document: RoutingDocument;
  readonly compression: number;
  readonly seed: number;
  /** The quota store's URL; none: the router is on its own. */
  readonly storeUrl?: string;
}

/** A router of the fleet: instance `i` draws its jitter from its own seed. */
export function routerSender(spec: RouterSpec, instance = 0): { send: Send; close: () => void; router: Router } {
  const router = createRouter({
    region: REGION,
    endpointUrl: spec.endpointUrl,
    credentials: CREDS,
    document: spec.document,
    // Records would flood the benchmark's output; the degradation warning still prints (process warning).
    metrics: false,
    random: seededRandom(spec.seed + 1 + instance),
    ...routerTimers(spec.compression),
    ...(spec.storeUrl ? { quotaStore: { url: spec.storeUrl } } : {}),
  });
  return { send: async () => ({ fellBack: (await router.converse({ task: "summarization", ...INPUT })).fellBack }), close: () => router.close(), router };
}

/** The naive loop: primary, fallback, backoff, primary... within the router's attempt budget and deadline. */
export function naiveSender(client: BedrockRuntimeClient, compression: number, random: () => number, unsetMaxTokens: boolean): Send {
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

export function causeOf(e: unknown): string {
  const details = (e as { details?: { routerCause?: string } }).details;
  if (details?.routerCause) return details.routerCause;
  return classifyError(e as Error).cause;
}

/**
 * Sends arrival `i` (stand-in ms after `start`, wall clock) through `sends[i % sends.length]`, open loop: the next
 * arrival never waits for an answer. Only the arrivals with `i % stride === offset` are played (a fleet worker's share).
 */
export async function playArrivals(sends: readonly Send[], times: readonly number[], start: number, compression: number, share = { offset: 0, stride: 1 }): Promise<Array<[number, Outcome]>> {
  const pending: Array<Promise<[number, Outcome]>> = [];
  for (let i = share.offset; i < times.length; i += share.stride) {
    const wait = start + times[i] / compression - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const began = Date.now();
    const send = sends[Math.floor(i / share.stride) % sends.length];
    pending.push(
      send().then(
        (r): [number, Outcome] => [i, { ok: true, latencyMs: (Date.now() - began) * compression, fellBack: r.fellBack }],
        (e: unknown): [number, Outcome] => [i, { ok: false, latencyMs: (Date.now() - began) * compression, fellBack: false, cause: causeOf(e) }],
      ),
    );
  }
  return Promise.all(pending);
}
