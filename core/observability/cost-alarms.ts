import { names } from "../aws";
import { attributesCost, type BaselinePlan, spendThresholdOf } from "../environment";
import { DAY_SECONDS, dailyTokensMath } from "./alarm-kinds";
import type { AlarmSpec } from "./alarm-specs";

/*
 * The alarms of cost attribution that watch no one model: each workload's spend rate (the client's estimated cost, in
 * minutes rather than the budget's hours) and the region's "Cross-Model Max Tokens Per Day". docs/cost.md.
 */

/** The client's EMF metric of a call's estimated cost in USD (client/metrics.ts), per Workload (and Workload, Model). */
export const ESTIMATED_COST_METRIC = "EstimatedCostUsd";

/**
 * Per workload (with cost attribution), the sum of its calls' estimated cost (EstimatedCostUsd, dimension Workload,
 * from the client's EMF records in the environment's metrics namespace) per alarm period above its USD-per-hour
 * threshold scaled to the period: with the default 300 s, a runaway shows within one to two periods, where AWS Budgets
 * lag hours. An estimate of list prices (docs/cost.md): the budget confirms it from the bill.
 */
export function spendAlarms(plan: BaselinePlan, region: string): AlarmSpec[] {
  if (!attributesCost(plan)) return [];
  const c = plan.config;
  const period = c.alarms.periodSeconds;
  return Object.entries(c.workloads).map(([workload, w]) => {
    const perHour = spendThresholdOf(c, w);
    return {
      id: `spend-${workload}`,
      kind: "spend",
      region,
      alarmName: names.workloadAlarm(c.name, "spend", workload),
      description: `Estimated spend of workload ${workload} in ${region} above ${perHour} USD per hour (${ESTIMATED_COST_METRIC} from the routing client, per ${period} s): a runaway, before the budget sees it`,
      namespace: c.metricsNamespace,
      metricName: ESTIMATED_COST_METRIC,
      dimensions: { Workload: workload },
      statistic: { statistic: "Sum" },
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
export function crossModelDailyAlarm(plan: BaselinePlan, region: string): AlarmSpec[] {
  const code = plan.regionQuotas?.[region]?.crossModelTpd?.code;
  if (code === undefined) return [];
  const c = plan.config;
  const burndown = Math.max(1, ...Object.keys(plan.invocations[region]).map((id) => plan.specs[id]?.outputBurndown ?? 1));
  const pct = c.alarms.dailyQuotaUsagePercent;
  return [
    {
      id: "daily-quota-cross-model",
      kind: "daily-quota",
      region,
      alarmName: names.crossModelDailyAlarm(c.name),
      description: `The day's tokens of every model in ${region} (input + ${burndown} x output) above ${pct}% of the account's Cross-Model Max Tokens Per Day (${code}, read at plan time)`,
      namespace: "AWS/Bedrock",
      metricName: "InputTokenCount",
      dimensions: {},
      statistic: { statistic: "Sum" },
      math: dailyTokensMath([{ allModels: true }], burndown),
      period: DAY_SECONDS,
      evaluationPeriods: 1,
      threshold: { quotaPercent: pct, quotaCode: code },
      rollback: false,
    },
  ];
}
