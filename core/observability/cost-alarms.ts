import { names } from "../aws";
import type { RoutingMetricName } from "../runtime";
import { attributesCost, type BaselinePlan, spendThresholdOf } from "../environment";
import { DAY_SECONDS, dailyTokensMath } from "./alarm-kinds";
import type { MathAlarmSpec } from "./alarm-specs";
import { sourceDimensions } from "./bedrock-metrics";

/*
 * The alarms of cost attribution that watch no one model: each workload's spend rate (the client's estimated cost, in
 * minutes rather than the budget's hours) and the region's "Cross-Model Max Tokens Per Day". docs/cost.md.
 */

/** The client's EMF metric of a call's estimated cost in USD (core/runtime/routing-metrics.ts, view `cost`). */
export const ESTIMATED_COST_METRIC: RoutingMetricName = "EstimatedCostUsd";

/**
 * Per workload (with cost attribution), the sum of its calls' estimated cost (EstimatedCostUsd, dimension Workload,
 * from the client's EMF records in the environment's metrics namespace) per alarm period above its USD-per-hour
 * threshold scaled to the period: with the default 300 s, a runaway shows within one to two periods, where AWS Budgets
 * lag hours. An estimate of list prices (docs/cost.md): the budget confirms it from the bill.
 */
export function spendAlarms(plan: BaselinePlan, region: string): MathAlarmSpec[] {
  if (!attributesCost(plan)) return [];
  const c = plan.config;
  const period = c.alarms.periodSeconds;
  return Object.entries(c.workloads).map(([workload, w]): MathAlarmSpec => {
    const perHour = spendThresholdOf(c, w);
    return {
      watches: "expression",
      id: `spend-${workload}`,
      kind: "spend",
      subject: `workload ${workload}`,
      region,
      alarmName: names.workloadAlarm(c.name, "spend", workload),
      description: `Estimated spend of workload ${workload} in ${region} above ${perHour} USD per hour (${ESTIMATED_COST_METRIC} from the routing client, per ${period} s): a runaway, before the budget sees it`,
      queries: [
        { id: "m1", metric: { namespace: c.metricsNamespace, metricName: ESTIMATED_COST_METRIC, dimensions: { Workload: workload }, stat: "Sum" } },
        { id: "e1", label: `${workload} estimated USD`, expression: "FILL(m1, 0)", returnData: true },
      ],
      period,
      evaluationPeriods: 1,
      threshold: { value: Math.round((perHour * period * 10000) / 3600) / 10000 },
      rollback: false,
    };
  });
}

/**
 * The region's tokens of the day across every model (the metrics without a ModelId dimension), input + output x the
 * largest burndown of the region's models (conservative: the quota counts each model's own), above
 * `alarms.dailyQuotaUsagePercent` of the account's "Cross-Model Max Tokens Per Day", read at plan time. Only where the
 * quota's code is known (npm run catalog:sync reads it).
 */
export function crossModelDailyAlarm(plan: BaselinePlan, region: string): MathAlarmSpec[] {
  const code = plan.regionQuotas?.[region]?.crossModelTpd?.code;
  if (code === undefined) return [];
  const c = plan.config;
  const burndown = Math.max(1, ...Object.keys(plan.invocations[region]).map((id) => plan.specs[id]?.outputBurndown ?? 1));
  const pct = c.alarms.dailyQuotaUsagePercent;
  const math = dailyTokensMath([{ allModels: true }], burndown);
  return [
    {
      watches: "expression",
      id: "daily-quota-cross-model",
      kind: "daily-quota",
      subject: `region ${region}`,
      region,
      alarmName: names.crossModelDailyAlarm(c.name),
      description: `The day's tokens of every model in ${region} (input + ${burndown} x output) above ${pct}% of the account's Cross-Model Max Tokens Per Day (${code}, read at plan time)`,
      queries: [
        ...math.metrics.map((m) => ({ id: m.id, metric: { namespace: m.namespace, metricName: m.metricName, dimensions: sourceDimensions(m.source), stat: m.stat } })),
        { id: "e1", label: "tokens of the day", expression: math.expression, returnData: true },
      ],
      period: DAY_SECONDS,
      evaluationPeriods: 1,
      threshold: { quotaPercent: pct, quotaCode: code },
      rollback: false,
    },
  ];
}
