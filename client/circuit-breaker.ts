/**
 * Per-model circuit breaker (one per invoke ID). Only capacity failures count; a model that keeps failing for capacity
 * is left alone for a fixed probe interval, then admits exactly one probe (half-open): success closes it, another
 * capacity failure leaves it alone for the same interval again. The schedule is bounded on purpose: a cooldown that
 * doubled after each failed probe kept a recovered primary unused for up to twice the last cooldown (about 110 s in the
 * issue-11 measurement), while its fallback ran out of quota. Cooling is never permanent, so a single-model route
 * always comes back, and at most one probe per model is ever in flight. With a quota store (client/fleet-breaker.ts)
 * openings are shared: an instance whose breaker opens tells the fleet, the others stop calling the model at once, and
 * only the instance that opened it probes; the rest wait for its verdict (at most one more probe interval, after which
 * they probe themselves: the prober may be gone).
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
  /** Opened by another instance of the fleet (quota store), which probes; absent otherwise. */
  readonly openedElsewhere?: boolean;
}

/**
 * What `admit` hands out: the breaker generation the call was admitted in. A generation ends each time the breaker
 * opens, so the verdict of a call admitted before that (a straggler) is told apart from the probe's and ignored.
 */
export type BreakerTicket = number;

/** The fleet's side of the breakers (client/fleet-breaker.ts). */
export interface BreakerFleet {
  /** Hands the fleet the breakers it reports other instances' openings and verdicts to. */
  bind(breakers: FleetControlledBreakers): void;
  /** This instance's breaker for `key` opened (threshold, or a failed probe) until `until`. */
  opened(key: string, until: number, now: number): void;
  /** This instance's probe of `key` succeeded. */
  closed(key: string): void;
  /** Another instance probes `key` for the fleet and its verdict is still due: do not probe too. */
  probedElsewhere(key: string, now: number): boolean;
}

/** What the fleet may do to the breakers. */
export interface FleetControlledBreakers {
  /** Another instance opened `key` until `until` and probes it. */
  openedElsewhere(key: string, until: number): void;
  /** The fleet's opening of `key` ended (its prober's probe succeeded). */
  closedElsewhere(key: string): void;
}

interface Entry {
  state: BreakerState;
  /** Opened by another instance, which probes; this one waits for the verdict. */
  remote?: boolean;
  /** Incremented every time the breaker opens. */
  generation: number;
  failures: number;
  failedProbes: number;
  openUntil: number;
  probe?: { settled: Promise<void>; settle: () => void };
}

export class CircuitBreakers implements FleetControlledBreakers {
  private readonly entries = new Map<string, Entry>();
  readonly options: BreakerOptions;

  constructor(
    options: Partial<BreakerOptions> = {},
    /** Shares openings through a quota store when given. */
    private readonly fleet?: BreakerFleet,
  ) {
    this.options = { ...DEFAULT_BREAKER, ...options };
    const o = this.options;
    if (!Number.isInteger(o.failureThreshold) || o.failureThreshold < 1) throw new Error(`failureThreshold must be a positive integer, got ${o.failureThreshold}`);
    if (!(o.probeIntervalMs > 0) || !Number.isFinite(o.probeIntervalMs)) throw new Error(`probeIntervalMs must be a positive number of ms, got ${o.probeIntervalMs}`);
    fleet?.bind(this);
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
    if (e.state === "open" && (now < e.openUntil || this.awaitingVerdict(key, e, now))) return false;
    return e.probe === undefined;
  }

  /** Open by another instance's word, whose probe's verdict is still due (within one probe interval of its turn). */
  private awaitingVerdict(key: string, e: Entry, now: number): boolean {
    return e.remote === true && now < e.openUntil + this.options.probeIntervalMs && this.fleet?.probedElsewhere(key, now) === true;
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
      if (now < e.openUntil || this.awaitingVerdict(key, e, now)) return undefined;
      e.state = "half-open";
      e.remote = false;
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
    if (e.state !== "closed") this.fleet?.closed(key);
    e.state = "closed";
    e.remote = false;
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
      this.open(key, e, now);
      return;
    }
    e.failures += 1;
    // A straggler admitted before the breaker opened must not push the next probe back.
    if (e.state === "closed" && e.failures >= this.options.failureThreshold) this.open(key, e, now);
  }

  openedElsewhere(key: string, until: number): void {
    const e = this.entry(key);
    // A probe of this instance's own in flight reports for itself.
    if (e.state === "half-open" && e.probe) return;
    // Calls admitted before the fleet's opening are stragglers now: their verdicts must not close or re-open it.
    if (e.state === "closed") e.generation += 1;
    e.state = "open";
    e.remote = true;
    e.openUntil = until;
  }

  closedElsewhere(key: string): void {
    const e = this.entries.get(key);
    if (!e || !e.remote || e.probe) return;
    e.state = "closed";
    e.remote = false;
    e.failures = 0;
    e.failedProbes = 0;
    e.openUntil = 0;
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
      if (e.state === "open") {
        // Waiting for another instance's verdict: the latest it may come is one probe interval after its turn.
        const at = Math.max(now, this.awaitingVerdict(k, e, now) ? e.openUntil + this.options.probeIntervalMs : e.openUntil);
        best = best === undefined ? at : Math.min(best, at);
      } else if (!e.probe) return now;
    }
    return best;
  }

  /** Settles when any in-flight probe among `keys` settles; undefined when none is in flight. */
  probeSettled(keys: readonly string[]): Promise<void> | undefined {
    const probes = keys.map((k) => this.entries.get(k)?.probe?.settled).filter((p): p is Promise<void> => p !== undefined);
    return probes.length ? Promise.race(probes) : undefined;
  }

  view(key: string, now: number): BreakerView {
    const e: Entry = this.entries.get(key) ?? { state: "closed", generation: 0, failures: 0, failedProbes: 0, openUntil: 0 };
    const waiting = e.state === "open" && this.awaitingVerdict(key, e, now);
    const state: BreakerState = e.state === "open" && now >= e.openUntil && !waiting ? "half-open" : e.state;
    return {
      invokeId: key,
      state,
      consecutiveFailures: e.failures,
      failedProbes: e.failedProbes,
      ...(e.state === "closed" ? {} : { openUntil: e.openUntil }),
      probeInFlight: e.probe !== undefined,
      ...(e.remote ? { openedElsewhere: true } : {}),
    };
  }

  /** Every model the breakers have seen fail or probe. */
  keys(): string[] {
    return [...this.entries.keys()];
  }

  private open(key: string, e: Entry, now: number): void {
    e.generation += 1;
    e.state = "open";
    e.remote = false;
    e.openUntil = now + this.options.probeIntervalMs;
    this.fleet?.opened(key, e.openUntil, now);
  }

  private settleProbe(e: Entry): void {
    if (!e.probe) return;
    e.probe.settle();
    e.probe = undefined;
  }
}
