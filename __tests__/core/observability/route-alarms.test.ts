import { type MathAlarmSpec, regionAlarms, routeAlarms } from "../../../core/observability";
import { devPlan, prodPlan, variant } from "../../fixtures";
import { clientMetrics, metricKey } from "./client-records";
import { evaluate } from "./metric-math";

// What a route's fallback-rate and failure-rate alarms compute, evaluated as CloudWatch would at one period
// (./metric-math.ts), against the metrics the routing client really writes (./client-records.ts).

/** The value an alarm compares with its threshold, given each metric query's statistic for the period. */
function alarmValue(a: MathAlarmSpec, stats: Record<string, number | undefined>): number | undefined {
  const values: Record<string, number | undefined> = {};
  for (const q of a.queries) if ("metric" in q) values[q.id] = stats[q.id];
  for (const q of a.queries) if ("expression" in q) values[q.id] = evaluate(q.expression, values);
  const returned = a.queries.filter((q) => "expression" in q && q.returnData);
  expect(returned).toHaveLength(1);
  return values[returned[0].id];
}

const byName = (alarms: readonly MathAlarmSpec[], kind: string, task: string) => alarms.find((a) => a.kind === kind && a.task === task)!;

describe("route alarms", () => {
  const dev = devPlan();
  const alarms = routeAlarms(dev, "us-east-1");

  it("a fallback-rate and a failure-rate alarm per route, after the per-model alarms, named for the route", () => {
    const routes = Object.keys(dev.config.routes);
    expect(alarms.map((a) => a.alarmName)).toEqual(routes.flatMap((t) => [`bedrock-dev-route-fallback-rate-${t}`, `bedrock-dev-route-failure-rate-${t}`]));
    expect(regionAlarms(dev, "us-east-1").slice(-alarms.length)).toEqual(alarms);
    for (const a of alarms) expect(a).toMatchObject({ watches: "expression", region: "us-east-1", period: 300, evaluationPeriods: 1, rollback: false });
  });

  it("every metric an alarm reads is one the client writes", () => {
    for (const a of alarms) {
      const written = clientMetrics("BedrockRouting", a.task!, []);
      for (const q of a.queries) if ("metric" in q) expect(written).toContain(metricKey(q.metric.namespace, q.metric.metricName, q.metric.dimensions));
    }
  });

  it.each([
    ["below the minimum of calls: 0, however bad", { routen: 19, routea: 1 }, 0],
    ["at the minimum: the rate in percent", { routen: 20, routea: 0.15 }, 15],
    ["no calls at all: no data (missing data does not alarm)", { routen: undefined, routea: undefined }, undefined],
  ])("the fallback rate, %s", (_label, stats, expected) => {
    const a = byName(alarms, "route-fallback-rate", "summarization");
    expect(alarmValue(a, stats)).toBe(expected);
    expect(a.threshold).toEqual({ value: 10 });
  });

  it("thresholds come from alarms.*, a route's own from routes.<task>.alarms, and the minimum of calls from alarms.routeMinimumCalls", () => {
    const plan = variant("dev", (c) => {
      c.alarms.routeFallbackRatePercent = 25;
      c.alarms.routeMinimumCalls = 100;
      c.routes.summarization.alarms = { failureRatePercent: 1 };
    });
    const a = routeAlarms(plan, "us-east-1");
    expect(byName(a, "route-fallback-rate", "summarization").threshold).toEqual({ value: 25 });
    expect(byName(a, "route-failure-rate", "summarization").threshold).toEqual({ value: 1 });
    expect(byName(a, "route-failure-rate", "chat").threshold).toEqual({ value: 5 });
    expect(alarmValue(byName(a, "route-failure-rate", "summarization"), { routen: 99, routea: 1 })).toBe(0);
    expect(alarmValue(byName(a, "route-failure-rate", "summarization"), { routen: 100, routea: 0.02 })).toBe(2);
  });

  it("observability.routeAlarms false: none", () => {
    expect(routeAlarms(variant("dev", (c) => (c.observability = { routeAlarms: false })), "us-east-1")).toEqual([]);
  });

  it("a metrics namespace of the environment's own is the one the alarms read", () => {
    const plan = variant("dev", (c) => (c.metricsNamespace = "Acme/Routing"));
    for (const a of routeAlarms(plan, "us-east-1")) for (const q of a.queries) if ("metric" in q) expect(q.metric.namespace).toBe("Acme/Routing");
  });
});

describe("route alarms of a canaried route", () => {
  const prod = prodPlan();
  const alarms = routeAlarms(prod, "us-east-1");
  const canaried = Object.entries(prod.config.routes).filter(([, r]) => r.canary).map(([t]) => t);

  it("join the rollback alarm; other routes' do not", () => {
    expect(canaried).toEqual(["code-review"]);
    expect(alarms.filter((a) => a.rollback).map((a) => a.alarmName)).toEqual(["bedrock-prod-route-fallback-rate-code-review", "bedrock-prod-route-failure-rate-code-review"]);
  });

  it("also judge the canary's calls alone, and alarm on the higher rate", () => {
    const a = byName(alarms, "route-failure-rate", "code-review");
    const written = clientMetrics(prod.config.metricsNamespace, "code-review", []);
    for (const q of a.queries) if ("metric" in q) expect(written).toContain(metricKey(q.metric.namespace, q.metric.metricName, q.metric.dimensions));
    const min = prod.config.alarms.routeMinimumCalls;
    // A canary failing on its 10% share: the route's rate barely moves, the canary's is 60%.
    expect(alarmValue(a, { routen: 200, routea: 0.03, canaryn: min, canarya: 0.6 })).toBe(60);
    // A quiet canary (no calls this period) leaves the route's own rate.
    expect(alarmValue(a, { routen: 200, routea: 0.07, canaryn: undefined, canarya: undefined })).toBeCloseTo(7);
    // A canary below the minimum of calls is not judged.
    expect(alarmValue(a, { routen: 200, routea: 0.01, canaryn: min - 1, canarya: 1 })).toBe(1);
  });
});
