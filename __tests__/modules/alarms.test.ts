import { Testing } from "../../modules/terraform-cdk";
import { CloudwatchMetricAlarm, SnsTopic } from "../../modules/provider-aws";
import { names, invocation } from "../../core/aws";
import { ModelAlarms } from "../../modules/alarms";
import { alarmSpecs } from "../../core/observability";
import { TpmQuotas } from "../../modules/tpm-quotas";
import { devPlan, prodPlan, rawConfig, variant } from "../fixtures";
import { invokeIds, only, ref, resources, synthRegion } from "./fixtures";

// Expectations come from the config files and the Bedrock metric names
// (https://docs.aws.amazon.com/bedrock/latest/userguide/monitoring-runtime-metrics.html), not from the module.
const EXPECTED_KINDS = [
  { kind: "throttles", metric: "InvocationThrottles", stat: { statistic: "Sum" }, setting: "throttles" },
  { kind: "server-errors", metric: "InvocationServerErrors", stat: { statistic: "Sum" }, setting: "serverErrors" },
  { kind: "client-errors", metric: "InvocationClientErrors", stat: { statistic: "Sum" }, setting: "clientErrors" },
  { kind: "latency-p99", metric: "InvocationLatency", stat: { extended_statistic: "p99" }, setting: "latencyP99Ms" },
  { kind: "legacy-invocations", metric: "LegacyModelInvocations", stat: { statistic: "Sum" }, setting: "legacyInvocations" },
] as const;

// Defaults documented in core/environment.ts for settings a config file leaves out.
const DEFAULTS = { periodSeconds: 300, evaluationPeriods: 1, throttles: 10, serverErrors: 5, clientErrors: 20, latencyP99Ms: 60000, legacyInvocations: 0, quotaUsagePercent: 80, dailyQuotaUsagePercent: 80, spendUsdPerHour: 25, routeFallbackRatePercent: 10, routeFailureRatePercent: 5, routeMinimumCalls: 20, refusalRatePercent: 5, canarySuccessDropPoints: 10, qualityPeriodSeconds: 900, quotaStoreDegradations: 0 };

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

  // From the config: every model with a TPM quota code in the snapshot gets a quota-usage alarm (all of the shipped
  // ones do), and every candidate of a streaming route a TTFT alarm.
  const streaming = Object.values<any>(raw.routes).filter((r) => r.streaming);
  const streamed = new Set<string>(streaming.flatMap((r) => [r.primary, ...(r.fallbacks ?? [])]));
  const quotaData = Object.entries<any>(json.data?.aws_servicequotas_service_quota ?? {});
  /** The dashboard body as CloudWatch gets it: Terraform renders each quota interpolation, here 1000 + its data source's index. */
  const renderedDashboard = () => {
    const text: string = only(json, "aws_cloudwatch_dashboard").props.dashboard_body;
    const rendered = text.replace(/\$\{data\.aws_servicequotas_service_quota\.([^.}]+)\.value\}/g, (_m, dataName) => String(1000 + quotaData.findIndex(([n]) => n === dataName)));
    expect(rendered).not.toContain("${");
    return JSON.parse(rendered);
  };

  it("one alarm per model per kind, one quota-usage and one refusal-rate alarm per model, one TTFT alarm per streamed model, two per route and one more per canaried route, nothing else", () => {
    expect(streamed.size).toBeGreaterThan(0); // the shipped configs exercise a streaming route
    const models = Object.keys(invokeIds(env, region)).length;
    const routes = Object.keys(raw.routes).length;
    const canaried = Object.values<any>(raw.routes).filter((r) => r.canary).length;
    expect(alarms).toHaveLength(models * EXPECTED_KINDS.length + 2 * models + streamed.size + 2 * routes + canaried);
  });

  it("quota usage: Maximum of EstimatedTPMQuotaUsage per minute above 80% of the applied quota, read with the Service Quotas data source", () => {
    for (const [modelId, invokeId] of Object.entries(invokeIds(env, region))) {
      const code = env.specs[modelId].quotas[region].tpm!.code;
      const [dataName] = quotaData.find(([, q]) => q.quota_code === code && q.service_code === "bedrock")!;
      const alarm = alarms.map(([, a]) => a).find((a) => a.alarm_name === names.alarm(name, "quota-usage", invokeId));
      expect(alarm).toMatchObject({
        namespace: "AWS/Bedrock",
        metric_name: "EstimatedTPMQuotaUsage",
        dimensions: { ModelId: invokeId },
        statistic: "Maximum",
        period: 60,
        evaluation_periods: 1,
        comparison_operator: "GreaterThanThreshold",
        treat_missing_data: "notBreaching",
        alarm_actions: [ref("aws_sns_topic", topic.name, "arn")],
      });
      // A Terraform expression over the data source, never a number in the JSON.
      expect(alarm.threshold).toBe("${((data.aws_servicequotas_service_quota." + dataName + ".value * 80) / 100)}");
      // The alarm is guarded by the preflight like the other alarms of the model.
      expect(alarm.lifecycle.precondition.some((p: any) => p.condition.includes(`"${invokeId}"`))).toBe(true);
    }
    // One data source per distinct quota code, none unused.
    const codes = new Set(Object.keys(env.invocations[region]).map((id) => env.specs[id].quotas[region].tpm!.code));
    expect(quotaData.map(([, q]) => q.quota_code).sort()).toEqual([...codes].sort());
  });

  it("time to first token: p90 per streamed model, threshold the strictest of its streaming routes (default 5000 ms)", () => {
    const ttft = alarms.map(([, a]) => a).filter((a) => a.metric_name === "TimeToFirstToken");
    expect(ttft.map((a) => a.dimensions.ModelId).sort()).toEqual([...streamed].map((id) => env.invocations[region][id].invokeId).sort());
    for (const id of streamed) {
      const expected = Math.min(...streaming.filter((r) => [r.primary, ...(r.fallbacks ?? [])].includes(id)).map((r) => r.timeToFirstTokenP90Ms ?? 5000));
      expect(ttft.find((a) => a.dimensions.ModelId === env.invocations[region][id].invokeId)).toMatchObject({
        alarm_name: names.alarm(name, "ttft-p90", env.invocations[region][id].invokeId),
        namespace: "AWS/Bedrock",
        extended_statistic: "p90",
        threshold: expected,
        period: settings.periodSeconds,
        evaluation_periods: settings.evaluationPeriods,
        treat_missing_data: "notBreaching",
      });
    }
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

  it("the composite rollback alarm is ALARM(any throttle) OR ALARM(any server error), covering every model, and the rate and quality alarms of canaried routes", () => {
    const composite = only(json, "aws_cloudwatch_composite_alarm").props;
    expect(composite.alarm_name).toBe(names.rollbackAlarm(name));
    expect(composite.actions_enabled).toBe(true);
    const terms = composite.alarm_rule.split(" OR ");
    // Quota-usage and TTFT alarms stay out (core/observability/alarms.ts says why); a route's rate alarms are in when
    // the environment file gives the route a canary, and so are its canary-quality alarm and the canary model's
    // refusal-rate alarm (core/observability/quality-alarms.ts).
    const canaries = Object.entries<any>(raw.routes).filter(([, r]) => r.canary);
    const canaried = canaries.map(([task]) => task);
    const canaryModels = [...new Set(canaries.map(([, r]) => r.canary.model as string))].map((m) => invokeIds(env, region)[m]);
    const routeMembers = [
      ...canaried.flatMap((task) => [names.alarm(name, "route-fallback-rate", task), names.alarm(name, "route-failure-rate", task), names.alarm(name, "canary-quality", task)]),
      ...canaryModels.map((invokeId) => names.alarm(name, "refusal-rate", invokeId)),
    ];
    const expected = alarms
      .filter(([, a]) => a.metric_name === "InvocationThrottles" || a.metric_name === "InvocationServerErrors" || routeMembers.includes(a.alarm_name))
      .map(([n]) => `ALARM("${ref("aws_cloudwatch_metric_alarm", n, "arn")}")`);
    expect(expected).toHaveLength(2 * Object.keys(env.invocations[region]).length + routeMembers.length);
    expect([...terms].sort()).toEqual([...expected].sort());
  });

  it("the topic is named for the environment and lets only CloudWatch and Budgets (and EventBridge, with the invocation-logging change alert), for this account, publish", () => {
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
    // prod's change alert on the invocation-logging configuration publishes through EventBridge; dev has none.
    const alert = env.config.invocationLogging.enabled && env.config.invocationLogging.alertOnChange;
    expect(policy.Statement[0].Principal.Service).toEqual(["cloudwatch.amazonaws.com", "budgets.amazonaws.com", ...(alert ? ["events.amazonaws.com"] : [])]);
  });

  it("every alarm email is subscribed", () => {
    const subs = Object.values<any>(resources(json, "aws_sns_topic_subscription"));
    expect(subs.map((s) => s.endpoint).sort()).toEqual([...raw.alarms.emails].sort());
    for (const s of subs) expect(s).toMatchObject({ protocol: "email", topic_arn: ref("aws_sns_topic", topic.name, "arn") });
  });

  it("the dashboard charts invocations, tokens, latency, throttles and errors for every model", () => {
    const dash = only(json, "aws_cloudwatch_dashboard").props;
    expect(dash.dashboard_name).toBe(names.dashboard(name, region));
    const body = renderedDashboard();
    const graphs = body.widgets.filter((w: any) => w.type === "metric");
    const lines: unknown[][] = graphs.flatMap((w: any) => w.properties.metrics);
    for (const w of graphs) expect(w.properties.region).toBe(region);
    for (const metric of ["Invocations", "InputTokenCount", "OutputTokenCount", "InvocationLatency", "InvocationThrottles", "InvocationServerErrors", "InvocationClientErrors", "EstimatedTPMQuotaUsage", "TimeToFirstToken"])
      for (const invokeId of Object.values(invokeIds(env, region)))
        expect(lines.some((l) => l[0] === "AWS/Bedrock" && l[1] === metric && l[2] === "ModelId" && l[3] === invokeId)).toBe(true);
  });

  it("the dashboard draws each model's applied quota, from the same data source, as a number on the usage graph", () => {
    const usage = renderedDashboard().widgets.find((w: any) => w.type === "metric" && w.properties.metrics.some((m: any[]) => m[1] === "EstimatedTPMQuotaUsage")).properties;
    expect(usage.period).toBe(60);
    expect(usage.metrics.every((m: any[]) => m[1] === "EstimatedTPMQuotaUsage" && m[4].stat === "Maximum")).toBe(true);
    const lines = usage.annotations.horizontal;
    expect(lines).toHaveLength(Object.keys(env.invocations[region]).length);
    for (const [modelId, invokeId] of Object.entries(invokeIds(env, region))) {
      const code = env.specs[modelId].quotas[region].tpm!.code;
      const index = quotaData.findIndex(([, q]) => q.quota_code === code);
      expect(lines).toContainEqual({ label: `${invokeId} applied TPM quota`, value: 1000 + index });
    }
  });
});

describe("quota usage and TTFT settings", () => {
  const synthAlarms = (plan: ReturnType<typeof devPlan>) => Object.values<any>(resources(synthRegion(plan).json, "aws_cloudwatch_metric_alarm"));

  it("alarms.quotaUsagePercent sets the share of the applied quota", () => {
    const quota = synthAlarms(variant("dev", (c) => (c.alarms.quotaUsagePercent = 65))).filter((a) => a.metric_name === "EstimatedTPMQuotaUsage");
    expect(quota).toHaveLength(2);
    for (const a of quota) expect(a.threshold).toMatch(/^\$\{\(\(data\.aws_servicequotas_service_quota\.[^.]+\.value \* 65\) \/ 100\)\}$/);
  });

  it("a model with no quota code gets no quota-usage alarm (and validation says so)", () => {
    const plan = variant("dev", (c) => {
      c.models.push({ id: "anthropic.claude-opus-4-8" }); // the snapshot lists no quota for it
      c.routes.deep = { primary: "anthropic.claude-opus-4-8", maxTokens: 4096 };
    });
    expect(plan.warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/^whether Converse serves anthropic\.claude-opus-4-8 is unconfirmed/), // catalog/overlay.json
      expect.stringMatching(/^no tokens-per-minute quota code is known for anthropic\.claude-opus-4-8/),
    ]);
    const all = synthAlarms(plan);
    expect(all.filter((a) => a.dimensions?.ModelId === "us.anthropic.claude-opus-4-8").map((a) => a.metric_name)).not.toContain("EstimatedTPMQuotaUsage");
    expect(all.filter((a) => a.metric_name === "EstimatedTPMQuotaUsage")).toHaveLength(2);
  });

  it("no streaming route, no TTFT alarm; a fallback of a streaming route is alarmed too", () => {
    expect(synthAlarms(variant("dev", (c) => delete c.routes.chat.streaming)).filter((a) => a.metric_name === "TimeToFirstToken")).toEqual([]);
    const plan = variant("dev", (c) => {
      c.routes.summarization.streaming = true;
      c.routes.summarization.timeToFirstTokenP90Ms = 1500;
    });
    const ttft = synthAlarms(plan).filter((a) => a.metric_name === "TimeToFirstToken");
    // summarization: Haiku primary, Nova Lite fallback; chat (Haiku, default 5000) is less strict than 1500.
    expect(Object.fromEntries(ttft.map((a) => [a.dimensions.ModelId, a.threshold]))).toEqual({ "us.anthropic.claude-haiku-4-5-20251001-v1:0": 1500, "us.amazon.nova-lite-v1:0": 1500 });
  });
});

describe("ModelAlarms", () => {
  const settings = { ...DEFAULTS, emails: [] };
  it("creates every alarm kind per model", () => {
    const invocations = Array.from({ length: 6 }, (_, i) => invocation({ kind: "geo", modelId: `vendor.model-${i}-v1:0`, region: "us-east-1", account: "111111111111", geography: "us" }));
    const alarms = alarmSpecs({ envName: "e", invocations, settings });
    const out = JSON.parse(Testing.synthScope((s) => new ModelAlarms(s, "a", { topicName: "t", account: "111111111111", alarms, rollbackAlarmName: "r" })));
    expect(Object.keys(out.resource.aws_cloudwatch_metric_alarm)).toHaveLength(6 * EXPECTED_KINDS.length);
  });
});

describe("TpmQuotas", () => {
  it("one data source per distinct code, and a string that is not a quota code never reaches Terraform", () => {
    const out = JSON.parse(Testing.synthScope((s) => new TpmQuotas(s, "q", { codes: new Map([["a", "L-0000A001"], ["b", "L-0000A001"], ["c", "L-0000A002"]]) })));
    expect(Object.values<any>(out.data.aws_servicequotas_service_quota).map((q) => [q.service_code, q.quota_code]).sort()).toEqual([
      ["bedrock", "L-0000A001"],
      ["bedrock", "L-0000A002"],
    ]);
    expect(() => Testing.synthScope((s) => new TpmQuotas(s, "q", { codes: new Map([["a", '${file("/etc/passwd")}']]) }))).toThrow(/refusing/);
  });
});
