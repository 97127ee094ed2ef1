import { QuotaEstimates } from "../../client/quota-estimate";

const M = "us.model-a";
const MINUTE = 60_000;
/** 1,000 input tokens + maxTokens 512. */
const RESERVE = 1512;
const usage = (inputTokens: number, outputTokens: number) => ({ inputTokens, outputTokens, totalTokens: inputTokens + outputTokens });

describe("QuotaEstimates with the document's quota", () => {
  const quota = { tokensPerMinute: 6000, outputBurndown: 5 };

  it("starts full, holds each reservation until the call ends, and refuses what does not fit", () => {
    const q = new QuotaEstimates();
    expect(q.hasRoom(M, quota, RESERVE, 0)).toBe(true);
    const holds = [1, 2, 3].map(() => q.reserve(M, quota, RESERVE, 0));
    expect(q.view(M, quota, 0)).toMatchObject({ source: "document", tokensPerMinute: 6000, tokensAvailable: 6000 - 3 * RESERVE, inFlight: 3, reservedInFlight: 3 * RESERVE });
    // 1,464 left: a fourth reservation does not fit.
    expect(q.hasRoom(M, quota, RESERVE, 0)).toBe(false);
    // 48 tokens short at 100 tokens/s.
    expect(q.waitFor(M, quota, RESERVE, 0)).toBe(480);
    expect(q.hasRoom(M, quota, RESERVE, 480)).toBe(true);
    holds.forEach((h) => h.release(480));
    expect(q.view(M, quota, 480)).toMatchObject({ tokensAvailable: 6000, inFlight: 0, reservedInFlight: 0 });
  });

  it("corrects a finished call to input + output × burndown, which may exceed the reservation", () => {
    const q = new QuotaEstimates();
    const h = q.reserve(M, quota, RESERVE, 0);
    h.settle(usage(1000, 256), 0);
    expect(q.view(M, quota, 0).tokensAvailable).toBe(6000 - (1000 + 256 * 5));
    // Settling twice changes nothing.
    h.settle(usage(1000, 256), 0);
    h.release(0);
    expect(q.view(M, quota, 0)).toMatchObject({ tokensAvailable: 6000 - 2280, inFlight: 0 });
  });

  it("charges cache writes but not cache reads, and the whole reservation when no usage came back", () => {
    const q = new QuotaEstimates();
    q.reserve(M, { tokensPerMinute: 10_000 }, RESERVE, 0).settle({ inputTokens: 100, outputTokens: 10, totalTokens: 1010, cacheWriteInputTokens: 200, cacheReadInputTokens: 700 }, 0);
    expect(q.view(M, { tokensPerMinute: 10_000 }, 0).tokensAvailable).toBe(10_000 - 310);
    q.reserve(M, { tokensPerMinute: 10_000 }, RESERVE, 0).settle(undefined, 0);
    expect(q.view(M, { tokensPerMinute: 10_000 }, 0).tokensAvailable).toBe(10_000 - 310 - RESERVE);
  });

  it("refills continuously, one quota per minute, never above the quota", () => {
    const q = new QuotaEstimates();
    q.reserve(M, quota, RESERVE, 0).settle(usage(1000, 256), 0);
    expect(q.view(M, quota, 15_000).tokensAvailable).toBe(6000 - 2280 + 1500);
    expect(q.view(M, quota, 10 * MINUTE).tokensAvailable).toBe(6000);
  });

  it("a throttle empties the estimate whatever it said (the pool is shared); it refills from there", () => {
    const q = new QuotaEstimates();
    expect(q.hasRoom(M, quota, RESERVE, 0)).toBe(true);
    q.throttled(M, quota, RESERVE, 0);
    expect(q.hasRoom(M, quota, RESERVE, 0)).toBe(false);
    expect(q.waitFor(M, quota, RESERVE, 0)).toBe(15_120); // 1,512 tokens at 100 tokens/s
    // The document's quota stays the one in force.
    expect(q.view(M, quota, 0)).toMatchObject({ source: "document", tokensPerMinute: 6000, tokensAvailable: 0 });
  });

  it("a call that can never fit the quota waits forever (the router then tries it anyway)", () => {
    const q = new QuotaEstimates();
    expect(q.waitFor(M, { tokensPerMinute: 1000 }, RESERVE, 0)).toBe(Number.POSITIVE_INFINITY);
    expect(q.waitFor(M, { tokensPerMinute: 0 }, RESERVE, 0)).toBe(Number.POSITIVE_INFINITY);
  });

  it("gates on requests per minute when the document gives one", () => {
    const q = new QuotaEstimates();
    const rpm = { tokensPerMinute: 1_000_000, requestsPerMinute: 2 };
    q.reserve(M, rpm, RESERVE, 0).settle(usage(1000, 10), 0);
    q.reserve(M, rpm, RESERVE, 0).release(0); // a refused call gives its request back
    q.reserve(M, rpm, RESERVE, 0);
    expect(q.hasRoom(M, rpm, RESERVE, 0)).toBe(false);
    expect(q.waitFor(M, rpm, RESERVE, 0)).toBe(30_000);
  });

  it("runs on a shorter quota period when told to (a time-compressed stand-in)", () => {
    const q = new QuotaEstimates({ minuteMs: 3000 });
    q.throttled(M, quota, RESERVE, 0);
    expect(q.waitFor(M, quota, RESERVE, 0)).toBe(756); // 1,512 tokens at 2,000 tokens/s
    expect(q.view(M, quota, 1500).tokensAvailable).toBe(3000);
  });
});

describe("QuotaEstimates without a document quota", () => {
  it("does not gate until a throttle, then learns what this client had in play over the last minute", () => {
    const q = new QuotaEstimates();
    for (let t = 0; t < 20; t++) q.reserve(M, undefined, RESERVE, t * 1000).settle(usage(1000, 256), t * 1000);
    const held = q.reserve(M, undefined, RESERVE, 20_000);
    expect(q.view(M, undefined, 20_000)).toMatchObject({ source: "unknown", inFlight: 1 });
    expect(q.view(M, undefined, 20_000).tokensPerMinute).toBeUndefined();
    expect(q.hasRoom(M, undefined, 1e9, 20_000)).toBe(true);
    q.throttled(M, undefined, RESERVE, 20_000);
    // 20 × 1,256 charged (burndown unknown: 1) + 1,512 held.
    expect(q.view(M, undefined, 20_000)).toMatchObject({ source: "learned", tokensPerMinute: 20 * 1256 + RESERVE, tokensAvailable: 0 });
    expect(q.hasRoom(M, undefined, RESERVE, 20_000)).toBe(false);
    // The held call ends: its unused reservation comes back.
    held.settle(usage(1000, 100), 20_000);
    expect(q.view(M, undefined, 20_000).tokensAvailable).toBe(RESERVE - 1100);
  });

  it("charges older than a minute do not count; with little history one throttle keeps a model empty 5 s, not a minute", () => {
    const q = new QuotaEstimates();
    for (let i = 0; i < 20; i++) q.reserve(M, undefined, RESERVE, 0).settle(usage(1000, 256), 0);
    q.throttled(M, undefined, RESERVE, MINUTE + 1);
    expect(q.view(M, undefined, MINUTE + 1).tokensPerMinute).toBe(12 * RESERVE);
    expect(q.waitFor(M, undefined, RESERVE, MINUTE + 1)).toBe(5000);
  });

  it("forgets a learned quota after the lapse, so a raised quota is found again", () => {
    const q = new QuotaEstimates({ learnedLapseMinutes: 5 });
    q.throttled(M, undefined, RESERVE, 0);
    expect(q.view(M, undefined, 5 * MINUTE - 1).source).toBe("learned");
    expect(q.view(M, undefined, 5 * MINUTE).source).toBe("unknown");
    expect(q.hasRoom(M, undefined, 1e6, 5 * MINUTE)).toBe(true);
  });

  it("keeps one estimate per model", () => {
    const q = new QuotaEstimates();
    q.throttled("us.a", { tokensPerMinute: 5000 }, RESERVE, 0);
    expect(q.hasRoom("us.a", { tokensPerMinute: 5000 }, RESERVE, 0)).toBe(false);
    expect(q.hasRoom("us.b", { tokensPerMinute: 5000 }, RESERVE, 0)).toBe(true);
  });

  it("refuses nonsensical settings", () => {
    expect(() => new QuotaEstimates({ minuteMs: 0 })).toThrow(/minuteMs/);
    expect(() => new QuotaEstimates({ learnedLapseMinutes: 0 })).toThrow(/learnedLapseMinutes/);
  });
});
