import type { BedrockRuntimeClient, ConverseRequest } from "@aws-sdk/client-bedrock-runtime";
import type { AppConfigDataClient } from "@aws-sdk/client-appconfigdata";
import { answeredOutcome, estimateInputTokens, isRefusal, type ConversationInput, reservedTokens } from "../core/runtime";
import type { AttemptAbort } from "./attempt-abort";
import { appConfigDataClient, bedrockRuntimeClient } from "./aws-clients";
import { callBudgetMs } from "./call-budget";
import { CallRecorder, failureOutcome, replyFacts, warnOncePerProcess } from "./call-record";
import { Telemetry, type CallTrace } from "./call-telemetry";
import { chooseVariant } from "./canary-split";
import { CircuitBreakers, type BreakerView } from "./circuit-breaker";
import { systemClock, type Clock } from "./clock";
import { attemptRequest, converseOnce, openConverseStream, type ConverseAttempt, type OpenedStream } from "./converse-attempt";
import { DocumentHolder } from "./document-holder";
import { defaultMetricsSink } from "./emf-sinks";
import { DEFAULT_NAMESPACE, type MetricsSink } from "./metrics";
import { QuotaEstimates, type QuotaView } from "./quota-estimate";
import { routerFleet, type Fleet } from "./fleet";
import type { QuotaStoreStatus } from "./store-health";
import { GUARDRAIL_INTERVENED } from "./response-check";
import { runAttempts, type AttemptCall, type CallContext, type RetryDeps, type Served } from "./retry-loop";
import type { RoutedResult } from "./routed-result";
import { RoutedStream } from "./routed-stream";
import { type Candidate, priceOf, quotasDrawnOn, type RoutePlan } from "./route-plan";
import { type CallOutcome, outcomeHandle, outcomeRecord, ReportedCalls } from "./outcome-report";
import { refusalFallbackOrder } from "./refusal-fallback";
import type { DocumentStatus, RouteRequest, Router } from "./router-api";
import { quotaStoreOptions, resolveSettings, type RouterOptions, type Settings } from "./router-options";
import { invalidRequest, notACandidate, routeRequestProblems, taskOf, toolChoiceProblems } from "./request-check";
import { RoutingError, routerClassification } from "./routing-error";
import { Sleepers } from "./sleepers";

// The router's own module: createRouter and the class behind it. Its parts live beside it, one concern a file:
// options and defaults (router-options.ts), the public types (router-api.ts, routed-result.ts), the routing document
// (document-holder.ts), the retry loop (retry-loop.ts), metric records (call-record.ts), streams (routed-stream.ts).
export { RoutingError } from "./routing-error";
export { ROUTER_DEFAULTS, type RouterOptions } from "./router-options";
export type { DocumentStatus, RouteRequest, Router } from "./router-api";
export type { RoutedResult } from "./routed-result";
export type { RoutedStream, StreamResult } from "./routed-stream";
export type { Candidate } from "./route-plan";
export type { Variant } from "./canary-split";
export type { QuotaView } from "./quota-estimate";
export { converseOnce, openConverseStream, OpenedStream, attemptRequest, type AttemptTarget, type AttemptOptions, type ConverseAttempt } from "./converse-attempt";
export { checkReply, checkConverseResponse, GUARDRAIL_INTERVENED, MalformedResponse, replyText, type CheckedReply } from "./response-check";
export { StreamAssembly, StreamEndedEarly, type StreamOutput } from "./stream-assembly";

class BedrockRouter implements Router {
  private readonly bedrock: BedrockRuntimeClient;
  private readonly dataClient?: AppConfigDataClient;
  private readonly clock: Clock;
  private readonly settings: Settings;
  private readonly document: DocumentHolder;
  private readonly recorder: CallRecorder;
  private readonly breakerBook: CircuitBreakers;
  private readonly quotaBook: QuotaEstimates;
  /** The quota store's side (quotaStore option): shared quota view, breaker openings, store health. */
  private readonly fleet?: Fleet;
  /** `quotaStore: "from-document"` waiting for the first document. */
  private fleetPending = false;
  private readonly retry: RetryDeps;
  private readonly telemetry?: Telemetry;
  private isClosed = false;
  /** The EMF sink the router chose itself (the CloudWatch agent's has a socket to close). */
  private ownSink?: MetricsSink & { close?: () => void };
  /** Calls sleeping in backoff or waiting for a cooldown, woken by close(). */
  private readonly sleepers: Sleepers;
  /** Attempts (and committed streams) in flight, aborted by close(). */
  private readonly inFlight = new Set<AttemptAbort>();
  /** Calls whose outcome the application reported (a second report of one is refused). */
  private readonly reported = new ReportedCalls();

  constructor(options: RouterOptions) {
    this.settings = resolveSettings(options);
    const clock = (this.clock = options.clock ?? systemClock);
    this.sleepers = new Sleepers(clock);
    // The default sink is the router's own (closed with it); a sink the application passes stays the application's.
    const sink = options.metrics === false ? undefined : (options.metrics ?? (this.ownSink = defaultMetricsSink()));
    const environment = () => this.document?.compiled?.document.environment;
    const store = quotaStoreOptions(options.quotaStore);
    // The document's store: where the held document says, signed with the Bedrock client's credentials (made below).
    const document = store?.fromDocument ? { location: () => this.document?.compiled?.document.quotaStore, credentials: () => this.bedrock.config.credentials() } : undefined;
    this.fleet = store && routerFleet({ ...options, quotaStore: store }, { clock, random: options.random ?? Math.random, environment, sink, namespace: options.namespace ?? DEFAULT_NAMESPACE, ...(document ? { document } : {}) });
    this.fleetPending = document !== undefined;
    this.breakerBook = new CircuitBreakers(options.breaker, this.fleet?.breakers);
    this.quotaBook = new QuotaEstimates(options.quota, this.fleet?.quotas);
    const aws = { region: options.region, endpointUrl: options.endpointUrl, credentials: options.credentials };
    this.bedrock = bedrockRuntimeClient(aws);
    if (options.appConfig) this.dataClient = appConfigDataClient(aws);
    this.document = new DocumentHolder(options, this.dataClient, clock, this.settings);
    this.recorder = new CallRecorder(sink, options.namespace ?? DEFAULT_NAMESPACE, clock, {
      ...(options.workload ? { workload: options.workload } : {}),
      priceOf: (modelId) => priceOf(this.document.compiled, modelId),
      warn: options.warn ?? warnOncePerProcess,
    });
    this.telemetry = Telemetry.create(options.telemetry, clock);
    this.retry = {
      clock,
      random: options.random ?? Math.random,
      settings: this.settings,
      region: options.region,
      breakers: this.breakerBook,
      quotas: this.quotaBook,
      recorder: this.recorder,
      inFlight: this.inFlight,
      sleep: (ms, stop) => this.sleepers.sleep(ms, stop),
      isClosed: () => this.isClosed,
    };
    if (!this.fleetPending) this.fleet?.start();
    else this.startDocumentStore();
  }

  /** Connects to the store the document names once a document is held (the first call or refresh() fetches it). */
  private startDocumentStore(): void {
    if (!this.fleetPending || !this.document.compiled) return;
    this.fleetPending = false;
    this.fleet?.start();
  }

  get documentStatus(): DocumentStatus {
    return this.document.status;
  }

  breakers(): BreakerView[] {
    const now = this.clock.now();
    const keys = new Set(this.breakerBook.keys());
    for (const plan of this.document.compiled?.plans.values() ?? []) for (const k of plan.invokeIds) keys.add(k);
    return [...keys].map((k) => this.breakerBook.view(k, now));
  }

  quotas(): QuotaView[] {
    const now = this.clock.now();
    const known = quotasDrawnOn(this.document.compiled);
    for (const k of this.quotaBook.keys()) if (!known.has(k)) known.set(k, undefined);
    return [...known].map(([k, quota]) => this.quotaBook.view(k, quota, now));
  }

  quotaStore(): QuotaStoreStatus | undefined {
    return this.fleet?.status();
  }

  get closed(): boolean {
    return this.isClosed;
  }

  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.sleepers.wakeAll();
    for (const a of [...this.inFlight]) a.abort("closed");
    this.bedrock.destroy();
    this.dataClient?.destroy();
    this.fleet?.close();
    this.ownSink?.close?.();
  }

  /** The error every call after close() gets; thrown before anything touches the network. */
  private closedError(task: string): RoutingError {
    return new RoutingError(
      `${task}: the router is closed; create a new one with createRouter()`,
      routerClassification("configuration", "router-closed", "close() is final: create a new router for further calls"),
      { task, attempts: 0, routerCause: "router-closed" },
    );
  }

  async refresh(): Promise<DocumentStatus> {
    if (this.isClosed) throw this.closedError("refresh");
    const status = await this.document.refresh();
    this.startDocumentStore();
    return status;
  }

  async requestFor(task: string, input: ConversationInput, modelId?: string): Promise<ConverseRequest> {
    if (this.isClosed) throw this.closedError(task);
    const problems = routeRequestProblems({ ...(typeof input === "object" && input !== null ? input : {}), task });
    if (problems.length) throw invalidRequest(taskOf({ task }), problems);
    const plan = await this.document.plan(task);
    const tools = toolChoiceProblems(task, plan.route, (input as { toolConfig?: unknown }).toolConfig);
    if (tools.length) throw invalidRequest(task, tools);
    // The canary is a candidate too (its order holds every enabled model of the route).
    const all = plan.canary?.order.candidates ?? plan.candidates;
    const candidate = modelId === undefined ? plan.candidates[0] : all.find((c) => c.modelId === modelId || c.invokeId === modelId);
    if (!candidate) throw notACandidate(task, modelId!, all);
    // The request the single attempt sends (converseOnce / openConverseStream build it the same way).
    return attemptRequest({ invokeId: candidate.invokeId, route: plan.route }, input);
  }

  async converse(req: RouteRequest): Promise<RoutedResult> {
    const trace = this.telemetry?.startCall(false);
    try {
      const ctx = await this.begin(req, false, trace);
      const attempt: AttemptCall<ConverseAttempt> = traced(trace, ctx, (candidate, abort) => converseOnce(this.bedrock, { invokeId: candidate.invokeId, route: ctx.plan.route }, req, { abortSignal: abort.signal }), (v: ConverseAttempt) => v.reply);
      const served = await runAttempts(this.retry, ctx, req, false, attempt);
      const fallback = ctx.plan.route.onRefusal === "fallback" ? refusalFallbackOrder(ctx, served.candidate) : undefined;
      let result = this.converseResult(ctx, req, served, fallback && isRefusal(served.value.reply.stopReason) ? { refusalFallback: "tried" } : {});
      if (fallback && result.refused) result = await this.afterRefusal(fallback, req, result, attempt);
      trace?.succeeded(result);
      return result;
    } catch (e) {
      trace?.failed((e as RoutingError).classification, (e as RoutingError).details?.attempts ?? 0);
      throw e;
    }
  }

  /**
   * A refusal on a route with `onRefusal: fallback`: the next candidates in the call's order get the request once (the
   * same retry loop: a capacity failure there moves on as usual). Their answer is the result, with `refusedBy` and
   * `fellBack`; should none answer, the refusal stands (the failure is recorded like any call's).
   */
  private async afterRefusal(ctx: CallContext, req: RouteRequest, refused: RoutedResult, attempt: AttemptCall<ConverseAttempt>): Promise<RoutedResult> {
    let served: Served<ConverseAttempt>;
    try {
      served = await runAttempts(this.retry, ctx, req, false, attempt);
    } catch {
      return refused;
    }
    const result = this.converseResult(ctx, req, served, { refusalFallback: "served", refusedBy: refused.servedBy });
    return { ...result, attempts: refused.attempts + result.attempts };
  }

  /** The result of an answered Converse call, recorded. */
  private converseResult(ctx: CallContext, req: RouteRequest, served: Served<ConverseAttempt>, refusal: { refusalFallback?: "tried" | "served"; refusedBy?: Candidate } = {}): RoutedResult {
    const out = served.value.response;
    served.hold.settle(out.usage, this.clock.now());
    const facts = replyFacts(ctx.plan.route, served.value.reply);
    const result: RoutedResult = {
      output: out,
      servedBy: served.candidate,
      variant: ctx.variant,
      fellBack: refusal.refusedBy !== undefined || served.candidate !== ctx.order.candidates[0],
      attempts: served.attempts,
      usage: out.usage,
      latencyMs: this.clock.now() - ctx.started,
      stopReason: out.stopReason as string,
      ...(facts.serviceTier ? { serviceTier: facts.serviceTier } : {}),
      guardrailIntervened: out.stopReason === GUARDRAIL_INTERVENED,
      refused: isRefusal(out.stopReason as string),
      ...(refusal.refusedBy ? { refusedBy: refusal.refusedBy } : {}),
      outcomeHandle: outcomeHandle(req.task, served.candidate.modelId, ctx.variant),
    };
    this.recorder.emit({
      ...facts,
      task: req.task,
      model: result.servedBy.modelId,
      variant: ctx.variant,
      outcome: answeredOutcome(out.stopReason),
      fellBack: result.fellBack,
      // After a refusal, the fallback's cause is the refusal.
      ...(refusal.refusedBy ? { fallbackCause: "refused" } : fallbackCauseOf(served, result.fellBack)),
      latencyMs: result.latencyMs,
      attempts: result.attempts,
      reservedTokens: ctx.reservedTokens,
      inputTokens: out.usage?.inputTokens,
      outputTokens: out.usage?.outputTokens,
      cacheReadInputTokens: out.usage?.cacheReadInputTokens,
      cacheWriteInputTokens: out.usage?.cacheWriteInputTokens,
      streaming: false,
      ...(refusal.refusalFallback ? { refusalFallback: refusal.refusalFallback } : {}),
      ...(refusal.refusedBy ? { refusedBy: refusal.refusedBy.modelId } : {}),
    });
    return result;
  }

  reportOutcome(result: { readonly outcomeHandle: string } | string, outcome: CallOutcome): void {
    if (this.isClosed) throw this.closedError("reportOutcome");
    const subject = this.reported.accept(result, outcome);
    this.recorder.emitWith((namespace, timestamp) => outcomeRecord(namespace, subject, outcome, timestamp));
  }

  async converseStream(req: RouteRequest): Promise<RoutedStream> {
    const trace = this.telemetry?.startCall(true);
    let ctx: CallContext;
    let served: Served<OpenedStream>;
    try {
      ctx = await this.begin(req, true, trace);
      // Everything up to the first content event may still fall back (openConverseStream reads that far).
      const attempt: AttemptCall<OpenedStream> = (candidate, abort) => openConverseStream(this.bedrock, { invokeId: candidate.invokeId, route: ctx.plan.route }, req, { abortSignal: abort.signal });
      served = await runAttempts(this.retry, ctx, req, true, traced(trace, ctx, attempt));
    } catch (e) {
      trace?.failed((e as RoutingError).classification, (e as RoutingError).details?.attempts ?? 0);
      throw e;
    }
    return this.routedStream(ctx, req, served, trace);
  }

  /** The stream handed to the caller; its end settles the breaker, the quota hold, the record and the trace. */
  private routedStream(ctx: CallContext, req: RouteRequest, served: Served<OpenedStream>, trace: CallTrace | undefined): RoutedStream {
    const firstContentAt = this.clock.now();
    const fellBack = served.candidate !== ctx.order.candidates[0];
    const timeToFirstTokenMs = firstContentAt - ctx.started;
    return new RoutedStream({
      opened: served.value,
      abort: served.abort,
      servedBy: served.candidate,
      variant: ctx.variant,
      fellBack,
      attempts: served.attempts,
      timeToFirstTokenMs,
      clock: this.clock,
      started: ctx.started,
      ...(ctx.plan.route.serviceTier ? { requestedTier: ctx.plan.route.serviceTier } : {}),
      outcomeHandle: outcomeHandle(req.task, served.candidate.modelId, ctx.variant),
      finish: (outcome, details) => {
        const key = served.candidate.invokeId;
        // Whatever the ending, the model worked on it: charged as its usage says (the whole reservation when none came).
        served.hold.settle(details.usage, this.clock.now());
        // The caller's deadline or close() say nothing about the model: no breaker verdict then.
        const neutral = details.deadline || served.abort.reason === "closed";
        // A refusal is a working model's answer: a success for the breaker.
        if (outcome === "success" || outcome === "refused") this.breakerBook.success(key, served.ticket);
        else if (details.classification?.retryable && !neutral) this.breakerBook.failure(key, this.clock.now(), served.ticket);
        else this.breakerBook.release(key, served.ticket);
        const facts = replyFacts(ctx.plan.route, details.reply);
        this.recorder.emit({
          ...facts,
          task: req.task,
          model: served.candidate.modelId,
          variant: ctx.variant,
          // The stream's own verdict says answered or not; the stop reason says how it was answered.
          outcome: outcome === "success" ? answeredOutcome(details.reply?.stopReason) : outcome,
          fellBack,
          ...fallbackCauseOf(served, fellBack),
          latencyMs: details.latencyMs,
          attempts: served.attempts,
          reservedTokens: ctx.reservedTokens,
          inputTokens: details.usage?.inputTokens,
          outputTokens: details.usage?.outputTokens,
          cacheReadInputTokens: details.usage?.cacheReadInputTokens,
          cacheWriteInputTokens: details.usage?.cacheWriteInputTokens,
          timeToFirstTokenMs,
          cause: details.classification?.cause,
          streaming: true,
        });
        if (!trace) return;
        if (outcome === "success" || outcome === "refused") trace.succeeded({ servedBy: served.candidate, fellBack, attempts: served.attempts, latencyMs: details.latencyMs, usage: details.usage, stopReason: details.reply?.stopReason, serviceTier: facts.serviceTier, guardrailIntervened: facts.guardrailIntervened, timeToFirstTokenMs });
        else trace.failed(details.classification ?? CANCELLED, served.attempts, served.candidate);
      },
      error: (classification, message, cause, routerCause) =>
        new RoutingError(message, classification, { task: req.task, attempts: served.attempts, modelId: served.candidate.modelId, invokeId: served.candidate.invokeId, routerCause, cause }),
    });
  }

  /** Resolves the call's route and variant; a failure here is recorded before it is thrown. */
  private async begin(req: RouteRequest, streaming: boolean, trace: CallTrace | undefined): Promise<CallContext> {
    if (this.isClosed) throw this.closedError(taskOf(req));
    const started = this.clock.now();
    const problems = routeRequestProblems(req);
    if (problems.length) {
      const known = this.document.compiled?.plans.has(taskOf(req));
      const e = invalidRequest(taskOf(req), problems);
      this.recorder.emit({ task: known ? req.task : "(unknown)", model: "none", outcome: "caller", fellBack: false, latencyMs: this.clock.now() - started, attempts: 0, reservedTokens: 0, cause: e.classification.cause, streaming });
      throw e;
    }
    let plan: RoutePlan;
    try {
      plan = await this.document.plan(req.task);
      const tools = toolChoiceProblems(req.task, plan.route, req.toolConfig);
      if (tools.length) throw invalidRequest(req.task, tools);
    } catch (e) {
      const known = this.document.compiled?.plans.has(req.task);
      const classification = (e as RoutingError).classification;
      this.recorder.emit({ task: known ? req.task : "(unknown)", model: "none", outcome: failureOutcome(classification), fellBack: false, latencyMs: this.clock.now() - started, attempts: 0, reservedTokens: 0, cause: classification?.cause, streaming });
      throw e;
    }
    this.startDocumentStore();
    const variant = plan.canary ? chooseVariant(req.task, plan.canary.percent, req.requestKey, this.retry.random) : "primary";
    const order = variant === "canary" ? plan.canary!.order : plan;
    const { route } = plan;
    const ctx: CallContext = {
      plan,
      order,
      variant,
      started,
      deadline: started + callBudgetMs(req.deadlineMs, route.deadlineMs, this.settings.deadlineMs),
      ...(route.maxQueueMs !== undefined ? { maxQueueMs: route.maxQueueMs } : {}),
      reservedTokens: reservedTokens(estimateInputTokens(req), route.maxTokens),
    };
    trace?.routed(ctx);
    return ctx;
  }
}

/** The record's FallbackCause: why the served candidate was not the first of the call's order. */
function fallbackCauseOf(served: Served<unknown>, fellBack: boolean): { fallbackCause?: string } {
  return fellBack ? { fallbackCause: served.lastFailureCause ?? "passed-over" } : {};
}

/** How a stream the caller stopped (or close() ended) shows in its trace. */
const CANCELLED = { category: "model", cause: "cancelled", retryable: false, errorName: "Cancelled", hint: "" } as const;

/** A wire attempt in its own span when the call is traced; the bare attempt otherwise. */
function traced<T>(trace: CallTrace | undefined, ctx: CallContext, attempt: AttemptCall<T>, answer?: (value: T) => { stopReason?: string; usage?: ConverseAttempt["reply"]["usage"] }): AttemptCall<T> {
  return trace ? (candidate, abort) => trace.attempt(ctx, candidate, abort, () => attempt(candidate, abort), answer) : attempt;
}

/** Creates a router. Nothing is fetched until the first call (or `refresh()`). */
export function createRouter(options: RouterOptions): Router {
  return new BedrockRouter(options);
}

export type { StreamResult as RoutedStreamResult } from "./routed-stream";
