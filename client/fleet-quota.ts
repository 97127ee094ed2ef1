import type { ModelQuota } from "../core/runtime";
import { slotOf } from "./fleet-script";
import { dropLease, type FleetSync, type ModelState } from "./fleet-sync";
import type { SharedHold, SharedQuota, SharedQuotaView } from "./quota-estimate";

/*
 * The fleet's quota estimate (the SharedQuota the router's QuotaEstimates consults first). The store keeps, per model
 * and Region, what the fleet reserved and was charged over the trailing quota period (client/fleet-script.ts); each
 * instance decides from the store's last answer plus its own calls since, so a call never waits for the store:
 *  - plenty of room (at least `headroom` of the quota free after what the fleet may have taken since the view was read,
 *    at twice its recent pace): the call goes, and its reservation is recorded after it;
 *  - little room: the call goes only on room this instance claimed ahead, atomically, in the store (a lease, sized to
 *    its largest recent reservation and topped up after each use), so two instances can never both take the last
 *    room; without a lease the model counts as short for a moment while one is claimed (the call takes a fallback
 *    that has room, or waits for the earliest room within its backoff, as with the local estimate);
 *  - no room: the wait until the window releases enough (or a throttle's refill has run).
 * A throttle empties the fleet's pool and voids every lease; without a document quota the store learns one from it
 * (what the fleet had in play over the period, at least 12 reservations), for every instance. Without a fresh view
 * (store degraded, model unused for a while) the answer is undefined and the local estimate decides.
 */

export interface FleetQuotaSettings {
  /** Share of the quota below which calls need a lease. */
  readonly headroom: number;
  /** A view older than this is not used. */
  readonly staleMs: number;
  /** The most a call may wait on the store: how long a model counts short while a lease claim is on its way. */
  readonly budgetMs: number;
}

/** Reservations a lease is sized from (the largest of the last few calls). */
const RECENT = 4;

export class FleetQuota implements SharedQuota {
  constructor(
    private readonly sync: FleetSync,
    private readonly settings: FleetQuotaSettings,
  ) {
    sync.onRefresh((m, now) => this.topUp(m, now));
  }

  waitFor(key: string, quota: ModelQuota | undefined, tokens: number, now: number): number | undefined {
    if (!this.sync.up) return undefined;
    const m = this.sync.model(key);
    m.quota = quota;
    m.lastUse = now;
    const v = m.view;
    if (!v || now - v.at > this.settings.staleMs) {
      // This call decides on the local estimate; the next one finds the fleet's view.
      this.sync.refreshSoon(m);
      return undefined;
    }
    const limit = quota?.tokensPerMinute ?? (v.limit > 0 ? v.limit : undefined);
    // No quota known to anyone yet: nothing to gate on (a throttle teaches one).
    if (limit === undefined) return 0;
    const rpm = quota?.requestsPerMinute;
    if (m.leaseTokens >= tokens && (rpm === undefined || m.leaseRequests >= 1)) return 0;
    const { headroom, budgetMs } = this.settings;
    // Others' calls since the view was read are unknown: allow for twice the fleet's recent pace over the view's age.
    const unseen = 2 * v.pace * (now - v.at + budgetMs);
    if (v.free - unseen - tokens >= headroom * limit && (rpm === undefined || v.freeRequests - 1 >= headroom * rpm)) return 0;
    if (v.free + m.leaseTokens < tokens || (rpm !== undefined && v.freeRequests + m.leaseRequests < 1)) {
      // No room: a quota wait, not the store's. A room-at already past means the view is behind: ask again.
      if (v.roomAt <= now) this.sync.refreshSoon(m);
      return Math.max(budgetMs, v.roomAt - now);
    }
    // Room, but little: only a lease makes it safe. The call waits for the claim's answer at most the budget; a store
    // slower than that leaves it to the local estimate.
    this.claim(m, Math.max(tokens, ...m.recent), now);
    const waited = now - m.claimedAt;
    return waited >= budgetMs ? undefined : budgetMs - waited;
  }

  reserve(key: string, quota: ModelQuota | undefined, tokens: number, now: number): SharedHold | undefined {
    if (!this.sync.up) return undefined;
    const m = this.sync.model(key);
    m.quota = quota;
    m.lastUse = now;
    m.recent.push(tokens);
    if (m.recent.length > RECENT) m.recent.shift();
    const rpm = quota?.requestsPerMinute !== undefined;
    const fromLease = m.leaseTokens >= tokens && (!rpm || m.leaseRequests >= 1);
    const fromTokens = fromLease ? tokens : 0;
    const fromRequests = fromLease && rpm ? 1 : 0;
    this.sync.enqueue(m, { op: "consume", tokens, fromLeaseTokens: fromTokens, fromLeaseRequests: fromRequests }, (s) => {
      s.leaseTokens -= fromTokens;
      s.leaseRequests -= fromRequests;
      if (s.view) {
        s.view.free -= tokens - fromTokens;
        s.view.freeRequests -= 1 - fromRequests;
      }
    });
    this.topUp(m, now);
    const slot = slotOf(now, this.sync.settings.minuteMs);
    let open = true;
    const sync = this.sync;
    return {
      settle(charged) {
        if (!open) return;
        open = false;
        sync.enqueue(m, { op: "settle", slot, reserved: tokens, charged }, (s) => {
          if (s.view) s.view.free -= charged - tokens;
        });
      },
      release() {
        if (!open) return;
        open = false;
        sync.enqueue(m, { op: "release", slot, reserved: tokens }, (s) => {
          if (s.view) {
            s.view.free += tokens;
            s.view.freeRequests += 1;
          }
        });
      },
    };
  }

  throttled(key: string, quota: ModelQuota | undefined, tokens: number, now: number): void {
    if (!this.sync.up) return;
    const m = this.sync.model(key);
    m.quota = quota;
    m.lastUse = now;
    this.sync.enqueue(m, { op: "throttle", tokens }, (s) => {
      dropLease(s);
      if (s.view) s.view.free = Math.min(s.view.free, 0);
    });
  }

  view(key: string, now: number): SharedQuotaView | undefined {
    const m = this.sync.model(key);
    const v = m.view;
    const fresh = this.sync.up && v !== undefined && now - v.at <= this.settings.staleMs;
    const limit = m.quota?.tokensPerMinute ?? (v && v.limit > 0 ? v.limit : undefined);
    return {
      state: fresh ? "shared" : "local",
      ...(limit !== undefined ? { tokensPerMinute: limit, learned: m.quota === undefined } : {}),
      ...(v ? { tokensFree: v.free, leaseHolders: v.holders, ageMs: Math.max(0, now - v.at) } : {}),
      leaseTokens: m.leaseTokens,
    };
  }

  /** Keeps a lease ready while the model's room is short, so this instance's next call need not wait for one. */
  private topUp(m: ModelState, now: number): void {
    const v = m.view;
    if (!v || now - v.at > this.settings.staleMs || m.recent.length === 0) return;
    const limit = m.quota?.tokensPerMinute ?? (v.limit > 0 ? v.limit : undefined);
    if (limit === undefined) return;
    const target = Math.max(...m.recent);
    if (m.leaseTokens >= target) return;
    if (v.free - target >= this.settings.headroom * limit) return;
    this.claim(m, target, now);
  }

  private claim(m: ModelState, tokens: number, now: number): void {
    if (m.claiming) return;
    m.claiming = true;
    m.claimedAt = now;
    this.sync.enqueue(m, { op: "claim", tokens, requests: m.quota?.requestsPerMinute !== undefined ? 1 : 0 });
  }
}
