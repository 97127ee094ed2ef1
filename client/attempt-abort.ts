/** Why an attempt's signal fired: our timeouts, the caller's deadline, a cancel, or the router closing. */
export type AbortReason = "attempt-timeout" | "deadline" | "cancelled" | "closed";

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
