import { classifyError, type Classification } from "../core/runtime";
import { plural } from "../core/problems";
import { AttemptAbort } from "./attempt-abort";
import { backoffDelay } from "./backoff";
import type { CallRecorder } from "./call-record";
import { failureOutcome, replyFacts } from "./call-record";
import { chooseCandidate } from "./candidate-choice";
import type { Variant } from "./canary-split";
import type { BreakerTicket, CircuitBreakers } from "./circuit-breaker";
import type { Clock } from "./clock";
import type { QuotaEstimates, QuotaHold } from "./quota-estimate";
import type { Candidate, CandidateOrder, RoutePlan } from "./route-plan";
import type { RouteRequest } from "./router-api";
import type { Settings } from "./router-options";
import { RoutingError, routerClassification, type RouterCause } from "./routing-error";

/** One call's bookkeeping, shared by the retry loop and the router. */
export interface CallContext {
  readonly plan: RoutePlan;
  /** The candidates this call tries: the plan's own order, or the canary's. */
  readonly order: CandidateOrder;
  readonly variant: Variant;
  readonly started: number;
  readonly deadline: number;
  /** The route's `maxQueueMs`: the most the call may wait in total for capacity. Default: no bound but the deadline. */
  readonly maxQueueMs?: number;
  readonly reservedTokens: number;
}

/** What the retry loop needs of its router: state shared by every call. */
export interface RetryDeps {
  readonly clock: Clock;
  readonly random: () => number;
  readonly settings: Settings;
  readonly region: string;
  readonly breakers: CircuitBreakers;
  readonly quotas: QuotaEstimates;
  readonly recorder: CallRecorder;
  /** Attempts (and committed streams) in flight, aborted by close(). */
  readonly inFlight: Set<AttemptAbort>;
  /** Sleeps `ms`, woken early by close() (and by `stop`, when given). */
  sleep(ms: number, stop?: AbortSignal): Promise<void>;
  isClosed(): boolean;
}

/** The attempt that answered, with what its caller settles afterwards. */
export interface Served<T> {
  readonly value: T;
  readonly candidate: Candidate;
  readonly attempts: number;
  readonly abort: AttemptAbort;
  readonly ticket: BreakerTicket;
  readonly hold: QuotaHold;
  /** The classification cause of the call's last failed attempt before this one, when one failed. */
  readonly lastFailureCause?: string;
}

/** One wire attempt to one candidate (a Converse call, or a stream opened up to its first content). */
export type AttemptCall<T> = (candidate: Candidate, abort: AttemptAbort) => Promise<T>;

/**
 * THE retry loop (SDK retries are off): candidates in the call's order (its variant's: a canary call tries the
 * canary first, and a capacity failure there moves on to the route's own order), skipping open breakers and, by the quota
 * estimate, candidates the call would not fit (client/candidate-choice.ts); a capacity failure moves
 * to the next candidate at once, and after a full pass the router backs off (full jitter) and starts again from the
 * primary. Anything but a capacity error is raised at once. At most maxAttempts wire calls, never past the deadline.
 * For streams the breaker verdict waits for the stream's end (RoutedStream.finish).
 */
export function runAttempts<T>(deps: RetryDeps, ctx: CallContext, req: RouteRequest, streaming: boolean, call: AttemptCall<T>): Promise<Served<T>> {
  return new RetryLoop(deps, ctx, req, streaming, call).run();
}

/** Waits (for quota room, a recovery or a probe) one call may take before giving up. */
const MAX_WAITS = 1000;

class RetryLoop<T> {
  private attempts = 0;
  private pass = 0;
  private waits = 0;
  /** Time spent waiting for capacity so far (quota room, backoffs, cooling models), against the route's maxQueueMs. */
  private waitedMs = 0;
  /** Bitmask over candidates (at most 4: a canary, the primary and two fallbacks). */
  private failedThisPass = 0;
  private last?: { classification: Classification; candidate: Candidate; error: unknown };

  constructor(
    private readonly deps: RetryDeps,
    private readonly ctx: CallContext,
    private readonly req: RouteRequest,
    private readonly streaming: boolean,
    private readonly call: AttemptCall<T>,
  ) {}

  async run(): Promise<Served<T>> {
    const { deps, ctx } = this;
    const { deadline } = ctx;
    while (this.attempts < deps.settings.maxAttempts) {
      if (deps.isClosed()) this.closed();
      const now = deps.clock.now();
      if (now >= deadline) this.fail(`${this.req.task}: deadline of ${deadline - ctx.started} ms passed after ${plural(this.attempts, "attempt")}`, this.lastClassification(), "deadline-exceeded");
      const choice = chooseCandidate({
        candidates: ctx.order.targets,
        skip: (i) => (this.failedThisPass & (1 << i)) !== 0,
        reservedTokens: ctx.reservedTokens,
        now,
        breakers: deps.breakers,
        quotas: deps.quotas,
        // Waiting for room is worth a backoff's worth at most, and never the deadline.
        maxWaitMs: Math.min(deps.settings.backoff.capMs, deadline - now - 1),
      });
      if (choice.kind === "wait") {
        this.countWait("gave up waiting for quota room");
        await this.queue(choice.ms, "quota room");
      } else if (choice.kind === "none") {
        this.countWait("gave up waiting for a model to recover");
        await this.waitForCandidate(now);
      } else {
        const served = await this.attempt(choice.index, choice.ticket, now);
        if (served) return served;
      }
    }
    const { last } = this;
    return this.fail(`${this.req.task}: ${plural(this.attempts, "attempt")} failed for capacity (last: ${last?.classification.errorName} on ${last?.candidate.invokeId}): ${last?.classification.hint}`, this.lastClassification(), "attempts-exhausted");
  }

  private countWait(giveUp: string): void {
    if (++this.waits > MAX_WAITS) this.fail(`${this.req.task}: ${giveUp}`, this.lastClassification(), "all-candidates-cooling");
  }

  /** No candidate is admitted now: back off after a failed pass, else wait for the earliest recovery or probe. */
  private async waitForCandidate(now: number): Promise<void> {
    const { deps, ctx } = this;
    const { deadline } = ctx;
    if (this.failedThisPass !== 0) {
      // Every admitted candidate failed in this pass: back off, then start again from the primary.
      const delay = backoffDelay(this.pass++, deps.settings.backoff, deps.random);
      this.failedThisPass = 0;
      if (now + delay >= deadline) this.fail(`${this.req.task}: deadline too close to retry after ${plural(this.attempts, "attempt")} (last: ${this.last?.classification.errorName})`, this.lastClassification(), "deadline-exceeded");
      await this.queue(delay, "a backoff before retrying");
      return;
    }
    // Nothing was tried and nothing is admitted: every candidate is cooling. Wait for the earliest, within the deadline.
    const { candidates, invokeIds } = ctx.order;
    const at = deps.breakers.earliestRecovery(invokeIds, now);
    if (at !== undefined) {
      if (at > deadline)
        this.fail(
          `${this.req.task}: every model is cooling down (${candidates.map((c) => c.modelId).join(", ")}); the earliest recovers in ${at - now} ms, after the deadline`,
          routerClassification("capacity", "all-candidates-cooling", "every candidate failed repeatedly for capacity; retry later, raise the quota or add a fallback"),
          "all-candidates-cooling",
          { retryAfterMs: at - now },
        );
      await this.queue(at - now, "a model to recover");
      return;
    }
    // Only probes in flight: wait for one to settle, no longer than the queue budget left.
    const left = this.queueLeft();
    if (left <= 0) this.queueExceeded(1, "a probe's verdict");
    const stop = new AbortController();
    const before = deps.clock.now();
    await Promise.race([deps.breakers.probeSettled(invokeIds), deps.sleep(Math.min(deadline - now, left), stop.signal)]);
    stop.abort();
    this.waitedMs += deps.clock.now() - before;
  }

  /** What is left of the route's maxQueueMs (Infinity without one). */
  private queueLeft(): number {
    const max = this.ctx.maxQueueMs;
    return max === undefined ? Number.POSITIVE_INFINITY : max - this.waitedMs;
  }

  /**
   * Waits `ms` for capacity within the route's maxQueueMs: a wait that would take the call past it fails the call now
   * (nothing was sent for it, so nothing is charged), rather than after the wait.
   */
  private async queue(ms: number, forWhat: string): Promise<void> {
    if (ms > this.queueLeft()) this.queueExceeded(ms, forWhat);
    const before = this.deps.clock.now();
    await this.deps.sleep(ms);
    this.waitedMs += this.deps.clock.now() - before;
  }

  private queueExceeded(ms: number, forWhat: string): never {
    const max = this.ctx.maxQueueMs!;
    return this.fail(
      `${this.req.task}: would wait ${Math.ceil(ms)} ms for ${forWhat}, beyond the route's maxQueueMs of ${max} ms (${Math.round(this.waitedMs)} ms waited, ${plural(this.attempts, "attempt")})`,
      routerClassification("capacity", "queue-budget-exceeded", "the route's models have no room within its maxQueueMs: retry later, raise the quota, add a fallback, or raise maxQueueMs"),
      "queue-budget-exceeded",
      { retryAfterMs: Math.ceil(ms) },
    );
  }

  /** One wire call to candidate `index`; the served attempt, or undefined when the loop goes on. */
  private async attempt(index: number, ticket: BreakerTicket, now: number): Promise<Served<T> | undefined> {
    const { deps, ctx } = this;
    const candidate = ctx.order.candidates[index];
    const target = ctx.order.targets[index];
    const hold = deps.quotas.reserve(target.quotaKey ?? candidate.invokeId, target.quota, ctx.reservedTokens, now);
    this.attempts++;
    const abort = new AttemptAbort(deps.settings.attemptTimeoutMs, ctx.deadline - now, () => deps.inFlight.delete(abort));
    deps.inFlight.add(abort);
    let value: T;
    try {
      value = await this.call(candidate, abort);
    } catch (error) {
      this.failed(index, ticket, hold, abort, error);
      return undefined;
    }
    if (deps.isClosed()) {
      // close() raced the answer: a closed router hands nothing out (and a stream it opened is let go).
      abort.clear();
      (value as { cancel?: () => void }).cancel?.();
      deps.breakers.release(candidate.invokeId, ticket);
      hold.settle(undefined, deps.clock.now());
      this.closed();
    }
    if (this.streaming) abort.clearAttemptTimer();
    else {
      abort.clear();
      deps.breakers.success(candidate.invokeId, ticket);
    }
    return { value, candidate, attempts: this.attempts, abort, ticket, hold, ...(this.last ? { lastFailureCause: this.last.classification.cause } : {}) };
  }

  /** An attempt that threw: raise what is not capacity (or is the caller's deadline), else note it and go on. */
  private failed(index: number, ticket: BreakerTicket, hold: QuotaHold, abort: AttemptAbort, error: unknown): void {
    const { deps, ctx } = this;
    const candidate = ctx.order.candidates[index];
    const { clock, breakers } = deps;
    abort.clear();
    // Answered with an error: nothing was charged. Abandoned by us: the model may still be working on it.
    if (abort.reason === undefined) hold.release(clock.now());
    else hold.settle(undefined, clock.now());
    if (deps.isClosed() || abort.reason === "closed") {
      breakers.release(candidate.invokeId, ticket);
      this.closed();
    }
    const classification = classifyError(error as Error, { invokeId: candidate.invokeId, region: deps.region, ...(this.streaming ? { streamPhase: "before-content" as const } : {}) });
    if (!classification.retryable && abort.reason === undefined) {
      breakers.release(candidate.invokeId, ticket);
      this.fail(`${this.req.task}: ${candidate.invokeId} failed with ${classification.errorName} (${classification.cause}); not retried: ${classification.hint}`, classification, undefined, { candidate, error });
    }
    // Timeouts of ours classify as capacity whatever the SDK calls the abort.
    const verdict = classification.retryable ? classification : classifyError({ name: "TimeoutError" }, { invokeId: candidate.invokeId });
    this.last = { classification: verdict, candidate, error };
    // A throttle is the quota's own word that the pool is empty, whatever the estimate said.
    if (classification.category === "capacity" && (classification.cause === "throttled" || classification.cause === "daily-quota-exhausted"))
      deps.quotas.throttled(ctx.order.targets[index].quotaKey ?? candidate.invokeId, ctx.order.targets[index].quota, ctx.reservedTokens, clock.now());
    if (abort.reason === "deadline") {
      // The caller's budget ran out, which says nothing about the model: no breaker verdict.
      breakers.release(candidate.invokeId, ticket);
      this.fail(`${this.req.task}: deadline passed during the call to ${candidate.invokeId}`, verdict, "deadline-exceeded");
    }
    breakers.failure(candidate.invokeId, clock.now(), ticket);
    this.failedThisPass |= 1 << index;
  }

  private lastClassification(): Classification {
    return this.last?.classification ?? routerClassification("capacity", "deadline-exceeded", "raise deadlineMs or lower maxTokens");
  }

  private closed(): never {
    return this.fail(`${this.req.task}: the router was closed after ${plural(this.attempts, "attempt")}`, routerClassification("configuration", "router-closed", "close() is final: create a new router for further calls"), "router-closed");
  }

  /** Records the failed call and throws its RoutingError. */
  private fail(message: string, classification: Classification, routerCause?: RouterCause, extra: { retryAfterMs?: number; candidate?: Candidate; error?: unknown } = {}): never {
    const { ctx, req } = this;
    const candidate = extra.candidate ?? this.last?.candidate;
    this.deps.recorder.emit({
      ...replyFacts(ctx.plan.route, undefined),
      task: req.task,
      model: candidate?.modelId ?? "none",
      variant: ctx.variant,
      outcome: failureOutcome(classification),
      fellBack: candidate !== undefined && candidate !== ctx.order.candidates[0],
      latencyMs: this.deps.clock.now() - ctx.started,
      attempts: this.attempts,
      reservedTokens: ctx.reservedTokens,
      cause: classification.cause,
      streaming: this.streaming,
    });
    throw new RoutingError(message, classification, {
      task: req.task,
      attempts: this.attempts,
      modelId: candidate?.modelId,
      invokeId: candidate?.invokeId,
      routerCause,
      retryAfterMs: extra.retryAfterMs,
      cause: extra.error ?? this.last?.error,
    });
  }
}
