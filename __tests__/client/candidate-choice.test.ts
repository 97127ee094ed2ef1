import { chooseCandidate, type BreakerGate } from "../../client/candidate-choice";
import { QuotaEstimates } from "../../client/quota-estimate";

const RESERVE = 1512;
const quota = { tokensPerMinute: 6000 };
const A = { invokeId: "us.a", quota };
const B = { invokeId: "us.b", quota };
const C = { invokeId: "us.c" }; // no document quota: never gated

/** Breakers as a set of open keys; admissions are recorded so a test sees which probe slots were claimed. */
function gate(open: string[] = []): BreakerGate<string> & { admitted: string[] } {
  const admitted: string[] = [];
  return {
    admitted,
    available: (key) => !open.includes(key),
    admit: (key) => {
      if (open.includes(key)) return undefined;
      admitted.push(key);
      return `ticket-${key}`;
    },
  };
}

const choose = (args: { candidates?: (typeof A | typeof C)[]; quotas: QuotaEstimates; breakers?: ReturnType<typeof gate>; skip?: number[]; maxWaitMs?: number; now?: number }) =>
  chooseCandidate({
    candidates: args.candidates ?? [A, B],
    skip: (i) => (args.skip ?? []).includes(i),
    reservedTokens: RESERVE,
    now: args.now ?? 0,
    breakers: args.breakers ?? gate(),
    quotas: args.quotas,
    maxWaitMs: args.maxWaitMs ?? 1000,
  });

describe("chooseCandidate", () => {
  it("takes the first candidate in routing order that has room and an admitting breaker", () => {
    const q = new QuotaEstimates();
    expect(choose({ quotas: q })).toEqual({ kind: "call", index: 0, ticket: "ticket-us.a", overQuota: false });
  });

  it("passes over a primary whose estimate has no room before it can answer 429", () => {
    const q = new QuotaEstimates();
    q.throttled(A.invokeId, quota, RESERVE, 0);
    const breakers = gate();
    expect(choose({ quotas: q, breakers })).toEqual({ kind: "call", index: 1, ticket: "ticket-us.b", overQuota: false });
    // The skipped primary's breaker was only looked at, never admitted (its probe slot is not spent).
    expect(breakers.admitted).toEqual([B.invokeId]);
  });

  it("passes over open breakers and candidates tried in this pass", () => {
    const q = new QuotaEstimates();
    expect(choose({ quotas: q, breakers: gate([A.invokeId]) })).toMatchObject({ kind: "call", index: 1 });
    expect(choose({ quotas: q, skip: [0] })).toMatchObject({ kind: "call", index: 1 });
    expect(choose({ quotas: q, skip: [0, 1] })).toEqual({ kind: "none" });
    expect(choose({ quotas: q, breakers: gate([A.invokeId, B.invokeId]) })).toEqual({ kind: "none" });
  });

  it("waits for the earliest room when no candidate has any and it comes soon", () => {
    const q = new QuotaEstimates();
    q.throttled(A.invokeId, quota, RESERVE, 0);
    q.throttled(B.invokeId, quota, RESERVE, 0);
    q.reserve(A.invokeId, quota, 600, 0); // A is further behind than B
    // B refills 1,512 tokens at 100 tokens/s.
    expect(choose({ quotas: q, maxWaitMs: 20_000 })).toEqual({ kind: "wait", ms: 15_120 });
    expect(choose({ quotas: q, maxWaitMs: 20_000, now: 15_120 })).toMatchObject({ kind: "call", index: 1, overQuota: false });
  });

  it("sends to the first open candidate anyway when room is further off than worth waiting for", () => {
    const q = new QuotaEstimates();
    q.throttled(A.invokeId, quota, RESERVE, 0);
    q.throttled(B.invokeId, quota, RESERVE, 0);
    expect(choose({ quotas: q, maxWaitMs: 100 })).toEqual({ kind: "call", index: 0, ticket: "ticket-us.a", overQuota: true });
    expect(choose({ quotas: q, maxWaitMs: 100, breakers: gate([A.invokeId]) })).toMatchObject({ kind: "call", index: 1, overQuota: true });
    // A reservation larger than the whole quota never fits: no wait is worth it.
    const tiny = { invokeId: "us.tiny", quota: { tokensPerMinute: 1000 } };
    expect(choose({ candidates: [tiny], quotas: new QuotaEstimates(), maxWaitMs: 1e9 })).toMatchObject({ kind: "call", index: 0, overQuota: true });
  });

  it("a candidate with no known quota is never held back", () => {
    const q = new QuotaEstimates();
    q.throttled(A.invokeId, quota, RESERVE, 0);
    expect(choose({ candidates: [A, C], quotas: q })).toMatchObject({ kind: "call", index: 1, overQuota: false });
  });
});
