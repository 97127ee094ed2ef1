import { backoffDelay } from "../../client/backoff";
import { CircuitBreakers } from "../../client/circuit-breaker";

const M = "us.model-a";
const N = "us.model-b";

function failTimes(b: CircuitBreakers, key: string, n: number, now: number) {
  for (let i = 0; i < n; i++) b.failure(key, now);
}

describe("CircuitBreakers", () => {
  const opts = { failureThreshold: 3, cooldownMs: 1000, maxCooldownMs: 3500 };

  it("opens only at the threshold of consecutive capacity failures", () => {
    const b = new CircuitBreakers(opts);
    failTimes(b, M, opts.failureThreshold - 1, 0);
    expect(b.view(M, 0).state).toBe("closed");
    expect(b.admit(M, 0)).toBe(true);
    b.failure(M, 10);
    expect(b.view(M, 10)).toMatchObject({ state: "open", openUntil: 10 + opts.cooldownMs, consecutiveFailures: opts.failureThreshold });
    expect(b.admit(M, 10 + opts.cooldownMs - 1)).toBe(false);
  });

  it("a success in between resets the count (failures must be consecutive)", () => {
    const b = new CircuitBreakers(opts);
    failTimes(b, M, 2, 0);
    b.success(M);
    failTimes(b, M, 2, 0);
    expect(b.view(M, 0)).toMatchObject({ state: "closed", consecutiveFailures: 2 });
  });

  it("admits exactly one half-open probe after the cooldown; its success closes the breaker", () => {
    const b = new CircuitBreakers(opts);
    failTimes(b, M, 3, 0);
    const t = opts.cooldownMs;
    expect(b.view(M, t).state).toBe("half-open");
    expect(b.admit(M, t)).toBe(true);
    expect(b.admit(M, t)).toBe(false);
    expect(b.view(M, t).probeInFlight).toBe(true);
    b.success(M);
    expect(b.view(M, t)).toMatchObject({ state: "closed", consecutiveFailures: 0, probeInFlight: false });
    expect(b.admit(M, t)).toBe(true);
    expect(b.admit(M, t)).toBe(true);
  });

  it("a failed probe re-opens with a doubled cooldown, capped at maxCooldownMs", () => {
    const b = new CircuitBreakers(opts);
    failTimes(b, M, 3, 0);
    let now = opts.cooldownMs;
    const seen: number[] = [];
    for (let i = 0; i < 4; i++) {
      expect(b.admit(M, now)).toBe(true);
      b.failure(M, now);
      const v = b.view(M, now);
      seen.push(v.cooldownMs);
      expect(v.state).toBe("open");
      expect(v.openUntil).toBe(now + v.cooldownMs);
      now = v.openUntil!;
    }
    expect(seen).toEqual([2000, 3500, 3500, 3500]);
    // Success resets the next cooldown to the base value.
    expect(b.admit(M, now)).toBe(true);
    b.success(M);
    failTimes(b, M, 3, now);
    expect(b.view(M, now).cooldownMs).toBe(opts.cooldownMs);
  });

  it("a single model is never cooled out for good: it always admits a probe once its cooldown ends", () => {
    const b = new CircuitBreakers(opts);
    let now = 0;
    failTimes(b, M, 3, now);
    for (let i = 0; i < 20; i++) {
      const until = b.view(M, now).openUntil!;
      expect(until - now).toBeLessThanOrEqual(opts.maxCooldownMs);
      now = until;
      expect(b.admit(M, now)).toBe(true);
      b.failure(M, now);
    }
  });

  it("a neutral outcome (non-capacity error, cancel) frees the probe slot without closing", () => {
    const b = new CircuitBreakers(opts);
    failTimes(b, M, 3, 0);
    expect(b.admit(M, 1000)).toBe(true);
    b.release(M);
    expect(b.view(M, 1000)).toMatchObject({ state: "half-open", probeInFlight: false });
    expect(b.admit(M, 1000)).toBe(true);
  });

  it("a straggler failure while open does not extend the cooldown", () => {
    const b = new CircuitBreakers(opts);
    failTimes(b, M, 3, 0);
    b.failure(M, 900);
    expect(b.view(M, 900).openUntil).toBe(opts.cooldownMs);
  });

  it("earliestRecovery is the soonest openUntil, or now when any candidate is available", () => {
    const b = new CircuitBreakers(opts);
    failTimes(b, M, 3, 0);
    failTimes(b, N, 3, 400);
    expect(b.earliestRecovery([M, N], 100)).toBe(opts.cooldownMs);
    expect(b.earliestRecovery([N], 100)).toBe(400 + opts.cooldownMs);
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

  it("rejects nonsensical options", () => {
    expect(() => new CircuitBreakers({ failureThreshold: 0 })).toThrow(/failureThreshold/);
    expect(() => new CircuitBreakers({ cooldownMs: 10, maxCooldownMs: 5 })).toThrow(/cooldownMs/);
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
