import type { BaselinePlan } from "../environment";
import { regionCostRows } from "./cost-rows";
import type { DashboardRow } from "./dashboard-rows";
import { type DashboardSpec, splitDashboards } from "./dashboard-split";
import { regionModelRows } from "./model-rows";
import { regionQualityRows } from "./quality-rows";
import { regionRoutingRows } from "./routing-rows";

/*
 * A region's dashboards: one list of rows, split onto as many dashboards as CloudWatch's limits need
 * (core/observability/dashboard-split.ts). A feature with graphs of its own appends its rows here (per-workload spend,
 * quality per model and variant): the layout, the split and the limits check (validation's dashboard-limits rule)
 * follow without further change.
 */

/**
 * Every row of a region's dashboards, in order: Bedrock's per-model graphs and canary comparisons, the routes' rows,
 * refusals and reported quality per model and variant, then with cost attribution the usage and estimated spend per
 * workload (core/observability/cost-rows.ts).
 */
export function regionDashboardRows(plan: BaselinePlan, region: string): DashboardRow[] {
  return [...regionModelRows(plan, region), ...regionRoutingRows(plan), ...regionQualityRows(plan, region), ...regionCostRows(plan, region)];
}

/** The dashboards of one region stack of a plan (the first named like the region's dashboard, the others `-2`, `-3`, ...). */
export function regionDashboards(plan: BaselinePlan, region: string): DashboardSpec[] {
  return splitDashboards(plan.config.name, region, plan.config.alarms.periodSeconds, regionDashboardRows(plan, region));
}
