import { names } from "../../core/aws";
import { SAVED_QUERIES } from "../../core/observability";
import { validateEnvironment } from "../../core/validation";
import { largeEnvironment } from "../../scripts/large-environment";
import { CATALOG, devPlan, prodPlan, TODAY, variant } from "../fixtures";
import { only, ref, resources, synthRegion } from "./fixtures";

// What a region stack renders of the routing layer's observability: the route alarms (metric math), the rollback
// alarm's parts when its members pass one rule, the dashboards, and the saved Logs Insights queries.

describe("route alarms in a region stack", () => {
  const plan = prodPlan();
  const { json } = synthRegion(plan, "us-east-1");
  const alarms = Object.entries<any>(resources(json, "aws_cloudwatch_metric_alarm"));
  const topic = only(json, "aws_sns_topic");

  it("a metric-math alarm per route and rate: no single metric, the client's metrics read over the alarm period, one expression returned", () => {
    for (const task of Object.keys(plan.config.routes))
      for (const kind of ["route-fallback-rate", "route-failure-rate"]) {
        const [, a] = alarms.find(([, x]) => x.alarm_name === names.alarm("prod", kind, task))!;
        expect(a).not.toHaveProperty("metric_name");
        expect(a).not.toHaveProperty("period");
        expect(a).toMatchObject({ comparison_operator: "GreaterThanThreshold", treat_missing_data: "notBreaching", alarm_actions: [ref("aws_sns_topic", topic.name, "arn")], ok_actions: [ref("aws_sns_topic", topic.name, "arn")] });
        const metricQueries = a.metric_query.filter((q: any) => q.metric);
        for (const q of metricQueries) expect(q.metric).toMatchObject({ namespace: plan.config.metricsNamespace, metric_name: kind === "route-fallback-rate" ? "Fallbacks" : "Failures", period: plan.config.alarms.periodSeconds, dimensions: expect.objectContaining({ Task: task }) });
        expect(a.metric_query.filter((q: any) => q.return_data)).toHaveLength(1);
        expect(metricQueries.length).toBeLessThanOrEqual(10); // CloudWatch: at most 10 metrics in a metric-math alarm
      }
  });
});

describe("the rollback alarm of a large environment", () => {
  // 30 models' throttle and server-error alarms and 20 canaried routes' two rate alarms: 100 members with long names,
  // over one rule's 10,240 characters.
  const plan = validateEnvironment(largeEnvironment({ routes: 200, models: 30, workloads: 20 }), "large.json", { catalog: CATALOG, today: TODAY, expectedName: "large" });
  const { json, stack } = synthRegion(plan, "us-east-1");
  const composites = Object.entries<any>(resources(json, "aws_cloudwatch_composite_alarm"));

  it("members go into parts; the rollback alarm (AppConfig's monitor) names the parts", () => {
    const top = composites.find(([, c]) => c.alarm_name === names.rollbackAlarm("large"))!;
    const parts = composites.filter(([, c]) => c !== top[1]);
    expect(parts.length).toBeGreaterThanOrEqual(2);
    expect(top[1].alarm_rule).toBe(parts.map(([n]) => `ALARM("${ref("aws_cloudwatch_composite_alarm", n, "arn")}")`).join(" OR "));
    const members = parts.flatMap(([, c]) => c.alarm_rule.split(" OR "));
    const metricAlarms = Object.entries<any>(resources(json, "aws_cloudwatch_metric_alarm"));
    const canaried = (task: string) => plan.config.routes[task].canary !== undefined;
    const canaryModels = new Set(Object.values(plan.config.routes).flatMap((r) => (r.canary ? [plan.invocations["us-east-1"][r.canary.model].invokeId] : [])));
    const expected = metricAlarms.filter(
      ([, a]) =>
        ["InvocationThrottles", "InvocationServerErrors"].includes(a.metric_name) ||
        (/-route-(fallback|failure)-rate-/.test(a.alarm_name) && canaried(a.alarm_name.replace(/^.*-rate-/, ""))) ||
        (/-canary-quality-/.test(a.alarm_name) && canaried(a.alarm_name.replace(/^.*-canary-quality-/, ""))) ||
        (/-refusal-rate-/.test(a.alarm_name) && canaryModels.has(a.alarm_name.replace(/^.*-refusal-rate-/, ""))),
    );
    expect([...members].sort()).toEqual(expected.map(([n]) => `ALARM("${ref("aws_cloudwatch_metric_alarm", n, "arn")}")`).sort());
    for (const [, p] of parts) expect(p.alarm_rule.split(" OR ").length).toBeLessThanOrEqual(100);
    expect(stack.alarms.rollbackParts).toHaveLength(parts.length);
  });

  it("the dashboards: one per group of rows, the first keeping the region's dashboard name", () => {
    const dashboards = Object.values<any>(resources(json, "aws_cloudwatch_dashboard"));
    expect(dashboards.length).toBeGreaterThan(1);
    expect(dashboards.map((d) => d.dashboard_name).sort()).toEqual(dashboards.map((_, i) => (i === 0 ? "bedrock-large-us-east-1" : `bedrock-large-us-east-1-${i + 1}`)).sort());
    expect(json.output.dashboards.value).toEqual(stack.baseline.dashboards.map((d) => d.name));
    for (const d of dashboards) expect(() => JSON.parse(d.dashboard_body.replace(/\$\{[^}]+\}/g, "0"))).not.toThrow();
  });
});

describe("saved Logs Insights queries", () => {
  it("each query in the environment's folder, on the configured log groups", () => {
    const plan = variant("prod", (c) => (c.observability = { clientLogGroups: ["/aws/lambda/support-bot", "/ecs/ticket-triage"] }));
    const defs = Object.values<any>(resources(synthRegion(plan, "eu-west-1").json, "aws_cloudwatch_query_definition"));
    expect(defs.map((d) => d.name).sort()).toEqual(SAVED_QUERIES.map((q) => `bedrock-prod/${q.title}`).sort());
    for (const d of defs) {
      expect(d.log_group_names).toEqual(["/aws/lambda/support-bot", "/ecs/ticket-triage"]);
      expect(d.query_string.length).toBeLessThanOrEqual(10_000);
      expect(d.name.length).toBeLessThanOrEqual(255);
    }
  });

  it("without log groups the queries ask for them when run; observability.savedQueries false: none", () => {
    const defs = Object.values<any>(resources(synthRegion(devPlan(), "us-east-1").json, "aws_cloudwatch_query_definition"));
    expect(defs).toHaveLength(SAVED_QUERIES.length);
    for (const d of defs) expect(d).not.toHaveProperty("log_group_names");
    expect(resources(synthRegion(variant("prod", (c) => (c.observability = { savedQueries: false })), "us-east-1").json, "aws_cloudwatch_query_definition")).toEqual({});
  });
});
