import { FLEET_SCRIPT, FLEET_SCRIPT_SHA, parseReply, scriptArgs, slotOf, type FleetCallHead, type FleetOp, type FleetReply } from "../../client/fleet-script";
import { storeLink, type StoreLink } from "../../client/quota-store";
import { RespConnection } from "../../client/resp-connection";
import { parseStoreUrl } from "../../client/store-url";
import { describeWithRedis, redisForSuite } from "../redis";

// The store's side of the fleet, run in a real redis-server with explicit times (the script takes `now` from its
// caller), so windows, refills, lease expiry and lapses are checked without waiting.

const MINUTE = 60_000;
const T0 = 1_800_000_000_000;

describeWithRedis("the fleet script in a real redis-server", () => {
  const redis = redisForSuite();
  let conn: RespConnection;
  let key = "";
  let n = 0;
  beforeAll(async () => {
    conn = await RespConnection.open(parseStoreUrl(redis.server.url), { connectTimeoutMs: 5_000 });
  });
  afterAll(() => conn.close());
  beforeEach(() => {
    key = `test:{model-${++n}}`;
  });

  const head = (now: number, over: Partial<FleetCallHead> = {}): FleetCallHead => ({ now, minuteMs: MINUTE, tokensPerMinute: 10_000, requestsPerMinute: 0, instance: "a", leaseTtlMs: 1_000, lapseMs: 5 * MINUTE, need: 1_000, ...over });
  const call = async (now: number, ops: FleetOp[], over: Partial<FleetCallHead> = {}): Promise<FleetReply> => parseReply(await conn.command(["EVAL", FLEET_SCRIPT, "1", key, ...scriptArgs(head(now, over), ops)], 5_000));

  it("keeps Bedrock's bucket: full at first, a reservation takes, the correction settles to the charge, a refusal gives back", async () => {
    expect((await call(T0, [{ op: "sync" }])).freeTokens).toBe(10_000);
    expect((await call(T0, [{ op: "consume", tokens: 1_512, fromLeaseTokens: 0, fromLeaseRequests: 0 }])).freeTokens).toBe(8_488);
    // Charged 1,000 input + 256 output x burndown 5 = 2,280: more than reserved, the bucket goes down again.
    expect((await call(T0, [{ op: "settle", slot: slotOf(T0, MINUTE), reserved: 1_512, charged: 2_280 }])).freeTokens).toBe(7_720);
    const refused = await call(T0, [
      { op: "consume", tokens: 1_512, fromLeaseTokens: 0, fromLeaseRequests: 0 },
      { op: "release", slot: slotOf(T0, MINUTE), reserved: 1_512 },
    ]);
    expect(refused.freeTokens).toBe(7_720);
    // Refilled continuously at one quota per minute, never above one quota.
    expect((await call(T0 + 6_000, [{ op: "sync" }])).freeTokens).toBe(8_720);
    expect((await call(T0 + 10 * MINUTE, [{ op: "sync" }])).freeTokens).toBe(10_000);
  });

  it("never refills backwards: a call stamped a little before the last one (another host's clock) takes nothing extra", async () => {
    await call(T0 + 1_000, [{ op: "consume", tokens: 6_000, fromLeaseTokens: 0, fromLeaseRequests: 0 }]);
    expect((await call(T0 + 900, [{ op: "sync" }], { instance: "behind" })).freeTokens).toBe(4_000);
    // The later clock refills from the latest time the bucket was brought up to date, once.
    expect((await call(T0 + 7_000, [{ op: "sync" }])).freeTokens).toBe(5_000);
  });

  it("leases room atomically: the last room goes to one instance, which spends it without taking twice", async () => {
    await call(T0, [{ op: "consume", tokens: 8_000, fromLeaseTokens: 0, fromLeaseRequests: 0 }]);
    const a = await call(T0, [{ op: "claim", tokens: 1_512, requests: 0 }], { instance: "a" });
    expect(a).toMatchObject({ granted: 1, leaseTokens: 1_512, freeTokens: 488, holders: 1 });
    const b = await call(T0, [{ op: "claim", tokens: 1_512, requests: 0 }], { instance: "b" });
    expect(b).toMatchObject({ granted: 0, leaseTokens: 0, freeTokens: 488 });
    // a spends its lease: the bucket was already charged for it.
    const spent = await call(T0, [{ op: "consume", tokens: 1_512, fromLeaseTokens: 1_512, fromLeaseRequests: 0 }], { instance: "a" });
    expect(spent).toMatchObject({ leaseTokens: 0, freeTokens: 488, holders: 0 });
    // A lease cannot be spent twice: what is no longer held comes out of the bucket.
    expect((await call(T0, [{ op: "consume", tokens: 100, fromLeaseTokens: 100, fromLeaseRequests: 0 }], { instance: "a" })).freeTokens).toBe(388);
  });

  it("gives a lease back when dropped, or when its holder stops renewing it", async () => {
    await call(T0, [{ op: "claim", tokens: 3_000, requests: 0 }], { instance: "a" });
    expect((await call(T0, [{ op: "drop" }], { instance: "a" })).freeTokens).toBe(10_000);
    await call(T0, [{ op: "consume", tokens: 5_000, fromLeaseTokens: 0, fromLeaseRequests: 0 }], { instance: "b" });
    await call(T0, [{ op: "claim", tokens: 3_000, requests: 0 }], { instance: "a" });
    // a renews by any call of its own within the lease's time; b's calls do not renew it.
    expect((await call(T0 + 900, [{ op: "sync" }], { instance: "a" })).leaseTokens).toBe(3_000);
    const later = await call(T0 + 1_950, [{ op: "sync" }], { instance: "b" });
    expect(later.holders).toBe(0);
    // 2,000 left + 3,000 back + 1.95 s of refill (325).
    expect(later.freeTokens).toBe(5_325);
  });

  it("empties the bucket on a throttle and voids every lease; refill starts from there", async () => {
    await call(T0, [{ op: "claim", tokens: 2_000, requests: 0 }], { instance: "a" });
    const t = await call(T0, [{ op: "throttle", tokens: 1_512 }], { instance: "b" });
    expect(t).toMatchObject({ freeTokens: 0, holders: 0, learned: false, limit: 10_000 });
    expect((await call(T0, [{ op: "sync" }], { instance: "a" })).leaseTokens).toBe(0);
    expect((await call(T0 + 6_000, [{ op: "sync" }])).freeTokens).toBe(1_000);
  });

  it("learns a quota from a throttle when the document has none: what the fleet had in play, at least 12 reservations", async () => {
    const none = { tokensPerMinute: 0 };
    const unknown = await call(T0, [{ op: "consume", tokens: 30_000, fromLeaseTokens: 0, fromLeaseRequests: 0 }], none);
    expect(unknown).toMatchObject({ limit: 0, roomAt: 0, windowTokens: 30_000 });
    const t = await call(T0 + 1_000, [{ op: "throttle", tokens: 1_512 }], { ...none, instance: "b" });
    expect(t).toMatchObject({ limit: 30_000, learned: true, freeTokens: 0 });
    // Every instance now gates on it, and room comes back at its rate.
    expect(await call(T0 + 7_000, [{ op: "sync" }], { ...none, instance: "c" })).toMatchObject({ limit: 30_000, learned: true, freeTokens: 3_000 });
    // A small fleet's throttle with little history learns at least 12 of its reservations.
    key = `${key}-small`;
    expect((await call(T0, [{ op: "throttle", tokens: 1_000 }], none)).limit).toBe(12_000);
    // The learned quota lapses after the lapse (5 quiet minutes): a raised quota is found again.
    expect((await call(T0 + 5 * MINUTE + 1, [{ op: "sync" }], none)).limit).toBe(0);
  });

  it("says when room for a typical call comes back", async () => {
    await call(T0, [{ op: "consume", tokens: 10_000, fromLeaseTokens: 0, fromLeaseRequests: 0 }]);
    // Empty bucket, 10,000 per minute: 1,000 tokens (need) take 6 s.
    expect((await call(T0, [{ op: "sync" }], { need: 1_000 })).roomAt).toBe(T0 + 6_000);
    expect((await call(T0 + 6_000, [{ op: "sync" }], { need: 1_000 })).roomAt).toBe(T0 + 6_000);
  });

  it("keeps a requests bucket beside the tokens one when the document has a requests quota", async () => {
    const rpm = { requestsPerMinute: 2 };
    await call(T0, [{ op: "consume", tokens: 10, fromLeaseTokens: 0, fromLeaseRequests: 0 }], rpm);
    expect((await call(T0, [{ op: "claim", tokens: 10, requests: 1 }], rpm)).granted).toBe(1);
    expect(await call(T0, [{ op: "claim", tokens: 10, requests: 1 }], { ...rpm, instance: "b" })).toMatchObject({ granted: 0, freeRequests: 0 });
  });

  it("counts the trailing period in slots that lapse, and the fleet's recent pace", async () => {
    await call(T0, [{ op: "consume", tokens: 600, fromLeaseTokens: 0, fromLeaseRequests: 0 }], { tokensPerMinute: 0 });
    const now = await call(T0, [{ op: "sync" }], { tokensPerMinute: 0 });
    expect(now).toMatchObject({ windowTokens: 600, recentTokens: 600 });
    expect(now.recentMs).toBeGreaterThanOrEqual(MINUTE / 20);
    expect((await call(T0 + MINUTE / 2, [{ op: "sync" }], { tokensPerMinute: 0 })).recentTokens).toBe(0);
    expect((await call(T0 + MINUTE + MINUTE / 10, [{ op: "sync" }], { tokensPerMinute: 0 })).windowTokens).toBe(0);
  });

  it("shares a breaker opening: the opener probes, others' openings and closings do not take it over", async () => {
    const opened = await call(T0, [{ op: "open", until: T0 + 5_000 }], { instance: "a" });
    expect(opened).toMatchObject({ breakerUntil: T0 + 5_000, proberIsMe: true });
    const gen = opened.breakerGeneration;
    expect(await call(T0 + 10, [{ op: "open", until: T0 + 5_010 }, { op: "close" }], { instance: "b" })).toMatchObject({ breakerUntil: T0 + 5_000, proberIsMe: false, breakerGeneration: gen });
    // a's probe fails: a re-opens for another interval, still the prober.
    expect(await call(T0 + 5_000, [{ op: "open", until: T0 + 10_000 }], { instance: "a" })).toMatchObject({ breakerUntil: T0 + 10_000, proberIsMe: true, breakerGeneration: gen + 1 });
    // a's probe succeeds: closed for everyone.
    expect(await call(T0 + 10_000, [{ op: "close" }], { instance: "a" })).toMatchObject({ breakerUntil: 0, breakerGeneration: gen + 1 });
    // An opening whose prober never reported may be taken over once it has run out.
    await call(T0 + 20_000, [{ op: "open", until: T0 + 25_000 }], { instance: "a" });
    expect(await call(T0 + 31_000, [{ op: "open", until: T0 + 36_000 }], { instance: "b" })).toMatchObject({ breakerUntil: T0 + 36_000, proberIsMe: true });
  });

  it("holds only numbers and random instance IDs, and expires when the fleet stops using the model", async () => {
    await call(T0, [{ op: "consume", tokens: 1_512, fromLeaseTokens: 0, fromLeaseRequests: 0 }, { op: "claim", tokens: 1_512, requests: 0 }, { op: "open", until: T0 + 5_000 }], { instance: "0123abcd" });
    const fields = (await conn.command(["HGETALL", key], 5_000)) as string[];
    for (let i = 0; i < fields.length; i += 2) {
      expect(fields[i]).toMatch(/^(t-?\d+|r-?\d+|L[0-9a-f]+|_(lvl|rlvl|lat|lq|lqat|bu|bp|bg))$/);
      expect(fields[i + 1]).toMatch(/^(-?[\d.e+]+|[0-9a-f]+|[\d.e+-]+:[\d.e+-]+:[\d.e+-]+)$/);
    }
    const ttl = (await conn.command(["PTTL", key], 5_000)) as number;
    expect(ttl).toBeGreaterThan(6 * MINUTE);
    expect(ttl).toBeLessThanOrEqual(7 * MINUTE);
  });

  it("refuses an unknown update rather than guessing", async () => {
    await expect(conn.command(["EVAL", FLEET_SCRIPT, "1", key, ...scriptArgs(head(T0), []), "Z"], 5_000)).rejects.toThrow(/unknown op Z/);
  });

  it("is loaded by EVAL when the server does not hold it (first use, restart, SCRIPT FLUSH), then run by EVALSHA", async () => {
    const link: StoreLink = storeLink({ url: redis.server.url });
    await link.connect();
    try {
      await conn.command(["SCRIPT", "FLUSH"], 5_000);
      expect(await conn.command(["SCRIPT", "EXISTS", FLEET_SCRIPT_SHA], 5_000)).toEqual([0]);
      const reply = parseReply(await link.evalFleet(key, scriptArgs(head(T0), [{ op: "sync" }]), 5_000));
      expect(reply.freeTokens).toBe(10_000);
      expect(await conn.command(["SCRIPT", "EXISTS", FLEET_SCRIPT_SHA], 5_000)).toEqual([1]);
    } finally {
      link.close();
    }
  });
});

describe("parseReply", () => {
  it.each([["not an array", "OK"], ["too short", [1, 2, 3]], ["not integers", Array(15).fill("x")]])("refuses a reply that is %s", (_n, reply) => {
    expect(() => parseReply(reply)).toThrow(/unexpected fleet script reply/);
  });
});
