import { names } from "../aws";
import type { AlarmConfig, BaselinePlan, RouteConfig } from "../environment";
import { DEFAULT_METRICS_NAMESPACE, ROUTING_DIMENSIONS, type RoutingMetricName } from "../runtime";
import type { AlarmMetricQuery, MathAlarmSpec } from "./alarm-specs";

/*
 * Alarms on what only the routing client sees (its EMF records, core/runtime/routing-metrics.ts): per route, the share
 * of calls that fell back and the share that failed (every candidate exhausted for capacity, or an error no fallback
 * helps). Bedrock's own metrics cannot say either: a fallback is two models' ordinary calls, and a failed call is one
 * model's error among many routes' calls.
 *
 * Each record carries Fallbacks and Failures as 0 or 1, so a period's Average is the rate and its SampleCount the
 * calls (caller mistakes and cancelled streams are not counted). The alarm is a metric-math alarm
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create-alarm-on-metric-math-expression.html; IF,
 * FILL and MAX: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html): the rate in
 * percent in periods with at least `alarms.routeMinimumCalls` calls, else 0, so a quiet hour with one unlucky call
 * never alarms. A route with a canary in the environment file also judges the canary's calls alone (the `variant`
 * view) and alarms on the higher of the two: a canary failing on its share of 5% would hardly move the route's rate.
 * Those routes' alarms are members of the rollback alarm, so AppConfig rolls the canary's deployment back by itself.
 */

/** The two client-side rates a route is alarmed on. */
const ROUTE_RATES = [
  { kind: "route-fallback-rate", metric: "Fallbacks", override: "fallbackRatePercent", what: "fell back" },
  { kind: "route-failure-rate", metric: "Failures", override: "failureRatePercent", what: "failed" },
] as const satisfies ReadonlyArray<{ kind: string; metric: RoutingMetricName; override: keyof NonNullable<RouteConfig["alarms"]>; what: string }>;

/** The rate alarm kinds, in the order each route's alarms are created. */
export const ROUTE_ALARM_KINDS: readonly string[] = ROUTE_RATES.map((r) => r.kind);

/** The queries of one rate: calls and Average of the 0/1 metric, and the gated percentage `id`. */
function rateQueries(id: string, ns: string, metricName: string, dimensions: Record<string, string>, minimumCalls: number, label: string): AlarmMetricQuery[] {
  return [
    { id: `${id}n`, metric: { namespace: ns, metricName, dimensions, stat: "SampleCount" } },
    { id: `${id}a`, metric: { namespace: ns, metricName, dimensions, stat: "Average" } },
    { id, label, expression: `IF(${id}n >= ${minimumCalls}, 100 * ${id}a, 0)`, returnData: false },
  ];
}

/** The queries of a route's rate alarm: the route's rate, and for a canaried route the canary's as well. */
export function routeRateQueries(ns: string, metricName: string, task: string, canaried: boolean, minimumCalls: number): AlarmMetricQuery[] {
  const route = rateQueries("route", ns, metricName, { [ROUTING_DIMENSIONS.task]: task }, minimumCalls, `${task}: % of calls`);
  if (!canaried) return route.map((q) => ("expression" in q ? { ...q, returnData: true } : q));
  const canary = rateQueries("canary", ns, metricName, { [ROUTING_DIMENSIONS.task]: task, [ROUTING_DIMENSIONS.variant]: "canary" }, minimumCalls, `${task}: % of the canary's calls`);
  // FILL: a period without canary calls is 0, not a gap that would hide the route's own rate.
  return [...route, ...canary, { id: "rate", label: `${task}: the higher of the route's and its canary's`, expression: "MAX([FILL(route, 0), FILL(canary, 0)])", returnData: true }];
}

/** A route's alarm thresholds in percent: its own (`routes.<task>.alarms`), else the environment's. */
export function routeThresholds(settings: AlarmConfig, route: RouteConfig): { readonly fallbackRatePercent: number; readonly failureRatePercent: number } {
  return {
    fallbackRatePercent: route.alarms?.fallbackRatePercent ?? settings.routeFallbackRatePercent,
    failureRatePercent: route.alarms?.failureRatePercent ?? settings.routeFailureRatePercent,
  };
}

/** The client-side alarms of one region stack: a fallback-rate and a failure-rate alarm per route, in config order. */
export function routeAlarms(plan: BaselinePlan, region: string): MathAlarmSpec[] {
  const c = plan.config;
  if (c.observability?.routeAlarms === false) return [];
  const ns = c.metricsNamespace ?? DEFAULT_METRICS_NAMESPACE;
  const s = c.alarms;
  return Object.entries(c.routes).flatMap(([task, route]) =>
    ROUTE_RATES.map((rate): MathAlarmSpec => {
      const threshold = routeThresholds(s, route)[rate.override];
      const canaried = route.canary !== undefined;
      return {
        watches: "expression",
        id: `${rate.kind}-${task}`,
        kind: rate.kind,
        region,
        subject: `route ${task}`,
        task,
        alarmName: names.alarm(c.name, rate.kind, task),
        description:
          `Share of route ${task}'s calls that ${rate.what} above ${threshold}% in a ${s.periodSeconds} s period with at least ${s.routeMinimumCalls} calls ` +
          `(routing client metric ${rate.metric}, namespace ${ns})${canaried ? "; also judged on its canary's calls alone" : ""}`,
        period: s.periodSeconds,
        evaluationPeriods: s.evaluationPeriods,
        threshold: { value: threshold },
        rollback: canaried,
        queries: routeRateQueries(ns, rate.metric, task, canaried, s.routeMinimumCalls),
      };
    }),
  );
}
