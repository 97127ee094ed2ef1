/**
 * Per-model circuit breaker (one per invoke ID). Only capacity failures count; a model that keeps failing for capacity
 * cools down, then admits exactly one probe (half-open): success closes it, another capacity failure re-opens it with a
 * doubled cooldown (up to a cap). Cooling is never permanent, so a single-model route always comes back.
 */
export interface BreakerOptions {
  /** Consecutive capacity failures that open the breaker. Default: 3. */
  readonly failureThreshold: number;
  /** First cooldown once open. Default: 30 000 ms. */
  readonly cooldownMs: number;
  /** Longest cooldown after repeated failed probes (each doubles it). Default: 300 000 ms. */
  readonly maxCooldownMs: number;
}

export const DEFAULT_BREAKER: BreakerOptions = { failureThreshold: 3, cooldownMs: 30_000, maxCooldownMs: 300_000 };

export type BreakerState = "closed" | "open" | "half-open";

/** What `router.breakers()` shows for one model. */
export interface BreakerView {
  readonly invokeId: string;
  /** `half-open` covers both "cooldown elapsed, next request probes" and "probe in flight". */
  readonly state: BreakerState;
  readonly consecutiveFailures: number;
  /** Cooldown applied the last time it opened (the next one doubles it if the probe fails). */
  readonly cooldownMs: number;
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
  cooldownMs: number;
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
    if (!(o.cooldownMs > 0) || !(o.maxCooldownMs >= o.cooldownMs)) throw new Error(`need 0 < cooldownMs <= maxCooldownMs, got ${o.cooldownMs} and ${o.maxCooldownMs}`);
  }

  private entry(key: string): Entry {
    let e = this.entries.get(key);
    if (!e) {
      e = { state: "closed", generation: 0, failures: 0, cooldownMs: this.options.cooldownMs, openUntil: 0 };
      this.entries.set(key, e);
    }
    return e;
  }

  /**
   * May a request go to `key` now? Closed: yes. Open: no until the cooldown ends; then the first caller becomes the
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

  /** A call (a stream: only a completed one) succeeded: close and forget past cooldowns. */
  success(key: string, ticket?: BreakerTicket): void {
    const e = this.entries.get(key);
    if (!e || this.stale(e, ticket)) return;
    this.settleProbe(e);
    e.state = "closed";
    e.failures = 0;
    e.cooldownMs = this.options.cooldownMs;
    e.openUntil = 0;
  }

  /** A capacity failure: count it; open at the threshold; a failed probe re-opens with a doubled cooldown. */
  failure(key: string, now: number, ticket?: BreakerTicket): void {
    const e = this.entry(key);
    if (this.stale(e, ticket)) return;
    if (e.state === "half-open") {
      this.settleProbe(e);
      e.cooldownMs = Math.min(this.options.maxCooldownMs, e.cooldownMs * 2);
      this.open(e, now);
      return;
    }
    e.failures += 1;
    // A straggler admitted before the breaker opened must not extend the cooldown.
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
    const e = this.entries.get(key) ?? { state: "closed" as const, generation: 0, failures: 0, cooldownMs: this.options.cooldownMs, openUntil: 0 };
    const state: BreakerState = e.state === "open" && now >= e.openUntil ? "half-open" : e.state;
    return {
      invokeId: key,
      state,
      consecutiveFailures: e.failures,
      cooldownMs: e.cooldownMs,
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
    e.openUntil = now + e.cooldownMs;
  }

  private settleProbe(e: Entry): void {
    if (!e.probe) return;
    e.probe.settle();
    e.probe = undefined;
  }
}
