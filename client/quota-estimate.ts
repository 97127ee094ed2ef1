import type { TokenUsage } from "@aws-sdk/client-bedrock-runtime";
import { chargedTokens, type ModelQuota } from "../core/runtime";

/*
 * The client's estimate of each model's quota bucket, so a request goes to a candidate with room instead of to a
 * primary that is about to answer 429. It mirrors Bedrock's accounting
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/quotas.html): a call reserves input + maxTokens when it starts,
 * is corrected to input + cache writes + output × burndown when it ends (a refused call gives its reservation back),
 * and the bucket refills continuously, one quota per minute. The quota is the routing document's applied value; when
 * the document has none, a throttle teaches a lower bound (what this client had in play over the last minute), which
 * lapses after a few quiet minutes so a raised quota is found again. A throttle always empties the estimate: the pool
 * is shared with every other client of the account and region, which this client cannot see. With a quota store
 * (client/fleet-quota.ts) the fleet's shared view answers first, and this estimate takes over whenever that view is
 * missing, stale or the store is degraded.
 */

/** Estimator settings; defaults in QUOTA_ESTIMATE_DEFAULTS. */
export interface QuotaEstimateOptions {
  /** Length of a quota period, ms. Default 60 000 (Bedrock's quotas are per minute). */
  readonly minuteMs: number;
  /** A learned quota is forgotten after this many quiet periods without a throttle. Default 5. */
  readonly learnedLapseMinutes: number;
}

export const QUOTA_ESTIMATE_DEFAULTS: QuotaEstimateOptions = { minuteMs: 60_000, learnedLapseMinutes: 5 };

/**
 * A learned quota is at least this many reservations of the throttled call per period, so one throttle with little
 * history keeps a model empty for at most a twelfth of a period (5 s of a minute, the breaker's probe interval)
 * rather than a whole minute.
 */
const LEARNED_FLOOR_RESERVATIONS = 12;

/** Resolution of the trailing-period charge sum: 12 slots, 5 s each of a 60 s period. */
const CHARGE_SLOTS = 12;

/** Where an estimate's quota comes from. */
export type QuotaSource = "document" | "learned" | "unknown";

/** What `router.quotas()` shows for one model. */
export interface QuotaView {
  /** Whose quota: the invoke ID, or for a workload's application profile the model's own (the profiles share it). */
  readonly invokeId: string;
  readonly source: QuotaSource;
  /** The quota the estimate uses (document or learned); absent when unknown. */
  readonly tokensPerMinute?: number;
  /** Estimated tokens free now (may be negative: a correction can charge more than was reserved). */
  readonly tokensAvailable?: number;
  readonly requestsAvailable?: number;
  readonly inFlight: number;
  readonly reservedInFlight: number;
  /** The fleet's view through the quota store; absent without a store. */
  readonly shared?: SharedQuotaView;
}

/** What `router.quotas()` shows of the fleet's view of one model. */
export interface SharedQuotaView {
  /** `shared`: the store's view decides; `local`: no fresh view (store degraded, or model not seen lately). */
  readonly state: "shared" | "local";
  /** The quota the fleet gates on: the document's, else one the fleet learned; absent when unknown. */
  readonly tokensPerMinute?: number;
  readonly learned?: boolean;
  /** Tokens no instance holds, as of the view. */
  readonly tokensFree?: number;
  /** Room this instance claimed ahead of its next calls. */
  readonly leaseTokens: number;
  /** Instances holding a lease on the model. */
  readonly leaseHolders?: number;
  /** Age of the view, ms. */
  readonly ageMs?: number;
}

/**
 * The fleet's side of the estimate (client/fleet-quota.ts). Never waits for the store: every answer comes from what the
 * store last said plus this instance's own changes since; updates go out in the background.
 */
export interface SharedQuota {
  /** ms until a call reserving `tokens` fits by the fleet's view; undefined when there is no fresh view (the local estimate decides). */
  waitFor(key: string, quota: ModelQuota | undefined, tokens: number, now: number): number | undefined;
  /** Records the call's reservation with the fleet; undefined while the store is not in use. */
  reserve(key: string, quota: ModelQuota | undefined, tokens: number, now: number): SharedHold | undefined;
  throttled(key: string, quota: ModelQuota | undefined, tokens: number, now: number): void;
  view(key: string, now: number): SharedQuotaView | undefined;
}

/** The fleet's record of one call: corrected to its charge, or given back. */
export interface SharedHold {
  settle(charged: number, now: number): void;
  release(now: number): void;
}

/** One call's hold on a model's bucket: settle it with the usage, or release it when the call was refused. */
export interface QuotaHold {
  /** The call ended with an answer: correct the reservation to the charge. */
  settle(usage: TokenUsage | undefined, now: number): void;
  /** The call ended without a charge (throttled, unavailable, cancelled before it ran): give the reservation back. */
  release(now: number): void;
}

interface Estimate {
  tokens: number;
  requests: number;
  at: number;
  inFlight: number;
  reservedInFlight: number;
  /**
   * Tokens this client was charged over the trailing period, in CHARGE_SLOTS slots (slot number and sum): what a
   * learned quota is at least. Constant work per call, however many calls a period holds.
   */
  slots: number[];
  slotTokens: number[];
  learned?: { tokensPerMinute: number; at: number };
}

export class QuotaEstimates {
  readonly options: QuotaEstimateOptions;
  private readonly estimates = new Map<string, Estimate>();

  constructor(
    options: Partial<QuotaEstimateOptions> = {},
    /** The fleet's view through a quota store; consulted first when given. */
    private readonly shared?: SharedQuota,
  ) {
    this.options = { ...QUOTA_ESTIMATE_DEFAULTS, ...options };
    if (!(this.options.minuteMs > 0)) throw new Error(`quota minuteMs must be positive, got ${this.options.minuteMs}`);
    if (!(this.options.learnedLapseMinutes > 0)) throw new Error(`quota learnedLapseMinutes must be positive, got ${this.options.learnedLapseMinutes}`);
  }

  /** Would a call reserving `tokens` fit now? True when the quota is unknown. */
  hasRoom(key: string, quota: ModelQuota | undefined, tokens: number, now: number): boolean {
    return this.waitFor(key, quota, tokens, now) === 0;
  }

  /** ms until a call reserving `tokens` fits: 0 now (or unknown quota), Infinity when it never will at this quota. */
  waitFor(key: string, quota: ModelQuota | undefined, tokens: number, now: number): number {
    // The fleet's view supersedes this one while it is fresh: this estimate sees only this process's calls (and, in
    // a fleet, learns from its own throttles a quota that is its share of the fleet's, not the quota).
    const fleet = this.shared?.waitFor(key, quota, tokens, now);
    if (fleet !== undefined) return fleet;
    const e = this.entries(key, quota, now);
    const tpm = this.limit(e, quota, now);
    if (tpm === undefined) return 0;
    let wait = this.until(e.tokens, tokens, tpm);
    const rpm = quota?.requestsPerMinute;
    if (rpm !== undefined) wait = Math.max(wait, this.until(e.requests, 1, rpm));
    return wait;
  }

  /** A call to `key` starts: hold its reservation until it settles. */
  reserve(key: string, quota: ModelQuota | undefined, tokens: number, now: number): QuotaHold {
    const e = this.entries(key, quota, now);
    e.tokens -= tokens;
    e.requests -= 1;
    e.inFlight++;
    e.reservedInFlight += tokens;
    const fleet = this.shared?.reserve(key, quota, tokens, now);
    let open = true;
    const end = (charged: number, at: number, counted: boolean) => {
      if (!open) return;
      open = false;
      this.entries(key, quota, at);
      const cap = this.limit(e, quota, at);
      e.tokens += tokens - charged;
      if (!counted) e.requests += 1;
      if (cap !== undefined) {
        e.tokens = Math.min(cap, e.tokens);
        e.requests = Math.min(quota?.requestsPerMinute ?? Number.POSITIVE_INFINITY, e.requests);
      }
      e.inFlight--;
      e.reservedInFlight -= tokens;
      if (charged > 0 && quota === undefined) this.addCharge(e, charged, at);
    };
    return {
      settle: (usage, at) => {
        const burndown = quota?.outputBurndown ?? 1;
        // Cache reads are not charged; without usage, assume the whole reservation was used.
        const charged = usage ? chargedTokens(usage.inputTokens ?? 0, usage.outputTokens ?? 0, burndown, usage.cacheWriteInputTokens ?? 0) : tokens;
        if (open) fleet?.settle(charged, at);
        end(charged, at, true);
      },
      release: (at) => {
        if (open) fleet?.release(at);
        end(0, at, false);
      },
    };
  }

  /**
   * The model answered 429: its pool is empty now, whatever the estimate said. Without a document quota, learn one:
   * what this client charged and held over the last period, and at least LEARNED_FLOOR_RESERVATIONS reservations.
   */
  throttled(key: string, quota: ModelQuota | undefined, tokens: number, now: number): void {
    this.shared?.throttled(key, quota, tokens, now);
    const e = this.entries(key, quota, now);
    if (quota === undefined) {
      // The latest observation wins: right after a full bucket it overstates the quota (up to twice), and each later
      // throttle, taken with the pool kept empty, is close to one period's refill.
      const used = this.recentCharges(e, now) + e.reservedInFlight;
      e.learned = { tokensPerMinute: Math.max(used, LEARNED_FLOOR_RESERVATIONS * tokens), at: now };
    }
    // Held reservations stay held (they settle later); the free part is gone.
    e.tokens = Math.min(e.tokens, 0);
    e.requests = Math.min(e.requests, 0);
  }

  view(key: string, quota: ModelQuota | undefined, now: number): QuotaView {
    const e = this.entries(key, quota, now);
    const tpm = this.limit(e, quota, now);
    const shared = this.shared?.view(key, now);
    return {
      invokeId: key,
      source: quota !== undefined ? "document" : tpm !== undefined ? "learned" : "unknown",
      ...(tpm !== undefined ? { tokensPerMinute: tpm, tokensAvailable: e.tokens } : {}),
      ...(quota?.requestsPerMinute !== undefined ? { requestsAvailable: e.requests } : {}),
      inFlight: e.inFlight,
      reservedInFlight: e.reservedInFlight,
      ...(shared ? { shared } : {}),
    };
  }

  keys(): string[] {
    return [...this.estimates.keys()];
  }

  /** The quota in force: the document's, else a learned one that has not lapsed. */
  private limit(e: Estimate, quota: ModelQuota | undefined, now: number): number | undefined {
    if (quota !== undefined) return quota.tokensPerMinute;
    if (e.learned && now - e.learned.at < this.options.learnedLapseMinutes * this.options.minuteMs) return e.learned.tokensPerMinute;
    return undefined;
  }

  private addCharge(e: Estimate, tokens: number, at: number): void {
    const slot = Math.floor(at / (this.options.minuteMs / CHARGE_SLOTS));
    const i = slot % CHARGE_SLOTS;
    if (e.slots[i] !== slot) {
      e.slots[i] = slot;
      e.slotTokens[i] = 0;
    }
    e.slotTokens[i] += tokens;
  }

  /** Tokens charged in the slots of the trailing period (the current slot included). */
  private recentCharges(e: Estimate, now: number): number {
    const current = Math.floor(now / (this.options.minuteMs / CHARGE_SLOTS));
    let sum = 0;
    for (let i = 0; i < CHARGE_SLOTS; i++) if (e.slots[i] > current - CHARGE_SLOTS) sum += e.slotTokens[i];
    return sum;
  }

  /** ms until `level` reaches `need` at `perMinute` refill; Infinity when it never can. */
  private until(level: number, need: number, perMinute: number): number {
    if (level >= need) return 0;
    if (need > perMinute || perMinute <= 0) return Number.POSITIVE_INFINITY;
    return Math.ceil(((need - level) * this.options.minuteMs) / perMinute);
  }

  /** The model's estimate, refilled up to `now` (full the first time it is seen). */
  private entries(key: string, quota: ModelQuota | undefined, now: number): Estimate {
    let e = this.estimates.get(key);
    if (!e) {
      e = { tokens: quota?.tokensPerMinute ?? 0, requests: quota?.requestsPerMinute ?? 0, at: now, inFlight: 0, reservedInFlight: 0, slots: Array(CHARGE_SLOTS).fill(-1), slotTokens: Array(CHARGE_SLOTS).fill(0) };
      this.estimates.set(key, e);
    }
    const elapsed = Math.max(0, now - e.at);
    e.at = Math.max(e.at, now);
    if (e.learned && now - e.learned.at >= this.options.learnedLapseMinutes * this.options.minuteMs) e.learned = undefined;
    const tpm = this.limit(e, quota, now);
    if (tpm === undefined) {
      // Unknown quota: nothing to gate on. A throttle then says "nothing free now", which is where a learned one starts.
      e.tokens = 0;
      e.requests = 0;
      return e;
    }
    // Multiply first: whole-token refills stay exact (floating-point division would leave 1,511.999... of 1,512).
    e.tokens = Math.min(tpm, e.tokens + (elapsed * tpm) / this.options.minuteMs);
    const rpm = quota?.requestsPerMinute;
    if (rpm !== undefined) e.requests = Math.min(rpm, e.requests + (elapsed * rpm) / this.options.minuteMs);
    return e;
  }
}
