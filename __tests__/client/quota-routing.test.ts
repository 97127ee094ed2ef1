import type { RoutingDocument } from "../../core/runtime";
import type { QuotaModeConfig } from "../../local/endpoint";
import { HAIKU, NOVA } from "../fixtures";
import { FakeClock, testDocument, useLocalEndpoint, wire, type Harness } from "./fixtures";

// The router against the stand-in's quota mode, both on one manual clock: refills, outage windows and the router's
// probe schedule move only when the test advances time, so nothing here depends on how fast the machine is.

/** 4,000 characters: 1,000 input tokens for the stand-in and for the router's estimate (chars / 4). */
const THOUSAND = [{ role: "user" as const, content: [{ text: "q".repeat(4000) }] }];
/** 1,000 input + maxTokens 512. */
const RESERVE = 1512;

let clock: FakeClock;
const local = useLocalEndpoint({ quotaClock: () => clock.now() });
beforeEach(() => {
  clock = new FakeClock();
});

/** A route "quota": Haiku, then Nova Lite, maxTokens 512, with the applied quotas given put in the document. */
function documentWith(quotas: { haiku?: number; nova?: number }): RoutingDocument {
  return testDocument((d) => {
    d.routes.quota = { primary: HAIKU.modelId, fallbacks: [NOVA.modelId], maxTokens: 512 };
    if (quotas.haiku !== undefined) d.models[HAIKU.modelId].quota = { tokensPerMinute: quotas.haiku, outputBurndown: 1 };
    if (quotas.nova !== undefined) d.models[NOVA.modelId].quota = { tokensPerMinute: quotas.nova, outputBurndown: 1 };
  });
}

function make(document: RoutingDocument, options: Parameters<typeof local.make>[0] = {}): Harness {
  return local.make({ clock, document, ...options });
}

function quotaMode(models: QuotaModeConfig["models"]): void {
  local.ep.setQuotaMode({ models });
}

const call = (h: Harness) => h.router.converse({ task: "quota", messages: THOUSAND });

describe("quota-aware selection", () => {
  beforeEach(() =>
    quotaMode([
      // Two calls' charges (2 × 1,256) fit 3,000; after them 488 tokens are left, short of a 1,512 reservation.
      { modelId: HAIKU.invokeId, tokensPerMinute: 3000, outputTokens: 256 },
      { modelId: NOVA.invokeId, tokensPerMinute: 1_000_000, outputTokens: 256 },
    ]),
  );

  it("with the document's quota, a call goes to the fallback before the primary can answer 429", async () => {
    const h = make(documentWith({ haiku: 3000, nova: 1_000_000 }));
    const served = [];
    for (let i = 0; i < 3; i++) served.push((await call(h)).servedBy);
    expect(served).toEqual([HAIKU, HAIKU, NOVA]);
    expect(wire(local.ep)).toEqual([
      [HAIKU.invokeId, 200],
      [HAIKU.invokeId, 200],
      [NOVA.invokeId, 200],
    ]);
    // The estimate followed the stand-in's accounting: 3,000 - 2 × 1,256.
    expect(h.router.quotas().find((q) => q.invokeId === HAIKU.invokeId)).toMatchObject({ source: "document", tokensPerMinute: 3000, tokensAvailable: 488, inFlight: 0 });
    // A minute later the primary has room again and is used again.
    clock.advance(60_000);
    expect((await call(h)).servedBy).toEqual(HAIKU);
  });

  it("without it, the first 429 teaches the estimate, and the next call skips the primary", async () => {
    const h = make(documentWith({}));
    for (let i = 0; i < 4; i++) await call(h);
    expect(wire(local.ep)).toEqual([
      [HAIKU.invokeId, 200],
      [HAIKU.invokeId, 200],
      [HAIKU.invokeId, 429],
      [NOVA.invokeId, 200],
      [NOVA.invokeId, 200],
    ]);
    expect(h.router.quotas().find((q) => q.invokeId === HAIKU.invokeId)).toMatchObject({ source: "learned", tokensAvailable: 0 });
    // The learned estimate refills within 5 s (one throttle never exiles a model for a whole minute); then the primary
    // is tried again (the stand-in has refilled only 250 of the 1,024 tokens missing, so it answers 429 and teaches).
    clock.advance(5_000);
    local.ep.clearCalls();
    await call(h);
    expect(wire(local.ep)[0][0]).toBe(HAIKU.invokeId);
  });

  it("when no candidate has room for long, the call still goes out (the estimate may be pessimistic)", async () => {
    // The document claims far less than the stand-in grants: a stale value must not stop traffic.
    const h = make(documentWith({ haiku: 1000, nova: 1000 }));
    const r = await call(h);
    expect(r.servedBy).toEqual(HAIKU);
    expect(wire(local.ep)).toEqual([[HAIKU.invokeId, 200]]);
  });

  it("waits for room when it comes within the backoff cap, rather than calling into a 429", async () => {
    // Nova is disabled: one candidate, whose 488 free tokens reach 1,512 after 1,024 × 60,000 / 3,000 = 20,480 ms.
    const doc = documentWith({ haiku: 3000 });
    doc.models[NOVA.modelId].enabled = false;
    const h = make(doc, { backoff: { baseMs: 100, capMs: 30_000 } });
    await call(h);
    await call(h);
    local.ep.clearCalls();
    const r = await call(h);
    expect(r.servedBy).toEqual(HAIKU);
    expect(clock.sleeps).toEqual([20_480]);
    expect(wire(local.ep)).toEqual([[HAIKU.invokeId, 200]]);
  });

  it("streams hold their reservation until they end and are charged by their usage", async () => {
    const h = make(documentWith({ haiku: 3000, nova: 1_000_000 }));
    const s = await h.router.converseStream({ task: "quota", messages: THOUSAND });
    expect(h.router.quotas().find((q) => q.invokeId === HAIKU.invokeId)).toMatchObject({ inFlight: 1, reservedInFlight: RESERVE, tokensAvailable: 3000 - RESERVE });
    for await (const _ of s) void _;
    await s.result;
    expect(h.router.quotas().find((q) => q.invokeId === HAIKU.invokeId)).toMatchObject({ inFlight: 0, tokensAvailable: 3000 - 1256 });
  });
});

describe("recovery on a bounded probe schedule", () => {
  const probeIntervalMs = 5000;

  it("probes the primary every probe interval, never less often, one probe at a time; back in use within one interval of recovery", async () => {
    quotaMode([
      { modelId: HAIKU.invokeId, tokensPerMinute: 1_000_000, outages: [{ startMs: 0, endMs: 120_000, status: 503 }] },
      { modelId: NOVA.invokeId, tokensPerMinute: 1_000_000 },
    ]);
    const h = make(documentWith({ haiku: 1_000_000, nova: 1_000_000 }), { breaker: { failureThreshold: 3, probeIntervalMs } });
    // Three 503s open the breaker; one call a second from then on for four minutes of outage and recovery.
    const primaryCalls: Array<[number, number]> = [];
    const started = clock.now();
    for (let second = 0; second < 240; second++) {
      const before = local.ep.calls.length;
      const r = await call(h);
      expect(r.attempts).toBeLessThanOrEqual(2);
      for (const c of local.ep.calls.slice(before)) if (c.modelId === HAIKU.invokeId) primaryCalls.push([clock.now() - started, c.status]);
      clock.advance(1000);
    }
    const failed = primaryCalls.filter(([, status]) => status === 503).map(([t]) => t);
    // The three that opened it, then one probe each 5 s, never doubling, up to the end of the outage.
    expect(failed.slice(0, 3)).toEqual([0, 1000, 2000]);
    const probes = failed.slice(3);
    expect(probes.length).toBeGreaterThanOrEqual(20);
    for (let i = 1; i < probes.length; i++) expect(probes[i] - probes[i - 1]).toBe(probeIntervalMs);
    expect(probes.at(-1)).toBeLessThan(120_000);
    // The first success after the outage comes within one probe interval of its end, and the primary stays in use.
    const back = primaryCalls.find(([, status]) => status === 200)![0];
    expect(back).toBeGreaterThanOrEqual(120_000);
    expect(back - 120_000).toBeLessThanOrEqual(probeIntervalMs);
    expect(primaryCalls.filter(([t]) => t > back).every(([, status]) => status === 200)).toBe(true);
    expect(primaryCalls.filter(([t]) => t > back).length).toBe((240_000 - 1000 - back) / 1000);
  });
});
