import type { ManifestModel } from "../core/routing";
import type { CheckRow, RowBase } from "./check-result";
import type { RegionContext } from "./check-context";
import type { QuotaLookupResult } from "./quota-lookup";
import { serviceFailure } from "./service-failure";

/** A daily token quota as the report carries it. */
export interface DailyQuotaReport {
  /** `model`: one model's "Model invocation max tokens per day"; `account`: the region's "Cross-Model Max Tokens Per Day". */
  readonly scope: "model" | "account";
  readonly modelId?: string;
  readonly quotaCode?: string;
  readonly quotaName?: string;
  readonly value?: number;
  readonly source?: "GetServiceQuota" | "ListServiceQuotas";
}

const n = (v: number) => v.toLocaleString("en-US");

/**
 * The row of one daily token quota (https://docs.aws.amazon.com/bedrock/latest/userguide/quotas-runtime.html): its applied
 * value, and for a model how many minutes of its applied tokens-per-minute quota it holds (AWS's default is 24 x 60, a
 * whole day; new accounts may get less). An applied value of 0 fails (every call is throttled); a quota that cannot be
 * found or read warns.
 */
function dailyRow(ctx: RegionContext, base: RowBase, report: DailyQuotaReport, found: QuotaLookupResult, what: string, tpm?: number): CheckRow {
  if (found.kind === "error") {
    const f = serviceFailure(found.error, { action: found.action, region: ctx.region, declaredRegions: ctx.declaredRegions });
    return { ...base, verdict: "WARN", outcome: "quota-unreadable", category: "quota", errorName: f.errorName, message: f.message, hint: f.hint, dailyQuota: report };
  }
  if (found.kind === "not-found")
    return { ...base, verdict: "WARN", outcome: "quota-not-found", category: "quota", hint: `no ${what} in ${ctx.region} (searched ${found.searched}): check Service Quotas > Amazon Bedrock, then npm run catalog:sync -- --regions ${ctx.region}`, dailyQuota: report };
  const q = found.quota;
  const full: DailyQuotaReport = { ...report, quotaCode: q.code, quotaName: q.name, value: q.value, source: q.source };
  if (q.value <= 0)
    return { ...base, verdict: "FAIL", outcome: "quota-zero", category: "quota", hint: `applied ${what} ${q.code} (${q.name}) is 0 in ${ctx.region}: every call is throttled; request an increase in Service Quotas`, dailyQuota: full };
  const minutes = tpm && tpm > 0 ? `; ${n(Math.floor(q.value / tpm))} minutes at the applied TPM (${n(tpm)})${q.value < tpm * 1440 ? ": less than a day, so a busy day runs out" : ""}` : "";
  return { ...base, verdict: "PASS", outcome: "ok", hint: `${q.code} TPD ${n(q.value)} tokens/day${minutes}; the daily-quota alarm fires at alarms.dailyQuotaUsagePercent of it`, dailyQuota: full };
}

/** One model's tokens-per-day quota in the region. */
export async function modelDailyQuotaCheck(ctx: RegionContext, modelId: string, model: ManifestModel): Promise<CheckRow> {
  const base: RowBase = { region: ctx.region, kind: "quota", subject: `TPD ${modelId}` };
  const [daily, perMinute] = await Promise.all([ctx.quotas.lookupDaily(model), ctx.quotas.lookup(model)]);
  return dailyRow(ctx, base, { scope: "model", modelId }, daily, "tokens-per-day quota", perMinute.kind === "found" ? perMinute.quota.value : undefined);
}

/** The account's "Cross-Model Max Tokens Per Day" of the region. */
export async function crossModelDailyQuotaCheck(ctx: RegionContext): Promise<CheckRow> {
  const base: RowBase = { region: ctx.region, kind: "quota", subject: "TPD cross-model" };
  return dailyRow(ctx, base, { scope: "account" }, await ctx.quotas.lookupCrossModel(ctx.manifest.crossModelTpdQuotaCode), "Cross-Model Max Tokens Per Day quota");
}
