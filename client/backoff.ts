/** Full-jitter exponential backoff (AWS Architecture Blog, "Exponential Backoff And Jitter"). */
export interface BackoffOptions {
  /** Ceiling of the first retry's delay. Default: 250 ms. */
  readonly baseMs: number;
  /** Largest ceiling any retry's delay may have. Default: 4000 ms. */
  readonly capMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 250, capMs: 4000 };

/**
 * Delay before retry number `retry` (0 = first retry): uniform in [0, min(cap, base * 2^retry)).
 * Full jitter spreads a herd of throttled clients instead of synchronising them.
 */
export function backoffDelay(retry: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.max(0, retry));
  return Math.floor(random() * ceiling);
}
