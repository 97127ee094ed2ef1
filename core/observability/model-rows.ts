import type { Invocation } from "../aws";
import type { BaselinePlan } from "../environment";
import { QUOTA_USAGE } from "./alarm-kinds";
import { BEDROCK_NAMESPACE, modelDimensions } from "./bedrock-metrics";
import type { DashboardRow, GraphLine, GraphWidget } from "./dashboard-rows";
import { tpmQuotaCodes } from "./quota-headroom";

/*
 * The rows drawn from Bedrock's own runtime metrics (https://docs.aws.amazon.com/bedrock/latest/userguide/monitoring-runtime-metrics.html):
 * a graph per metric with a line per model, and per canaried route its primary and canary side by side. These are the
 * models' metrics, all routes' calls of each model together; the routes' own view is the routing client's
 * (core/observability/routing-rows.ts).
 */

/** Section of the per-model graphs. */
export const MODELS_SECTION = "Models: Bedrock's metrics of each model (all routes' calls)";
/** Section of the canary comparisons on Bedrock's metrics. */
export const MODEL_CANARIES_SECTION = "Canaries: Bedrock's metrics of each canaried route's primary and canary";

/** A route whose canary the dashboard sets beside its primary. */
export interface CanaryComparison {
  readonly task: string;
  readonly primary: Invocation;
  readonly canary: Invocation;
}

/** One graph: a title and the metrics (with statistic) drawn per model. */
interface ModelGraph {
  readonly title: string;
  readonly metrics: ReadonlyArray<{ readonly metricName: string; readonly stat: string; readonly label: string }>;
  /** Its own aggregation period (seconds) instead of the dashboard's. */
  readonly period?: number;
  /** Draw each model's applied tokens-per-minute quota as a horizontal line. */
  readonly quotaLines?: boolean;
}

const metric = (metricName: string, stat: string, label: string) => ({ metricName, stat, label });
const LATENCY = [metric("InvocationLatency", "p50", "p50"), metric("InvocationLatency", "p99", "p99")];
const TOKENS = [metric("InputTokenCount", "Sum", "input"), metric("OutputTokenCount", "Sum", "output")];

/** The per-model graphs. */
export const MODEL_GRAPHS: readonly ModelGraph[] = [
  { title: "Invocations", metrics: [metric("Invocations", "Sum", "invocations")] },
  { title: "Tokens", metrics: TOKENS },
  { title: "Latency (ms, request to last token)", metrics: LATENCY },
  { title: "Throttles", metrics: [metric("InvocationThrottles", "Sum", "throttles")] },
  { title: "Errors", metrics: [metric("InvocationServerErrors", "Sum", "server"), metric("InvocationClientErrors", "Sum", "client")] },
  { title: "Legacy model invocations", metrics: [metric("LegacyModelInvocations", "Sum", "legacy")] },
  // Per minute, the quota's unit: the same statistic and period as the quota-usage alarm.
  { title: "Estimated TPM quota usage (tokens per minute) against the applied quota", metrics: [metric(QUOTA_USAGE.metricName, QUOTA_USAGE.statistic, "estimated usage")], period: QUOTA_USAGE.periodSeconds, quotaLines: true },
  { title: "Time to first token (ms, streaming calls)", metrics: [metric("TimeToFirstToken", "p50", "p50"), metric("TimeToFirstToken", "p90", "p90")] },
];

/** The graphs of a canary comparison: the same Bedrock metrics for the route's primary and canary side by side. */
export const CANARY_GRAPHS: readonly ModelGraph[] = [
  { title: "latency (ms)", metrics: LATENCY },
  {
    title: "errors and throttles",
    metrics: [metric("InvocationServerErrors", "Sum", "server errors"), metric("InvocationClientErrors", "Sum", "client errors"), metric("InvocationThrottles", "Sum", "throttles")],
  },
  { title: "tokens", metrics: TOKENS },
];

function lines(g: ModelGraph, models: ReadonlyArray<{ readonly inv: Invocation; readonly prefix: string }>): GraphLine[] {
  return models.flatMap(({ inv, prefix }) => g.metrics.map((m) => ({ namespace: BEDROCK_NAMESPACE, metricName: m.metricName, dimensions: modelDimensions(inv), stat: m.stat, label: `${prefix}${inv.invokeId} ${m.label}` })));
}

/** The canaried routes of a plan in a region, in config order (each route's primary and canary as invoked there). */
export function canaryComparisons(plan: BaselinePlan, region: string): CanaryComparison[] {
  const inv = plan.invocations[region];
  return Object.entries(plan.config.routes).flatMap(([task, r]) =>
    r.canary && Object.hasOwn(inv, r.primary) && Object.hasOwn(inv, r.canary.model) ? [{ task, primary: inv[r.primary], canary: inv[r.canary.model] }] : [],
  );
}

/**
 * The per-model row (two graphs a line) and a row per canaried route. `quotaCodes`: the models whose applied quota the
 * stack reads, drawn as horizontal lines on the usage graph.
 */
export function modelRows(invocations: readonly Invocation[], canaries: readonly CanaryComparison[], quotaCodes: ReadonlyMap<string, string | undefined>): DashboardRow[] {
  const models = invocations.map((inv) => ({ inv, prefix: "" }));
  const graphs: GraphWidget[] = MODEL_GRAPHS.map((g) => ({
    type: "graph",
    title: g.title,
    width: 12,
    lines: lines(g, models),
    ...(g.period ? { period: g.period } : {}),
    ...(g.quotaLines ? { horizontal: invocations.filter((inv) => quotaCodes.get(inv.modelId) !== undefined).map((inv) => ({ label: `${inv.invokeId} applied TPM quota`, value: { appliedQuotaOf: inv.modelId } })) } : {}),
  }));
  const canaryRows = canaries.map(
    (c): DashboardRow => ({
      key: `canary ${c.task}`,
      section: MODEL_CANARIES_SECTION,
      widgets: CANARY_GRAPHS.map((g) => ({
        type: "graph",
        title: `Canary on ${c.task}: ${g.title}, primary vs canary`,
        width: 24 / CANARY_GRAPHS.length,
        lines: lines(g, [
          { inv: c.primary, prefix: "primary " },
          { inv: c.canary, prefix: "canary " },
        ]),
      })),
    }),
  );
  return [{ key: "models", section: MODELS_SECTION, widgets: graphs }, ...canaryRows];
}

/** The Bedrock rows of one region stack of a plan. */
export function regionModelRows(plan: BaselinePlan, region: string): DashboardRow[] {
  return modelRows(Object.values(plan.invocations[region]), canaryComparisons(plan, region), tpmQuotaCodes(plan, region));
}
