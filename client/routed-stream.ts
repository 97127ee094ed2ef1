import type { ContentBlock, ConverseStreamMetrics, ConverseStreamOutput, Message, TokenUsage } from "@aws-sdk/client-bedrock-runtime";
import { classifyError, type Classification } from "../core/error-classification";
import type { Clock } from "./clock";
import type { Outcome } from "./metrics";
import type { Candidate } from "./route-plan";
import type { RoutedResult } from "./router";
import type { RouterCause, RoutingError } from "./routing-error";

/** What a completed stream amounts to (the message is assembled from the deltas). */
export interface StreamOutput {
  readonly message: Message;
  readonly stopReason: string;
  readonly usage?: TokenUsage;
  readonly metrics?: ConverseStreamMetrics;
}

/** A routed stream's outcome: the routed result plus time to first token. */
export interface StreamResult extends RoutedResult<StreamOutput> {
  readonly timeToFirstTokenMs: number;
}

interface Abortable {
  readonly signal: AbortSignal;
  readonly reason?: "attempt-timeout" | "deadline" | "cancelled";
  abort(reason: "cancelled"): void;
  clear(): void;
}

export interface RoutedStreamInit {
  readonly iterator: AsyncIterator<ConverseStreamOutput>;
  /** Events read before handing over (up to and including the first content event). */
  readonly head: readonly ConverseStreamOutput[];
  /** The stream already ended while reading the head. */
  readonly done: boolean;
  readonly abort: Abortable;
  readonly servedBy: Candidate;
  readonly fellBack: boolean;
  readonly attempts: number;
  readonly timeToFirstTokenMs: number;
  readonly clock: Clock;
  readonly started: number;
  /** Called exactly once: breaker verdict and the call's metric record. */
  readonly finish: (outcome: Outcome, details: { latencyMs: number; usage?: TokenUsage; classification?: Classification; deadline?: boolean }) => void;
  readonly error: (classification: Classification, message: string, cause: unknown, routerCause?: RouterCause) => RoutingError;
}

/**
 * A stream that is already committed to one model (its first content arrived). Iterate it once for the raw events;
 * `result` settles when the stream ends. A failure after the first content is never a clean result: the iterator
 * throws a RoutingError (and `result` rejects with it); there is no fallback at that point.
 */
export class RoutedStream implements AsyncIterable<ConverseStreamOutput> {
  readonly servedBy: Candidate;
  readonly fellBack: boolean;
  readonly attempts: number;
  readonly timeToFirstTokenMs: number;
  /** Settles when iteration ends; rejects with the RoutingError a broken stream raised. */
  readonly result: Promise<StreamResult>;
  private resolve!: (r: StreamResult) => void;
  private reject!: (e: unknown) => void;
  private consumed = false;
  private finished = false;
  private readonly blocks: ContentBlock[] = [];
  private readonly toolInput = new Map<number, string>();
  private stopReason?: string;
  private usage?: TokenUsage;
  private metrics?: ConverseStreamMetrics;

  constructor(private readonly init: RoutedStreamInit) {
    this.servedBy = init.servedBy;
    this.fellBack = init.fellBack;
    this.attempts = init.attempts;
    this.timeToFirstTokenMs = init.timeToFirstTokenMs;
    this.result = new Promise<StreamResult>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    // Callers that only iterate must not see an unhandled rejection; the iterator throws the same error.
    this.result.catch(() => undefined);
    // A stream nobody reads still ends at the deadline: free its breaker slot and settle.
    init.abort.signal.addEventListener("abort", () => {
      if (!this.consumed) this.cancel();
    }, { once: true });
  }

  /** Stop without reading (further): cancels the request; `result` rejects; no breaker verdict. */
  cancel(): void {
    if (this.finished) return;
    this.consumed = true;
    this.init.abort.abort("cancelled");
    this.settle("cancelled", undefined);
    this.reject(this.init.error({ category: "model", cause: "cancelled", retryable: false, errorName: "Cancelled", hint: "the caller stopped reading the stream" }, "stream cancelled by the caller", undefined));
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<ConverseStreamOutput, void, undefined> {
    if (this.consumed) throw new Error("a routed stream can be iterated once");
    this.consumed = true;
    const { init } = this;
    let completed = false;
    try {
      for (const event of init.head) {
        this.absorb(event);
        yield event;
      }
      if (!init.done) {
        for (;;) {
          let next: IteratorResult<ConverseStreamOutput>;
          try {
            next = await init.iterator.next();
          } catch (error) {
            throw this.fail(error);
          }
          if (next.done) break;
          this.absorb(next.value);
          yield next.value;
        }
      }
      if (this.stopReason === undefined) {
        // Ended without messageStop: a cut stream must not look like a complete answer.
        const e = new Error(`the stream from ${this.servedBy.invokeId} ended before messageStop`);
        e.name = "ECONNRESET";
        throw this.fail(e, "stream-interrupted", "capacity", "stream-truncated");
      }
      completed = true;
      this.complete();
    } finally {
      // The consumer stopped early (break/return): cancel the request; no breaker verdict.
      if (!completed) this.cancel();
    }
  }

  private absorb(e: ConverseStreamOutput): void {
    if (e.contentBlockStart) {
      const i = e.contentBlockStart.contentBlockIndex ?? this.blocks.length;
      const tool = e.contentBlockStart.start?.toolUse;
      if (tool) this.blocks[i] = { toolUse: { toolUseId: tool.toolUseId, name: tool.name, input: undefined } } as ContentBlock;
    } else if (e.contentBlockDelta) {
      const i = e.contentBlockDelta.contentBlockIndex ?? 0;
      const d = e.contentBlockDelta.delta;
      if (d?.text !== undefined) {
        const b = this.blocks[i] as { text?: string } | undefined;
        this.blocks[i] = { text: (b?.text ?? "") + d.text } as ContentBlock;
      } else if (d?.toolUse?.input !== undefined) {
        this.toolInput.set(i, (this.toolInput.get(i) ?? "") + d.toolUse.input);
      }
    } else if (e.messageStop) {
      this.stopReason = e.messageStop.stopReason ?? "other";
    } else if (e.metadata) {
      this.usage = e.metadata.usage;
      this.metrics = e.metadata.metrics;
    }
  }

  private complete(): void {
    for (const [i, input] of this.toolInput) {
      const b = this.blocks[i] as { toolUse?: { input?: unknown } } | undefined;
      if (b?.toolUse) {
        try {
          b.toolUse.input = JSON.parse(input);
        } catch {
          b.toolUse.input = input;
        }
      }
    }
    const latencyMs = this.settle("success", undefined);
    const stopReason = this.stopReason as string;
    this.resolve({
      output: { message: { role: "assistant", content: this.blocks.filter(Boolean) }, stopReason, usage: this.usage, metrics: this.metrics },
      servedBy: this.servedBy,
      fellBack: this.fellBack,
      attempts: this.attempts,
      usage: this.usage,
      latencyMs,
      stopReason,
      timeToFirstTokenMs: this.timeToFirstTokenMs,
    });
  }

  /** Mid-stream failure: classify, settle once, reject `result`, return the error for the iterator to throw. */
  private fail(error: unknown, routerCause: RouterCause = "stream-interrupted", category?: Classification["category"], cause?: string): RoutingError {
    const { init } = this;
    const base = init.abort.reason === "deadline" ? classifyError({ name: "TimeoutError" }, { invokeId: this.servedBy.invokeId }) : classifyError(error as Error, { invokeId: this.servedBy.invokeId });
    const classification: Classification = category ? { ...base, category, cause: cause ?? base.cause, retryable: category === "capacity" } : base;
    this.settle(classification.category, classification);
    const e = init.error(
      classification,
      `${this.servedBy.invokeId}: the stream broke after its first content (${classification.errorName}: ${classification.cause}); not retried or fallen back, since part of the answer was already delivered`,
      error,
      init.abort.reason === "deadline" ? "deadline-exceeded" : routerCause,
    );
    this.reject(e);
    return e;
  }

  private settle(outcome: Outcome, classification: Classification | undefined): number {
    const latencyMs = this.init.clock.now() - this.init.started;
    if (this.finished) return latencyMs;
    this.finished = true;
    this.init.abort.clear();
    this.init.finish(outcome, { latencyMs, usage: this.usage, classification, deadline: this.init.abort.reason === "deadline" });
    return latencyMs;
  }
}
