import type { ConverseStreamOutput, TokenUsage } from "@aws-sdk/client-bedrock-runtime";
import { classifyError, isRefusal, type Classification } from "../core/runtime";
import type { AbortReason } from "./attempt-abort";
import type { Clock } from "./clock";
import type { OpenedStream } from "./converse-attempt";
import type { Outcome } from "./metrics";
import type { Candidate } from "./route-plan";
import type { Variant } from "./canary-split";
import type { RoutedResult } from "./routed-result";
import type { RouterCause, RoutingError } from "./routing-error";
import type { StreamOutput } from "./stream-assembly";
import { GUARDRAIL_INTERVENED } from "./response-check";

export type { StreamOutput } from "./stream-assembly";

/** A routed stream's outcome: the routed result plus time to first token. */
export interface StreamResult extends RoutedResult<StreamOutput> {
  readonly timeToFirstTokenMs: number;
}

interface Abortable {
  readonly signal: AbortSignal;
  readonly reason?: AbortReason;
  abort(reason: "cancelled"): void;
  clear(): void;
}

export interface RoutedStreamInit {
  /** The single attempt that won, already past its first content event. */
  readonly opened: OpenedStream;
  readonly abort: Abortable;
  readonly servedBy: Candidate;
  readonly variant: Variant;
  readonly fellBack: boolean;
  readonly attempts: number;
  readonly timeToFirstTokenMs: number;
  readonly clock: Clock;
  readonly started: number;
  /** The tier the route requests (the result's tier when the stream does not echo one). */
  readonly requestedTier?: string;
  /** The result's handle for router.reportOutcome (client/outcome-report.ts). */
  readonly outcomeHandle: string;
  /** Called exactly once: breaker verdict and the call's metric record. */
  readonly finish: (outcome: Outcome, details: { latencyMs: number; usage?: TokenUsage; classification?: Classification; deadline?: boolean; reply?: { stopReason: string; serviceTier?: string } }) => void;
  readonly error: (classification: Classification, message: string, cause: unknown, routerCause?: RouterCause) => RoutingError;
}

/**
 * A stream that is already committed to one model (its first content arrived). Iterate it once for the raw events;
 * `result` settles when the stream ends. A failure after the first content is never a clean result: the iterator
 * throws a RoutingError (and `result` rejects with it); there is no fallback at that point.
 */
export class RoutedStream implements AsyncIterable<ConverseStreamOutput> {
  readonly servedBy: Candidate;
  /** Whether the call was in the route's canary share (see RoutedResult.variant). */
  readonly variant: Variant;
  readonly fellBack: boolean;
  readonly attempts: number;
  readonly timeToFirstTokenMs: number;
  /** Settles when iteration ends; rejects with the RoutingError a broken stream raised. */
  readonly result: Promise<StreamResult>;
  private resolve!: (r: StreamResult) => void;
  private reject!: (e: unknown) => void;
  private consumed = false;
  private finished = false;

  constructor(private readonly init: RoutedStreamInit) {
    this.servedBy = init.servedBy;
    this.variant = init.variant;
    this.fellBack = init.fellBack;
    this.attempts = init.attempts;
    this.timeToFirstTokenMs = init.timeToFirstTokenMs;
    this.result = new Promise<StreamResult>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    // Callers that only iterate must not see an unhandled rejection; the iterator throws the same error.
    this.result.catch(() => undefined);
    // A stream nobody reads still ends at the deadline (or when the router closes): free its breaker slot and settle.
    init.abort.signal.addEventListener("abort", () => {
      if (!this.consumed) this.cancel();
    }, { once: true });
  }

  /** Stop without reading (further): cancels the request; `result` rejects; no breaker verdict. */
  cancel(): void {
    if (this.finished) return;
    this.consumed = true;
    const closed = this.init.abort.reason === "closed";
    this.init.abort.abort("cancelled");
    this.init.opened.cancel();
    this.settle("cancelled", undefined);
    const classification: Classification = closed
      ? { category: "configuration", cause: "router-closed", retryable: false, errorName: "RoutingError", hint: "the router was closed while the stream was open" }
      : { category: "model", cause: "cancelled", retryable: false, errorName: "Cancelled", hint: "the caller stopped reading the stream" };
    this.reject(this.init.error(classification, closed ? "stream cancelled: the router was closed" : "stream cancelled by the caller", undefined, closed ? "router-closed" : undefined));
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<ConverseStreamOutput, void, undefined> {
    if (this.consumed) throw new Error("a routed stream can be iterated once");
    this.consumed = true;
    const { opened } = this.init;
    let completed = false;
    try {
      const events = opened.events();
      for (;;) {
        let next: IteratorResult<ConverseStreamOutput>;
        try {
          next = await events.next();
        } catch (error) {
          throw this.fail(error);
        }
        if (next.done) break;
        yield next.value;
      }
      let output: StreamOutput;
      try {
        output = opened.finish();
      } catch (error) {
        throw this.fail(error);
      }
      completed = true;
      this.complete(output);
    } finally {
      // The consumer stopped early (break/return): cancel the request; no breaker verdict.
      if (!completed) this.cancel();
    }
  }

  private complete(output: StreamOutput): void {
    // A refusal is an answer, never a success; a stream is never fallen back from after its content (the caller has it).
    const refused = isRefusal(output.stopReason);
    const latencyMs = this.settle(refused ? "refused" : "success", undefined, output.usage, output);
    const serviceTier = output.serviceTier ?? this.init.requestedTier;
    this.resolve({
      output,
      servedBy: this.servedBy,
      variant: this.variant,
      fellBack: this.fellBack,
      attempts: this.attempts,
      usage: output.usage,
      latencyMs,
      stopReason: output.stopReason,
      ...(serviceTier ? { serviceTier } : {}),
      guardrailIntervened: output.stopReason === GUARDRAIL_INTERVENED,
      refused,
      outcomeHandle: this.init.outcomeHandle,
      timeToFirstTokenMs: this.timeToFirstTokenMs,
    });
  }

  /** Failure after the first content: classify, settle once, reject `result`, return the error for the iterator to throw. */
  private fail(error: unknown): RoutingError {
    const { init } = this;
    const deadline = init.abort.reason === "deadline";
    const classification = deadline
      ? classifyError({ name: "TimeoutError" }, { invokeId: this.servedBy.invokeId })
      : classifyError(error as Error, { invokeId: this.servedBy.invokeId, streamPhase: "after-content" });
    this.settle(classification.category, classification, init.opened.assembly.usageSoFar);
    const e = init.error(
      classification,
      `${this.servedBy.invokeId}: the stream broke after its first content (${classification.errorName}: ${classification.cause}); not retried or fallen back, since part of the answer was already delivered`,
      error,
      deadline ? "deadline-exceeded" : init.abort.reason === "closed" ? "router-closed" : "stream-interrupted",
    );
    this.reject(e);
    return e;
  }

  private settle(outcome: Outcome, classification: Classification | undefined, usage?: TokenUsage, reply?: StreamOutput): number {
    const latencyMs = this.init.clock.now() - this.init.started;
    if (this.finished) return latencyMs;
    this.finished = true;
    this.init.abort.clear();
    this.init.finish(outcome, { latencyMs, usage, classification, deadline: this.init.abort.reason === "deadline", ...(reply ? { reply: { stopReason: reply.stopReason, ...(reply.serviceTier ? { serviceTier: reply.serviceTier } : {}) } } : {}) });
    return latencyMs;
  }
}
