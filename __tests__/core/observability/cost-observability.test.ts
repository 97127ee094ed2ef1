import { type AlarmSpec, dashboardBody, dashboardLimitBreaches, type GraphWidget, type MathAlarmSpec, type ModelAlarmSpec, PROFILE_ARN_STAND_IN, regionAlarms, regionDashboards, renderBodyText, sourceDimensions } from "../../../core/observability";
import { packInOrder } from "../../../core/observability/dashboard-rows";
import { profileArnOf } from "../../../core/environment";
import { appliedProfiles } from "../../../environment-check/synthesized-policies";
import { MAX_DASHBOARD_WIDGET_METRICS } from "../../../core/aws";
import { baseEnvironment } from "../validation/rules/rule-table";
import { catalogWith, catalogWithDailyQuotas, costPlan, HAIKU, planOf, prodPlan } from "../../fixtures";

// With cost attribution, a model's calls go through its workloads' application profiles: its alarms and graphs add
// those up (metric math), each workload gets a spend-rate alarm on the client's estimated cost, and with known daily
// token quotas the region gets daily-quota alarms.

const region = "us-east-1";
const plan = costPlan();
const alarms = regionAlarms(plan, region);
const model = (id: string) => alarms.find((a): a is ModelAlarmSpec => a.watches === "model" && a.id === id)!;
const profiles = appliedProfiles(plan, region);
const dims = (a: ModelAlarmSpec) => a.math!.metrics.map((m) => sourceDimensions(m.source, profiles).ModelId);
const ofKind = (list: readonly AlarmSpec[], kind: string) => list.filter((a) => a.kind === kind);

describe("alarms follow the invoke IDs calls actually use", () => {
  it("a model's health alarms add up its workloads' application profiles", () => {
    const throttles = model(`throttles-${HAIKU.modelId}`);
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
    expect(model(`latency-p99-${HAIKU.modelId}`).math!.expression).toBe("MAX([FILL(m1, 0), FILL(m2, 0)])");
    expect(model(`latency-p99-${HAIKU.modelId}`).math!.metrics[0].stat).toBe("p99");
    expect(model(`quota-usage-${HAIKU.modelId}`).math!.expression).toBe("SUM([FILL(m1, 0), FILL(m2, 0)])");
  });

  it("without cost attribution every model alarm watches its own invoke ID, and there are no spend or daily alarms", () => {
    const plain = regionAlarms(prodPlan(), region);
    const models = plain.filter((a): a is ModelAlarmSpec => a.watches === "model");
    expect(models.every((a) => a.math === undefined && a.dimensions.ModelId === a.invocation.invokeId)).toBe(true);
    expect([...ofKind(plain, "spend"), ...ofKind(plain, "daily-quota")]).toEqual([]);
  });
});

describe("spend-rate alarms", () => {
  it("one per workload on EstimatedCostUsd per Workload, its USD-per-hour threshold scaled to the period", () => {
    const spend = ofKind(alarms, "spend") as MathAlarmSpec[];
    expect(spend.map((a) => [a.alarmName, a.queries, a.period, a.threshold])).toEqual(
      [
        ["support-bot", 2.0833],
        ["dev-assistant", 5],
        ["doc-pipeline", 2.0833],
      ].map(([w, threshold]) => [
        `bedrock-prod-spend-workload-${w}`,
        [
          { id: "m1", metric: { namespace: "BedrockRouting", metricName: "EstimatedCostUsd", dimensions: { Workload: w }, stat: "Sum" } },
          { id: "e1", label: `${w} estimated USD`, expression: "FILL(m1, 0)", returnData: true },
        ],
        300,
        { value: threshold },
      ]),
    );
    expect(spend.every((a) => !a.rollback)).toBe(true);
  });
});

describe("daily token quotas", () => {
  const daily = costPlan({ catalog: catalogWithDailyQuotas([region]) });
  const dailyAlarms = ofKind(regionAlarms(daily, region), "daily-quota");

  it("per model: the day's input + burndown x output over its profiles, above 80% of its tokens-per-day quota", () => {
    const haiku = dailyAlarms.find((a): a is ModelAlarmSpec => a.watches === "model" && a.modelId === HAIKU.modelId)!;
    expect(haiku.period).toBe(86400);
    expect(haiku.threshold).toEqual({ quotaPercent: 80, quotaCode: daily.specs[HAIKU.modelId].quotas[region].tpd!.code });
    expect(haiku.math!.expression).toBe(`SUM([FILL(in1, 0), FILL(in2, 0)]) + ${daily.specs[HAIKU.modelId].outputBurndown} * SUM([FILL(out1, 0), FILL(out2, 0)])`);
    expect(haiku.math!.metrics.map((m) => m.metricName)).toEqual(["InputTokenCount", "OutputTokenCount", "InputTokenCount", "OutputTokenCount"]);
  });

  it("for the region: every model's tokens (no ModelId dimension) against the account's Cross-Model Max Tokens Per Day", () => {
    const cross = dailyAlarms.find((a): a is MathAlarmSpec => a.id === "daily-quota-cross-model")!;
    expect(cross.alarmName).toBe("bedrock-prod-daily-quota-cross-model");
    expect(cross.threshold).toEqual({ quotaPercent: 80, quotaCode: "L-C0000001" });
    expect(cross.queries).toEqual([
      { id: "in1", metric: { namespace: "AWS/Bedrock", metricName: "InputTokenCount", dimensions: {}, stat: "Sum" } },
      { id: "out1", metric: { namespace: "AWS/Bedrock", metricName: "OutputTokenCount", dimensions: {}, stat: "Sum" } },
      { id: "e1", label: "tokens of the day", expression: "SUM([FILL(in1, 0)]) + 5 * SUM([FILL(out1, 0)])", returnData: true },
    ]);
  });

  it("none where the catalog knows no daily quota code (the shipped snapshot)", () => expect(ofKind(alarms, "daily-quota")).toEqual([]));
});

describe("the dashboard's cost rows", () => {
  const text = regionDashboards(plan, region)
    .map((d) => renderBodyText(dashboardBody(d), () => "1", (w, m) => profileArnOf(profiles, w, m)))
    .join("\n");
  const widgets = regionDashboards(plan, region).flatMap((d) => (JSON.parse(renderBodyText(dashboardBody(d), () => "1", (w, m) => profileArnOf(profiles, w, m))) as { widgets: any[] }).widgets);
  const titled = (prefix: string) => widgets.find((w) => (w.properties.title ?? "").startsWith(prefix));

  it("usage per workload from its profiles, estimated spend per workload and per workload and model, the budgets beside them", () => {
    const calls = titled("Calls per workload")!;
    expect(calls.properties.metrics.filter((m: any[]) => typeof m[0] === "object").map((m: any[]) => m[0].label)).toEqual(["support-bot", "dev-assistant", "doc-pipeline"]);
    expect(calls.properties.metrics).toContainEqual(["AWS/Bedrock", "Invocations", "ModelId", profiles["dev-assistant"]["anthropic.claude-opus-4-5-20251101-v1:0"], { stat: "Sum", id: "c6", visible: false }]);
    const spend = titled("Estimated spend per workload (")!;
    expect(spend.properties.metrics).toEqual(["support-bot", "dev-assistant", "doc-pipeline"].map((w) => ["BedrockRouting", "EstimatedCostUsd", "Workload", w, { stat: "Sum", label: w }]));
    expect(spend.properties.annotations.horizontal.map((a: any) => a.value)).toEqual([2.0833, 5, 2.0833]);
    expect(titled("Estimated spend per workload and model")!.properties.metrics).toContainEqual(["BedrockRouting", "EstimatedCostUsd", "Workload", "dev-assistant", "Model", "anthropic.claude-opus-4-5-20251101-v1:0", { stat: "Sum", label: "dev-assistant anthropic.claude-opus-4-5-20251101-v1:0" }]);
    const budgets = widgets.find((w) => w.type === "text" && w.properties.markdown.startsWith("### Budgets"))!.properties.markdown;
    expect(budgets).toContain("| support-bot | bedrock-prod-support-bot-monthly: 8000 USD a month | 2.0833 |");
    expect(budgets).toContain("| doc-pipeline | none | 2.0833 |");
  });

  it("a model's graphs add up its profiles (hidden lines, one expression); no placeholder is left; no cost rows without cost attribution", () => {
    const invocations = titled("Invocations")!.properties.metrics;
    // Haiku is the second model: its profiles are the third and fourth hidden lines.
    expect(invocations).toContainEqual([{ expression: "SUM([FILL(s3, 0), FILL(s4, 0)])", label: `${HAIKU.invokeId} invocations`, id: "e4" }]);
    expect(invocations).toContainEqual(["AWS/Bedrock", "Invocations", "ModelId", profiles["support-bot"][HAIKU.modelId], { stat: "Sum", id: "s3", visible: false }]);
    expect(text).not.toContain("@profile:");
    // Measured (no references given): every profile stands in with an ARN as long as a real one.
    expect(renderBodyText(dashboardBody(regionDashboards(plan, region)[0]), () => "1")).toContain(PROFILE_ARN_STAND_IN);
    const plain = regionDashboards(prodPlan(), region).flatMap((d) => (dashboardBody(d).widgets as any[]).map((w) => w.properties.title ?? w.properties.markdown));
    expect(plain.some((t: string) => /per workload|Budgets/.test(t))).toBe(false);
  });
});

describe("a large organisation's per-model graphs over application profiles", () => {
  // 40 more models, 10 workloads each calling every model through a profile of its own: a graph of two metrics a model
  // reads 22 lines per model, over 900 in all.
  const many = Array.from({ length: 40 }, (_, i) => ({ id: `a.m${i}`, regions: { "us-east-1": { geographies: ["us" as const] } } }));
  const raw = baseEnvironment();
  raw.costAttribution = { enabled: true };
  raw.models.push(...many.map((m) => ({ id: m.id })));
  const ids: string[] = raw.models.map((m: { id: string }) => m.id);
  raw.routes = {};
  for (let i = 0; i < ids.length; i += 3) raw.routes[`task-${i / 3}`] = { primary: ids[i], fallbacks: ids.slice(i + 1, i + 3), maxTokens: 100 };
  raw.workloads = Object.fromEntries(Array.from({ length: 10 }, (_, w) => [`team-${w}`, { routes: Object.keys(raw.routes), role: { assumedByServices: ["lambda.amazonaws.com"] } }]));
  const dashboards = regionDashboards(planOf(raw, { catalog: catalogWith(many) }), region);

  it("a graph over more lines than CloudWatch draws in one goes onto several, each within its limit", () => {
    const graphs = dashboards.flatMap((d) => d.rows).flatMap((r) => r.widgets).filter((w): w is GraphWidget => w.type === "graph" && /^Tokens( \(|$)/.test(w.title));
    expect(graphs.map((g) => g.title)).toEqual(["Tokens (1 of 2)", "Tokens (2 of 2)"]);
    for (const g of graphs) expect(g.lines.length).toBeLessThanOrEqual(MAX_DASHBOARD_WIDGET_METRICS);
  });

  it("the dashboards are split as measured rendered (each profile an ARN, longer than its placeholder)", () => {
    expect(dashboards.length).toBeGreaterThan(1);
    for (const d of dashboards) expect(dashboardLimitBreaches(d)).toEqual([]);
  });
});

describe("packInOrder (graphs split under CloudWatch's metrics-per-graph limit)", () => {
  it.each([
    ["fits one run", [1, 2, 3], 6, [[1, 2, 3]]],
    ["a run closes before the item that would pass the capacity", [3, 3, 1, 4], 6, [[3, 3], [1, 4]]],
    ["an item over the capacity alone runs alone, in order", [2, 9, 2], 6, [[2], [9], [2]]],
    ["nothing gives no runs", [], 6, []],
  ] as const)("%s", (_name, weights, capacity, runs) => {
    expect(packInOrder([...weights], (w) => w, capacity)).toEqual(runs);
  });
});
