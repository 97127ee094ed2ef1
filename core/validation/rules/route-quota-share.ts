import { syncCommand } from "../../catalog";
import { type BaselinePlan, routeCandidates, type RouteConfig } from "../../environment";
import type { Problem } from "../../problems";
import { routeQuotaFigures } from "../../runtime";
import type { EnvironmentRule } from "../rule";

/**
 * A route whose worst-case request (input estimate + maxTokens x output burndown) is more than this share of the
 * model's applied TPM quota is a warning: fewer than 10 such requests at once exhaust the quota of the whole account and
 * region (every application there shares it), so one burst of that route throttles everyone.
 */
export const RESERVATION_WARNING_SHARE = 0.1;

const count = (n: number) => n.toLocaleString("en-US");

/** The warning for one route and model, when its worst-case request is too large a share somewhere. */
function shareProblem(plan: BaselinePlan, task: string, route: RouteConfig, id: string): Problem | undefined {
  const spec = Object.hasOwn(plan.specs, id) ? plan.specs[id] : undefined;
  if (!spec) return undefined;
  // Per region with a known, non-zero applied value (0 is model-quota-codes' warning; unknown is no warning).
  const over = [...new Set(plan.config.regions)].flatMap((region) => {
    const tpm = spec.quotas[region]?.tpm;
    if (!tpm?.applied) return [];
    const f = routeQuotaFigures({ tpmQuota: tpm.applied, inputTokens: route.inputTokensEstimate, maxTokens: route.maxTokens, outputBurndown: spec.outputBurndown });
    const share = f.chargePerRequest / f.tpmQuota;
    return share > RESERVATION_WARNING_SHARE ? [{ region, share, figures: f, code: tpm.code }] : [];
  });
  if (!over.length) return undefined;
  const worst = over.reduce((a, b) => (b.share > a.share ? b : a));
  const f = worst.figures;
  const admits = f.requestsPerMinute === 0 ? "the quota does not admit even one such request" : `the quota admits only ${count(f.requestsPerMinute)} such request${f.requestsPerMinute === 1 ? "" : "s"} at once`;
  const others = over.filter((o) => o !== worst).map((o) => o.region);
  return {
    path: `routes.${task}.maxTokens`,
    message:
      `a worst-case request to ${id} (input estimate ${count(route.inputTokensEstimate)} + maxTokens ${count(route.maxTokens)} × output burndown ${spec.outputBurndown} = ${count(f.chargePerRequest)} tokens) ` +
      `is ${Number((worst.share * 100).toFixed(1))}% of its applied tokens-per-minute quota in ${worst.region} (${count(f.tpmQuota)} per the catalog snapshot): ${admits}` +
      (others.length ? ` (also over ${RESERVATION_WARNING_SHARE * 100}% in ${others.join(", ")})` : ""),
    fix: `lower maxTokens to what the task needs, or request an increase of ${worst.code} and run ${syncCommand(over.map((o) => o.region))}`,
    severity: "warning",
  };
}

/**
 * No route's worst-case request holds a large share of a model's applied quota as last synced (warning; Bedrock
 * reserves input + maxTokens at request start and charges output x burndown at the end:
 * https://docs.aws.amazon.com/bedrock/latest/userguide/quotas-token-burndown.html).
 */
export const routeQuotaShare: EnvironmentRule = {
  name: "route-quota-share",
  description: "no route's worst-case request is more than 10% of a model's applied tokens-per-minute quota (warning)",
  stage: "plan",
  check: ({ plan }) => Object.entries(plan.config.routes).flatMap(([task, route]) => routeCandidates(plan, task).flatMap((id) => shareProblem(plan, task, route, id) ?? [])),
};
