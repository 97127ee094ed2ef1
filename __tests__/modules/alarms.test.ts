import { Testing } from "../../modules/terraform-cdk";
import { CloudwatchMetricAlarm, SnsTopic } from "../../modules/provider-aws";
import { names } from "../../core/names";
import { invocation } from "../../core/inference";
import { ModelAlarms } from "../../modules/alarms";
import { devPlan, prodPlan, rawConfig } from "../fixtures";
import { invokeIds, only, ref, resources, synthRegion } from "./fixtures";

// Expectations come from the config files and the Bedrock metric names (bedrock.md §5), not from the module.
const EXPECTED_KINDS = [
  { kind: "throttles", metric: "InvocationThrottles", stat: { statistic: "Sum" }, setting: "throttles" },
  { kind: "server-errors", metric: "InvocationServerErrors", stat: { statistic: "Sum" }, setting: "serverErrors" },
  { kind: "client-errors", metric: "InvocationClientErrors", stat: { statistic: "Sum" }, setting: "clientErrors" },
  { kind: "latency-p99", metric: "InvocationLatency", stat: { extended_statistic: "p99" }, setting: "latencyP99Ms" },
  { kind: "legacy-invocations", metric: "LegacyModelInvocations", stat: { statistic: "Sum" }, setting: "legacyInvocations" },
] as const;

// Defaults documented in core/environment.ts for settings a config file leaves out.
const DEFAULTS = { periodSeconds: 300, evaluationPeriods: 1, throttles: 10, serverErrors: 5, clientErrors: 20, latencyP99Ms: 60000, legacyInvocations: 0, quotaUsagePercent: 80 };

describe.each([
  ["dev", devPlan, rawConfig("dev")],
  ["prod", prodPlan, rawConfig("prod")],
])("%s alarms", (name, load, raw) => {
  const env = load();
  const region = env.config.regions[0];
  const { json, text } = synthRegion(env, region);
  const alarms = Object.entries<any>(resources(json, "aws_cloudwatch_metric_alarm"));
  const topic = only(json, "aws_sns_topic");
  const settings = { ...DEFAULTS, ...raw.alarms };

  it("one alarm per model per kind, nothing else", () => {
    expect(alarms).toHaveLength(Object.keys(invokeIds(env, region)).length * EXPECTED_KINDS.length);
  });

  it.each(EXPECTED_KINDS.map((k) => [k.kind, k] as const))("%s: metric, ModelId dimension, threshold, period and missing-data handling", (_k, k) => {
    for (const invokeId of Object.values(invokeIds(env, region))) {
      expect(text).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
        alarm_name: names.alarm(name, k.kind, invokeId),
        namespace: "AWS/Bedrock",
        metric_name: k.metric,
        dimensions: { ModelId: invokeId },
        ...k.stat,
        threshold: settings[k.setting],
        period: settings.periodSeconds,
        evaluation_periods: settings.evaluationPeriods,
        comparison_operator: "GreaterThanThreshold",
        treat_missing_data: "notBreaching",
        alarm_actions: [ref("aws_sns_topic", topic.name, "arn")],
        ok_actions: [ref("aws_sns_topic", topic.name, "arn")],
      });
    }
  });

  it("the composite rollback alarm is ALARM(any throttle) OR ALARM(any server error), covering every model", () => {
    const composite = only(json, "aws_cloudwatch_composite_alarm").props;
    expect(composite.alarm_name).toBe(names.rollbackAlarm(name));
    expect(composite.actions_enabled).toBe(true);
    const terms = composite.alarm_rule.split(" OR ");
    const expected = alarms
      .filter(([, a]) => a.metric_name === "InvocationThrottles" || a.metric_name === "InvocationServerErrors")
      .map(([n]) => `ALARM("${ref("aws_cloudwatch_metric_alarm", n, "arn")}")`);
    expect(expected).toHaveLength(2 * Object.keys(env.invocations[region]).length);
    expect([...terms].sort()).toEqual([...expected].sort());
  });

  it("the topic is named for the environment and lets only CloudWatch and Budgets, for this account, publish", () => {
    expect(text).toHaveResourceWithProperties(SnsTopic, { name: names.alarmTopic(name) });
    const policy = JSON.parse(only(json, "aws_sns_topic_policy").props.policy);
    expect(policy.Statement).toEqual([
      {
        Sid: expect.any(String),
        Effect: "Allow",
        Principal: { Service: expect.arrayContaining(["cloudwatch.amazonaws.com", "budgets.amazonaws.com"]) },
        Action: ["sns:Publish"],
        Resource: ref("aws_sns_topic", topic.name, "arn"),
        Condition: { StringEquals: { "aws:SourceAccount": raw.account } },
      },
    ]);
    expect(policy.Statement[0].Principal.Service).toHaveLength(2);
  });

  it("every alarm email is subscribed", () => {
    const subs = Object.values<any>(resources(json, "aws_sns_topic_subscription"));
    expect(subs.map((s) => s.endpoint).sort()).toEqual([...raw.alarms.emails].sort());
    for (const s of subs) expect(s).toMatchObject({ protocol: "email", topic_arn: ref("aws_sns_topic", topic.name, "arn") });
  });

  it("the dashboard charts invocations, tokens, latency, throttles and errors for every model", () => {
    const dash = only(json, "aws_cloudwatch_dashboard").props;
    expect(dash.dashboard_name).toBe(names.dashboard(name, region));
    const body = JSON.parse(dash.dashboard_body);
    const lines: unknown[][] = body.widgets.flatMap((w: any) => w.properties.metrics);
    for (const w of body.widgets) expect(w.properties.region).toBe(region);
    for (const metric of ["Invocations", "InputTokenCount", "OutputTokenCount", "InvocationLatency", "InvocationThrottles", "InvocationServerErrors", "InvocationClientErrors"])
      for (const invokeId of Object.values(invokeIds(env, region)))
        expect(lines.some((l) => l[0] === "AWS/Bedrock" && l[1] === metric && l[2] === "ModelId" && l[3] === invokeId)).toBe(true);
  });
});

describe("ModelAlarms", () => {
  const settings = { ...DEFAULTS, emails: [] };
  it("creates every alarm kind per model", () => {
    const invocations = Array.from({ length: 6 }, (_, i) => invocation({ kind: "geo", modelId: `vendor.model-${i}-v1:0`, region: "us-east-1", account: "111111111111", geography: "us" }));
    const out = JSON.parse(Testing.synthScope((s) => new ModelAlarms(s, "a", { envName: "e", account: "111111111111", invocations, settings })));
    expect(Object.keys(out.resource.aws_cloudwatch_metric_alarm)).toHaveLength(6 * EXPECTED_KINDS.length);
  });
});
