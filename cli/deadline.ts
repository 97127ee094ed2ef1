/** The whole-run deadline passed: the check is reported as failed "deadline", never retried. */
export class DeadlineExceeded extends Error {
  constructor(message = "the run deadline passed") {
    super(message);
    this.name = "DeadlineExceeded";
  }
}

/**
 * The whole-run deadline: one AbortSignal every call listens to, so nothing outlives the run (a hung endpoint included).
 * `dispose()` clears the timer so the process can exit.
 */
export class Deadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  readonly at: number;

  constructor(
    readonly ms: number,
    private readonly now: () => number = Date.now,
  ) {
    this.at = now() + ms;
    this.timer = setTimeout(() => this.controller.abort(new DeadlineExceeded(`the run deadline (${ms} ms) passed`)), ms);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get expired(): boolean {
    return this.controller.signal.aborted;
  }

  remainingMs(): number {
    return Math.max(0, this.at - this.now());
  }

  /** Throws DeadlineExceeded once the deadline has passed; checks call it before starting work. */
  throwIfExpired(): void {
    if (this.expired) throw this.controller.signal.reason;
  }

  /** Aborts at the deadline or after `timeoutMs`, whichever is first. */
  callSignal(timeoutMs: number): AbortSignal {
    return AbortSignal.any([this.controller.signal, AbortSignal.timeout(timeoutMs)]);
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}

/** The error a per-call timeout surfaces as; core's classifier treats `TimeoutError` as a retryable capacity error. */
function timeoutError(signal: AbortSignal): Error {
  if (signal.reason instanceof DeadlineExceeded) return signal.reason;
  const e = new Error("no answer within the per-call timeout (--timeout-ms)");
  e.name = "TimeoutError";
  return e;
}

/**
 * Settles with `promise`, or rejects as soon as `signal` aborts (DeadlineExceeded or TimeoutError), whatever the SDK
 * does with its own abort handling: a call can never hold the run past the deadline.
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(timeoutError(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(timeoutError(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(signal.aborted ? timeoutError(signal) : e);
      },
    );
  });
}

/** Waits `ms`, rejecting with DeadlineExceeded if the deadline passes first. Leaves no listener behind either way. */
export function sleep(ms: number, deadline: Deadline): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (deadline.expired) return reject(deadline.signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(deadline.signal.reason);
    };
    const timer = setTimeout(() => {
      deadline.signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    deadline.signal.addEventListener("abort", onAbort, { once: true });
  });
}
