import { backoffDelay } from "../../client/backoff";
import type { FaultRule } from "../../local/faults";
import { HAIKU, MICRO, NOVA } from "../fixtures";
import { BARE, failure, messages, testDocument, useLocalEndpoint, wire } from "./fixtures";

const local = useLocalEndpoint();
const make = local.make;

describe("fallback on capacity errors only", () => {
  it("a throttled primary is served by the first fallback, fellBack true, with maxTokens on every call", async () => {
    const { router } = make();
    local.ep.inject({ modelId: HAIKU.invokeId, fault: "throttle" });
    const r = await router.converse({ task: "summarization", messages: messages() });
    expect(r.servedBy).toEqual(NOVA);
    expect(r.fellBack).toBe(true);
    expect(r.attempts).toBe(2);
    expect(r.stopReason).toBe("end_turn");
    expect(r.output.output?.message?.content?.[0].text).toMatch(/pong/);
    expect(wire(local.ep)).toEqual([
      [HAIKU.invokeId, 429],
      [NOVA.invokeId, 200],
    ]);
    expect(local.ep.calls.map((c) => c.maxTokens)).toEqual([64, 64]);
  });

  it.each<[string, Omit<FaultRule, "modelId">, string]>([
    ["server error 500", { fault: "server-error" }, "server-error"],
    ["service unavailable 503", { fault: "server-error", status: 503 }, "service-unavailable"],
    ["model not ready", { fault: "model-not-ready" }, "model-not-ready"],
    ["model timeout", { fault: "model-timeout" }, "model-timeout"],
  ])("%s on the primary falls back", async (_label, rule, cause) => {
    const { router } = make({ maxAttempts: 2 });
    local.ep.inject({ modelId: HAIKU.invokeId, ...rule });
    const r = await router.converse({ task: "summarization", messages: messages() });
    expect(r.servedBy).toEqual(NOVA);
    expect(wire(local.ep).map(([id]) => id)).toEqual([HAIKU.invokeId, NOVA.invokeId]);
    // The same fault with fallbacks exhausted names that cause.
    local.ep.clearCalls();
    const e = await failure(router.converse({ task: "chat", messages: messages(), deadlineMs: 10_000 }));
    expect(e.classification.cause).toBe(cause);
    expect(e.details.routerCause).toBe("attempts-exhausted");
  });

  it("a hung primary is abandoned at attemptTimeoutMs and the fallback serves", async () => {
    // The bound applies to the fallback's attempt too: 1 s leaves a busy machine room to answer it.
    const { router } = make({ attemptTimeoutMs: 1_000 });
    local.ep.inject({ modelId: HAIKU.invokeId, fault: "hang", times: 1 });
    const started = Date.now();
    const r = await router.converse({ task: "summarization", messages: messages() });
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    expect(r.servedBy).toEqual(NOVA);
    expect(r.attempts).toBe(2);
  });

  it("the caller's deadline ends a hung call without counting against the model's breaker", async () => {
    const { router } = make();
    local.ep.inject({ modelId: HAIKU.invokeId, fault: "hang", times: 1 });
    const e = await failure(router.converse({ task: "summarization", messages: messages(), deadlineMs: 150 }));
    expect(e.details).toMatchObject({ routerCause: "deadline-exceeded", attempts: 1 });
    expect(wire(local.ep).map(([id]) => id)).toEqual([HAIKU.invokeId]);
    expect(router.breakers().find((b) => b.invokeId === HAIKU.invokeId)).toMatchObject({ consecutiveFailures: 0 });
  });

  it("a bare model ID (ValidationException) is raised at once: no retry, no fallback", async () => {
    const { router, clock } = make();
    const e = await failure(router.converse({ task: "broken", messages: messages() }));
    expect(e.classification).toMatchObject({ category: "configuration", cause: "bare-model-id", retryable: false });
    expect(e.hint).toMatch(/inference profile/);
    expect(e.details).toMatchObject({ attempts: 1, modelId: BARE.modelId });
    expect(wire(local.ep)).toEqual([[BARE.invokeId, 400]]);
    expect(clock.sleeps).toEqual([]);
  });

  it.each<[FaultRule["fault"], string, string]>([
    ["marketplace-denied", "marketplace-pending", "marketplace-subscription"],
    ["scp-denied", "access", "scp-denied"],
    ["legacy", "configuration", "legacy-model"],
    ["eol", "configuration", "end-of-life"],
    ["model-error", "model", "model-error"],
  ])("%s on the primary is raised at once as %s/%s without touching the fallbacks", async (fault, category, cause) => {
    const { router } = make();
    local.ep.inject({ modelId: HAIKU.invokeId, fault });
    const e = await failure(router.converse({ task: "summarization", messages: messages() }));
    expect(e.classification).toMatchObject({ category, cause, retryable: false });
    expect(wire(local.ep).map(([id]) => id)).toEqual([HAIKU.invokeId]);
    // A non-capacity error is not a capacity failure: the breaker does not count it.
    expect(router.breakers().find((b) => b.invokeId === HAIKU.invokeId)).toMatchObject({ state: "closed", consecutiveFailures: 0 });
  });

  it("a 200 response missing required fields is a model error, not a success", async () => {
    const { router } = make();
    local.ep.inject({ modelId: HAIKU.invokeId, fault: "malformed" });
    const e = await failure(router.converse({ task: "summarization", messages: messages() }));
    expect(e.classification.cause).toBe("malformed-response");
    expect(wire(local.ep)).toHaveLength(1);
  });
});

describe("routing document rules", () => {
  it("never calls a disabled model; the first enabled one is not a fallback", async () => {
    const { router } = make({ document: testDocument((d) => (d.models[HAIKU.modelId].enabled = false)) });
    local.ep.inject({ modelId: NOVA.invokeId, fault: "server-error", status: 503, times: 1 });
    const r = await router.converse({ task: "summarization", messages: messages() });
    expect(r.servedBy).toEqual(MICRO);
    expect(r.fellBack).toBe(true);
    const ok = await router.converse({ task: "summarization", messages: messages() });
    expect(ok).toMatchObject({ servedBy: NOVA, fellBack: false });
    expect(wire(local.ep).map(([id]) => id)).not.toContain(HAIKU.invokeId);
    const e = await failure(router.converse({ task: "chat", messages: messages() }));
    expect(e.classification.cause).toBe("no-enabled-model");
  });

  it("an unknown task is a clear configuration error naming the routes, with no wire call", async () => {
    const { router, records } = make();
    const e = await failure(router.converse({ task: "translation", messages: messages() }));
    expect(e.message).toMatch(/unknown task "translation"/);
    expect(e.message).toContain("summarization");
    expect(e.classification.category).toBe("configuration");
    expect(wire(local.ep)).toEqual([]);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ Task: "(unknown)", Model: "none", Outcome: "configuration" });
  });

  it("requestFor exposes the exact request sent, built by the core builder with the route's maxTokens", async () => {
    const { router } = make();
    const req = await router.requestFor("summarization", { messages: messages() }, NOVA.modelId);
    expect(req).toMatchObject({ modelId: NOVA.invokeId, inferenceConfig: { maxTokens: 64, temperature: 0.2 } });
    await router.converse({ task: "summarization", messages: messages() });
    expect(local.ep.calls[0]).toMatchObject({ modelId: HAIKU.invokeId, maxTokens: req.inferenceConfig?.maxTokens });
  });
});

describe("one bounded retry loop", () => {
  it("all candidates throttled: exactly maxAttempts wire calls, primary first, then each fallback", async () => {
    const { router, clock } = make({ maxAttempts: 3 });
    local.ep.inject({ modelId: "*", fault: "throttle" });
    const e = await failure(router.converse({ task: "summarization", messages: messages() }));
    expect(e.details).toMatchObject({ routerCause: "attempts-exhausted", attempts: 3 });
    expect(e.classification.cause).toBe("throttled");
    expect(wire(local.ep)).toEqual([
      [HAIKU.invokeId, 429],
      [NOVA.invokeId, 429],
      [MICRO.invokeId, 429],
    ]);
    // Falling back to another model does not wait.
    expect(clock.sleeps).toEqual([]);
  });

  it("after a full failed pass it backs off (full jitter) and starts again from the primary", async () => {
    const backoff = { baseMs: 100, capMs: 1000 };
    const { router, clock } = make({ maxAttempts: 5, backoff, breaker: { failureThreshold: 5 } });
    local.ep.inject({ modelId: "*", fault: "throttle" });
    await failure(router.converse({ task: "summarization", messages: messages() }));
    expect(wire(local.ep).map(([id]) => id)).toEqual([HAIKU.invokeId, NOVA.invokeId, MICRO.invokeId, HAIKU.invokeId, NOVA.invokeId]);
    expect(clock.sleeps).toEqual([backoffDelay(0, backoff, () => 0.5)]);
  });

  it("a single-model route retries itself with growing backoff, bounded by maxAttempts", async () => {
    const backoff = { baseMs: 100, capMs: 1000 };
    const { router, clock } = make({ maxAttempts: 3, backoff, breaker: { failureThreshold: 10 } });
    local.ep.inject({ modelId: HAIKU.invokeId, fault: "throttle", times: 2 });
    const r = await router.converse({ task: "chat", messages: messages() });
    expect(r).toMatchObject({ servedBy: HAIKU, fellBack: false, attempts: 3 });
    expect(wire(local.ep).map(([, s]) => s)).toEqual([429, 429, 200]);
    expect(clock.sleeps).toEqual([0, 1].map((n) => backoffDelay(n, backoff, () => 0.5)));
  });

  it("never retries past the caller's deadline", async () => {
    const { router } = make({ maxAttempts: 5, backoff: { baseMs: 4000, capMs: 4000 } });
    local.ep.inject({ modelId: HAIKU.invokeId, fault: "throttle" });
    // Backoff would be 2000 ms (0.5 * 4000); a 1500 ms deadline refuses to wait for it.
    const e = await failure(router.converse({ task: "chat", messages: messages(), deadlineMs: 1500 }));
    expect(e.details.routerCause).toBe("deadline-exceeded");
    expect(e.classification.cause).toBe("throttled");
    expect(wire(local.ep)).toHaveLength(1);
  });
});

// Breaker tests use 503s: a throttle is also the quota's word that the model is empty, so after one the quota estimate
// routes around the model by itself (tested in quota-routing.test.ts) and the breaker would not see the next failures.
describe("per-model breaker and its probe schedule", () => {
  const breaker = { failureThreshold: 2, probeIntervalMs: 10_000 };

  it("opens after N capacity failures: no wire call reaches the primary while it is open", async () => {
    const { router } = make({ breaker });
    local.ep.inject({ modelId: HAIKU.invokeId, fault: "server-error", status: 503 });
    for (let i = 0; i < breaker.failureThreshold; i++) await router.converse({ task: "summarization", messages: messages() });
    expect(router.breakers().find((b) => b.invokeId === HAIKU.invokeId)).toMatchObject({ state: "open", consecutiveFailures: 2 });
    local.ep.clearCalls();
    for (let i = 0; i < 5; i++) {
      const r = await router.converse({ task: "summarization", messages: messages() });
      expect(r).toMatchObject({ servedBy: NOVA, fellBack: true, attempts: 1 });
    }
    expect(wire(local.ep)).toEqual(Array(5).fill([NOVA.invokeId, 200]));
  });

  it("closes after a successful half-open probe once the probe interval has passed", async () => {
    const { router, clock } = make({ breaker });
    local.ep.inject({ modelId: HAIKU.invokeId, fault: "server-error", status: 503, times: breaker.failureThreshold });
    for (let i = 0; i < breaker.failureThreshold; i++) await router.converse({ task: "summarization", messages: messages() });
    clock.advance(breaker.probeIntervalMs - 1);
    expect((await router.converse({ task: "summarization", messages: messages() })).servedBy).toEqual(NOVA);
    clock.advance(1);
    local.ep.clearCalls();
    const r = await router.converse({ task: "summarization", messages: messages() });
    expect(r).toMatchObject({ servedBy: HAIKU, fellBack: false, attempts: 1 });
    expect(wire(local.ep)).toEqual([[HAIKU.invokeId, 200]]);
    expect(router.breakers().find((b) => b.invokeId === HAIKU.invokeId)).toMatchObject({ state: "closed", consecutiveFailures: 0 });
  });

  it("a failed probe re-opens for the same interval, never longer; the request still falls back", async () => {
    const { router, clock } = make({ breaker });
    local.ep.inject({ modelId: HAIKU.invokeId, fault: "server-error", status: 503 });
    for (let i = 0; i < breaker.failureThreshold; i++) await router.converse({ task: "summarization", messages: messages() });
    clock.advance(breaker.probeIntervalMs);
    local.ep.clearCalls();
    const r = await router.converse({ task: "summarization", messages: messages() });
    expect(r.servedBy).toEqual(NOVA);
    expect(wire(local.ep)).toEqual([
      [HAIKU.invokeId, 503],
      [NOVA.invokeId, 200],
    ]);
    expect(router.breakers().find((b) => b.invokeId === HAIKU.invokeId)).toMatchObject({ state: "open", failedProbes: 1, openUntil: clock.now() + breaker.probeIntervalMs });
  });

  it("half-open admits one probe: concurrent requests go to the fallback meanwhile", async () => {
    const { router, clock } = make({ breaker });
    local.ep.inject({ modelId: HAIKU.invokeId, fault: "server-error", status: 503, times: breaker.failureThreshold });
    for (let i = 0; i < breaker.failureThreshold; i++) await router.converse({ task: "summarization", messages: messages() });
    clock.advance(breaker.probeIntervalMs);
    local.ep.inject({ modelId: HAIKU.invokeId, fault: "latency", latencyMs: 150, times: 1 });
    local.ep.clearCalls();
    const results = await Promise.all([0, 1, 2].map(() => router.converse({ task: "summarization", messages: messages() })));
    expect(results.map((r) => r.servedBy.modelId).sort()).toEqual([HAIKU.modelId, NOVA.modelId, NOVA.modelId].sort());
    expect(wire(local.ep).filter(([id]) => id === HAIKU.invokeId)).toHaveLength(1);
  });

  it("every candidate cooling: waits for the earliest to recover (within the deadline), then probes it", async () => {
    const b = { failureThreshold: 1, probeIntervalMs: 5000 };
    const { router, clock } = make({ breaker: b, maxAttempts: 1 });
    local.ep.inject({ modelId: HAIKU.invokeId, fault: "server-error", status: 503, times: 1 });
    local.ep.inject({ modelId: NOVA.invokeId, fault: "server-error", status: 503, times: 1 });
    await failure(router.converse({ task: "chat", messages: messages() })); // haiku open until t0 + 5000
    clock.advance(2000);
    await failure(router.converse({ task: "classification", messages: messages() })); // nova open until t0 + 7000
    local.ep.clearCalls();
    // "pair" is nova -> haiku: the earliest to recover is haiku, the fallback.
    const tooSoon = await failure(router.converse({ task: "pair", messages: messages(), deadlineMs: 2000 }));
    expect(tooSoon.details).toMatchObject({ routerCause: "all-candidates-cooling", retryAfterMs: 3000, attempts: 0 });
    expect(clock.sleeps).toEqual([]);
    const r = await router.converse({ task: "pair", messages: messages(), deadlineMs: 10_000 });
    expect(clock.sleeps).toEqual([3000]);
    expect(r).toMatchObject({ servedBy: HAIKU, fellBack: true, attempts: 1 });
    expect(wire(local.ep)).toEqual([[HAIKU.invokeId, 200]]);
  });

  it("a single-model route comes back: it waits for its own next probe and probes", async () => {
    const b = { failureThreshold: 1, probeIntervalMs: 5000 };
    const { router, clock } = make({ breaker: b, maxAttempts: 1 });
    local.ep.inject({ modelId: HAIKU.invokeId, fault: "server-error", status: 503, times: 1 });
    await failure(router.converse({ task: "chat", messages: messages() }));
    const r = await router.converse({ task: "chat", messages: messages() });
    expect(clock.sleeps).toEqual([5000]);
    expect(r.servedBy).toEqual(HAIKU);
  });
});

describe("streams", () => {
  it("a failure before the first content falls back", async () => {
    const { router } = make();
    local.ep.inject({ modelId: HAIKU.invokeId, fault: "throttle", times: 1 });
    const s = await router.converseStream({ task: "summarization", messages: messages() });
    expect(s).toMatchObject({ servedBy: NOVA, fellBack: true, attempts: 2 });
    const kinds: string[] = [];
    for await (const e of s) kinds.push(Object.keys(e)[0]);
    expect(kinds[0]).toBe("messageStart");
    expect(kinds).toContain("contentBlockDelta");
    expect(kinds.slice(-2)).toEqual(["messageStop", "metadata"]);
    const result = await s.result;
    expect(result).toMatchObject({ servedBy: NOVA, stopReason: "end_turn", fellBack: true });
    expect(result.output.message.content?.[0].text).toMatch(/^pong( pong)*$/);
    expect(wire(local.ep).map(([id]) => id)).toEqual([HAIKU.invokeId, NOVA.invokeId]);
  });

  it("an exception after the first content surfaces as an error: no clean truncated result, no fallback", async () => {
    const { router } = make();
    local.ep.inject({ modelId: HAIKU.invokeId, fault: "stream-exception", exceptionType: "throttlingException", times: 1 });
    const s = await router.converseStream({ task: "summarization", messages: messages() });
    expect(s.servedBy).toEqual(HAIKU);
    const seen: string[] = [];
    const e = await failure(
      (async () => {
        for await (const ev of s) seen.push(Object.keys(ev)[0]);
      })(),
    );
    expect(seen).toContain("contentBlockDelta");
    expect(seen).not.toContain("messageStop");
    expect(e.details.routerCause).toBe("stream-interrupted");
    expect(e.classification).toMatchObject({ category: "capacity", cause: "throttled" });
    await expect(s.result).rejects.toBe(e);
    expect(wire(local.ep).map(([id]) => id)).toEqual([HAIKU.invokeId]);
    // A stream counts as a success only when it completes; this one counted as a capacity failure.
    expect(router.breakers().find((b) => b.invokeId === HAIKU.invokeId)?.consecutiveFailures).toBe(1);
  });

  it("a model stream error mid-way is a model error, not a breaker failure", async () => {
    const { router } = make();
    local.ep.inject({ modelId: HAIKU.invokeId, fault: "stream-exception", times: 1 });
    const s = await router.converseStream({ task: "summarization", messages: messages() });
    const e = await failure(
      (async () => {
        for await (const _ of s) void _;
      })(),
    );
    expect(e.classification.category).toBe("model");
    expect(router.breakers().find((b) => b.invokeId === HAIKU.invokeId)?.consecutiveFailures).toBe(0);
  });

  it("a completed stream closes a half-open breaker; only completion counts", async () => {
    const b = { failureThreshold: 1, probeIntervalMs: 1000 };
    const { router, clock } = make({ breaker: b });
    local.ep.inject({ modelId: HAIKU.invokeId, fault: "server-error", status: 503, times: 1 });
    await router.converse({ task: "summarization", messages: messages() });
    clock.advance(1000);
    const s = await router.converseStream({ task: "summarization", messages: messages() });
    expect(s.servedBy).toEqual(HAIKU);
    expect(router.breakers().find((x) => x.invokeId === HAIKU.invokeId)).toMatchObject({ state: "half-open", probeInFlight: true });
    for await (const _ of s) void _;
    expect(router.breakers().find((x) => x.invokeId === HAIKU.invokeId)).toMatchObject({ state: "closed", probeInFlight: false });
  });

  it("a consumer that stops reading cancels the stream: metric outcome cancelled, probe slot freed, no breaker failure", async () => {
    const b = { failureThreshold: 1, probeIntervalMs: 1000 };
    const { router, clock, records } = make({ breaker: b });
    local.ep.inject({ modelId: HAIKU.invokeId, fault: "server-error", status: 503, times: 1 });
    await router.converse({ task: "summarization", messages: messages() });
    clock.advance(1000);
    const s = await router.converseStream({ task: "summarization", messages: messages() });
    for await (const ev of s) if (ev.contentBlockDelta) break;
    await expect(s.result).rejects.toThrow(/cancelled/);
    expect(router.breakers().find((x) => x.invokeId === HAIKU.invokeId)).toMatchObject({ state: "half-open", probeInFlight: false, consecutiveFailures: 1 });
    expect(records.at(-1)).toMatchObject({ Model: HAIKU.modelId, Outcome: "cancelled", Streaming: true });
  });

  it("a stream that ends before any content without messageStop is malformed, raised without fallback", async () => {
    const { router } = make();
    local.ep.inject({ modelId: HAIKU.invokeId, fault: "malformed", times: 1 });
    const e = await failure(router.converseStream({ task: "summarization", messages: messages() }));
    expect(e.classification.cause).toBe("malformed-response");
    expect(wire(local.ep)).toHaveLength(1);
  });
});

describe("EMF metrics", () => {
  it("one well-formed record per call, low-cardinality dimensions, never prompt or output text", async () => {
    const { router, records } = make({ namespace: "Test/Routing" });
    local.ep.inject({ modelId: HAIKU.invokeId, fault: "server-error", status: 503, times: 1 });
    await router.converse({ task: "summarization", messages: messages(), system: [{ text: "SYSTEM-SECRET-991" }] });
    const s = await router.converseStream({ task: "summarization", messages: messages() });
    for await (const _ of s) void _;
    await failure(router.converse({ task: "broken", messages: messages() }));
    expect(records).toHaveLength(3);
    for (const rec of records) {
      const json = JSON.parse(JSON.stringify(rec));
      const directive = json._aws.CloudWatchMetrics[0];
      expect(directive.Namespace).toBe("Test/Routing");
      expect(directive.Dimensions).toEqual([["Task", "Model", "Outcome", "FellBack"]]);
      for (const d of directive.Dimensions[0]) expect(typeof json[d]).toBe("string");
      for (const m of directive.Metrics) {
        expect(typeof json[m.Name]).toBe("number");
        expect(["Milliseconds", "Count"]).toContain(m.Unit);
      }
      expect(Number.isInteger(json._aws.Timestamp)).toBe(true);
      const text = JSON.stringify(rec);
      expect(text).not.toContain("ACME-SECRET-7731");
      expect(text).not.toContain("SYSTEM-SECRET-991");
      expect(text).not.toContain("pong");
    }
    const [first, stream, broken] = records;
    expect(first).toMatchObject({ Task: "summarization", Model: NOVA.modelId, Outcome: "success", FellBack: "true", Attempts: 2, InputTokens: expect.any(Number), OutputTokens: expect.any(Number) });
    // ReservedTokens = input estimate (chars / 4) + the route's maxTokens.
    const chars = messages()[0].content[0].text.length + "SYSTEM-SECRET-991".length;
    expect(first.ReservedTokens).toBe(Math.ceil(chars / 4) + 64);
    expect(stream).toMatchObject({ Model: HAIKU.modelId, Outcome: "success", FellBack: "false", TimeToFirstTokenMs: expect.any(Number) });
    expect(stream._aws.CloudWatchMetrics[0].Metrics.map((m) => m.Name)).toContain("TimeToFirstTokenMs");
    expect(broken).toMatchObject({ Task: "broken", Model: BARE.modelId, Outcome: "configuration", Cause: "bare-model-id", Attempts: 1 });
  });
});
