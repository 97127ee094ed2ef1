import type { InvocationKind } from "../core/aws";
import { reservedTokens, type RouteQuotaFigures } from "../core/runtime";

/** A quota as Service Quotas lists it. */
export interface ListedQuota {
  readonly code: string;
  readonly name: string;
  readonly value: number;
}

/**
 * Picks the tokens-per-minute quota for a model from a ListServiceQuotas page set when its code is unknown or gone.
 * Live names are inconsistent ("Cross-region"/"Cross-Region", "V1", "1M Context Length"), so: the name must contain
 * the model's name fragment and "tokens per minute"; among those, prefer the wording of the invocation kind ("Global"
 * for global, "Cross-region" without "Global" for geo, neither for on-demand), then the shortest name (the base quota
 * rather than a long-context variant).
 */
export function selectTpmQuota(quotas: readonly ListedQuota[], quotaName: string, kind: InvocationKind): ListedQuota | undefined {
  const fragment = quotaName.toLowerCase();
  const candidates = quotas.filter((q) => {
    const n = q.name.toLowerCase();
    return n.includes(fragment) && n.includes("tokens per minute");
  });
  const fits = (q: ListedQuota) => {
    const n = q.name.toLowerCase();
    const global = n.includes("global");
    const cross = n.includes("cross-region");
    return kind === "global" ? global : kind === "geo" ? cross && !global : !global && !cross;
  };
  const ranked = [...candidates].sort((a, b) => Number(fits(b)) - Number(fits(a)) || a.name.length - b.name.length);
  return ranked.find(fits);
}

/**
 * Picks a tokens-per-day quota from a ListServiceQuotas page set: with a model name fragment, the shortest name with
 * "tokens per day" and the fragment but not "cross-model" (the base quota rather than a long-context variant); without
 * one, the account's "Cross-Model Max Tokens Per Day" (https://docs.aws.amazon.com/bedrock/latest/userguide/quotas-runtime.html).
 */
export function selectDailyQuota(quotas: readonly ListedQuota[], quotaName?: string): ListedQuota | undefined {
  const norm = (x: string) => x.toLowerCase().replace(/\s+/g, " ");
  if (quotaName === undefined) return quotas.find((q) => norm(q.name) === "cross-model max tokens per day");
  const fragment = norm(quotaName);
  return [...quotas].filter((q) => norm(q.name).includes("tokens per day") && norm(q.name).includes(fragment) && !norm(q.name).includes("cross-model")).sort((a, b) => a.name.length - b.name.length)[0];
}

const n = (v: number) => v.toLocaleString("en-US");

/** `TPM 5,000,000: reserves 3,048/request (1,000 in + 2,048 maxTokens) -> 1,640 concurrent; worst case 11,240 (x5 output) -> 444 req/min` */
export function figuresText(f: RouteQuotaFigures, inputTokens: number, maxTokens: number, burndown: number): string {
  return (
    `TPM ${n(f.tpmQuota)}: reserves ${n(f.reservedPerRequest)}/request (${n(inputTokens)} in + ${n(maxTokens)} maxTokens) -> ${n(f.concurrentRequests)} concurrent; ` +
    `worst case ${n(f.chargePerRequest)}${burndown !== 1 ? ` (x${burndown} output)` : ""} -> ${n(f.requestsPerMinute)} req/min`
  );
}

/** For a throttled probe: the applied quota and what the probe and each route reserve against it. */
export function throttleFiguresText(args: {
  readonly quota?: ListedQuota;
  readonly probeInputTokens: number;
  readonly probeMaxTokens: number;
  readonly routes: readonly { readonly task: string; readonly maxTokens: number; readonly inputTokensEstimate: number }[];
}): string {
  const quota = args.quota ? `applied TPM quota ${args.quota.code} = ${n(args.quota.value)}` : "applied TPM quota unknown (not found in Service Quotas)";
  const probe = `the probe reserves ${n(reservedTokens(args.probeInputTokens, args.probeMaxTokens))} (${args.probeInputTokens} in + maxTokens ${args.probeMaxTokens})`;
  const routes = args.routes.map((r) => `${r.task} maxTokens ${n(r.maxTokens)} reserves ${n(reservedTokens(r.inputTokensEstimate, r.maxTokens))}/request`).join(", ");
  return `${quota}; ${probe}${routes ? `; ${routes}` : ""}`;
}
