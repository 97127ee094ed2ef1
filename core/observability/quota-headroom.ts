import { type BaselinePlan, routeCandidates } from "../environment";
import { syncCommand } from "../catalog";
import type { Problem } from "../problems";
import { routeQuotaFigures } from "../runtime";

/*
 * Throttling seen coming, as far as the plan can tell: which models get a quota-usage alarm (those whose
 * tokens-per-minute quota code is known for the way they are invoked in a region; the alarm reads the applied value at
 * plan time, never the snapshot's), and warnings for models without a code and for routes whose worst-case request takes
 * a large share of the model's applied quota as last synced (reservation and burndown:
 * https://docs.aws.amazon.com/bedrock/latest/userguide/quotas.html).
 */

/** Service Quotas service code of Bedrock's runtime quotas (https://docs.aws.amazon.com/bedrock/latest/userguide/quotas.html). */
export const BEDROCK_SERVICE_CODE = "bedrock";

/**
 * A route whose worst-case request (input estimate + maxTokens × output burndown) is more than this share of the
 * model's applied TPM quota is a warning: fewer than 10 such requests at once exhaust the quota of the whole account and
 * region (every application there shares it), so one burst of that route throttles everyone.
 */
export const RESERVATION_WARNING_SHARE = 0.1;

/** Foundation-model ID -> TPM quota code of each model invoked in `region` (undefined where no code is known). */
export function tpmQuotaCodes(plan: BaselinePlan, region: string): Map<string, string | undefined> {
  return new Map(Object.keys(plan.invocations[region] ?? {}).map((id) => [id, plan.specs[id]?.quotas[region]?.tpm?.code]));
}

const count = (n: number) => n.toLocaleString("en-US");

/** Warnings: models without a TPM quota code (no alarm), an applied quota of 0, and routes that hold too much of one. */
export function quotaHeadroomProblems(plan: BaselinePlan): Problem[] {
  const c = plan.config;
  const problems: Problem[] = [];
  const regions = [...new Set(c.regions)];
  const modelIndex = (id: string) => c.models.findIndex((m) => m.id === id);

  for (const id of Object.keys(plan.specs)) {
    const i = modelIndex(id);
    const kind = c.models[i]?.inference;
    const invokedIn = regions.filter((r) => Object.hasOwn(plan.invocations[r] ?? {}, id));
    const noCode = invokedIn.filter((r) => plan.specs[id].quotas[r]?.tpm === undefined);
    if (noCode.length)
      problems.push({
        path: `models[${i}]`,
        message: `no tokens-per-minute quota code is known for ${id} (inference ${kind}) in ${noCode.join(", ")}: no quota-usage alarm there (its threshold would be a guess)`,
        fix: `run ${syncCommand(noCode)} (it reads the codes from Service Quotas), or declare models[${i}].facts.quotaCodes.${kind}`,
        severity: "warning",
      });
    const zero = invokedIn.filter((r) => plan.specs[id].quotas[r]?.tpm?.applied === 0);
    if (zero.length)
      problems.push({
        path: `models[${i}]`,
        message: `the applied tokens-per-minute quota of ${id} in ${zero.join(", ")} is 0 per the catalog snapshot: every call is throttled until AWS raises it`,
        fix: `request an increase of ${plan.specs[id].quotas[zero[0]]!.tpm!.code} in the Service Quotas console (new accounts start at 0 until reviewed), then ${syncCommand(zero)}`,
        severity: "warning",
      });
  }

  for (const [task, route] of Object.entries(c.routes)) {
    for (const id of routeCandidates(plan, task)) {
      const spec = Object.hasOwn(plan.specs, id) ? plan.specs[id] : undefined;
      if (!spec) continue;
      // Per region with a known, non-zero applied value (0 is reported above; unknown is no warning).
      const over = regions.flatMap((region) => {
        const tpm = spec.quotas[region]?.tpm;
        if (!tpm?.applied) return [];
        const f = routeQuotaFigures({ tpmQuota: tpm.applied, inputTokens: route.inputTokensEstimate, maxTokens: route.maxTokens, outputBurndown: spec.outputBurndown });
        const share = f.chargePerRequest / f.tpmQuota;
        return share > RESERVATION_WARNING_SHARE ? [{ region, share, figures: f, code: tpm.code }] : [];
      });
      if (!over.length) continue;
      const worst = over.reduce((a, b) => (b.share > a.share ? b : a));
      const f = worst.figures;
      const admits =
        f.requestsPerMinute === 0 ? "the quota does not admit even one such request" : `the quota admits only ${count(f.requestsPerMinute)} such request${f.requestsPerMinute === 1 ? "" : "s"} at once`;
      const others = over.filter((o) => o !== worst).map((o) => o.region);
      problems.push({
        path: `routes.${task}.maxTokens`,
        message:
          `a worst-case request to ${id} (input estimate ${count(route.inputTokensEstimate)} + maxTokens ${count(route.maxTokens)} × output burndown ${spec.outputBurndown} = ${count(f.chargePerRequest)} tokens) ` +
          `is ${Number((worst.share * 100).toFixed(1))}% of its applied tokens-per-minute quota in ${worst.region} (${count(f.tpmQuota)} per the catalog snapshot): ${admits}` +
          (others.length ? ` (also over ${RESERVATION_WARNING_SHARE * 100}% in ${others.join(", ")})` : ""),
        fix: `lower maxTokens to what the task needs, or request an increase of ${worst.code} and run ${syncCommand(over.map((o) => o.region))}`,
        severity: "warning",
      });
    }
  }
  return problems;
}
