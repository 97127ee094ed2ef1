import { BedrockRuntimeClient, type ConverseRequest, type ConverseResponse, type TokenUsage } from "@aws-sdk/client-bedrock-runtime";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { estimateInputTokens, type ConversationInput, classifyError, type Classification, reservedTokens, type RouteEntry, type RoutingDocument } from "../core/runtime";
import { plural } from "../core/problems";
import type { AppConfigDataClient } from "@aws-sdk/client-appconfigdata";
import { appConfigDataClient, bedrockRuntimeClient } from "./aws-clients";
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from "./backoff";
import { chooseCandidate } from "./candidate-choice";
import { CircuitBreakers, type BreakerOptions, type BreakerTicket, type BreakerView } from "./circuit-breaker";
import { attemptRequest, converseOnce, openConverseStream } from "./converse-attempt";
import { GUARDRAIL_INTERVENED } from "./response-check";
import { systemClock, type Clock } from "./clock";
import { DEFAULT_NAMESPACE, emfRecord, stdoutSink, type CallMetrics, type MetricsSink, type Outcome } from "./metrics";
import { type AbortReason, RoutedStream, type StreamResult } from "./routed-stream";
import { QuotaEstimates, type QuotaEstimateOptions, type QuotaHold, type QuotaView } from "./quota-estimate";
import { routerFleet, type Fleet } from "./fleet";
import type { QuotaStoreOptions } from "./quota-store";
import type { QuotaStoreStatus } from "./store-health";
import { compileDocument, type Candidate, type CandidateOrder, type CompiledDocument, type RoutePlan } from "./route-plan";
import { chooseVariant, type Variant } from "./canary-split";
import { RoutingError, routerClassification, type RouterCause } from "./routing-error";
import { RoutingSource, type PollResult, type RoutingProfileRef } from "./routing-source";

export { RoutingError } from "./routing-error";
export type { RoutedStream, StreamResult } from "./routed-stream";
export type { Candidate } from "./route-plan";
export type { Variant } from "./canary-split";
export type { QuotaView } from "./quota-estimate";
export { converseOnce, openConverseStream, OpenedStream, attemptRequest, type AttemptTarget, type AttemptOptions, type ConverseAttempt } from "./converse-attempt";
export { checkReply, checkConverseResponse, GUARDRAIL_INTERVENED, MalformedResponse, replyText, type CheckedReply } from "./response-check";
export { StreamAssembly, StreamEndedEarly, type StreamOutput } from "./stream-assembly";

/** Defaults, in one place (README "Routing client"). */
export const ROUTER_DEFAULTS = {
  /** Wire calls per request across retries and fallbacks. */
  maxAttempts: 3,
  /** Whole-call budget when the caller gives no deadlineMs (streams: until the last event). */
  deadlineMs: 120_000,
  /** One wire call (a stream: until its first content event); fall back after it. */
  attemptTimeoutMs: 60_000,
  /** AppConfigData poll budget while a document is held; a slow poll must not hold up traffic for long. */
  pollTimeoutMs: 2_000,
  /** Budget of the first fetch (no document yet; credentials and connection set-up included). */
  initialPollTimeoutMs: 10_000,
  /** Requested minimum poll interval (AppConfig: 15-86400 s). */
  pollIntervalSeconds: 45,
  /** Without any document yet, a failed first fetch is retried on a call after this long. */
  bootstrapRetryMs: 1_000,
  backoff: DEFAULT_BACKOFF,
} as const;

export interface RouterOptions {
  readonly region: string;
  /** Where the routing document lives (names or IDs). Exactly one of appConfig / document. */
  readonly appConfig?: RoutingProfileRef & { readonly pollIntervalSeconds?: number };
  /** A fixed document (tests, or callers that load it themselves); validated by the caller. */
  readonly document?: RoutingDocument;
  /** Explicit opt-in to the local stand-in; default: real AWS. */
  readonly endpointUrl?: string;
  /** Default: the SDK default credential chain. */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** EMF record sink; `false` turns metrics off. Default: one JSON line per call on stdout. */
  readonly metrics?: MetricsSink | false;
  /** CloudWatch namespace. Default: BedrockRouting. */
  readonly namespace?: string;
  readonly clock?: Clock;
  /** Uniform [0,1) source for backoff jitter and the canary draw of calls without a requestKey. Default: Math.random. */
  readonly random?: () => number;
  readonly maxAttempts?: number;
  readonly deadlineMs?: number;
  readonly attemptTimeoutMs?: number;
  readonly pollTimeoutMs?: number;
  readonly bootstrapRetryMs?: number;
  readonly backoff?: Partial<BackoffOptions>;
  /** Failure threshold (3) and the fixed probe interval of an open breaker (5 000 ms). */
  readonly breaker?: Partial<BreakerOptions>;
  /**
   * The quota estimate: `minuteMs`, the quota period (default 60 000; shorten it only against a time-compressed
   * stand-in, with every other duration), and `learnedLapseMinutes` (5), how long a quota learned from throttles holds.
   */
  readonly quota?: Partial<QuotaEstimateOptions>;
  /**
   * Share quota, throttles and breaker openings with the rest of the fleet through a Valkey/Redis server:
   * `{ url: "redis://host:6379" }` (`rediss://` for TLS) or `{ client }` (node-redis or ioredis). Advisory: no call
   * waits for it, and while it is unreachable the router uses its own estimate (docs/fleet-quota.md). Default: none.
   */
  readonly quotaStore?: QuotaStoreOptions;
}

/** What a caller sends: a task and the conversation, never a model. */
export interface RouteRequest extends ConversationInput {
  readonly task: string;
  /** Budget for the whole call, ms. Default: the router's deadlineMs (120 s). */
  readonly deadlineMs?: number;
  /**
   * Keeps a route's canary split sticky: calls with the same key on the same task always take the same variant (e.g.
   * a conversation or user ID; never logged or recorded). Default: none, each call is drawn at random.
   */
  readonly requestKey?: string;
}

export interface RoutedResult<O = ConverseResponse> {
  /** The SDK response (ConverseResponse); for streams the assembled message, stop reason, usage and metrics. */
  readonly output: O;
  readonly servedBy: Candidate;
  /**
   * `canary` when the call was in the route's canary share (tried the canary first), else `primary`, whoever served
   * it in the end.
   */
  readonly variant: Variant;
  /** Served by a model other than the first enabled one of its variant's order (capacity failure or open breaker). */
  readonly fellBack: boolean;
  /** Wire calls made, failed ones included. */
  readonly attempts: number;
  readonly usage?: TokenUsage;
  readonly latencyMs: number;
  readonly stopReason: string;
  /** The service tier that served it: the response's echo, else the route's request; absent when neither names one. */
  readonly serviceTier?: string;
  /**
   * A guardrail blocked the prompt or the answer (stopReason guardrail_intervened): the output is the guardrail's
   * blocked message. A result, not an error: nothing is retried or fallen back from.
   */
  readonly guardrailIntervened: boolean;
}

export interface DocumentStatus {
  readonly source: "appconfig" | "static";
  /** A valid document is held (routing possible). */
  readonly loaded: boolean;
  readonly versionLabel?: string;
  /** When the held document was accepted (epoch ms). */
  readonly updatedAt?: number;
  /** Outcome of the latest poll; `invalid`/`failed` mean the previous good document is still in use. */
  readonly lastPoll?: { readonly at: number; readonly result: PollResult["kind"]; readonly detail?: string };
  /** Versions refused (schema or wrong region) since start. */
  readonly rejected: number;
}

export interface Router {
  converse(request: RouteRequest): Promise<RoutedResult>;
  /** Resolves once the serving model sent its first content event; iterate it for events, await `.result` for the end. */
  converseStream(request: RouteRequest): Promise<RoutedStream>;
  /** The exact request the router would send to `modelId`, the route's canary included (default: the route's first enabled model). */
  requestFor(task: string, input: ConversationInput, modelId?: string): Promise<ConverseRequest>;
  /** Polls AppConfig if the poll interval has elapsed (never more often) and returns the status. */
  refresh(): Promise<DocumentStatus>;
  readonly documentStatus: DocumentStatus;
  breakers(): BreakerView[];
  /** Per invoke ID of the document: the quota estimate (source document|learned|unknown, tokens free, held). */
  quotas(): QuotaView[];
  /** The quota store's state (shared, degraded, ...); undefined without `quotaStore`. */
  quotaStore(): QuotaStoreStatus | undefined;
  /**
   * Final: cancels calls and streams in flight, closes the connections; every later call (and refresh) rejects with
   * a RoutingError `router-closed` without opening a connection.
   */
  close(): void;
  /** True once close() was called. */
  readonly closed: boolean;
}

interface Settings {
  readonly maxAttempts: number;
  readonly deadlineMs: number;
  readonly attemptTimeoutMs: number;
  readonly pollTimeoutMs: number;
  readonly bootstrapRetryMs: number;
  readonly backoff: BackoffOptions;
}

/** An in-flight wire attempt's cancellation: per-attempt timeout and whole-call deadline on real timers. */
export class AttemptAbort {
  readonly controller = new AbortController();
  reason?: AbortReason;
  private attemptTimer?: NodeJS.Timeout;
  private deadlineTimer?: NodeJS.Timeout;

  constructor(
    attemptMs: number,
    deadlineMs: number,
    /** Called once when the attempt is over (cleared or aborted). */
    private readonly onDone: () => void = () => undefined,
  ) {
    // Unref'd: an in-flight request keeps the process alive through its socket, a forgotten stream must not.
    if (attemptMs < deadlineMs) this.attemptTimer = setTimeout(() => this.abort("attempt-timeout"), Math.max(0, attemptMs)).unref();
    this.deadlineTimer = setTimeout(() => this.abort("deadline"), Math.max(0, deadlineMs)).unref();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  abort(reason: AbortReason): void {
    if (this.controller.signal.aborted) return;
    this.reason = reason;
    this.clear();
    this.controller.abort();
  }

  /** First content arrived: only the deadline bounds the rest of the stream. */
  clearAttemptTimer(): void {
    if (this.attemptTimer) clearTimeout(this.attemptTimer);
    this.attemptTimer = undefined;
  }

  clear(): void {
    this.clearAttemptTimer();
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    this.deadlineTimer = undefined;
    this.onDone();
  }
}

/** Shared between the router and its streams: one call's bookkeeping. */
export interface CallContext {
  readonly plan: RoutePlan;
  /** The candidates this call tries: the plan's own order, or the canary's. */
  readonly order: CandidateOrder;
  readonly variant: Variant;
  readonly started: number;
  readonly deadline: number;
  readonly reservedTokens: number;
}

class BedrockRouter implements Router {
  private readonly bedrock: BedrockRuntimeClient;
  private readonly source?: RoutingSource;
  private readonly dataClient?: AppConfigDataClient;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly sink?: MetricsSink;
  private readonly namespace: string;
  private readonly settings: Settings;
  private readonly breakerBook: CircuitBreakers;
  private readonly quotaBook: QuotaEstimates;
  private readonly fleet?: Fleet;
  private compiled?: CompiledDocument;
  private polling?: Promise<void>;
  private nextBootstrapAt = 0;
  private status: DocumentStatus;
  private isClosed = false;
  /** Aborted by close(): wakes calls sleeping in backoff or waiting for a cooldown. */
  private readonly closing = new AbortController();
  /** Attempts (and committed streams) in flight, aborted by close(). */
  private readonly inFlight = new Set<AttemptAbort>();

  constructor(private readonly options: RouterOptions) {
    if (!options.region) throw new Error("createRouter: region is required");
    if ((options.appConfig === undefined) === (options.document === undefined)) throw new Error("createRouter: give exactly one of appConfig or document");
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.sink = options.metrics === false ? undefined : (options.metrics ?? stdoutSink);
    this.namespace = options.namespace ?? DEFAULT_NAMESPACE;
    this.settings = {
      maxAttempts: options.maxAttempts ?? ROUTER_DEFAULTS.maxAttempts,
      deadlineMs: options.deadlineMs ?? ROUTER_DEFAULTS.deadlineMs,
      attemptTimeoutMs: options.attemptTimeoutMs ?? ROUTER_DEFAULTS.attemptTimeoutMs,
      pollTimeoutMs: options.pollTimeoutMs ?? ROUTER_DEFAULTS.pollTimeoutMs,
      bootstrapRetryMs: options.bootstrapRetryMs ?? ROUTER_DEFAULTS.bootstrapRetryMs,
      backoff: { ...ROUTER_DEFAULTS.backoff, ...options.backoff },
    };
    if (!Number.isInteger(this.settings.maxAttempts) || this.settings.maxAttempts < 1) throw new Error(`createRouter: maxAttempts must be a positive integer, got ${this.settings.maxAttempts}`);
    const environment = () => this.compiled?.document.environment;
    this.fleet = options.quotaStore && routerFleet({ ...options, quotaStore: options.quotaStore }, { clock: this.clock, random: this.random, environment, sink: this.sink, namespace: this.namespace });
    this.breakerBook = new CircuitBreakers(options.breaker, this.fleet?.breakers);
    this.quotaBook = new QuotaEstimates(options.quota, this.fleet?.quotas);
    const aws = { region: options.region, endpointUrl: options.endpointUrl, credentials: options.credentials };
    this.bedrock = bedrockRuntimeClient(aws);
    if (options.appConfig) {
      const { pollIntervalSeconds, ...ref } = options.appConfig;
      this.dataClient = appConfigDataClient(aws);
      this.source = new RoutingSource(this.dataClient, ref, pollIntervalSeconds ?? ROUTER_DEFAULTS.pollIntervalSeconds, () => this.clock.now(), (doc) =>
        doc.region === options.region ? undefined : `document is for region ${doc.region}, this router serves ${options.region}`,
      );
      this.status = { source: "appconfig", loaded: false, rejected: 0 };
    } else {
      this.compiled = compileDocument(options.document!);
      this.status = { source: "static", loaded: true, updatedAt: this.clock.now(), rejected: 0 };
    }
    this.fleet?.start();
  }

  get documentStatus(): DocumentStatus {
    return this.status;
  }

  breakers(): BreakerView[] {
    const now = this.clock.now();
    const keys = new Set(this.breakerBook.keys());
    for (const plan of this.compiled?.plans.values() ?? []) for (const k of plan.invokeIds) keys.add(k);
    return [...keys].map((k) => this.breakerBook.view(k, now));
  }

  quotas(): QuotaView[] {
    const now = this.clock.now();
    const known = new Map<string, RoutePlan["targets"][number]["quota"]>();
    for (const m of Object.values(this.compiled?.document.models ?? {})) known.set(m.invokeId, m.quota);
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
    this.closing.abort();
    for (const a of [...this.inFlight]) a.abort("closed");
    this.bedrock.destroy();
    this.dataClient?.destroy();
    this.fleet?.close();
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
    if (this.pollDue()) await this.poll();
    return this.status;
  }

  // ---- routing document ----------------------------------------------------------------------------------------

  private pollDue(): boolean {
    if (!this.source) return false;
    return this.compiled ? this.source.due : this.clock.now() >= this.nextBootstrapAt;
  }

  private poll(): Promise<void> {
    if (!this.polling) {
      this.polling = this.pollOnce().finally(() => (this.polling = undefined));
    }
    return this.polling;
  }

  private async pollOnce(): Promise<void> {
    const source = this.source!;
    // The first fetch may also resolve credentials and open the connection: give it more room.
    const signal = AbortSignal.timeout(this.compiled ? this.settings.pollTimeoutMs : Math.max(this.settings.pollTimeoutMs, ROUTER_DEFAULTS.initialPollTimeoutMs));
    const r = await source.poll(signal);
    const at = this.clock.now();
    const s = this.status;
    switch (r.kind) {
      case "updated":
        this.compiled = compileDocument(r.document);
        this.status = { ...s, loaded: true, versionLabel: r.versionLabel, updatedAt: at, lastPoll: { at, result: r.kind } };
        break;
      case "unchanged":
        this.status = { ...s, lastPoll: { at, result: r.kind } };
        break;
      case "invalid":
        this.status = { ...s, rejected: s.rejected + 1, lastPoll: { at, result: r.kind, detail: r.reason } };
        break;
      case "failed":
        this.status = { ...s, lastPoll: { at, result: r.kind, detail: `${r.error.name}: ${r.error.message}` } };
        break;
    }
    if (!this.compiled) this.nextBootstrapAt = at + this.settings.bootstrapRetryMs;
  }

  /** The route for `task`; polls first when the interval has elapsed. Throws RoutingError for unknown tasks. */
  private async plan(task: string): Promise<RoutePlan> {
    if (this.pollDue()) await this.poll();
    const compiled = this.compiled;
    if (!compiled) {
      const last = this.status.lastPoll;
      throw new RoutingError(
        `no routing document yet${last ? ` (last fetch: ${last.result}${last.detail ? `: ${last.detail}` : ""})` : ""}`,
        routerClassification("configuration", "no-routing-document", "deploy the routing document (cdktf deploy) and check the AppConfig application/environment/profile names and the appconfig:StartConfigurationSession / GetLatestConfiguration permissions"),
        { task, attempts: 0, routerCause: "no-routing-document" },
      );
    }
    const plan = compiled.plans.get(task);
    if (!plan) {
      const known = [...compiled.plans.keys()].join(", ") || "(none)";
      throw new RoutingError(`unknown task "${task}"; routes: ${known}`, routerClassification("configuration", "unknown-task", `use one of the routed tasks (${known}) or add a route in config/<env>.json`), {
        task,
        attempts: 0,
        routerCause: "unknown-task",
      });
    }
    if (plan.candidates.length === 0) {
      throw new RoutingError(`every model of route "${task}" is disabled`, routerClassification("configuration", "no-enabled-model", `enable one of ${[plan.route.primary, ...plan.route.fallbacks].join(", ")} with npm run toggle -- --enable <model>`), {
        task,
        attempts: 0,
        routerCause: "no-enabled-model",
      });
    }
    return plan;
  }

  async requestFor(task: string, input: ConversationInput, modelId?: string): Promise<ConverseRequest> {
    if (this.isClosed) throw this.closedError(task);
    const plan = await this.plan(task);
    // The canary is a candidate too (its order holds every enabled model of the route).
    const all = plan.canary?.order.candidates ?? plan.candidates;
    const candidate = modelId === undefined ? plan.candidates[0] : all.find((c) => c.modelId === modelId || c.invokeId === modelId);
    if (!candidate) throw new Error(`${modelId} is not an enabled candidate of route "${task}"`);
    // The request the single attempt sends (converseOnce / openConverseStream build it the same way).
    return attemptRequest({ invokeId: candidate.invokeId, route: plan.route }, input);
  }

  // ---- calls ---------------------------------------------------------------------------------------------------

  async converse(req: RouteRequest): Promise<RoutedResult> {
    const ctx = await this.begin(req, false);
    const served = await this.attempt(ctx, req, false, (candidate, abort) => converseOnce(this.bedrock, { invokeId: candidate.invokeId, route: ctx.plan.route }, req, { abortSignal: abort.signal }));
    const out = served.value.response;
    served.hold.settle(out.usage, this.clock.now());
    const facts = replyFacts(ctx.plan.route, served.value.reply);
    const result: RoutedResult = {
      output: out,
      servedBy: served.candidate,
      variant: ctx.variant,
      fellBack: served.candidate !== ctx.order.candidates[0],
      attempts: served.attempts,
      usage: out.usage,
      latencyMs: this.clock.now() - ctx.started,
      stopReason: out.stopReason as string,
      ...(facts.serviceTier ? { serviceTier: facts.serviceTier } : {}),
      guardrailIntervened: out.stopReason === GUARDRAIL_INTERVENED,
    };
    this.emit({
      ...facts,
      task: req.task,
      model: result.servedBy.modelId,
      variant: ctx.variant,
      outcome: "success",
      fellBack: result.fellBack,
      latencyMs: result.latencyMs,
      attempts: result.attempts,
      reservedTokens: ctx.reservedTokens,
      inputTokens: out.usage?.inputTokens,
      outputTokens: out.usage?.outputTokens,
      streaming: false,
    });
    return result;
  }

  async converseStream(req: RouteRequest): Promise<RoutedStream> {
    const ctx = await this.begin(req, true);
    // Everything up to the first content event may still fall back (openConverseStream reads that far).
    const served = await this.attempt(ctx, req, true, (candidate, abort) => openConverseStream(this.bedrock, { invokeId: candidate.invokeId, route: ctx.plan.route }, req, { abortSignal: abort.signal }));
    const firstContentAt = this.clock.now();
    return new RoutedStream({
      opened: served.value,
      abort: served.abort,
      servedBy: served.candidate,
      variant: ctx.variant,
      fellBack: served.candidate !== ctx.order.candidates[0],
      attempts: served.attempts,
      timeToFirstTokenMs: firstContentAt - ctx.started,
      clock: this.clock,
      started: ctx.started,
      ...(ctx.plan.route.serviceTier ? { requestedTier: ctx.plan.route.serviceTier } : {}),
      finish: (outcome, details) => {
        const key = served.candidate.invokeId;
        // Whatever the ending, the model worked on it: charged as its usage says (the whole reservation when none came).
        served.hold.settle(details.usage, this.clock.now());
        // The caller's deadline or close() say nothing about the model: no breaker verdict then.
        const neutral = details.deadline || served.abort.reason === "closed";
        if (outcome === "success") this.breakerBook.success(key, served.ticket);
        else if (details.classification?.retryable && !neutral) this.breakerBook.failure(key, this.clock.now(), served.ticket);
        else this.breakerBook.release(key, served.ticket);
        this.emit({
          ...replyFacts(ctx.plan.route, details.reply),
          task: req.task,
          model: served.candidate.modelId,
          variant: ctx.variant,
          outcome,
          fellBack: served.candidate !== ctx.order.candidates[0],
          latencyMs: details.latencyMs,
          attempts: served.attempts,
          reservedTokens: ctx.reservedTokens,
          inputTokens: details.usage?.inputTokens,
          outputTokens: details.usage?.outputTokens,
          timeToFirstTokenMs: firstContentAt - ctx.started,
          cause: details.classification?.cause,
          streaming: true,
        });
      },
      error: (classification, message, cause, routerCause) =>
        new RoutingError(message, classification, { task: req.task, attempts: served.attempts, modelId: served.candidate.modelId, invokeId: served.candidate.invokeId, routerCause, cause }),
    });
  }

  private async begin(req: RouteRequest, streaming: boolean): Promise<CallContext> {
    if (this.isClosed) throw this.closedError(req.task);
    const started = this.clock.now();
    let plan: RoutePlan;
    try {
      plan = await this.plan(req.task);
    } catch (e) {
      const known = this.compiled?.plans.has(req.task);
      this.emit({ task: known ? req.task : "(unknown)", model: "none", outcome: failureOutcome((e as RoutingError).classification), fellBack: false, latencyMs: this.clock.now() - started, attempts: 0, reservedTokens: 0, cause: (e as RoutingError).classification?.cause, streaming });
      throw e;
    }
    const variant = plan.canary ? chooseVariant(req.task, plan.canary.percent, req.requestKey, this.random) : "primary";
    const order = variant === "canary" ? plan.canary!.order : plan;
    return { plan, order, variant, started, deadline: started + (req.deadlineMs ?? this.settings.deadlineMs), reservedTokens: reservedTokens(estimateInputTokens(req), plan.route.maxTokens) };
  }

  /**
   * THE retry loop (SDK retries are off): candidates in the call's order (its variant's: a canary call tries the
   * canary first, and a capacity failure there moves on to the route's own order), skipping open breakers and, by the quota
   * estimate, candidates the call would not fit (client/candidate-choice.ts); a capacity failure moves
   * to the next candidate at once, and after a full pass the router backs off (full jitter) and starts again from the
   * primary. Anything but a capacity error is raised at once. At most maxAttempts wire calls, never past the deadline.
   * For streams the breaker verdict waits for the stream's end (RoutedStream.finish).
   */
  private async attempt<T>(
    ctx: CallContext,
    req: RouteRequest,
    streaming: boolean,
    call: (candidate: Candidate, abort: AttemptAbort) => Promise<T>,
  ): Promise<{ value: T; candidate: Candidate; attempts: number; abort: AttemptAbort; ticket: BreakerTicket; hold: QuotaHold }> {
    const { plan, deadline } = ctx;
    const { candidates, invokeIds, targets } = ctx.order;
    const clock = this.clock;
    let attempts = 0;
    let pass = 0;
    let failedThisPass = 0; // bitmask over candidates (at most 4: a canary, the primary and two fallbacks)
    let last: { classification: Classification; candidate: Candidate; error: unknown } | undefined;
    const fail = (message: string, classification: Classification, routerCause?: RouterCause, extra: { retryAfterMs?: number; candidate?: Candidate; error?: unknown } = {}): never => {
      const candidate = extra.candidate ?? last?.candidate;
      this.emit({
        ...replyFacts(plan.route, undefined),
        task: req.task,
        model: candidate?.modelId ?? "none",
        variant: ctx.variant,
        outcome: failureOutcome(classification),
        fellBack: candidate !== undefined && candidate !== candidates[0],
        latencyMs: clock.now() - ctx.started,
        attempts,
        reservedTokens: ctx.reservedTokens,
        cause: classification.cause,
        streaming,
      });
      throw new RoutingError(message, classification, {
        task: req.task,
        attempts,
        modelId: candidate?.modelId,
        invokeId: candidate?.invokeId,
        routerCause,
        retryAfterMs: extra.retryAfterMs,
        cause: extra.error ?? last?.error,
      });
    };
    const lastClassification = () => last?.classification ?? routerClassification("capacity", "deadline-exceeded", "raise deadlineMs or lower maxTokens");

    const closed = () => fail(`${req.task}: the router was closed after ${plural(attempts, "attempt")}`, routerClassification("configuration", "router-closed", "close() is final: create a new router for further calls"), "router-closed");
    for (let waits = 0; attempts < this.settings.maxAttempts; ) {
      if (this.isClosed) closed();
      const now = clock.now();
      if (now >= deadline) fail(`${req.task}: deadline of ${deadline - ctx.started} ms passed after ${plural(attempts, "attempt")}`, lastClassification(), "deadline-exceeded");
      const choice = chooseCandidate({
        candidates: targets,
        skip: (i) => (failedThisPass & (1 << i)) !== 0,
        reservedTokens: ctx.reservedTokens,
        now,
        breakers: this.breakerBook,
        quotas: this.quotaBook,
        // Waiting for room is worth a backoff's worth at most, and never the deadline.
        maxWaitMs: Math.min(this.settings.backoff.capMs, deadline - now - 1),
      });
      if (choice.kind === "wait") {
        if (++waits > 1000) fail(`${req.task}: gave up waiting for quota room`, lastClassification(), "all-candidates-cooling");
        await clock.sleep(choice.ms, this.closing.signal);
        continue;
      }
      const index = choice.kind === "call" ? choice.index : -1;
      if (index < 0) {
        if (++waits > 1000) fail(`${req.task}: gave up waiting for a model to recover`, lastClassification(), "all-candidates-cooling");
        if (failedThisPass !== 0) {
          // Every admitted candidate failed in this pass: back off, then start again from the primary.
          const delay = backoffDelay(pass++, this.settings.backoff, this.random);
          failedThisPass = 0;
          if (now + delay >= deadline) fail(`${req.task}: deadline too close to retry after ${plural(attempts, "attempt")} (last: ${last?.classification.errorName})`, lastClassification(), "deadline-exceeded");
          await clock.sleep(delay, this.closing.signal);
          continue;
        }
        // Nothing was tried and nothing is admitted: every candidate is cooling. Wait for the earliest, within the deadline.
        const at = this.breakerBook.earliestRecovery(invokeIds, now);
        if (at !== undefined) {
          if (at > deadline)
            fail(`${req.task}: every model is cooling down (${candidates.map((c) => c.modelId).join(", ")}); the earliest recovers in ${at - now} ms, after the deadline`, routerClassification("capacity", "all-candidates-cooling", "every candidate failed repeatedly for capacity; retry later, raise the quota or add a fallback"), "all-candidates-cooling", { retryAfterMs: at - now });
          await clock.sleep(at - now, this.closing.signal);
        } else {
          // Only probes in flight: wait for one to settle.
          const stop = new AbortController();
          await Promise.race([this.breakerBook.probeSettled(invokeIds), clock.sleep(deadline - now, AbortSignal.any([stop.signal, this.closing.signal]))]);
          stop.abort();
        }
        continue;
      }

      const candidate = candidates[index];
      const admitted = (choice as { ticket: BreakerTicket }).ticket;
      const quota = targets[index].quota;
      const hold = this.quotaBook.reserve(candidate.invokeId, quota, ctx.reservedTokens, now);
      attempts++;
      const abort = new AttemptAbort(this.settings.attemptTimeoutMs, deadline - now, () => this.inFlight.delete(abort));
      this.inFlight.add(abort);
      let value: T;
      try {
        value = await call(candidate, abort);
      } catch (error) {
        abort.clear();
        // Answered with an error: nothing was charged. Abandoned by us: the model may still be working on it.
        if (abort.reason === undefined) hold.release(clock.now());
        else hold.settle(undefined, clock.now());
        if (this.isClosed || abort.reason === "closed") {
          this.breakerBook.release(candidate.invokeId, admitted);
          closed();
        }
        const classification = classifyError(error as Error, { invokeId: candidate.invokeId, region: this.options.region, ...(streaming ? { streamPhase: "before-content" as const } : {}) });
        if (!classification.retryable && abort.reason === undefined) {
          this.breakerBook.release(candidate.invokeId, admitted);
          fail(`${req.task}: ${candidate.invokeId} failed with ${classification.errorName} (${classification.cause}); not retried: ${classification.hint}`, classification, undefined, { candidate, error });
        }
        // Timeouts of ours classify as capacity whatever the SDK calls the abort.
        const verdict = classification.retryable ? classification : classifyError({ name: "TimeoutError" }, { invokeId: candidate.invokeId });
        last = { classification: verdict, candidate, error };
        // A throttle is the quota's own word that the pool is empty, whatever the estimate said.
        if (classification.category === "capacity" && (classification.cause === "throttled" || classification.cause === "daily-quota-exhausted"))
          this.quotaBook.throttled(candidate.invokeId, quota, ctx.reservedTokens, clock.now());
        if (abort.reason === "deadline") {
          // The caller's budget ran out, which says nothing about the model: no breaker verdict.
          this.breakerBook.release(candidate.invokeId, admitted);
          fail(`${req.task}: deadline passed during the call to ${candidate.invokeId}`, verdict, "deadline-exceeded");
        }
        this.breakerBook.failure(candidate.invokeId, clock.now(), admitted);
        failedThisPass |= 1 << index;
        continue;
      }
      if (this.isClosed) {
        // close() raced the answer: a closed router hands nothing out (and a stream it opened is let go).
        abort.clear();
        (value as { cancel?: () => void }).cancel?.();
        this.breakerBook.release(candidate.invokeId, admitted);
        hold.settle(undefined, clock.now());
        closed();
      }
      if (streaming) abort.clearAttemptTimer();
      else {
        abort.clear();
        this.breakerBook.success(candidate.invokeId, admitted);
      }
      return { value, candidate, attempts, abort, ticket: admitted, hold };
    }
    return fail(`${req.task}: ${plural(attempts, "attempt")} failed for capacity (last: ${last?.classification.errorName} on ${last?.candidate.invokeId}): ${last?.classification.hint}`, lastClassification(), "attempts-exhausted");
  }

  private emit(m: CallMetrics): void {
    if (!this.sink) return;
    try {
      this.sink(emfRecord(this.namespace, m, this.clock.now()));
    } catch {
      // Metrics must never break a call.
    }
  }
}

/**
 * The tier and guardrail fields of a call's metric record: the tier the response echoes, else the route's; the
 * route's guardrail; and, once an answer came, whether a guardrail intervened (counted on guarded routes, and on any
 * route an account- or organization-enforced guardrail blocked).
 */
function replyFacts(route: RouteEntry, reply: { readonly stopReason?: string; readonly serviceTier?: string } | undefined): Pick<CallMetrics, "serviceTier" | "guardrail" | "guardrailIntervened"> {
  const serviceTier = reply?.serviceTier ?? route.serviceTier;
  const intervened = reply?.stopReason === GUARDRAIL_INTERVENED;
  return {
    ...(serviceTier ? { serviceTier } : {}),
    ...(route.guardrail ? { guardrail: route.guardrail.name } : {}),
    ...(reply && (route.guardrail || intervened) ? { guardrailIntervened: intervened } : {}),
  };
}

export function failureOutcome(c: Classification | undefined): Outcome {
  return c ? c.category : "model";
}

/** Creates a router. Nothing is fetched until the first call (or `refresh()`). */
export function createRouter(options: RouterOptions): Router {
  return new BedrockRouter(options);
}

export type { StreamResult as RoutedStreamResult };
