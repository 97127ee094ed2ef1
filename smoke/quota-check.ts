import { routeQuotaFigures } from "../core/runtime";
import type { CheckRow, QuotaReport, RowBase } from "./check-result";
import type { RegionContext } from "./check-context";
import type { QuotaTarget } from "./probe-targets";
import { figuresText } from "./quota-figures";
import { serviceFailure } from "./service-failure";

/**
 * Quota figures of one route on one model: the applied TPM quota against what the route reserves per request
 * (input estimate + maxTokens) and its worst-case charge (burndown applied). An applied quota of 0 fails; a quota that
 * cannot be found or read only warns (the probe itself shows whether calls go through).
 */
export async function quotaCheck(ctx: RegionContext, qt: QuotaTarget): Promise<CheckRow> {
  const { target } = qt;
  const base: RowBase = { region: ctx.region, kind: "quota", subject: `${qt.task} ${target.invokeId}` };
  const report: QuotaReport = {
    task: qt.task,
    modelId: target.modelId,
    invokeId: target.invokeId,
    maxTokens: qt.maxTokens,
    inputTokensEstimate: qt.inputTokensEstimate,
    outputBurndown: target.model?.outputBurndown ?? 1,
  };
  const done = (row: Omit<CheckRow, keyof RowBase>): CheckRow => ({ ...base, ...row });
  if (!target.model)
    return done({ verdict: "WARN", outcome: "quota-not-found", category: "quota", hint: `${target.modelId} is not in the manifest, so its quota code is unknown: re-run \`npm run synth\``, quota: report });

  const found = await ctx.quotas.lookup(target.model);
  if (found.kind === "error") {
    const f = serviceFailure(found.error, { action: found.action, region: ctx.region, declaredRegions: ctx.declaredRegions });
    return done({ verdict: "WARN", outcome: "quota-unreadable", category: "quota", errorName: f.errorName, message: f.message, hint: f.hint, quota: report });
  }
  if (found.kind === "not-found")
    return done({
      verdict: "WARN",
      outcome: "quota-not-found",
      category: "quota",
      hint: `no tokens-per-minute quota for ${target.model.quotaName} in ${ctx.region} (searched ${found.searched}): check Service Quotas > Amazon Bedrock, then npm run catalog:sync -- --regions ${ctx.region}`,
      quota: report,
    });

  const q = found.quota;
  const figures = routeQuotaFigures({ tpmQuota: q.value, inputTokens: qt.inputTokensEstimate, maxTokens: qt.maxTokens, outputBurndown: report.outputBurndown });
  const full: QuotaReport = { ...report, quotaCode: q.code, quotaName: q.name, source: q.source, figures };
  if (q.value <= 0)
    return done({
      verdict: "FAIL",
      outcome: "quota-zero",
      category: "quota",
      hint: `applied quota ${q.code} (${q.name}) is 0 in ${ctx.region}: every call is throttled; request an increase in Service Quotas (new accounts may start at 0) sized for ${figures.reservedPerRequest.toLocaleString("en-US")} tokens reserved per ${qt.task} request`,
      quota: full,
    });
  return done({ verdict: "PASS", outcome: "ok", hint: `${q.code} ${figuresText(figures, qt.inputTokensEstimate, qt.maxTokens, report.outputBurndown)}`, quota: full });
}
