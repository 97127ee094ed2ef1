import type { EmfRecord } from "../../client/metrics";
import type { QuotaStoreOptions } from "../../client/quota-store";
import { createRouter, type Router, type RouterOptions } from "../../client/router";
import type { RoutingDocument } from "../../core/runtime";
import type { LocalEndpoint } from "../../local/endpoint";

// Fixture data of the fleet tests (inline: no config/ file): two models as the local endpoint serves them in
// us-east-1, a route "quota" from the first to the second, and routers that share (or not) a quota store.

export const REGION = "us-east-1";
export const CREDS = { accessKeyId: "local", secretAccessKey: "local" };
export const PRIMARY = { modelId: "anthropic.claude-haiku-4-5-20251001-v1:0", invokeId: "us.anthropic.claude-haiku-4-5-20251001-v1:0" };
export const FALLBACK = { modelId: "amazon.nova-lite-v1:0", invokeId: "us.amazon.nova-lite-v1:0" };

/** 4,000 characters: 1,000 input tokens for the stand-in and for the router's estimate; with maxTokens 512 a call reserves 1,512. */
export const PROMPT = "FLEET-SECRET-PROMPT-4417 " + "q".repeat(4000 - 25);
export const MESSAGES = [{ role: "user" as const, content: [{ text: PROMPT }] }];
export const RESERVED = 1512;
/** 1,000 input + 256 output (burndown 1). */
export const CHARGED = 1256;

/** Route "quota": PRIMARY then FALLBACK (or PRIMARY alone), maxTokens 512, with the applied quotas given. */
export function fleetDocument(quotas: { primary?: number; fallback?: number } = {}, options: { fallback?: boolean } = {}): RoutingDocument {
  const quota = (tpm: number | undefined) => (tpm === undefined ? {} : { quota: { tokensPerMinute: tpm, outputBurndown: 1 } });
  return {
    schemaVersion: 1,
    environment: "fleet-test",
    region: REGION,
    models: {
      [PRIMARY.modelId]: { invokeId: PRIMARY.invokeId, enabled: true, ...quota(quotas.primary) },
      [FALLBACK.modelId]: { invokeId: FALLBACK.invokeId, enabled: true, ...quota(quotas.fallback) },
    },
    routes: { quota: { primary: PRIMARY.modelId, fallbacks: options.fallback === false ? [] : [FALLBACK.modelId], maxTokens: 512 } },
  };
}

export interface FleetRouter {
  readonly router: Router;
  readonly records: EmfRecord[];
  call(): ReturnType<Router["converse"]>;
}

/** A router on the local endpoint, recording its EMF records; `store` shares its quota view (none: on its own). */
export function fleetRouter(ep: LocalEndpoint, document: RoutingDocument, store?: QuotaStoreOptions, options: Partial<RouterOptions> = {}): FleetRouter {
  const records: EmfRecord[] = [];
  const router = createRouter({
    region: REGION,
    endpointUrl: ep.url,
    credentials: CREDS,
    document,
    metrics: (r) => records.push(r),
    random: () => 0.5,
    backoff: { baseMs: 10, capMs: 100 },
    ...(store ? { quotaStore: store } : {}),
    ...options,
  });
  return { router, records, call: () => router.converse({ task: "quota", messages: MESSAGES }) };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every 10 ms until it holds (real time), failing after `ms` with `what`. */
export async function eventually(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Bedrock wire calls the endpoint logged since the last clearCalls, as [invokeId, status]. */
export function wireCalls(ep: LocalEndpoint): Array<[string, number]> {
  return ep.calls.filter((c) => c.service === "bedrock-runtime").map((c) => [c.modelId ?? "", c.status]);
}

/** The records a router emitted about its quota store. */
export const storeRecords = (f: FleetRouter) => f.records.filter((r) => r.QuotaStore !== undefined);
