import { backoffDelay } from "../../client/backoff";
import { CircuitBreakers } from "../../client/circuit-breaker";

const M = "us.model-a";
const N = "us.model-b";

function failTimes(b: CircuitBreakers, key: string, n: number, now: number) {
  for (let i = 0; i < n; i++) b.failure(key, now);
}

describe("CircuitBreakers", () => {
  const opts = { failureThreshold: 3, probeIntervalMs: 1000 };

  it("opens only at the threshold of consecutive capacity failures", () => {
    const b = new CircuitBreakers(opts);
    failTimes(b, M, opts.failureThreshold - 1, 0);
    expect(b.view(M, 0).state).toBe("closed");
    expect(b.admit(M, 0)).toBeDefined();
    b.failure(M, 10);
    expect(b.view(M, 10)).toMatchObject({ state: "open", openUntil: 10 + opts.probeIntervalMs, consecutiveFailures: opts.failureThreshold });
    expect(b.admit(M, 10 + opts.probeIntervalMs - 1)).toBeUndefined();
  });

  it("a success in between resets the count (failures must be consecutive)", () => {
    const b = new CircuitBreakers(opts);
    failTimes(b, M, 2, 0);
    b.success(M);
    failTimes(b, M, 2, 0);
    expect(b.view(M, 0)).toMatchObject({ state: "closed", consecutiveFailures: 2 });
  });

  it("admits exactly one half-open probe after the probe interval; its success closes the breaker", () => {
    const b = new CircuitBreakers(opts);
    failTimes(b, M, 3, 0);
    const t = opts.probeIntervalMs;
    expect(b.view(M, t).state).toBe("half-open");
    expect(b.admit(M, t)).toBeDefined();
    expect(b.admit(M, t)).toBeUndefined();
    expect(b.view(M, t).probeInFlight).toBe(true);
    b.success(M);
    expect(b.view(M, t)).toMatchObject({ state: "closed", consecutiveFailures: 0, probeInFlight: false });
    expect(b.admit(M, t)).toBeDefined();
    expect(b.admit(M, t)).toBeDefined();
  });

  it("probes on a fixed schedule while the model keeps failing: every failed probe waits the same interval, never longer", () => {
    const b = new CircuitBreakers(opts);
    failTimes(b, M, 3, 0);
    let now = opts.probeIntervalMs;
    const gaps: number[] = [];
    for (let i = 0; i < 30; i++) {
      // Not a millisecond early...
      expect(b.admit(M, now - 1)).toBeUndefined();
      expect(b.admit(M, now)).toBeDefined();
      b.failure(M, now);
      const v = b.view(M, now);
      expect(v).toMatchObject({ state: "open", failedProbes: i + 1 });
      gaps.push(v.openUntil! - now);
      now = v.openUntil!;
    }
    expect(new Set(gaps)).toEqual(new Set([opts.probeIntervalMs]));
    // A success forgets the failed probes: the next opening starts the same schedule.
    expect(b.admit(M, now)).toBeDefined();
    b.success(M);
    expect(b.view(M, now)).toMatchObject({ state: "closed", failedProbes: 0 });
    failTimes(b, M, 3, now);
    expect(b.view(M, now).openUntil).toBe(now + opts.probeIntervalMs);
  });

  it("at most one probe is in flight: `available` only looks, `admit` claims the probe", () => {
    const b = new CircuitBreakers(opts);
    failTimes(b, M, 3, 0);
    const t = opts.probeIntervalMs;
    expect(b.available(M, t - 1)).toBe(false);
    expect(b.available(M, t)).toBe(true);
    expect(b.available(M, t)).toBe(true); // looking twice claims nothing
    expect(b.admit(M, t)).toBeDefined();
    expect(b.available(M, t)).toBe(false);
    expect(b.admit(M, t + 10 * opts.probeIntervalMs)).toBeUndefined(); // however long the probe takes
    b.release(M);
    expect(b.available(M, t)).toBe(true);
    expect(b.available(N, 0)).toBe(true); // never seen: closed
  });

  it("a single model is never cooled out for good: it always admits a probe once the interval ends", () => {
    const b = new CircuitBreakers(opts);
    let now = 0;
    failTimes(b, M, 3, now);
    for (let i = 0; i < 20; i++) {
      const until = b.view(M, now).openUntil!;
      expect(until - now).toBe(opts.probeIntervalMs);
      now = until;
      expect(b.admit(M, now)).toBeDefined();
      b.failure(M, now);
    }
  });

  it("a neutral outcome (non-capacity error, cancel) frees the probe slot without closing", () => {
    const b = new CircuitBreakers(opts);
    failTimes(b, M, 3, 0);
    expect(b.admit(M, 1000)).toBeDefined();
    b.release(M);
    expect(b.view(M, 1000)).toMatchObject({ state: "half-open", probeInFlight: false });
    expect(b.admit(M, 1000)).toBeDefined();
  });

  it("a straggler failure while open does not push the next probe back", () => {
    const b = new CircuitBreakers(opts);
    failTimes(b, M, 3, 0);
    b.failure(M, 900);
    expect(b.view(M, 900).openUntil).toBe(opts.probeIntervalMs);
  });

  it("earliestRecovery is the soonest openUntil, or now when any candidate is available", () => {
    const b = new CircuitBreakers(opts);
    failTimes(b, M, 3, 0);
    failTimes(b, N, 3, 400);
    expect(b.earliestRecovery([M, N], 100)).toBe(opts.probeIntervalMs);
    expect(b.earliestRecovery([N], 100)).toBe(400 + opts.probeIntervalMs);
    expect(b.earliestRecovery([M, "us.other"], 100)).toBe(100);
    // Both half-open with probes in flight: no time is known, only the probes' settling.
    b.admit(M, 2000);
    b.admit(N, 2000);
    expect(b.earliestRecovery([M, N], 2000)).toBeUndefined();
    const settled = b.probeSettled([M, N]);
    expect(settled).toBeInstanceOf(Promise);
    b.release(N);
    return expect(settled).resolves.toBeUndefined();
  });

  describe("verdicts of calls admitted before the breaker last opened (stragglers)", () => {
    /** Three calls admitted while closed; the first two fail and the third is still in flight when the breaker opens. */
    function openWithStraggler() {
      const b = new CircuitBreakers(opts);
      const tickets = [b.admit(M, 0), b.admit(M, 0), b.admit(M, 0), b.admit(M, 0)];
      b.failure(M, 10, tickets[0]);
      b.failure(M, 10, tickets[1]);
      b.failure(M, 10, tickets[2]);
      expect(b.view(M, 10).state).toBe("open");
      return { b, straggler: tickets[3] };
    }

    it("a late success does not close an open breaker", () => {
      const { b, straggler } = openWithStraggler();
      b.success(M, straggler);
      expect(b.view(M, 20)).toMatchObject({ state: "open", openUntil: 10 + opts.probeIntervalMs, consecutiveFailures: 3 });
      expect(b.admit(M, 20)).toBeUndefined();
    });

    it("a late success or release does not settle the half-open probe; the probe's own verdict does", () => {
      const { b, straggler } = openWithStraggler();
      const t = 10 + opts.probeIntervalMs;
      const probe = b.admit(M, t);
      expect(probe).toBeDefined();
      b.success(M, straggler);
      b.release(M, straggler);
      expect(b.view(M, t)).toMatchObject({ state: "half-open", probeInFlight: true });
      expect(b.admit(M, t)).toBeUndefined();
      b.success(M, probe);
      expect(b.view(M, t)).toMatchObject({ state: "closed", consecutiveFailures: 0 });
    });

    it("a late failure neither re-opens a half-open breaker nor counts as a failed probe", () => {
      const { b, straggler } = openWithStraggler();
      const t = 10 + opts.probeIntervalMs;
      b.admit(M, t);
      b.failure(M, t, straggler);
      expect(b.view(M, t)).toMatchObject({ state: "half-open", probeInFlight: true, failedProbes: 0 });
    });

    it("a failed probe starts a new generation: verdicts of the probe's own generation are stale after it", () => {
      const { b } = openWithStraggler();
      const t = 10 + opts.probeIntervalMs;
      const probe = b.admit(M, t);
      b.failure(M, t, probe);
      expect(b.view(M, t).state).toBe("open");
      b.success(M, probe);
      expect(b.view(M, t).state).toBe("open");
    });
  });

  it("rejects nonsensical options", () => {
    expect(() => new CircuitBreakers({ failureThreshold: 0 })).toThrow(/failureThreshold/);
    expect(() => new CircuitBreakers({ probeIntervalMs: 0 })).toThrow(/probeIntervalMs/);
    expect(() => new CircuitBreakers({ probeIntervalMs: Number.POSITIVE_INFINITY })).toThrow(/probeIntervalMs/);
  });
});

describe("backoffDelay (full jitter)", () => {
  const o = { baseMs: 100, capMs: 1000 };
  it("draws uniformly below min(cap, base * 2^retry)", () => {
    expect([0, 1, 2, 3, 4, 10].map((r) => backoffDelay(r, o, () => 0.5))).toEqual([50, 100, 200, 400, 500, 500]);
    expect(backoffDelay(3, o, () => 0)).toBe(0);
    expect(backoffDelay(3, o, () => 0.999999)).toBeLessThan(800);
  });
});
