import { context, metrics, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { MeterProvider, MetricReader, type HistogramMetricData } from "@opentelemetry/sdk-metrics";
import { AlwaysOffSampler, BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import type { RouteRequest } from "../../client/router";
import { HAIKU, NOVA } from "../fixtures";
import { BARE, failure, messages, PROMPT, useLocalEndpoint, wire } from "./fixtures";

// OpenTelemetry GenAI traces and metrics over the wire (real SDK client, local endpoint), collected with the
// OpenTelemetry SDK's in-memory exporter and a pull reader: the span tree under the caller's active span, the GenAI and
// router attributes, error status, metrics, and nothing at all for a disabled tracer or `telemetry: false`.

const local = useLocalEndpoint();

/** A metric reader collected on demand. */
class PullReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

let exporter: InMemorySpanExporter;
let tracerProvider: BasicTracerProvider;
let reader: PullReader;
let contextManager: AsyncLocalStorageContextManager;

beforeAll(() => {
  contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
});
afterAll(() => {
  context.disable();
});
beforeEach(() => {
  exporter = new InMemorySpanExporter();
  tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  reader = new PullReader();
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
});
afterEach(async () => {
  trace.disable();
  metrics.disable();
  await tracerProvider.shutdown();
});

/** Runs `fn` inside an application span, as a request handler would; returns the app span's IDs. */
async function inAppSpan(fn: () => Promise<unknown>): Promise<{ traceId: string; spanId: string }> {
  const tracer = trace.getTracer("app");
  return tracer.startActiveSpan("GET /summaries", async (span) => {
    try {
      await fn().catch(() => undefined);
      return { traceId: span.spanContext().traceId, spanId: span.spanContext().spanId };
    } finally {
      span.end();
    }
  });
}

const routerSpans = () => exporter.getFinishedSpans().filter((s) => s.instrumentationScope.name === "@bedrock-access-baseline/routing-client");
const callSpans = () => routerSpans().filter((s) => s.kind === SpanKind.INTERNAL);
const attemptSpans = () => routerSpans().filter((s) => s.kind === SpanKind.CLIENT);
const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;

async function histograms(): Promise<Map<string, HistogramMetricData>> {
  const { resourceMetrics } = await reader.collect();
  const out = new Map<string, HistogramMetricData>();
  for (const scope of resourceMetrics.scopeMetrics) for (const m of scope.metrics) out.set(m.descriptor.name, m as HistogramMetricData);
  return out;
}

describe("spans", () => {
  it("a routed call that falls back: one call span under the caller's span, one attempt span per wire call, GenAI attributes", async () => {
    const { router } = local.make();
    local.ep.inject({ modelId: HAIKU.invokeId, fault: "throttle", times: 1 });
    const app = await inAppSpan(() => router.converse({ task: "summarization", messages: messages() }));
    const [call] = callSpans();
    expect(callSpans()).toHaveLength(1);
    expect(call.name).toBe("route summarization");
    expect(call.spanContext().traceId).toBe(app.traceId);
    expect(parentOf(call)).toBe(app.spanId);
    expect(call.status.code).toBe(SpanStatusCode.UNSET);
    expect(call.attributes).toMatchObject({
      "gen_ai.provider.name": "aws.bedrock",
      "gen_ai.request.model": HAIKU.invokeId,
      "gen_ai.response.model": NOVA.modelId,
      "gen_ai.response.finish_reasons": ["end_turn"],
      "bedrock_routing.task": "summarization",
      "bedrock_routing.variant": "primary",
      "bedrock_routing.fell_back": true,
      "bedrock_routing.attempts": 2,
      "bedrock_routing.served_by": NOVA.modelId,
    });
    // Tokens and the operation name live on the attempt that spent them: a backend summing them per trace counts once.
    expect(Object.keys(call.attributes).filter((k) => k.startsWith("gen_ai.usage.") || k === "gen_ai.operation.name")).toEqual([]);

    const attempts = attemptSpans().sort((a, b) => Number(a.attributes["bedrock_routing.attempt"]) - Number(b.attributes["bedrock_routing.attempt"]));
    expect(attempts.map((s) => [s.name, parentOf(s), s.status.code])).toEqual([
      [`chat ${HAIKU.invokeId}`, call.spanContext().spanId, SpanStatusCode.ERROR],
      [`chat ${NOVA.invokeId}`, call.spanContext().spanId, SpanStatusCode.UNSET],
    ]);
    expect(attempts[0].attributes).toMatchObject({ "gen_ai.operation.name": "chat", "gen_ai.request.model": HAIKU.invokeId, "error.type": "ThrottlingException", "bedrock_routing.error.category": "capacity", "bedrock_routing.error.cause": "throttled", "bedrock_routing.attempt": 1 });
    expect(attempts[0].status.message).toBe("capacity: throttled");
    expect(attempts[1].attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "aws.bedrock",
      "gen_ai.request.model": NOVA.invokeId,
      "gen_ai.request.max_tokens": 64,
      "gen_ai.request.temperature": 0.2,
      "gen_ai.response.model": NOVA.modelId,
      "gen_ai.response.finish_reasons": ["end_turn"],
      "gen_ai.usage.input_tokens": expect.any(Number),
      "gen_ai.usage.output_tokens": expect.any(Number),
      "bedrock_routing.task": "summarization",
      "bedrock_routing.attempt": 2,
    });
    expect(attempts[1].attributes).not.toHaveProperty("gen_ai.request.stream");
    expect(wire(local.ep)).toEqual([
      [HAIKU.invokeId, 429],
      [NOVA.invokeId, 200],
    ]);
  });

  it("never records prompt, system text or answer text, in any attribute, status or event", async () => {
    const { router } = local.make();
    const r = await router.converse({ task: "chat", system: [{ text: "SYSTEM-SECRET-4410" }], messages: messages() });
    const answer = r.output.output?.message?.content?.[0]?.text ?? "";
    expect(answer.length).toBeGreaterThan(0);
    const everything = JSON.stringify(routerSpans().map((s) => ({ n: s.name, a: s.attributes, st: s.status, e: s.events })));
    for (const secret of [PROMPT, "ACME-SECRET-7731", "SYSTEM-SECRET-4410", answer]) expect(everything).not.toContain(secret);
  });

  it("a call that fails: error status on the call span with the class of the failure, not its message", async () => {
    const { router } = local.make();
    const e = await failure(router.converse({ task: "broken", messages: messages() }));
    expect(e.classification.cause).toBe("bare-model-id");
    const [call] = callSpans();
    expect(call.status).toEqual({ code: SpanStatusCode.ERROR, message: "configuration: bare-model-id" });
    expect(call.attributes).toMatchObject({ "error.type": "ValidationException", "bedrock_routing.error.category": "configuration", "bedrock_routing.error.cause": "bare-model-id", "bedrock_routing.attempts": 1 });
    expect(attemptSpans().map((s) => [s.name, s.status.code, s.attributes["error.type"]])).toEqual([[`chat ${BARE.invokeId}`, SpanStatusCode.ERROR, "ValidationException"]]);
  });

  it("a caller mistake: an error call span (caller: invalid-request) and no attempt span", async () => {
    const { router } = local.make();
    await failure(router.converse({ task: "summarization", messages: [] } as RouteRequest));
    expect(callSpans().map((s) => [s.name, s.status.message, s.attributes["error.type"]])).toEqual([["route", "caller: invalid-request", "InvalidRequest"]]);
    expect(attemptSpans()).toEqual([]);
  });

  it("a stream: call and attempt spans end when the stream ends, with tokens, request.stream and time to first chunk", async () => {
    const { router } = local.make();
    const s = await router.converseStream({ task: "pair", messages: messages() });
    // Nothing ends before the caller has read the stream.
    expect(routerSpans()).toEqual([]);
    for await (const _ of s) {
      // read to the end
    }
    await s.result;
    const [call] = callSpans();
    const [attempt] = attemptSpans();
    expect(parentOf(attempt)).toBe(call.spanContext().spanId);
    expect(attempt.attributes).toMatchObject({ "gen_ai.request.stream": true, "gen_ai.response.model": NOVA.modelId, "gen_ai.usage.output_tokens": expect.any(Number), "gen_ai.response.time_to_first_chunk": expect.any(Number) });
    expect(call.attributes).toMatchObject({ "gen_ai.response.time_to_first_chunk": expect.any(Number), "bedrock_routing.served_by": NOVA.modelId });
    expect([call.status.code, attempt.status.code]).toEqual([SpanStatusCode.UNSET, SpanStatusCode.UNSET]);
  });

  it("a stream broken after its first content: error status on the call and its open attempt", async () => {
    const { router } = local.make();
    local.ep.inject({ modelId: NOVA.invokeId, fault: "stream-exception" });
    const s = await router.converseStream({ task: "pair", messages: messages() });
    await expect(
      (async () => {
        for await (const _ of s) {
          // read until it breaks
        }
      })(),
    ).rejects.toThrow();
    expect(callSpans().map((c) => c.status.code)).toEqual([SpanStatusCode.ERROR]);
    expect(attemptSpans().map((a) => [a.status.code, a.attributes["bedrock_routing.error.cause"]])).toEqual([[SpanStatusCode.ERROR, "model-error"]]);
  });
});

describe("metrics", () => {
  it("gen_ai.client.operation.duration per routed call (error.type on failures) and gen_ai.client.token.usage by token type", async () => {
    const { router } = local.make();
    const ok = await router.converse({ task: "pair", messages: messages() });
    await failure(router.converse({ task: "broken", messages: messages() }));
    const h = await histograms();
    const duration = h.get("gen_ai.client.operation.duration")!;
    expect(duration.descriptor.unit).toBe("s");
    const byError = Object.fromEntries(duration.dataPoints.map((p) => [String(p.attributes["error.type"] ?? "none"), p]));
    expect(byError.none.attributes).toEqual({ "gen_ai.operation.name": "chat", "gen_ai.provider.name": "aws.bedrock", "gen_ai.request.model": NOVA.invokeId, "gen_ai.response.model": NOVA.modelId, "bedrock_routing.task": "pair" });
    expect(byError.none.value.count).toBe(1);
    expect(byError.ValidationException.attributes).toMatchObject({ "bedrock_routing.task": "broken", "gen_ai.request.model": BARE.invokeId });
    // The conventions' bucket boundaries.
    expect(byError.none.value.buckets.boundaries.slice(0, 3)).toEqual([0.01, 0.02, 0.04]);
    const tokens = h.get("gen_ai.client.token.usage")!;
    expect(tokens.descriptor.unit).toBe("{token}");
    const byType = Object.fromEntries(tokens.dataPoints.map((p) => [String(p.attributes["gen_ai.token.type"]), p.value.sum]));
    expect(byType).toEqual({ input: ok.usage?.inputTokens, output: ok.usage?.outputTokens });
  });
});

describe("off means nothing", () => {
  it("a tracer that samples nothing records no span, and calls work as before", async () => {
    trace.disable();
    const sampledOut = new BasicTracerProvider({ sampler: new AlwaysOffSampler(), spanProcessors: [new SimpleSpanProcessor(exporter)] });
    trace.setGlobalTracerProvider(sampledOut);
    metrics.disable();
    const { router } = local.make();
    local.ep.inject({ modelId: HAIKU.invokeId, fault: "throttle", times: 1 });
    expect((await router.converse({ task: "summarization", messages: messages() })).servedBy).toEqual(NOVA);
    await inAppSpan(() => router.converse({ task: "chat", messages: messages() }));
    expect(exporter.getFinishedSpans()).toEqual([]);
    await sampledOut.shutdown();
  });

  it("telemetry: false records nothing even with providers registered", async () => {
    const { router } = local.make({ telemetry: false });
    await router.converse({ task: "chat", messages: messages() });
    await failure(router.converse({ task: "broken", messages: messages() }));
    expect(routerSpans()).toEqual([]);
    expect((await histograms()).size).toBe(0);
  });

  it("no provider registered: no span, no metric, and the router still routes", async () => {
    trace.disable();
    metrics.disable();
    const { router } = local.make();
    expect((await router.converse({ task: "chat", messages: messages() })).servedBy).toEqual(HAIKU);
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it("providers given to createRouter are used instead of the global ones", async () => {
    trace.disable();
    const own = new InMemorySpanExporter();
    const ownProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(own)] });
    const { router } = local.make({ telemetry: { tracerProvider: ownProvider } });
    await router.converse({ task: "chat", messages: messages() });
    expect(own.getFinishedSpans().map((s) => s.name)).toEqual([`chat ${HAIKU.invokeId}`, "route chat"]);
    expect(exporter.getFinishedSpans()).toEqual([]);
    await ownProvider.shutdown();
  });
});
