/**
 * Per-model circuit breaker (one per invoke ID). Only capacity failures count; a model that keeps failing for capacity
 * is left alone for a fixed probe interval, then admits exactly one probe (half-open): success closes it, another
 * capacity failure leaves it alone for the same interval again. The schedule is bounded on purpose: a cooldown that
 * doubled after each failed probe kept a recovered primary unused for up to twice the last cooldown (about 110 s in the
 * issue-11 measurement), while its fallback ran out of quota. Cooling is never permanent, so a single-model route
 * always comes back, and at most one probe per model is ever in flight.
 */
export interface BreakerOptions {
  /** Consecutive capacity failures that open the breaker. Default: 3. */
  readonly failureThreshold: number;
  /** Time from opening (or from a failed probe) to the next probe. Default: 5 000 ms. */
  readonly probeIntervalMs: number;
}

export const DEFAULT_BREAKER: BreakerOptions = { failureThreshold: 3, probeIntervalMs: 5_000 };

export type BreakerState = "closed" | "open" | "half-open";

/** What `router.breakers()` shows for one model. */
export interface BreakerView {
  readonly invokeId: string;
  /** `half-open` covers both "cooldown elapsed, next request probes" and "probe in flight". */
  readonly state: BreakerState;
  readonly consecutiveFailures: number;
  /** Probes that failed since the breaker last opened from closed. */
  readonly failedProbes: number;
  /** When an open breaker admits its probe (epoch ms); absent when closed. */
  readonly openUntil?: number;
  readonly probeInFlight: boolean;
}

/**
 * What `admit` hands out: the breaker generation the call was admitted in. A generation ends each time the breaker
 * opens, so the verdict of a call admitted before that (a straggler) is told apart from the probe's and ignored.
 */
export type BreakerTicket = number;

interface Entry {
  state: BreakerState;
  /** Incremented every time the breaker opens. */
  generation: number;
  failures: number;
  failedProbes: number;
  openUntil: number;
  probe?: { settled: Promise<void>; settle: () => void };
}

export class CircuitBreakers {
  private readonly entries = new Map<string, Entry>();
  readonly options: BreakerOptions;

  constructor(options: Partial<BreakerOptions> = {}) {
    this.options = { ...DEFAULT_BREAKER, ...options };
    const o = this.options;
    if (!Number.isInteger(o.failureThreshold) || o.failureThreshold < 1) throw new Error(`failureThreshold must be a positive integer, got ${o.failureThreshold}`);
    if (!(o.probeIntervalMs > 0) || !Number.isFinite(o.probeIntervalMs)) throw new Error(`probeIntervalMs must be a positive number of ms, got ${o.probeIntervalMs}`);
  }

  private entry(key: string): Entry {
    let e = this.entries.get(key);
    if (!e) {
      e = { state: "closed", generation: 0, failures: 0, failedProbes: 0, openUntil: 0 };
      this.entries.set(key, e);
    }
    return e;
  }

  /** Would `admit` let a call through now? A look only: it never claims the half-open probe. */
  available(key: string, now: number): boolean {
    const e = this.entries.get(key);
    if (!e || e.state === "closed") return true;
    if (e.state === "open" && now < e.openUntil) return false;
    return e.probe === undefined;
  }

  /**
   * May a request go to `key` now? Closed: yes. Open: no until the probe interval ends; then the first caller becomes the
   * single half-open probe and everyone else is refused until that probe settles. Returns the ticket to report the
   * call's outcome with, or undefined when refused.
   */
  admit(key: string, now: number): BreakerTicket | undefined {
    const e = this.entries.get(key);
    if (!e) return 0;
    if (e.state === "closed") return e.generation;
    if (e.state === "open") {
      if (now < e.openUntil) return undefined;
      e.state = "half-open";
    }
    if (e.probe) return undefined;
    let settle!: () => void;
    const settled = new Promise<void>((r) => (settle = r));
    e.probe = { settled, settle };
    return e.generation;
  }

  /**
   * A verdict from a call admitted in an earlier generation (before the breaker last opened) says nothing about the
   * breaker's current state: it neither closes an open breaker nor spends the half-open probe. A missing ticket means
   * "current" (callers that do not track tickets).
   */
  private stale(e: Entry, ticket: BreakerTicket | undefined): boolean {
    return ticket !== undefined && ticket !== e.generation;
  }

  /** A call (a stream: only a completed one) succeeded: close and forget past failures. */
  success(key: string, ticket?: BreakerTicket): void {
    const e = this.entries.get(key);
    if (!e || this.stale(e, ticket)) return;
    this.settleProbe(e);
    e.state = "closed";
    e.failures = 0;
    e.failedProbes = 0;
    e.openUntil = 0;
  }

  /** A capacity failure: count it; open at the threshold; a failed probe re-opens for the same interval. */
  failure(key: string, now: number, ticket?: BreakerTicket): void {
    const e = this.entry(key);
    if (this.stale(e, ticket)) return;
    if (e.state === "half-open") {
      this.settleProbe(e);
      e.failedProbes += 1;
      this.open(e, now);
      return;
    }
    e.failures += 1;
    // A straggler admitted before the breaker opened must not push the next probe back.
    if (e.state === "closed" && e.failures >= this.options.failureThreshold) this.open(e, now);
  }

  /** The call ended without a capacity verdict (validation/access/model error, cancelled): free the probe slot. */
  release(key: string, ticket?: BreakerTicket): void {
    const e = this.entries.get(key);
    if (e && !this.stale(e, ticket)) this.settleProbe(e);
  }

  /** Earliest time one of `keys` admits a request again (now if any already does); undefined if none is known. */
  earliestRecovery(keys: readonly string[], now: number): number | undefined {
    let best: number | undefined;
    for (const k of keys) {
      const e = this.entries.get(k);
      if (!e || e.state === "closed") return now;
      if (e.state === "open") best = best === undefined ? Math.max(now, e.openUntil) : Math.min(best, Math.max(now, e.openUntil));
      else if (!e.probe) return now;
    }
    return best;
  }

  /** Settles when any in-flight probe among `keys` settles; undefined when none is in flight. */
  probeSettled(keys: readonly string[]): Promise<void> | undefined {
    const probes = keys.map((k) => this.entries.get(k)?.probe?.settled).filter((p): p is Promise<void> => p !== undefined);
    return probes.length ? Promise.race(probes) : undefined;
  }

  view(key: string, now: number): BreakerView {
    const e = this.entries.get(key) ?? { state: "closed" as const, generation: 0, failures: 0, failedProbes: 0, openUntil: 0 };
    const state: BreakerState = e.state === "open" && now >= e.openUntil ? "half-open" : e.state;
    return {
      invokeId: key,
      state,
      consecutiveFailures: e.failures,
      failedProbes: e.failedProbes,
      ...(e.state === "closed" ? {} : { openUntil: e.openUntil }),
      probeInFlight: e.probe !== undefined,
    };
  }

  /** Every model the breakers have seen fail or probe. */
  keys(): string[] {
    return [...this.entries.keys()];
  }

  private open(e: Entry, now: number): void {
    e.generation += 1;
    e.state = "open";
    e.openUntil = now + this.options.probeIntervalMs;
  }

  private settleProbe(e: Entry): void {
    if (!e.probe) return;
    e.probe.settle();
    e.probe = undefined;
  }
}
