import { QuotaEstimates, type SharedQuota } from "../../client/quota-estimate";

// QuotaEstimates with the fleet's view beside it: the fleet answers first, the local estimate whenever the fleet has
// no word, and every call's reservation, charge, refusal and throttle reaches both.

const KEY = "us.model-a";
const QUOTA = { tokensPerMinute: 10_000, outputBurndown: 5 };

function sharedQuota(answer: () => number | undefined) {
  const log: string[] = [];
  const shared: SharedQuota = {
    waitFor: () => answer(),
    reserve: (key, _q, tokens) => {
      log.push(`reserve ${key} ${tokens}`);
      return { settle: (charged) => void log.push(`settle ${charged}`), release: () => void log.push("release") };
    },
    throttled: (key, _q, tokens) => void log.push(`throttled ${key} ${tokens}`),
    view: () => ({ state: "shared", tokensPerMinute: 10_000, leaseTokens: 0 }),
  };
  return { shared, log };
}

describe("QuotaEstimates with a shared view", () => {
  it("takes the fleet's answer over its own, and its own when the fleet has none", () => {
    let fleet: number | undefined = 4_000;
    const { shared } = sharedQuota(() => fleet);
    const q = new QuotaEstimates({}, shared);
    // Locally the bucket is full: 0. The fleet says wait 4 s.
    expect(q.waitFor(KEY, QUOTA, 1_000, 0)).toBe(4_000);
    expect(q.hasRoom(KEY, QUOTA, 1_000, 0)).toBe(false);
    fleet = 0;
    // Locally 10,000 of 10,000 are taken now; the fleet's word still wins while it has one.
    q.reserve(KEY, QUOTA, 10_000, 0);
    expect(q.waitFor(KEY, QUOTA, 1_000, 0)).toBe(0);
    fleet = undefined;
    expect(q.waitFor(KEY, QUOTA, 1_000, 0)).toBe(6_000);
  });

  it("tells the fleet each reservation, its charge (burndown applied, cache reads free) or its refusal, once, and each throttle", () => {
    const { shared, log } = sharedQuota(() => 0);
    const q = new QuotaEstimates({}, shared);
    const a = q.reserve(KEY, QUOTA, 1_512, 0);
    a.settle({ inputTokens: 1_000, outputTokens: 256, totalTokens: 1_256, cacheReadInputTokens: 500 }, 10);
    a.settle({ inputTokens: 1_000, outputTokens: 256, totalTokens: 1_256 }, 20);
    const b = q.reserve(KEY, QUOTA, 1_512, 30);
    b.release(40);
    b.release(50);
    const c = q.reserve(KEY, QUOTA, 700, 60);
    c.settle(undefined, 70);
    q.throttled(KEY, QUOTA, 1_512, 80);
    expect(log).toEqual([`reserve ${KEY} 1512`, "settle 2280", `reserve ${KEY} 1512`, "release", `reserve ${KEY} 700`, "settle 700", `throttled ${KEY} 1512`]);
  });

  it("shows the fleet's view beside its own", () => {
    const { shared } = sharedQuota(() => 0);
    const q = new QuotaEstimates({}, shared);
    expect(q.view(KEY, QUOTA, 0)).toMatchObject({ source: "document", tokensAvailable: 10_000, shared: { state: "shared", tokensPerMinute: 10_000 } });
    expect(new QuotaEstimates().view(KEY, QUOTA, 0).shared).toBeUndefined();
  });
});
