import { dashboardLimitBreaches, regionDashboards } from "../../observability";
import type { Problem } from "../../problems";
import type { EnvironmentRule } from "../rule";

/**
 * Each region's dashboards fit CloudWatch's limits (widgets per dashboard, metrics per graph and per dashboard) and the
 * body budget (core/aws/aws-limits.ts). The rows are split onto as many dashboards as needed
 * (core/observability/dashboard-split.ts), so only a row too large on its own breaks them: the per-model graphs of
 * a region with a few hundred models.
 */
export const dashboardLimits: EnvironmentRule = {
  name: "dashboard-limits",
  description: "each region's dashboards fit CloudWatch's limits on widgets and metrics, and the body budget",
  stage: "plan",
  check({ plan }) {
    const problems: Problem[] = [];
    for (const region of new Set(plan.config.regions))
      for (const d of regionDashboards(plan, region)) {
        // With cost attribution each per-model graph is a row of its own (`models: <title>`).
        const models = d.rows.some((r) => r.key === "models" || r.key.startsWith("models: "));
        for (const message of dashboardLimitBreaches(d))
          problems.push(
            models
              ? { path: "models", message: `${message} (${region}): the per-model graphs draw every model of the region`, fix: "enable fewer models in the region" }
              : { path: "routes", message: `${message} (${region})`, fix: "give the route fewer candidates" },
          );
      }
    return problems;
  },
};
