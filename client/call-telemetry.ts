import type { TokenUsage } from "@aws-sdk/client-bedrock-runtime";
import type { Context, Histogram, Meter, MeterProvider, Span, Tracer, TracerProvider } from "@opentelemetry/api";
import { classifyError, type Classification } from "../core/runtime";
import type { AttemptAbort } from "./attempt-abort";
import type { Clock } from "./clock";
import { answerAttributes, errorType, GENAI, GENAI_CONVENTIONS, GENAI_METRICS, GENAI_VALUES, requestAttributes, ROUTING, type AttributeMap } from "./genai-conventions";
import { openTelemetryApi, type OpenTelemetryApiModule } from "./opentelemetry-api";
import type { Candidate } from "./route-plan";
import type { CallContext } from "./retry-loop";
import type { TelemetryOption } from "./router-options";

/**
 * OpenTelemetry for routed calls (docs/tracing.md). Per call, an INTERNAL span `route <task>` joins the caller's active
 * context; under it, one CLIENT span `chat <invoke ID>` per wire attempt carries the GenAI attributes of that call
 * (the conventions' inference span: the model asked, the model that answered, finish reason, tokens) and the SDK call
 * runs inside it, so HTTP spans of an instrumented SDK nest there. Tokens are on the attempt that spent them only, so a
 * backend summing gen_ai.usage.* over a trace counts them once. Per call, gen_ai.client.operation.duration (what the
 * application waited, retries and fallbacks included) and gen_ai.client.token.usage. Nothing is set from prompts or
 * answers. With no provider registered the spans do not record and the meter is a no-op: no further work per call.
 */

/** The package's instrumentation scope. */
const SCOPE = { name: "@bedrock-access-baseline/routing-client", version: "0.1.0" } as const;

/** How a routed call ended, as the router tells its trace. */
export interface CallEnd {
  readonly servedBy: Candidate;
  readonly fellBack: boolean;
  readonly attempts: number;
  readonly latencyMs: number;
  readonly usage?: TokenUsage;
  readonly stopReason?: string;
  readonly serviceTier?: string;
  readonly guardrailIntervened?: boolean;
  readonly timeToFirstTokenMs?: number;
}

/** The router's telemetry: undefined when turned off or when @opentelemetry/api is not installed. */
export class Telemetry {
  private seenMeterProvider?: MeterProvider;
  private instruments?: { duration: Histogram; tokens: Histogram };

  private constructor(
    private readonly api: OpenTelemetryApiModule,
    private readonly tracer: Tracer,
    private readonly meterProvider: () => MeterProvider,
    private readonly clock: Clock,
  ) {}

  static create(option: TelemetryOption | undefined, clock: Clock): Telemetry | undefined {
    if (option === false) return undefined;
    const api = openTelemetryApi();
    if (!api) return undefined;
    const tracerProvider = (option?.tracerProvider as TracerProvider | undefined) ?? api.trace.getTracerProvider();
    const tracer = tracerProvider.getTracer(SCOPE.name, SCOPE.version, { schemaUrl: GENAI_CONVENTIONS.schemaUrl });
    const meterProvider = option?.meterProvider as MeterProvider | undefined;
    return new Telemetry(api, tracer, () => meterProvider ?? api.metrics.getMeterProvider(), clock);
  }

  /** A routed call's trace; undefined when its span does not record and no meter collects (nothing to do). */
  startCall(streaming: boolean): CallTrace | undefined {
    const { api } = this;
    const parent = api.context.active();
    const span = this.tracer.startSpan("route", { kind: api.SpanKind.INTERNAL, attributes: { [GENAI.providerName]: GENAI_VALUES.awsBedrock } }, parent);
    const instruments = this.currentInstruments();
    if (!span.isRecording() && !instruments) return undefined;
    return new CallTrace(api, this.tracer, span.isRecording() ? span : undefined, api.trace.setSpan(parent, span), instruments, this.clock, streaming);
  }

  /** Instruments on the current meter provider (the application may register one after the router was made). */
  private currentInstruments(): { duration: Histogram; tokens: Histogram } | undefined {
    const provider = this.meterProvider();
    if (provider !== this.seenMeterProvider) {
      this.seenMeterProvider = provider;
      const meter = provider.getMeter(SCOPE.name, SCOPE.version, { schemaUrl: GENAI_CONVENTIONS.schemaUrl });
      this.instruments = isNoopMeter(this.api, meter) ? undefined : instrumentsOf(meter);
    }
    return this.instruments;
  }
}

function isNoopMeter(api: OpenTelemetryApiModule, meter: Meter): boolean {
  return meter instanceof (api.createNoopMeter().constructor as new () => Meter);
}

function instrumentsOf(meter: Meter): { duration: Histogram; tokens: Histogram } {
  const { operationDuration: d, tokenUsage: t } = GENAI_METRICS;
  return {
    duration: meter.createHistogram(d.name, { unit: d.unit, description: d.description, advice: { explicitBucketBoundaries: [...d.buckets] } }),
    tokens: meter.createHistogram(t.name, { unit: t.unit, description: t.description, advice: { explicitBucketBoundaries: [...t.buckets] } }),
  };
}

/** One routed call's span, its attempts' spans and its metrics. */
export class CallTrace {
  private task = "(unknown)";
  /** The route's first candidate, as sent (gen_ai.request.model of the call). */
  private requestModel?: string;
  private attemptNumber = 0;
  /** A stream's answering attempt: open until the stream ends. */
  private serving?: Span;
  private readonly started: number;

  constructor(
    private readonly api: OpenTelemetryApiModule,
    private readonly tracer: Tracer,
    private readonly span: Span | undefined,
    private readonly context: Context,
    private readonly instruments: { duration: Histogram; tokens: Histogram } | undefined,
    private readonly clock: Clock,
    private readonly streaming: boolean,
  ) {
    this.started = clock.now();
  }

  /** The call resolved its route: name the span and note what it asks for. */
  routed(ctx: CallContext): void {
    this.task = ctx.plan.task;
    const first = ctx.order.candidates[0];
    this.requestModel = first?.invokeId;
    if (!this.span) return;
    this.span.updateName(`route ${this.task}`);
    this.span.setAttributes({ [ROUTING.task]: this.task, [ROUTING.variant]: ctx.variant, ...(first ? { [GENAI.requestModel]: first.invokeId } : {}) });
  }

  /**
   * Runs one wire attempt inside its own span. `answer` reads a Converse answer's facts (a stream's come at its end,
   * through ended()); the attempt span of an answered stream stays open until then.
   */
  async attempt<T>(ctx: CallContext, candidate: Candidate, abort: AttemptAbort, run: () => Promise<T>, answer?: (value: T) => { stopReason?: string; usage?: TokenUsage }): Promise<T> {
    const number = ++this.attemptNumber;
    if (!this.span) return run();
    const { api } = this;
    const span = this.tracer.startSpan(
      `chat ${candidate.invokeId}`,
      { kind: api.SpanKind.CLIENT, attributes: { ...requestAttributes(candidate.invokeId, ctx.plan.route, this.streaming), [ROUTING.task]: this.task, [ROUTING.variant]: ctx.variant, [ROUTING.attempt]: number } },
      this.context,
    );
    let value: T;
    try {
      value = await api.context.with(api.trace.setSpan(this.context, span), run);
    } catch (error) {
      endFailed(api, span, attemptClassification(error, abort, candidate, this.streaming));
      throw error;
    }
    if (answer) {
      const facts = answer(value);
      span.setAttributes(answerAttributes(candidate.modelId, facts.stopReason, facts.usage));
      span.end();
    } else this.serving = span;
    return value;
  }

  /** The call answered (a Converse result, or a stream that completed). */
  succeeded(end: CallEnd): void {
    const answered = answerAttributes(end.servedBy.modelId, end.stopReason, end.usage);
    if (this.serving) {
      this.serving.setAttributes({ ...answered, ...(end.timeToFirstTokenMs === undefined ? {} : { [GENAI.responseTimeToFirstChunk]: end.timeToFirstTokenMs / 1000 }) });
      this.serving.end();
      this.serving = undefined;
    }
    if (this.span) {
      this.span.setAttributes({
        [GENAI.responseModel]: end.servedBy.modelId,
        ...(end.stopReason ? { [GENAI.responseFinishReasons]: [end.stopReason] } : {}),
        [ROUTING.servedBy]: end.servedBy.modelId,
        [ROUTING.fellBack]: end.fellBack,
        [ROUTING.attempts]: end.attempts,
        ...(end.serviceTier ? { [ROUTING.serviceTier]: end.serviceTier } : {}),
        ...(end.guardrailIntervened === undefined ? {} : { [ROUTING.guardrailIntervened]: end.guardrailIntervened }),
        ...(end.timeToFirstTokenMs === undefined ? {} : { [GENAI.responseTimeToFirstChunk]: end.timeToFirstTokenMs / 1000 }),
      });
      this.span.end();
    }
    this.record(end.latencyMs, { [GENAI.responseModel]: end.servedBy.modelId }, end.usage);
  }

  /** The call failed: error status and the classification's class on the call span (and a stream's open attempt). */
  failed(classification: Classification | undefined, attempts: number, servedBy?: Candidate): void {
    const c = classification ?? classifyError({});
    if (this.serving) {
      endFailed(this.api, this.serving, c);
      this.serving = undefined;
    }
    if (this.span) {
      this.span.setAttributes({ [ROUTING.attempts]: attempts, ...(servedBy ? { [GENAI.responseModel]: servedBy.modelId, [ROUTING.servedBy]: servedBy.modelId } : {}) });
      endFailed(this.api, this.span, c);
    }
    this.record(this.clock.now() - this.started, { [GENAI.errorType]: errorType(c), ...(servedBy ? { [GENAI.responseModel]: servedBy.modelId } : {}) }, undefined);
  }

  private record(latencyMs: number, extra: AttributeMap, usage: TokenUsage | undefined): void {
    if (!this.instruments) return;
    const attributes: AttributeMap = {
      [GENAI.operationName]: GENAI_VALUES.chat,
      [GENAI.providerName]: GENAI_VALUES.awsBedrock,
      ...(this.requestModel ? { [GENAI.requestModel]: this.requestModel } : {}),
      [ROUTING.task]: this.task,
      ...extra,
    };
    this.instruments.duration.record(Math.max(0, latencyMs) / 1000, attributes);
    if (typeof usage?.inputTokens === "number") this.instruments.tokens.record(usage.inputTokens, { ...attributes, [GENAI.tokenType]: GENAI_VALUES.input });
    if (typeof usage?.outputTokens === "number") this.instruments.tokens.record(usage.outputTokens, { ...attributes, [GENAI.tokenType]: GENAI_VALUES.output });
  }
}

/** What one failed attempt was: our own timeouts and close() named as such, else the error's classification. */
function attemptClassification(error: unknown, abort: AttemptAbort, candidate: Candidate, streaming: boolean): Classification {
  if (abort.reason === "closed") return { category: "configuration", cause: "router-closed", retryable: false, errorName: "RoutingError", hint: "" };
  if (abort.reason) return classifyError({ name: "TimeoutError" }, { invokeId: candidate.invokeId });
  return classifyError(error as Error, { invokeId: candidate.invokeId, ...(streaming ? { streamPhase: "before-content" as const } : {}) });
}

/** Error status with the class of the failure; the description names category and cause only (no message text). */
function endFailed(api: OpenTelemetryApiModule, span: Span, c: Classification): void {
  span.setAttributes({ [GENAI.errorType]: errorType(c), [ROUTING.errorCategory]: c.category, [ROUTING.errorCause]: c.cause });
  span.setStatus({ code: api.SpanStatusCode.ERROR, message: `${c.category}: ${c.cause}` });
  span.end();
}
