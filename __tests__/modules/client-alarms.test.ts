import { names } from "../../core/aws";
import { prodPlan, rawConfig, variant } from "../fixtures";
import { only, ref, resources, synthRegion } from "./fixtures";

// The alarms on the routing client's own metrics, as synthesized: a refusal rate per model and, per route with a
// declared canary, the canary's task success against the primary's, both CloudWatch metric math, both guarded by a
// minimum sample count, and the canary's in the rollback alarm AppConfig watches. Expected values come from prod's
// file (code-review canaries Opus 4.5 under Sonnet 4.5) and the documented defaults, not from the module.

const plan = prodPlan();
const region = plan.config.regions[0];
const raw = rawConfig("prod");
const { json } = synthRegion(plan, region);
const alarms = Object.entries<any>(resources(json, "aws_cloudwatch_metric_alarm"));
const byName = (alarmName: string) => {
  const hit = alarms.find(([, a]) => a.alarm_name === alarmName);
  if (!hit) throw new Error(`no alarm ${alarmName}`);
  return { name: hit[0], props: hit[1] };
};
const SONNET = "anthropic.claude-sonnet-4-5-20250929-v1:0";
const OPUS = "anthropic.claude-opus-4-5-20251101-v1:0";
const inv = (id: string) => plan.invocations[region][id].invokeId;
const composite = only(json, "aws_cloudwatch_composite_alarm").props.alarm_rule as string;
const member = (name: string) => composite.includes(`ALARM("${ref("aws_cloudwatch_metric_alarm", name, "arn")}")`);

describe("refusal-rate alarm per model", () => {
  it("100 x Sum / SampleCount of the client's Refusals by Model, 0 below the minimum sample count, above alarms.refusalRatePercent (default 5)", () => {
    for (const id of Object.keys(plan.invocations[region])) {
      const { props } = byName(names.alarm("prod", "refusal-rate", inv(id)));
      expect(props).not.toHaveProperty("metric_name");
      expect(props).not.toHaveProperty("namespace");
      expect(props).toMatchObject({ threshold: 5, comparison_operator: "GreaterThanThreshold", evaluation_periods: raw.alarms.evaluationPeriods, treat_missing_data: "notBreaching" });
      const metric = (id_: string, stat: string) => ({ id: id_, return_data: false, metric: { namespace: "BedrockRouting", metric_name: "Refusals", dimensions: { Model: id }, stat, period: raw.alarms.periodSeconds } });
      expect(props.metric_query).toEqual([metric("refused", "Sum"), metric("answered", "SampleCount"), { id: "e", label: `refusal rate of ${id} (%)`, expression: "IF(answered >= 20, 100 * refused / answered, 0)", return_data: true }]);
    }
  });

  it("rolls a deployment back only for a route's declared canary", () => {
    expect(member(byName(names.alarm("prod", "refusal-rate", inv(OPUS))).name)).toBe(true);
    for (const id of Object.keys(plan.invocations[region]).filter((x) => x !== OPUS)) expect(member(byName(names.alarm("prod", "refusal-rate", inv(id))).name)).toBe(false);
  });
});

describe("canary-quality alarm per canaried route", () => {
  it("primary's success rate minus the canary's, each arm its own model and variant, both arms above the minimum sample count, over the quality period", () => {
    const { name, props } = byName(names.alarm("prod", "canary-quality", "code-review"));
    const metric = (id: string, model: string, variant: string, stat: string) => ({ id, return_data: false, metric: { namespace: "BedrockRouting", metric_name: "TaskSuccess", dimensions: { Task: "code-review", Model: model, Variant: variant }, stat, period: 900 } });
    expect(props.metric_query).toEqual([
      metric("ps", SONNET, "primary", "Sum"),
      metric("pn", SONNET, "primary", "SampleCount"),
      metric("cs", OPUS, "canary", "Sum"),
      metric("cn", OPUS, "canary", "SampleCount"),
      { id: "e", label: "code-review: primary success rate minus canary success rate (points)", expression: "IF(cn >= 20 AND pn >= 20, 100 * (ps / pn - cs / cn), 0)", return_data: true },
    ]);
    expect(props).toMatchObject({ threshold: 10, evaluation_periods: 1, comparison_operator: "GreaterThanThreshold", treat_missing_data: "notBreaching" });
    expect(member(name)).toBe(true);
    // Only routes with a declared canary get one.
    expect(alarms.filter(([, a]) => a.alarm_name.startsWith(names.alarm("prod", "canary-quality", "")))).toHaveLength(1);
  });

  it("follows its settings: alarms.canarySuccessDropPoints, qualityPeriodSeconds, routeMinimumCalls, refusalRatePercent, metricsNamespace", () => {
    const tuned = variant("prod", (c) => {
      Object.assign(c.alarms, { canarySuccessDropPoints: 3, qualityPeriodSeconds: 3600, routeMinimumCalls: 50, refusalRatePercent: 2 });
      c.metricsNamespace = "Team/Routing";
    });
    const out = Object.values<any>(resources(synthRegion(tuned, region).json, "aws_cloudwatch_metric_alarm"));
    const quality = out.find((a) => a.alarm_name === names.alarm("prod", "canary-quality", "code-review"));
    expect(quality.threshold).toBe(3);
    expect(quality.metric_query.at(-1).expression).toBe("IF(cn >= 50 AND pn >= 50, 100 * (ps / pn - cs / cn), 0)");
    expect(quality.metric_query.slice(0, 4).map((q: any) => [q.metric.period, q.metric.namespace])).toEqual(Array(4).fill([3600, "Team/Routing"]));
    const refusal = out.find((a) => a.alarm_name === names.alarm("prod", "refusal-rate", inv(OPUS)));
    expect(refusal.threshold).toBe(2);
    expect(refusal.metric_query.at(-1).expression).toBe("IF(answered >= 50, 100 * refused / answered, 0)");
  });

  it("no canary, no quality alarm, and no refusal alarm in the rollback alarm", () => {
    const plain = variant("prod", (c) => delete c.routes["code-review"].canary);
    const { json: j } = synthRegion(plain, region);
    const names_ = Object.values<any>(resources(j, "aws_cloudwatch_metric_alarm")).map((a) => a.alarm_name);
    expect(names_.filter((n) => n.includes("canary-quality"))).toEqual([]);
    expect(only(j, "aws_cloudwatch_composite_alarm").props.alarm_rule).not.toMatch(/refusal-rate/);
  });
});

it("the dashboards' quality section: refusal rate per model and variant, and per route task success and quality score per candidate and variant", () => {
  const bodies = Object.values<any>(resources(json, "aws_cloudwatch_dashboard")).map((d) => JSON.parse(d.dashboard_body.replace(/\$\{[^}]+\}/g, "0")));
  const graphs = bodies.flatMap((b) => b.widgets).filter((w: any) => w.type === "metric");
  const refusals = graphs.find((w: any) => w.properties.title === "Refusal rate per model and variant (share of answered calls)");
  const lines = (w: any) => w.properties.metrics.map((m: any[]) => m.slice(1, 6).concat(m[6].stat).join(" "));
  // Every enabled model of the region, primary and canary variant: the Average of the 0/1 metric is the share.
  expect(lines(refusals)).toEqual(Object.keys(plan.invocations[region]).flatMap((id) => ["primary", "canary"].map((v) => `Refusals Model ${id} Variant ${v} Average`)));
  const quality = graphs.find((w: any) => w.properties.title === "code-review: task success rate per model and variant (share, reported by applications)");
  expect(new Set(quality.properties.metrics.map((m: any[]) => `${m[1]} ${m[2]}=${m[3]} ${m[4]}=${m[5]} ${m[6]}=${m[7]} ${m[8].stat}`))).toEqual(
    new Set([SONNET, OPUS].flatMap((model) => ["primary", "canary"].map((v) => `TaskSuccess Task=code-review Model=${model} Variant=${v} Average`))),
  );
  expect(graphs.some((w: any) => w.properties.title === "code-review: quality score per model and variant (0-1, reported by applications)")).toBe(true);
});
