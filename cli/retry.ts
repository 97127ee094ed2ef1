import type { Classification } from "../core/runtime";
import { backoffDelay, type BackoffOptions } from "../client/backoff";
import { type Deadline, DeadlineExceeded, sleep } from "./deadline";

/**
 * The retry loop of the operator commands (smoke's probes, eval's calls), the only one: Bedrock clients run with SDK
 * retries off. Backoff is the routing client's full jitter.
 */
export interface RetryPolicy extends BackoffOptions {
  readonly maxAttempts: number;
}

/** Three attempts, the first backoff under 200 ms, none over 5 s. */
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 3, baseMs: 200, capMs: 5000 };

/** One attempt of a retried call, for reports. */
export interface AttemptRecord {
  readonly attempt: number;
  readonly latencyMs: number;
  /** Absent when the attempt succeeded. */
  readonly errorName?: string;
  readonly cause?: string;
  /** Backoff slept after this attempt, ms. */
  readonly backoffMs?: number;
}

export type RetryOutcome<T> =
  | { readonly ok: true; readonly value: T; readonly attempts: readonly AttemptRecord[] }
  | { readonly ok: false; readonly error: unknown; readonly classification: Classification; readonly attempts: readonly AttemptRecord[] };

/**
 * Calls `call` until it succeeds, fails with a non-retryable error, runs out of attempts, or the next backoff would
 * cross the deadline. Only errors `classify` marks retryable (capacity) are retried. DeadlineExceeded propagates.
 * `retryable` can veto a retry (a stream that already delivered bytes is not re-issued).
 */
export async function withRetries<T>(
  call: (attempt: number) => Promise<T>,
  opts: {
    readonly classify: (err: unknown) => Classification;
    readonly deadline: Deadline;
    readonly policy?: RetryPolicy;
    readonly retryable?: (err: unknown) => boolean;
    readonly random?: () => number;
    readonly now?: () => number;
  },
): Promise<RetryOutcome<T>> {
  const policy = opts.policy ?? DEFAULT_RETRY;
  const now = opts.now ?? Date.now;
  const attempts: AttemptRecord[] = [];
  for (let attempt = 1; ; attempt++) {
    opts.deadline.throwIfExpired();
    const started = now();
    try {
      const value = await call(attempt);
      attempts.push({ attempt, latencyMs: now() - started });
      return { ok: true, value, attempts };
    } catch (error) {
      if (error instanceof DeadlineExceeded) throw error;
      const classification = opts.classify(error);
      const record = { attempt, latencyMs: now() - started, errorName: classification.errorName, cause: classification.cause };
      const wait = backoffDelay(attempt - 1, policy, opts.random);
      const retry = classification.retryable && attempt < policy.maxAttempts && (opts.retryable?.(error) ?? true) && wait < opts.deadline.remainingMs();
      attempts.push(retry ? { ...record, backoffMs: wait } : record);
      if (!retry) return { ok: false, error, classification, attempts };
      await sleep(wait, opts.deadline);
    }
  }
}
