import type { ModelQuota } from "../core/runtime";
import { parseReply, scriptArgs, type FleetOp, type FleetReply } from "./fleet-script";
import type { StoreLink } from "./quota-store";
import type { StoreHealth } from "./store-health";

/*
 * The traffic between one router and the quota store, per model: updates are queued as they happen and sent together
 * after the current turn of the event loop (one script call carries a call's reservation and its lease top-up, or a
 * call's correction and its breaker verdict), never awaited by a call. Each update's effect on this instance's view is
 * applied at once; when a reply comes, the view becomes the store's answer plus the effects of updates sent after it
 * (replies come in order on a connection), so the view always counts this instance's own calls. A timer refreshes the
 * models in use, and gives back leases of models no longer used.
 */

/** What the store last said about a model, plus this instance's changes since. */
export interface SharedView {
  free: number;
  freeRequests: number;
  limit: number;
  learned: boolean;
  roomAt: number;
  holders: number;
  /** The fleet's recent pace, tokens per ms: what other instances may have taken since the view was read. */
  pace: number;
  /** When the update that produced it was sent (router clock). */
  at: number;
}

/** One model's fleet state in this router. */
export interface ModelState {
  readonly invokeId: string;
  readonly key: string;
  quota?: ModelQuota;
  view?: SharedView;
  leaseTokens: number;
  leaseRequests: number;
  /** A lease claim is on its way, sent at `claimedAt` (router clock). */
  claiming: boolean;
  claimedAt: number;
  /** Last call (or breaker event) on this model (router clock). */
  lastUse: number;
  /** The last few reservations: a lease is sized to the largest. */
  readonly recent: number[];
  /** The fleet's breaker opening, as last read. */
  breaker: { until: number; proberIsMe: boolean; generation: number; closedGeneration: number };
  queued: FleetOp[];
  queuedEffects: Array<(m: ModelState) => void>;
  /** Script calls sent, reply owed, oldest first; each with the local effects it carried. */
  pending: Array<{ readonly effects: ReadonlyArray<(m: ModelState) => void> }>;
}

export interface FleetSyncSettings {
  readonly keyPrefix: string;
  readonly region: string;
  readonly environment: () => string | undefined;
  readonly instance: string;
  readonly minuteMs: number;
  readonly lapseMs: number;
  readonly timeoutMs: number;
  readonly syncIntervalMs: number;
  readonly leaseTtlMs: number;
  /** A model untouched this long is no longer refreshed, and its lease is given back. */
  readonly activeMs: number;
  readonly now: () => number;
}

export class FleetSync {
  private readonly models = new Map<string, ModelState>();
  private flushing = false;
  private timer?: NodeJS.Timeout;
  private readonly replyListeners: Array<(m: ModelState, r: FleetReply) => void> = [];
  private readonly refreshListeners: Array<(m: ModelState, now: number) => void> = [];
  /** Script calls sent (for tests and benchmarks). */
  sent = 0;

  constructor(
    private readonly link: StoreLink,
    private readonly health: StoreHealth,
    readonly settings: FleetSyncSettings,
  ) {}

  /** Starts the refresh timer (unref'd: it never keeps the process alive). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.refresh(), this.settings.syncIntervalMs);
    this.timer.unref();
  }

  get up(): boolean {
    return this.health.up;
  }

  /** Called with every reply, after the view is updated. */
  onReply(listener: (m: ModelState, r: FleetReply) => void): void {
    this.replyListeners.push(listener);
  }

  model(invokeId: string): ModelState {
    let m = this.models.get(invokeId);
    if (!m) {
      const s = this.settings;
      // A hash tag ({...}) keeps every key of one model in one cluster slot.
      const key = `${s.keyPrefix}:{${s.environment() ?? "-"}|${s.region}|${invokeId}}`;
      m = { invokeId, key, leaseTokens: 0, leaseRequests: 0, claiming: false, claimedAt: 0, lastUse: 0, recent: [], breaker: { until: 0, proberIsMe: false, generation: 0, closedGeneration: 0 }, queued: [], queuedEffects: [], pending: [] };
      this.models.set(invokeId, m);
    }
    return m;
  }

  /** Queues an update (sent with the others of this tick); applies its local effect at once. */
  enqueue(m: ModelState, op: FleetOp, effect?: (m: ModelState) => void): void {
    if (!this.health.up) return;
    m.queued.push(op);
    if (effect) {
      effect(m);
      m.queuedEffects.push(effect);
    }
    if (!this.flushing) {
      this.flushing = true;
      // After the current turn of the event loop: a call's result reaches its caller before the store hears of it,
      // and everything queued in the turn goes out together.
      setImmediate(() => this.flush());
    }
  }

  /** Asks for the model's view now, unless an update is already on its way (its reply brings the view). */
  refreshSoon(m: ModelState): void {
    if (m.pending.length === 0 && m.queued.length === 0) this.enqueue(m, { op: "sync" });
  }

  /** The store is no longer trusted: forget every view, lease and owed reply. */
  forget(): void {
    for (const m of this.models.values()) {
      m.view = undefined;
      m.leaseTokens = 0;
      m.leaseRequests = 0;
      m.claiming = false;
      m.queued = [];
      m.queuedEffects = [];
      m.pending = [];
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.forget();
  }

  private flush(): void {
    this.flushing = false;
    if (!this.health.up) return this.forget();
    for (const m of this.models.values()) if (m.queued.length) this.send(m);
  }

  private send(m: ModelState): void {
    const ops = m.queued;
    const batch = { effects: m.queuedEffects };
    m.queued = [];
    m.queuedEffects = [];
    m.pending.push(batch);
    const sentAt = this.settings.now();
    const s = this.settings;
    const args = scriptArgs(
      {
        now: sentAt,
        minuteMs: s.minuteMs,
        tokensPerMinute: m.quota?.tokensPerMinute ?? 0,
        requestsPerMinute: m.quota?.requestsPerMinute ?? 0,
        instance: s.instance,
        leaseTtlMs: s.leaseTtlMs,
        lapseMs: s.lapseMs,
        need: Math.max(0, ...m.recent),
      },
      ops,
    );
    const episode = this.health.episode;
    const claimed = ops.some((o) => o.op === "claim");
    this.sent++;
    this.link.evalFleet(m.key, args, s.timeoutMs).then(
      (raw) => {
        if (episode !== this.health.episode) return;
        let reply: FleetReply;
        try {
          reply = parseReply(raw);
        } catch (e) {
          return this.failed(m, batch, claimed, e);
        }
        this.health.ok();
        this.apply(m, batch, claimed, reply, sentAt);
      },
      (e: unknown) => {
        if (episode === this.health.episode) this.failed(m, batch, claimed, e);
      },
    );
  }

  private apply(m: ModelState, batch: ModelState["pending"][number], claimed: boolean, r: FleetReply, sentAt: number): void {
    const i = m.pending.indexOf(batch);
    if (i < 0) return;
    // This reply includes every earlier update too (one connection answers in order).
    m.pending.splice(0, i + 1);
    if (claimed) m.claiming = false;
    m.view = { free: r.freeTokens, freeRequests: r.freeRequests, limit: r.limit, learned: r.learned, roomAt: r.roomAt, holders: r.holders, pace: r.recentTokens / Math.max(1, r.recentMs), at: sentAt };
    m.leaseTokens = r.leaseTokens;
    m.leaseRequests = r.leaseRequests;
    for (const p of m.pending) for (const effect of p.effects) effect(m);
    for (const l of this.replyListeners) l(m, r);
  }

  private failed(m: ModelState, batch: ModelState["pending"][number], claimed: boolean, e: unknown): void {
    const i = m.pending.indexOf(batch);
    if (i >= 0) m.pending.splice(i, 1);
    if (claimed) m.claiming = false;
    this.health.failure(e);
  }

  /** The timer: refresh the views of models in use; give back leases of models no longer used. */
  private refresh(): void {
    if (!this.health.up) return;
    const now = this.settings.now();
    for (const m of this.models.values()) {
      if (now - m.lastUse > this.settings.activeMs) {
        if (m.leaseTokens > 0 || m.leaseRequests > 0) this.enqueue(m, { op: "drop" }, dropLease);
        m.view = undefined;
        continue;
      }
      if (m.pending.length === 0 && m.queued.length === 0 && (!m.view || now - m.view.at >= this.settings.syncIntervalMs)) {
        for (const l of this.refreshListeners) l(m, now);
        if (m.queued.length === 0) this.enqueue(m, { op: "sync" });
      }
    }
  }

  /** Called for each model about to be refreshed, before the refresh is queued (a lease top-up rides along). */
  onRefresh(listener: (m: ModelState, now: number) => void): void {
    this.refreshListeners.push(listener);
  }
}

export function dropLease(m: ModelState): void {
  if (m.view) m.view.free += m.leaseTokens;
  m.leaseTokens = 0;
  m.leaseRequests = 0;
}
