import { FleetQuota } from "../../client/fleet-quota";
import { slotOf } from "../../client/fleet-script";
import { FleetSync } from "../../client/fleet-sync";
import type { StoreLink } from "../../client/quota-store";
import { StoreError } from "../../client/resp-connection";
import { StoreHealth, type StoreEvent } from "../../client/store-health";

// The fleet's admission decisions (client/fleet-quota.ts) against a store whose replies the test hands out one by
// one: which call goes on the fleet's word, which needs a lease, how long one may wait for the store, and what each
// call tells the store. The real store's side of every update is in fleet-script.test.ts.

const MINUTE = 60_000;
const T0 = 1_800_000_000_000;
const KEY = "us.model-a";
const QUOTA = { tokensPerMinute: 10_000, outputBurndown: 1 };

class HandOutLink implements StoreLink {
  readonly shown = "test store";
  readonly sent: Array<{ args: readonly string[]; resolve: (v: unknown) => void; reject: (e: unknown) => void }> = [];
  evalFleet(_key: string, args: readonly string[]): Promise<unknown> {
    return new Promise((resolve, reject) => this.sent.push({ args, resolve, reject }));
  }
  connect = () => Promise.resolve();
  onLost(): void {}
  close(): void {}
  /** The op letters of call `i` (after the 8 head arguments). */
  ops(i: number): string[] {
    return this.sent[i].args.slice(8).filter((a) => /^[A-Z]$/.test(a));
  }
}

/** A script reply: the model's state as the store would answer it. */
function reply(s: { free?: number; lease?: number; limit?: number; roomAt?: number; recent?: number; recentMs?: number; granted?: number }): number[] {
  return [s.free ?? 10_000, 0, s.lease ?? 0, 0, s.limit ?? 10_000, 0, s.roomAt ?? 0, 0, 0, 0, s.granted ?? -1, 0, s.recent ?? 0, s.recentMs ?? 3_000, 0];
}

const settled = () => new Promise((r) => setImmediate(r));

async function setup() {
  let now = T0;
  const events: StoreEvent[] = [];
  const link = new HandOutLink();
  let sync: FleetSync | undefined;
  const health = new StoreHealth(link, { failuresToDegrade: 3, reconnect: { baseMs: 60_000, capMs: 60_000 }, random: () => 0.5, now: () => now, report: (e) => events.push(e), onDown: () => sync?.forget() });
  sync = new FleetSync(link, health, { keyPrefix: "p", region: "r", environment: () => "e", instance: "me", minuteMs: MINUTE, lapseMs: 5 * MINUTE, timeoutMs: 50, syncIntervalMs: 200, leaseTtlMs: 1_000, activeMs: 2 * MINUTE, now: () => now });
  const quota = new FleetQuota(sync, { headroom: 0.1, staleMs: 1_000, budgetMs: 5 });
  health.start();
  await settled();
  expect(health.up).toBe(true);
  return {
    link,
    quota,
    health,
    events,
    at: (t: number) => (now = T0 + t),
    /** Answers call `i` (default: the latest) and lets the reply be applied. */
    answer: async (s: Parameters<typeof reply>[0], i = link.sent.length - 1) => {
      link.sent[i].resolve(reply(s));
      await settled();
    },
  };
}

describe("FleetQuota", () => {
  it("has no word without a view: the local estimate decides, and the view is asked for", async () => {
    const t = await setup();
    expect(t.quota.waitFor(KEY, QUOTA, 1_512, T0)).toBeUndefined();
    await settled();
    expect(t.link.ops(0)).toEqual(["Y"]);
    await t.answer({ free: 10_000 });
    expect(t.quota.waitFor(KEY, QUOTA, 1_512, T0)).toBe(0);
  });

  it("lets a call go on the view while the room left is above the headroom, after allowing for others' unseen calls", async () => {
    const t = await setup();
    t.quota.waitFor(KEY, QUOTA, 1_512, T0);
    await settled();
    // 4,000 free; the fleet took 6,000 in the last 3 s (2 tokens/ms).
    await t.answer({ free: 4_000, recent: 6_000, recentMs: 3_000 });
    // Fresh: 4,000 - 2 x 2 x (0 + 5) - 1,512 = 2,468 >= 1,000 (10% of the quota).
    expect(t.quota.waitFor(KEY, QUOTA, 1_512, T0)).toBe(0);
    // 400 ms old: 4,000 - 2 x 2 x 405 - 1,512 < 1,000: only a lease will do; one is claimed.
    expect(t.quota.waitFor(KEY, QUOTA, 1_512, T0 + 400)).toBe(5);
    await settled();
    expect(t.link.ops(1)).toEqual(["W"]);
    expect(t.link.sent[1].args.slice(-3)).toEqual(["W", "1512", "0"]);
  });

  it("waits for a lease claim at most the budget, then leaves the call to the local estimate", async () => {
    const t = await setup();
    t.quota.waitFor(KEY, QUOTA, 1_512, T0);
    await settled();
    await t.answer({ free: 2_000 });
    expect(t.quota.waitFor(KEY, QUOTA, 1_512, T0)).toBe(5);
    expect(t.quota.waitFor(KEY, QUOTA, 1_512, T0 + 3)).toBe(2);
    expect(t.quota.waitFor(KEY, QUOTA, 1_512, T0 + 5)).toBeUndefined();
    await settled();
    // One claim only, however many calls asked.
    expect(t.link.sent).toHaveLength(2);
    await t.answer({ free: 488, lease: 1_512, granted: 1 });
    expect(t.quota.waitFor(KEY, QUOTA, 1_512, T0 + 6)).toBe(0);
  });

  it("spends a lease without taking from the view's room, and tops it up in the same script call", async () => {
    const t = await setup();
    t.quota.waitFor(KEY, QUOTA, 1_512, T0);
    await settled();
    await t.answer({ free: 1_700, lease: 1_512 });
    const hold = t.quota.reserve(KEY, QUOTA, 1_512, T0)!;
    expect(t.quota.view(KEY, T0)).toMatchObject({ leaseTokens: 0, tokensFree: 1_700 });
    await settled();
    expect(t.link.ops(1)).toEqual(["C", "W"]);
    expect(t.link.sent[1].args.slice(8, 12)).toEqual(["C", "1512", "1512", "0"]);
    // The correction: charged 2,280 for a reservation of 1,512.
    hold.settle(2_280, T0 + 100);
    await settled();
    expect(t.link.sent[2].args.slice(8)).toEqual(["S", String(slotOf(T0, MINUTE)), "1512", "2280"]);
    expect(t.quota.view(KEY, T0)?.tokensFree).toBe(1_700 - 768);
    // Settling twice changes nothing.
    hold.settle(2_280, T0 + 100);
    await settled();
    expect(t.link.sent).toHaveLength(3);
  });

  it("keeps its own updates in the view until the store's answer includes them", async () => {
    const t = await setup();
    t.quota.waitFor(KEY, QUOTA, 1_000, T0);
    await settled();
    await t.answer({ free: 9_000 });
    t.quota.reserve(KEY, QUOTA, 1_000, T0);
    await settled();
    const second = t.quota.reserve(KEY, QUOTA, 1_000, T0);
    await settled();
    expect(t.quota.view(KEY, T0)?.tokensFree).toBe(7_000);
    // The first consume's answer: the store had 8,000 then; the second consume is still on its way.
    await t.answer({ free: 8_000 }, 1);
    expect(t.quota.view(KEY, T0)?.tokensFree).toBe(7_000);
    second!.release(T0);
    await settled();
    expect(t.quota.view(KEY, T0)?.tokensFree).toBe(8_000);
  });

  it("without room, the wait is the quota's: until the store says room comes back", async () => {
    const t = await setup();
    t.quota.waitFor(KEY, QUOTA, 1_512, T0);
    await settled();
    await t.answer({ free: 300, roomAt: T0 + 700 });
    expect(t.quota.waitFor(KEY, QUOTA, 1_512, T0 + 200)).toBe(500);
    await settled();
    expect(t.link.sent).toHaveLength(1);
    // Past the room-at, the view is behind: a short wait while it is asked again.
    expect(t.quota.waitFor(KEY, QUOTA, 1_512, T0 + 800)).toBe(5);
    await settled();
    expect(t.link.ops(1)).toEqual(["Y"]);
  });

  it("does not gate a model whose quota nobody knows yet", async () => {
    const t = await setup();
    t.quota.waitFor(KEY, undefined, 1_512, T0);
    await settled();
    await t.answer({ free: 0, limit: 0 });
    expect(t.quota.waitFor(KEY, undefined, 1_512, T0)).toBe(0);
    // Once a throttle taught the fleet one, it gates on it.
    t.quota.throttled(KEY, undefined, 1_512, T0);
    await settled();
    expect(t.link.ops(1)).toEqual(["T"]);
    await t.answer({ free: 0, limit: 18_144, roomAt: T0 + 5_000 });
    expect(t.quota.waitFor(KEY, undefined, 1_512, T0)).toBe(5_000);
    expect(t.quota.view(KEY, T0)).toMatchObject({ state: "shared", tokensPerMinute: 18_144, learned: true });
  });

  it("after three failed or late replies the store is degraded: reported once, the local estimate decides, nothing is sent", async () => {
    const t = await setup();
    t.quota.waitFor(KEY, QUOTA, 1_512, T0);
    await settled();
    await t.answer({ free: 9_000 });
    for (let i = 0; i < 3; i++) {
      t.quota.reserve(KEY, QUOTA, 100, T0);
      await settled();
      t.link.sent.at(-1)!.reject(new StoreError("test store: no reply within 50 ms", "timeout"));
      await settled();
    }
    expect(t.health.status()).toMatchObject({ state: "degraded", degradations: 1, lastError: "test store: no reply within 50 ms" });
    expect(t.events).toEqual([expect.objectContaining({ kind: "degraded", cause: "timeout" })]);
    const sent = t.link.sent.length;
    expect(t.quota.waitFor(KEY, QUOTA, 1_512, T0)).toBeUndefined();
    expect(t.quota.reserve(KEY, QUOTA, 1_512, T0)).toBeUndefined();
    t.quota.throttled(KEY, QUOTA, 1_512, T0);
    await settled();
    expect(t.link.sent).toHaveLength(sent);
    expect(t.quota.view(KEY, T0)).toMatchObject({ state: "local", leaseTokens: 0 });
    t.health.close();
  });

  it("a success between failures keeps the store in use", async () => {
    const t = await setup();
    for (let i = 0; i < 6; i++) {
      t.quota.reserve(KEY, QUOTA, 100, T0);
      await settled();
      if (i % 3 === 2) await t.answer({});
      else t.link.sent.at(-1)!.reject(new StoreError("late", "timeout"));
      await settled();
    }
    expect(t.health.up).toBe(true);
    expect(t.events).toEqual([]);
  });
});
