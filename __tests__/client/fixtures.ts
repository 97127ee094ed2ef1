import type { Clock } from "../../client/clock";
import type { EmfRecord } from "../../client/metrics";
import { createRouter, type RouterOptions } from "../../client/router";
import { type RoutingDocument, parseRoutingDocument } from "../../core/runtime";
import type { LocalEndpoint } from "../../local/endpoint";
import { CREDS, HAIKU, MICRO, NOVA, REGION, SONNET } from "../fixtures";

/** Routed by its bare ID: Bedrock answers ValidationException (on-demand not supported). */
export const BARE = { modelId: SONNET.modelId, invokeId: SONNET.modelId };

/** A document exercising every routing shape; parsed by the real schema so fixtures cannot drift from it. */
export function testDocument(mutate: (d: RoutingDocument) => void = () => undefined): RoutingDocument {
  const doc: RoutingDocument = {
    schemaVersion: 1,
    environment: "dev",
    region: REGION,
    models: Object.fromEntries([HAIKU, NOVA, MICRO, BARE].map((m) => [m.modelId, { invokeId: m.invokeId, enabled: true }])),
    routes: {
      summarization: { primary: HAIKU.modelId, fallbacks: [NOVA.modelId, MICRO.modelId], maxTokens: 64, temperature: 0.2 },
      pair: { primary: NOVA.modelId, fallbacks: [HAIKU.modelId], maxTokens: 32 },
      chat: { primary: HAIKU.modelId, fallbacks: [], maxTokens: 48 },
      classification: { primary: NOVA.modelId, fallbacks: [], maxTokens: 16 },
      broken: { primary: BARE.modelId, fallbacks: [NOVA.modelId], maxTokens: 24 },
    },
  };
  mutate(doc);
  const parsed = parseRoutingDocument(JSON.stringify(doc));
  if (typeof parsed === "string") throw new Error(`fixture document invalid: ${parsed}`);
  return parsed;
}

/** Manual time: sleeps advance it instantly and are recorded. */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(public t = 1_700_000_000_000) {}
  now(): number {
    return this.t;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.t += Math.max(0, ms);
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export const PROMPT = "Summarise the quarterly report for ACME-SECRET-7731 in one line";
export const messages = (text = PROMPT) => [{ role: "user" as const, content: [{ text }] }];

/** Bedrock wire calls the endpoint logged, as [invokeId, status] pairs in arrival order. */
export function wire(ep: LocalEndpoint): Array<[string, number]> {
  return ep.calls.filter((c) => c.service === "bedrock-runtime").map((c) => [c.modelId ?? "", c.status]);
}

export interface Harness {
  clock: FakeClock;
  records: EmfRecord[];
  router: ReturnType<typeof createRouter>;
}

/** A router on the local endpoint with a fake clock, no jitter randomness and a capturing metrics sink. */
export function harness(ep: LocalEndpoint, options: Partial<RouterOptions> = {}): Harness {
  const clock = new FakeClock();
  const records: EmfRecord[] = [];
  const router = createRouter({
    region: REGION,
    endpointUrl: ep.url,
    credentials: CREDS,
    clock,
    random: () => 0.5,
    metrics: (r) => records.push(r),
    backoff: { baseMs: 100, capMs: 1000 },
    ...(options.appConfig ? {} : { document: testDocument() }),
    ...options,
  });
  return { clock, records, router };
}
