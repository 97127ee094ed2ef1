import type { ModelQuota } from "../core/runtime";

/*
 * Which candidate the next wire call goes to. Routing order is preference order; a candidate is passed over when its
 * breaker is open (or its one probe is out) or when the quota estimate says the call would not fit. The first
 * candidate that passes both gets the call. When only quota stands in the way, the call waits for the earliest room if
 * that comes soon, and otherwise goes to the first such candidate anyway: the estimate may be pessimistic (a raised
 * quota, a stale document), and its 429 corrects it.
 */

/** What the choice needs of each candidate. */
export interface Choosable {
  readonly invokeId: string;
  /** Whose quota the call draws on, when not the invoke ID's own (an application profile: its model's). Default: invokeId. */
  readonly quotaKey?: string;
  readonly quota?: ModelQuota;
}

/** The breaker side: a side-effect-free look, and the admission that may claim the half-open probe. */
export interface BreakerGate<T> {
  available(key: string, now: number): boolean;
  admit(key: string, now: number): T | undefined;
}

/** The quota side: how long until a call reserving `tokens` fits (0: now). */
export interface QuotaGate {
  waitFor(key: string, quota: ModelQuota | undefined, tokens: number, now: number): number;
}

export type Choice<T> =
  /** Call `index`; `overQuota` when the estimate said it would not fit (nothing else could take it soon). */
  | { readonly kind: "call"; readonly index: number; readonly ticket: T; readonly overQuota: boolean }
  /** Every open candidate lacks room for now: wait this long, then choose again. */
  | { readonly kind: "wait"; readonly ms: number }
  /** Every candidate is skipped or refused by its breaker. */
  | { readonly kind: "none" };

export function chooseCandidate<T>(args: {
  readonly candidates: readonly Choosable[];
  /** Candidates already tried in this pass. */
  readonly skip: (index: number) => boolean;
  readonly reservedTokens: number;
  readonly now: number;
  readonly breakers: BreakerGate<T>;
  readonly quotas: QuotaGate;
  /** Longest wait for room worth taking (the router: its backoff cap, within the deadline). */
  readonly maxWaitMs: number;
}): Choice<T> {
  const { candidates, now, breakers } = args;
  // Bitmask of candidates held back by quota only (at most four: a canary, the primary, two fallbacks), and the soonest room among them.
  let short = 0;
  let soonest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < candidates.length; i++) {
    if (args.skip(i)) continue;
    const c = candidates[i];
    if (!breakers.available(c.invokeId, now)) continue;
    const wait = args.quotas.waitFor(c.quotaKey ?? c.invokeId, c.quota, args.reservedTokens, now);
    if (wait > 0) {
      short |= 1 << i;
      soonest = Math.min(soonest, wait);
      continue;
    }
    const ticket = breakers.admit(c.invokeId, now);
    if (ticket !== undefined) return { kind: "call", index: i, ticket, overQuota: false };
  }
  if (short === 0) return { kind: "none" };
  if (soonest <= args.maxWaitMs) return { kind: "wait", ms: soonest };
  for (let i = 0; i < candidates.length; i++) {
    if (!(short & (1 << i))) continue;
    const ticket = breakers.admit(candidates[i].invokeId, now);
    if (ticket !== undefined) return { kind: "call", index: i, ticket, overQuota: true };
  }
  return { kind: "none" };
}
