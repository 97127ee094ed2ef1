import { names } from "../aws";
import type { BaselinePlan } from "../environment";
import { DEFAULT_METRICS_NAMESPACE, QUOTA_STORE_METRIC } from "../runtime";
import type { MathAlarmSpec } from "./alarm-specs";

/*
 * The alarm on the region's quota store (`quotaStore`): the routing client writes one QuotaStoreDegraded record (value
 * 1) each time a router loses the store and routes on its own estimate, and one (value 0) when it is back
 * (client/metrics.ts). The period's Sum is the number of routers that lost it; above `alarms.quotaStoreDegradations`
 * (default 0: any) the alarm notifies the topic. One period is enough: a degradation is recorded once, not per period,
 * so it could never breach two in a row. Not a rollback member: the store is advisory and says nothing about a routing
 * change. Cost: one alarm per region (https://aws.amazon.com/cloudwatch/pricing/).
 */

/** The quota-store alarm of `region`'s stack, when the stack creates the store. */
export function quotaStoreAlarms(plan: BaselinePlan, region: string): MathAlarmSpec[] {
  const c = plan.config;
  if (!c.quotaStore?.enabled || !Object.hasOwn(c.network, region)) return [];
  const ns = c.metricsNamespace ?? DEFAULT_METRICS_NAMESPACE;
  const s = c.alarms;
  const threshold = s.quotaStoreDegradations ?? 0;
  return [
    {
      watches: "expression",
      id: "quota-store-degraded",
      kind: "quota-store-degraded",
      region,
      subject: "quota store",
      alarmName: names.alarm(c.name, "quota-store", "degraded"),
      description:
        `More than ${threshold} routing client(s) lost the quota store ${names.quotaStoreCache(c.name)} in a ${s.periodSeconds} s period and routed on their own quota estimate ` +
        `(routing client metric ${QUOTA_STORE_METRIC.name}, namespace ${ns}); see docs/fleet-quota.md, "Failure behaviour"`,
      period: s.periodSeconds,
      evaluationPeriods: 1,
      threshold: { value: threshold },
      rollback: false,
      queries: [
        { id: "m", metric: { namespace: ns, metricName: QUOTA_STORE_METRIC.name, dimensions: { [QUOTA_STORE_METRIC.regionDimension]: region }, stat: "Sum" } },
        { id: "degradations", label: "routers that lost the quota store", expression: "FILL(m, 0)", returnData: true },
      ],
    },
  ];
}
