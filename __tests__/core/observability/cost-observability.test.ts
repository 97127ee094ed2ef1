import { type AlarmSpec, dashboardBody, regionAlarms, regionDashboard, sourceDimensions } from "../../../core/observability";
import { appliedProfiles } from "../../../environment-check/synthesized-policies";
import { catalogWithDailyQuotas, costPlan, HAIKU, prodPlan } from "../../fixtures";

// With cost attribution, a model's calls go through its workloads' application profiles: its alarms and graphs add
// those up (metric math), each workload gets a spend-rate alarm on the client's estimated cost, and with known daily
// token quotas the region gets daily-quota alarms.

const region = "us-east-1";
const plan = costPlan();
const alarms = regionAlarms(plan, region);
const find = (id: string) => alarms.find((a) => a.id === id)!;
const profiles = appliedProfiles(plan, region);
const dims = (a: AlarmSpec) => a.math!.metrics.map((m) => sourceDimensions(m.source, profiles).ModelId);

describe("alarms follow the invoke IDs calls actually use", () => {
  it("a model's health alarms add up its workloads' application profiles", () => {
    const throttles = find(`throttles-${HAIKU.modelId}`);
    expect(throttles.math).toEqual({
      expression: "SUM([FILL(m1, 0), FILL(m2, 0)])",
      metrics: [
        { id: "m1", namespace: "AWS/Bedrock", metricName: "InvocationThrottles", stat: "Sum", source: { profile: { workload: "support-bot", modelId: HAIKU.modelId } } },
        { id: "m2", namespace: "AWS/Bedrock", metricName: "InvocationThrottles", stat: "Sum", source: { profile: { workload: "doc-pipeline", modelId: HAIKU.modelId } } },
      ],
    });
    expect(dims(throttles)).toEqual([profiles["support-bot"][HAIKU.modelId], profiles["doc-pipeline"][HAIKU.modelId]]);
    expect(throttles.rollback).toBe(true);
  });

  it("a percentile takes the worst profile's; quota usage adds the profiles' minutes up", () => {
    expect(find(`latency-p99-${HAIKU.modelId}`).math!.expression).toBe("MAX([FILL(m1, 0), FILL(m2, 0)])");
    expect(find(`latency-p99-${HAIKU.modelId}`).math!.metrics[0].stat).toBe("p99");
    expect(find(`quota-usage-${HAIKU.modelId}`).math!.expression).toBe("SUM([FILL(m1, 0), FILL(m2, 0)])");
  });

  it("without cost attribution every model alarm watches its own invoke ID, and there are no spend or daily alarms", () => {
    const plain = regionAlarms(prodPlan(), region);
    expect(plain.every((a) => a.math === undefined && a.dimensions.ModelId === a.invocation?.invokeId)).toBe(true);
    expect(plain.filter((a) => a.kind === "spend" || a.kind === "daily-quota")).toEqual([]);
  });
});

describe("spend-rate alarms", () => {
  it("one per workload on EstimatedCostUsd per Workload, its USD-per-hour threshold scaled to the period", () => {
    const spend = alarms.filter((a) => a.kind === "spend");
    expect(spend.map((a) => [a.alarmName, a.namespace, a.metricName, a.dimensions, a.statistic, a.period, a.threshold])).toEqual([
      ["bedrock-prod-spend-workload-support-bot", "BedrockRouting", "EstimatedCostUsd", { Workload: "support-bot" }, { statistic: "Sum" }, 300, { value: 2.0833 }],
      ["bedrock-prod-spend-workload-dev-assistant", "BedrockRouting", "EstimatedCostUsd", { Workload: "dev-assistant" }, { statistic: "Sum" }, 300, { value: 5 }],
      ["bedrock-prod-spend-workload-doc-pipeline", "BedrockRouting", "EstimatedCostUsd", { Workload: "doc-pipeline" }, { statistic: "Sum" }, 300, { value: 2.0833 }],
    ]);
    expect(spend.every((a) => !a.rollback && a.invocation === undefined)).toBe(true);
  });
});

describe("daily token quotas", () => {
  const daily = costPlan({ catalog: catalogWithDailyQuotas([region]) });
  const dailyAlarms = regionAlarms(daily, region).filter((a) => a.kind === "daily-quota");

  it("per model: the day's input + burndown x output over its profiles, above 80% of its tokens-per-day quota", () => {
    const haiku = dailyAlarms.find((a) => a.modelId === HAIKU.modelId)!;
    expect(haiku.period).toBe(86400);
    expect(haiku.threshold).toEqual({ quotaPercent: 80, quotaCode: daily.specs[HAIKU.modelId].quotas[region].tpd!.code });
    expect(haiku.math!.expression).toBe(`SUM([FILL(in1, 0), FILL(in2, 0)]) + ${daily.specs[HAIKU.modelId].outputBurndown} * SUM([FILL(out1, 0), FILL(out2, 0)])`);
    expect(haiku.math!.metrics.map((m) => m.metricName)).toEqual(["InputTokenCount", "OutputTokenCount", "InputTokenCount", "OutputTokenCount"]);
  });

  it("for the region: every model's tokens against the account's Cross-Model Max Tokens Per Day", () => {
    const cross = dailyAlarms.find((a) => a.id === "daily-quota-cross-model")!;
    expect(cross.alarmName).toBe("bedrock-prod-daily-quota-cross-model");
    expect(cross.threshold).toEqual({ quotaPercent: 80, quotaCode: "L-C0000001" });
    expect(cross.math!.metrics.map((m) => m.source)).toEqual([{ allModels: true }, { allModels: true }]);
    expect(cross.math!.expression).toBe("SUM([FILL(in1, 0)]) + 5 * SUM([FILL(out1, 0)])");
  });

  it("none where the catalog knows no daily quota code (the shipped snapshot)", () => expect(alarms.filter((a) => a.kind === "daily-quota")).toEqual([]));
});

describe("the dashboard's cost rows", () => {
  const body = dashboardBody(regionDashboard(plan, region), undefined, profiles) as { widgets: any[] };
  const titled = (prefix: string) => body.widgets.find((w) => (w.properties.title ?? "").startsWith(prefix));

  it("usage per workload from its profiles, estimated spend per workload and per workload and model, the budgets beside them", () => {
    const calls = titled("Calls per workload")!;
    expect(calls.properties.metrics.filter((m: any[]) => typeof m[0] === "object").map((m: any[]) => m[0].label)).toEqual(["support-bot", "dev-assistant", "doc-pipeline"]);
    const spend = titled("Estimated spend per workload (")!;
    expect(spend.properties.metrics).toEqual(["support-bot", "dev-assistant", "doc-pipeline"].map((w) => ["BedrockRouting", "EstimatedCostUsd", "Workload", w, { stat: "Sum", label: w }]));
    expect(spend.properties.annotations.horizontal.map((a: any) => a.value)).toEqual([2.0833, 5, 2.0833]);
    expect(titled("Estimated spend per workload and model")!.properties.metrics).toContainEqual(["BedrockRouting", "EstimatedCostUsd", "Workload", "dev-assistant", "Model", "anthropic.claude-opus-4-5-20251101-v1:0", { stat: "Sum", label: "dev-assistant anthropic.claude-opus-4-5-20251101-v1:0" }]);
    const text = body.widgets.find((w) => w.type === "text")!.properties.markdown;
    expect(text).toContain("| support-bot | bedrock-prod-support-bot-monthly: 8000 USD a month | 2.0833 |");
    expect(text).toContain("| doc-pipeline | none | 2.0833 |");
  });

  it("a model's graphs add up its profiles (hidden lines, one expression); no cost rows without cost attribution", () => {
    const invocations = body.widgets.find((w) => w.properties.title === "Invocations")!.properties.metrics;
    // Haiku is the second model: its profiles are the third and fourth hidden lines.
    expect(invocations).toContainEqual([{ expression: "SUM([FILL(s3, 0), FILL(s4, 0)])", label: `${HAIKU.invokeId} invocations`, id: "e4" }]);
    expect(invocations).toContainEqual(["AWS/Bedrock", "Invocations", "ModelId", profiles["support-bot"][HAIKU.modelId], { stat: "Sum", id: "s3", visible: false }]);
    expect(invocations).toContainEqual(["AWS/Bedrock", "Invocations", "ModelId", profiles["doc-pipeline"][HAIKU.modelId], { stat: "Sum", id: "s4", visible: false }]);
    const plain = dashboardBody(regionDashboard(prodPlan(), region)) as { widgets: any[] };
    expect(plain.widgets.some((w) => w.type === "text" || /per workload/.test(w.properties.title))).toBe(false);
  });
});
