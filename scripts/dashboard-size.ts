/**
 * Prints what each region's dashboards, alarms and saved queries hold against CloudWatch's limits, for the environments
 * in config/ and for the largest generated organisation the project supports (scripts/large-environment.ts: 200
 * routes x 30 models x 200 workloads; its regions' dashboards are alike, so one region stands for all 17): dashboards,
 * widgets, metrics, the widest graph and the body bytes of each, alarms and the rollback alarm's members and parts.
 *
 *   npx ts-node --transpile-only scripts/dashboard-size.ts
 */
import * as path from "node:path";
import { loadEnvironments } from "../cli/environment-files";
import { shippedCatalog } from "../cli/catalog-files";
import { DASHBOARD_BODY_BUDGET_BYTES, MAX_DASHBOARD_METRICS, MAX_DASHBOARD_WIDGETS, names } from "../core/aws";
import type { BaselinePlan } from "../core/environment";
import { alarmArn, dashboardFigures, regionAlarms, regionDashboards, rollbackLayout, savedQueries } from "../core/observability";
import { validateEnvironment } from "../core/validation";
import { largeEnvironment } from "./large-environment";

function report(label: string, plan: BaselinePlan, regions: readonly string[] = plan.config.regions): void {
  for (const region of regions) {
    const dashboards = regionDashboards(plan, region);
    const alarms = regionAlarms(plan, region);
    const members = alarms.filter((a) => a.rollback).map((a) => alarmArn(a, plan.config.account));
    const parts = rollbackLayout(names.rollbackAlarm(plan.config.name), members).parts.length;
    console.log(
      `${label} ${region}: ${Object.keys(plan.config.routes).length} routes, ${Object.keys(plan.invocations[region]).length} models; ${dashboards.length} dashboard(s); ` +
        `${alarms.length} alarms (${alarms.filter((a) => a.watches === "expression").length} on the client's metrics), rollback alarm over ${members.length} members${parts ? ` in ${parts} parts` : ""}; ${savedQueries(plan).length} saved queries`,
    );
    for (const d of dashboards) {
      const f = dashboardFigures(d);
      console.log(`  ${d.name}: ${d.rows.length} rows, ${f.widgets}/${MAX_DASHBOARD_WIDGETS} widgets, ${f.metrics}/${MAX_DASHBOARD_METRICS} metrics, widest graph ${f.widestWidget.metrics} ("${f.widestWidget.title}"), ${f.bytes}/${DASHBOARD_BODY_BUDGET_BYTES} bytes`);
    }
  }
}

for (const l of loadEnvironments(path.resolve(__dirname, "..", "config"))) report(l.displayName, l.plan);
const large = validateEnvironment(largeEnvironment({ routes: 200, models: 30, workloads: 200 }), "large.json", { catalog: shippedCatalog() });
report("generated (200 routes x 30 models x 200 workloads)", large, ["us-east-1"]);
