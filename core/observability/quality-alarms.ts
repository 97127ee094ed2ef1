import { names } from "../aws";
import type { BaselinePlan } from "../environment";
import { DEFAULT_METRICS_NAMESPACE, OUTCOME_REPORT, ROUTING_DIMENSIONS as D } from "../runtime";
import type { AlarmMetricQuery, MathAlarmSpec } from "./alarm-specs";

/*
 * The alarms that gate a canary on what it answers, not only on whether it answers, both on the routing client's
 * metrics (core/runtime/routing-metrics.ts) as metric math
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create-alarm-on-metric-math-expression.html; IF and
 * the comparison and logical operators: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html):
 *
 * - per enabled model, its refusal rate: the share of its answered calls (Refusals, 0 or 1, by Model) that ended in a
 *   refusal, 0 while fewer than `alarms.routeMinimumCalls` were answered in the period; a member of the rollback alarm
 *   for a model a route declares as its canary;
 * - per route with a declared canary, how many points the canary's task success rate (the TaskSuccess applications
 *   report, router.reportOutcome) is below the primary's over `alarms.qualityPeriodSeconds`, 0 until each arm has
 *   `routeMinimumCalls` reports: always a member of the rollback alarm, so a canary that answers, but worse, is rolled
 *   back by AppConfig itself. Each arm is the model that served under its own variant: a canary call that fell back to
 *   the primary counts for neither.
 */

/** The alarm kinds, for messages and tests. */
export const REFUSAL_RATE_KIND = "refusal-rate";
export const CANARY_QUALITY_KIND = "canary-quality";

/** Foundation-model ID -> the routes whose declared canary it is. */
export function declaredCanaries(plan: BaselinePlan): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [task, r] of Object.entries(plan.config.routes)) if (r.canary) out.set(r.canary.model, [...(out.get(r.canary.model) ?? []), task]);
  return out;
}

/** A model's refusal rate in percent, 0 below `minimum` answered calls. */
export function refusalRateQueries(namespace: string, modelId: string, minimum: number): AlarmMetricQuery[] {
  const metric = (id: string, stat: string): AlarmMetricQuery => ({ id, metric: { namespace, metricName: "Refusals", dimensions: { [D.model]: modelId }, stat } });
  return [metric("refused", "Sum"), metric("answered", "SampleCount"), { id: "e", label: `refusal rate of ${modelId} (%)`, expression: `IF(answered >= ${minimum}, 100 * refused / answered, 0)`, returnData: true }];
}

/** Points the canary's success rate is below the primary's on `task`, 0 until both arms have `minimum` reports. */
export function canaryQualityQueries(namespace: string, task: string, primary: string, canary: string, minimum: number): AlarmMetricQuery[] {
  const metric = (id: string, model: string, variant: string, stat: string): AlarmMetricQuery => ({
    id,
    metric: { namespace, metricName: OUTCOME_REPORT.success, dimensions: { [D.task]: task, [D.model]: model, [D.variant]: variant }, stat },
  });
  return [
    metric("ps", primary, "primary", "Sum"),
    metric("pn", primary, "primary", "SampleCount"),
    metric("cs", canary, "canary", "Sum"),
    metric("cn", canary, "canary", "SampleCount"),
    { id: "e", label: `${task}: primary success rate minus canary success rate (points)`, expression: `IF(cn >= ${minimum} AND pn >= ${minimum}, 100 * (ps / pn - cs / cn), 0)`, returnData: true },
  ];
}

/** A refusal-rate alarm per enabled model of the region, in invocation order. */
export function refusalRateAlarms(plan: BaselinePlan, region: string): MathAlarmSpec[] {
  const c = plan.config;
  const ns = c.metricsNamespace ?? DEFAULT_METRICS_NAMESPACE;
  const s = c.alarms;
  const canaries = declaredCanaries(plan);
  return Object.values(plan.invocations[region]).map((inv): MathAlarmSpec => {
    const canaryOf = canaries.get(inv.modelId) ?? [];
    return {
      watches: "expression",
      id: `${REFUSAL_RATE_KIND}-${inv.modelId}`,
      kind: REFUSAL_RATE_KIND,
      region,
      subject: `model ${inv.modelId}`,
      alarmName: names.alarm(c.name, REFUSAL_RATE_KIND, inv.invokeId),
      description:
        `Refusals of ${inv.modelId} above ${s.refusalRatePercent}% of its answered calls in a ${s.periodSeconds} s period with at least ${s.routeMinimumCalls} answered ` +
        `(routing client metric Refusals, namespace ${ns})${canaryOf.length ? `; canary of ${canaryOf.join(", ")}: rolls the routing deployment back` : ""}`,
      period: s.periodSeconds,
      evaluationPeriods: s.evaluationPeriods,
      threshold: { value: s.refusalRatePercent },
      rollback: canaryOf.length > 0,
      queries: refusalRateQueries(ns, inv.modelId, s.routeMinimumCalls),
    };
  });
}

/** A canary-quality alarm per route with a declared canary, in config order. */
export function canaryQualityAlarms(plan: BaselinePlan, region: string): MathAlarmSpec[] {
  const c = plan.config;
  const ns = c.metricsNamespace ?? DEFAULT_METRICS_NAMESPACE;
  const inv = plan.invocations[region];
  const s = c.alarms;
  return Object.entries(c.routes).flatMap(([task, r]): MathAlarmSpec[] => {
    if (!r.canary || !Object.hasOwn(inv, r.canary.model) || !Object.hasOwn(inv, r.primary)) return [];
    return [
      {
        watches: "expression",
        id: `${CANARY_QUALITY_KIND}-${task}`,
        kind: CANARY_QUALITY_KIND,
        region,
        subject: `route ${task}`,
        task,
        alarmName: names.alarm(c.name, CANARY_QUALITY_KIND, task),
        description:
          `Task success rate of canary ${r.canary.model} on ${task} more than ${s.canarySuccessDropPoints} points below primary ${r.primary}'s in a ${s.qualityPeriodSeconds} s period ` +
          `(each with at least ${s.routeMinimumCalls} reported outcomes; routing client metric ${OUTCOME_REPORT.success}, namespace ${ns}): rolls the routing deployment back`,
        period: s.qualityPeriodSeconds,
        evaluationPeriods: 1,
        threshold: { value: s.canarySuccessDropPoints },
        rollback: true,
        queries: canaryQualityQueries(ns, task, r.primary, r.canary.model, s.routeMinimumCalls),
      },
    ];
  });
}
