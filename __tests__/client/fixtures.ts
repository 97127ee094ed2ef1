import type { Clock } from "../../client/clock";
import type { EmfRecord } from "../../client/metrics";
import { createRouter, RoutingError, type Router, type RouterOptions } from "../../client/router";
import { type RoutingDocument, parseRoutingDocument } from "../../core/runtime";
import { type LocalEndpoint, type LocalEndpointOptions, startLocalEndpoint } from "../../local/endpoint";
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

/** What useLocalEndpoint gives a test file. */
export interface LocalEndpointFixture {
  /** The running endpoint (from the file's beforeAll on). */
  readonly ep: LocalEndpoint;
  /** A harnessed router on the endpoint (see harness()), closed after the file's tests. */
  make(options?: Partial<RouterOptions>): Harness;
}

/**
 * One local endpoint for a test file: started in beforeAll, closed in afterAll with every router made through the
 * fixture; before each test its faults and scripted outcomes are reset and its call log cleared, unless
 * `resetEachTest` is false (a file whose tests build on each other's AppConfig state).
 */
export function useLocalEndpoint(options: LocalEndpointOptions = {}, { resetEachTest = true } = {}): LocalEndpointFixture {
  let started: LocalEndpoint | undefined;
  const routers: Router[] = [];
  const ep = (): LocalEndpoint => {
    if (!started) throw new Error("the local endpoint starts in beforeAll: use it inside a test or hook");
    return started;
  };
  beforeAll(async () => {
    started = await startLocalEndpoint(options);
  });
  afterAll(async () => {
    for (const r of routers) r.close();
    await started?.close();
  });
  if (resetEachTest)
    beforeEach(() => {
      ep().reset();
      ep().clearCalls();
    });
  return {
    get ep() {
      return ep();
    },
    make: (routerOptions = {}) => {
      const h = harness(ep(), routerOptions);
      routers.push(h.router);
      return h;
    },
  };
}

/** The RoutingError a routed call rejects with; fails the test when it resolves or rejects with anything else. */
export async function failure(p: Promise<unknown>): Promise<RoutingError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(RoutingError);
    return e as RoutingError;
  }
  throw new Error("expected a RoutingError");
}
