import { applicationProfiles, attributesCost, type BaselinePlan, spendThresholdOf } from "../environment";
import { names } from "../aws";
import { BEDROCK_NAMESPACE } from "./bedrock-metrics";
import { ESTIMATED_COST_METRIC } from "./cost-alarms";
import { type DashboardRow, type GraphLine, type GraphWidget, packInOrder, profilePlaceholder, type TextWidget } from "./dashboard-rows";

/*
 * The region dashboard's rows of cost attribution (docs/cost.md): usage per workload from Bedrock's own metrics of each
 * workload's application profiles, and estimated spend per workload and model from the routing client's records,
 * beside the workloads' budgets (AWS's bill, which lags hours and lives in AWS Budgets, not CloudWatch).
 */

/** Section of the cost rows. */
export const COST_SECTION = "Cost: usage and estimated spend per workload, beside the budgets";

/** One workload as the cost rows show it. */
export interface CostWorkload {
  readonly name: string;
  /** Foundation-model IDs it calls, each through its own application profile. */
  readonly models: readonly string[];
  /** Its spend-rate threshold in USD per dashboard period (the spend alarm's). */
  readonly spendPerPeriod: number;
  /** Its budget, when it has one. */
  readonly budget?: { readonly name: string; readonly monthlyUsd: number };
}

/** What the cost rows draw. */
export interface CostRowsInput {
  /** The client's metrics namespace (metricsNamespace), where EstimatedCostUsd is. */
  readonly namespace: string;
  /** The cost allocation tag key (what Cost Explorer groups by). */
  readonly tagKey: string;
  readonly periodSeconds: number;
  readonly workloads: readonly CostWorkload[];
}

/**
 * Lines a cost graph holds at most: below CloudWatch's 500 metrics per graph
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html), so an organisation with many
 * workloads gets several graphs rather than one CloudWatch refuses.
 */
export const COST_GRAPH_LINES = 400;

/** A title with the part it is of, when the graphs are several. */
const part = (title: string, i: number, n: number) => (n > 1 ? `${title} (${i + 1} of ${n})` : title);

/** One line per workload: the sum of a Bedrock metric over its profiles (hidden per-profile lines). */
function perWorkload(input: Pick<CostRowsInput, "workloads">, metricName: string, prefix: string, suffix = ""): GraphLine[] {
  let next = 0;
  return input.workloads.flatMap((w): GraphLine[] => {
    if (w.models.length === 0) return [];
    const ids = w.models.map(() => `${prefix}${++next}`);
    return [
      ...w.models.map((m, i): GraphLine => ({ namespace: BEDROCK_NAMESPACE, metricName, dimensions: { ModelId: profilePlaceholder(w.name, m) }, stat: "Sum", label: `${w.name} ${m}`, id: ids[i], hidden: true })),
      { expression: `SUM([${ids.map((id) => `FILL(${id}, 0)`).join(", ")}])`, id: `w${prefix}${next}`, label: `${w.name}${suffix}` },
    ];
  });
}

/** The budgets beside the estimates: what each is, and where AWS's figures are. */
function budgetsText(input: CostRowsInput): TextWidget {
  const rows = input.workloads.map((w) => `| ${w.name} | ${w.budget ? `${w.budget.name}: ${w.budget.monthlyUsd} USD a month` : "none"} | ${w.spendPerPeriod} |`);
  const markdown = [
    "### Budgets: AWS's bill",
    "The graphs are **estimates** from the routing client (tokens x the catalog's list price), minutes behind. " +
      `AWS's figures lag hours: AWS Budgets (one budget per workload, on the cost allocation tag \`${input.tagKey}\`) and Cost Explorer grouped by that tag.`,
    "",
    "| Workload | Budget | Spend alarm (USD per period) |",
    "|---|---|---|",
    ...rows,
    "",
    "[AWS Budgets](https://console.aws.amazon.com/billing/home#/budgets) · [Cost Explorer](https://console.aws.amazon.com/cost-management/home#/cost-explorer)",
  ].join("\n");
  return { type: "text", width: 8, height: 6, markdown };
}

/** Usage and estimated spend of some workloads: calls, tokens and spend per workload (with its alarm line), spend per workload and model. */
function workloadGraphs(input: CostRowsInput, workloads: readonly CostWorkload[], i: number, n: number): GraphWidget[] {
  const of = { workloads };
  const spend: GraphLine[] = workloads.map((w) => ({ namespace: input.namespace, metricName: ESTIMATED_COST_METRIC, dimensions: { Workload: w.name }, stat: "Sum", label: w.name }));
  const spendByModel: GraphLine[] = workloads.flatMap((w) =>
    w.models.map((m): GraphLine => ({ namespace: input.namespace, metricName: ESTIMATED_COST_METRIC, dimensions: { Workload: w.name, Model: m }, stat: "Sum", label: `${w.name} ${m}` })),
  );
  return [
    { type: "graph", title: part("Calls per workload (Invocations through its application profiles)", i, n), width: 8, lines: perWorkload(of, "Invocations", "c") },
    { type: "graph", title: part("Tokens per workload (input and output)", i, n), width: 8, lines: [...perWorkload(of, "InputTokenCount", "i", " input"), ...perWorkload(of, "OutputTokenCount", "o", " output")] },
    {
      type: "graph",
      title: part(`Estimated spend per workload (USD per ${input.periodSeconds} s, routing client)`, i, n),
      width: 8,
      lines: spend,
      horizontal: workloads.map((w) => ({ label: `${w.name} spend alarm`, value: w.spendPerPeriod })),
    },
    { type: "graph", title: part(`Estimated spend per workload and model (USD per ${input.periodSeconds} s, routing client)`, i, n), width: 16, lines: spendByModel },
  ];
}

/**
 * The cost rows: per group of workloads (as many as keep each graph within COST_GRAPH_LINES; one for most
 * environments) usage, estimated spend per workload (with its alarm line) and per workload and model; the budgets last.
 */
export function costRows(input: CostRowsInput): DashboardRow[] {
  // The tokens graph draws two hidden lines per profile and two per workload: the widest of the group's graphs.
  const parts = packInOrder(input.workloads, (w) => 2 * (w.models.length + 1), COST_GRAPH_LINES);
  return [
    ...parts.map((workloads, i): DashboardRow => ({ key: part("cost", i, parts.length), section: COST_SECTION, widgets: workloadGraphs(input, workloads, i, parts.length) })),
    { key: "cost budgets", section: COST_SECTION, widgets: [budgetsText(input)] },
  ];
}

/** The cost rows of one region stack of a plan, with cost attribution; none otherwise. */
export function regionCostRows(plan: BaselinePlan, region: string): DashboardRow[] {
  if (!attributesCost(plan)) return [];
  const c = plan.config;
  const profiles = applicationProfiles(plan, region);
  return costRows({
    namespace: c.metricsNamespace,
    tagKey: c.costAttribution.tagKey,
    periodSeconds: c.alarms.periodSeconds,
    workloads: Object.entries(c.workloads).map(([name, w]) => ({
      name,
      models: profiles.filter((p) => p.workload === name).map((p) => p.modelId),
      spendPerPeriod: Math.round((spendThresholdOf(c, w) * c.alarms.periodSeconds * 10000) / 3600) / 10000,
      ...(w.budget ? { budget: { name: names.workloadBudget(c.name, name), monthlyUsd: w.budget.monthlyUsd } } : {}),
    })),
  });
}
