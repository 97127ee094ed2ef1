import { applicationProfiles, attributesCost, type BaselinePlan, type ProfileRefs, spendThresholdOf } from "../environment";
import { names } from "../aws";
import { BEDROCK_NAMESPACE, type MetricSource, sourceDimensions } from "./bedrock-metrics";
import { ESTIMATED_COST_METRIC } from "./cost-alarms";

/*
 * The region dashboard's rows of cost attribution (docs/cost.md): usage per workload from Bedrock's own metrics of each
 * workload's application profiles, and estimated spend per workload and model from the routing client's records,
 * beside the workloads' budgets (AWS's bill, which lags hours and lives in AWS Budgets, not CloudWatch).
 */

/** One workload as the cost rows show it. */
export interface CostDashboardWorkload {
  readonly name: string;
  /** Its application profiles: where Bedrock measures its calls. */
  readonly sources: readonly MetricSource[];
  /** Foundation-model IDs it calls (EMF dimension Model). */
  readonly models: readonly string[];
  /** Its spend-rate threshold in USD per dashboard period (the spend alarm's). */
  readonly spendPerPeriod: number;
  /** Its budget, when it has one. */
  readonly budget?: { readonly name: string; readonly monthlyUsd: number };
}

/** What the cost rows draw. */
export interface CostDashboard {
  /** The client's metrics namespace (metricsNamespace), where EstimatedCostUsd is. */
  readonly namespace: string;
  /** The cost allocation tag key (what Cost Explorer groups by). */
  readonly tagKey: string;
  readonly workloads: readonly CostDashboardWorkload[];
}

/** The cost rows of a region, with cost attribution; undefined otherwise. */
export function costDashboardOf(plan: BaselinePlan, region: string): CostDashboard | undefined {
  if (!attributesCost(plan)) return undefined;
  const c = plan.config;
  const profiles = applicationProfiles(plan, region);
  return {
    namespace: c.metricsNamespace,
    tagKey: c.costAttribution.tagKey,
    workloads: Object.entries(c.workloads).map(([name, w]) => {
      const mine = profiles.filter((p) => p.workload === name);
      return {
        name,
        sources: mine.map((p) => ({ profile: { workload: name, modelId: p.modelId } })),
        models: mine.map((p) => p.modelId),
        spendPerPeriod: Math.round((spendThresholdOf(c, w) * c.alarms.periodSeconds * 10000) / 3600) / 10000,
        ...(w.budget ? { budget: { name: names.workloadBudget(c.name, name), monthlyUsd: w.budget.monthlyUsd } } : {}),
      };
    }),
  };
}

/** Where the rows go and how they are drawn. */
export interface CostLayout {
  readonly region: string;
  /** Aggregation period of the graphs, seconds. */
  readonly period: number;
  /** The y of the first row. */
  readonly top: number;
  readonly height: number;
}

/** One line per workload: the sum of a Bedrock metric over its profiles (hidden per-profile lines). */
function perWorkload(cost: CostDashboard, metricName: string, profiles: ProfileRefs | undefined, suffix = ""): unknown[] {
  let next = 0;
  return cost.workloads.flatMap((w) => {
    if (w.sources.length === 0) return [];
    const ids = w.sources.map(() => `${metricName.charAt(0).toLowerCase()}${++next}`);
    return [
      ...w.sources.map((s, i) => [BEDROCK_NAMESPACE, metricName, ...Object.entries(sourceDimensions(s, profiles)).flat(), { stat: "Sum", id: ids[i], visible: false }]),
      [{ expression: `SUM([${ids.map((id) => `FILL(${id}, 0)`).join(", ")}])`, label: `${w.name}${suffix}`, id: `w${metricName.charAt(0).toLowerCase()}${next}` }],
    ];
  });
}

/** The budgets beside the estimates: what each is, and where AWS's figures are. */
function budgetsText(cost: CostDashboard): string {
  const rows = cost.workloads.map((w) => `| ${w.name} | ${w.budget ? `${w.budget.name}: ${w.budget.monthlyUsd} USD a month` : "none"} | ${w.spendPerPeriod} |`);
  return [
    "### Budgets: AWS's bill",
    "The graphs are **estimates** from the routing client (tokens x the catalog's list price), minutes behind. " +
      `AWS's figures lag hours: AWS Budgets (one budget per workload, on the cost allocation tag \`${cost.tagKey}\`) and Cost Explorer grouped by that tag.`,
    "",
    "| Workload | Budget | Spend alarm (USD per period) |",
    "|---|---|---|",
    ...rows,
    "",
    "[AWS Budgets](https://console.aws.amazon.com/billing/home#/budgets) · [Cost Explorer](https://console.aws.amazon.com/cost-management/home#/cost-explorer)",
  ].join("\n");
}

/** The cost rows' widgets: usage per workload, estimated spend per workload and per workload and model, and the budgets. */
export function costWidgets(cost: CostDashboard, at: CostLayout, profiles?: ProfileRefs): unknown[] {
  const graph = (x: number, y: number, width: number, title: string, metrics: unknown[], extra: Record<string, unknown> = {}) => ({
    type: "metric",
    x,
    y,
    width,
    height: at.height,
    properties: { title, region: at.region, view: "timeSeries", stacked: false, period: at.period, ...extra, metrics },
  });
  const second = at.top + at.height;
  const spend = cost.workloads.map((w) => [cost.namespace, ESTIMATED_COST_METRIC, "Workload", w.name, { stat: "Sum", label: w.name }]);
  const spendByModel = cost.workloads.flatMap((w) => w.models.map((m) => [cost.namespace, ESTIMATED_COST_METRIC, "Workload", w.name, "Model", m, { stat: "Sum", label: `${w.name} ${m}` }]));
  const thresholds = cost.workloads.map((w) => ({ label: `${w.name} spend alarm`, value: w.spendPerPeriod }));
  return [
    graph(0, at.top, 8, "Calls per workload (Invocations through its application profiles)", perWorkload(cost, "Invocations", profiles)),
    graph(8, at.top, 8, "Tokens per workload (input and output)", [...perWorkload(cost, "InputTokenCount", profiles, " input"), ...perWorkload(cost, "OutputTokenCount", profiles, " output")]),
    graph(16, at.top, 8, `Estimated spend per workload (USD per ${at.period} s, routing client)`, spend, { annotations: { horizontal: thresholds } }),
    graph(0, second, 16, `Estimated spend per workload and model (USD per ${at.period} s, routing client)`, spendByModel),
    { type: "text", x: 16, y: second, width: 8, height: at.height, properties: { markdown: budgetsText(cost) } },
  ];
}
