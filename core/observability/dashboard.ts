import { type Invocation, names } from "../aws";
import type { BaselinePlan } from "../environment";
import { QUOTA_USAGE } from "./alarm-kinds";
import { BEDROCK_NAMESPACE, modelDimensions } from "./bedrock-metrics";
import { clientSearch, REFUSALS, TASK_OUTCOMES } from "./client-metrics";

/** A route whose canary the dashboard sets beside its primary. */
export interface CanaryComparison {
  readonly task: string;
  readonly primary: Invocation;
  readonly canary: Invocation;
}

/** What a region's dashboard shows: a graph per metric with a line per model, and a row per canaried route. */
export interface DashboardSpec {
  readonly name: string;
  /** Region the metrics are read from (the stack's region: cross-Region inference metrics land in the source region). */
  readonly region: string;
  /** The models to chart, one line each per widget. */
  readonly invocations: readonly Invocation[];
  /** Aggregation period of the graphs in seconds. Default: 300. */
  readonly periodSeconds?: number;
  /** Routes with a canary: a row per route compares primary and canary (latency, errors, tokens). Default: none. */
  readonly canaries?: readonly CanaryComparison[];
  /** The routing client's metrics namespace: with it, a last row charts refusals and reported quality. Default: no such row. */
  readonly metricsNamespace?: string;
}

/** One graph: a title and the metrics (with statistic) drawn per model. */
interface WidgetSpec {
  readonly title: string;
  readonly metrics: ReadonlyArray<{ readonly metricName: string; readonly stat: string; readonly label: string }>;
  /** Its own aggregation period (seconds) instead of the dashboard's. */
  readonly period?: number;
  /** Draw each model's applied tokens-per-minute quota as a horizontal annotation. */
  readonly quotaLines?: boolean;
}

const metric = (metricName: string, stat: string, label: string) => ({ metricName, stat, label });
const LATENCY = [metric("InvocationLatency", "p50", "p50"), metric("InvocationLatency", "p99", "p99")];
const TOKENS = [metric("InputTokenCount", "Sum", "input"), metric("OutputTokenCount", "Sum", "output")];

/** The graphs on the dashboard. */
export const DASHBOARD_WIDGETS: readonly WidgetSpec[] = [
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

/**
 * The graphs of a canary row: the same Bedrock metrics for the route's primary and canary side by side. They are the
 * models' own metrics (all routes' calls of each model); the client's EMF records split them by task and variant.
 */
export const CANARY_WIDGETS: readonly WidgetSpec[] = [
  { title: "latency (ms)", metrics: LATENCY },
  {
    title: "errors and throttles",
    metrics: [metric("InvocationServerErrors", "Sum", "server errors"), metric("InvocationClientErrors", "Sum", "client errors"), metric("InvocationThrottles", "Sum", "throttles")],
  },
  { title: "tokens", metrics: TOKENS },
];

/** The canaried routes of a plan in a region, in config order (each route's primary and canary as invoked there). */
export function canaryComparisons(plan: BaselinePlan, region: string): CanaryComparison[] {
  const inv = plan.invocations[region];
  return Object.entries(plan.config.routes).flatMap(([task, r]) =>
    r.canary && Object.hasOwn(inv, r.primary) && Object.hasOwn(inv, r.canary.model) ? [{ task, primary: inv[r.primary], canary: inv[r.canary.model] }] : [],
  );
}

/** The dashboard of one region stack of a plan. */
export function regionDashboard(plan: BaselinePlan, region: string): DashboardSpec {
  const c = plan.config;
  return {
    name: names.dashboard(c.name, region),
    region,
    invocations: Object.values(plan.invocations[region]),
    periodSeconds: c.alarms.periodSeconds,
    canaries: canaryComparisons(plan, region),
    metricsNamespace: c.metricsNamespace,
  };
}

/**
 * The client's row: refusal rate per model and variant (share of answered calls), task success rate and quality score
 * per task, model and variant (what applications report), each line a SEARCH so toggled canaries appear by themselves.
 */
export const CLIENT_WIDGETS = [
  { title: "Refusal rate per model and variant (share of answered calls; routing client)", metricName: REFUSALS.metricName, dimensions: REFUSALS.byModelAndVariant },
  { title: "Task success rate per task, model and variant (reported by applications)", metricName: TASK_OUTCOMES.success, dimensions: TASK_OUTCOMES.dimensions },
  { title: "Quality score per task, model and variant (0-1, reported by applications)", metricName: TASK_OUTCOMES.score, dimensions: TASK_OUTCOMES.dimensions },
] as const;

const WIDTH = 12;
const HEIGHT = 6;

function lines(w: WidgetSpec, models: ReadonlyArray<{ readonly inv: Invocation; readonly prefix: string }>): unknown[] {
  return models.flatMap(({ inv, prefix }) => w.metrics.map((m) => [BEDROCK_NAMESPACE, m.metricName, ...Object.entries(modelDimensions(inv)).flat(), { stat: m.stat, label: `${prefix}${inv.invokeId} ${m.label}` }]));
}

function quotaAnnotations(spec: DashboardSpec, quotaValues: ReadonlyMap<string, number | string> | undefined): Record<string, unknown> {
  const horizontal = spec.invocations.flatMap((inv) => {
    const value = quotaValues?.get(inv.modelId);
    return value === undefined ? [] : [{ label: `${inv.invokeId} applied TPM quota`, value }];
  });
  return horizontal.length ? { annotations: { horizontal } } : {};
}

/** The dashboard body (CloudWatch dashboard JSON); `quotaValues`: foundation-model ID -> its applied quota's annotation value. */
export function dashboardBody(spec: DashboardSpec, quotaValues?: ReadonlyMap<string, number | string>): Record<string, unknown> {
  const period = spec.periodSeconds ?? 300;
  const graph = (title: string, widgetPeriod: number, metrics: unknown[], extra: Record<string, unknown> = {}) => ({ title, region: spec.region, view: "timeSeries", stacked: false, period: widgetPeriod, ...extra, metrics });
  const canaryTop = Math.ceil(DASHBOARD_WIDGETS.length / 2) * HEIGHT;
  const canaryWidth = 24 / CANARY_WIDGETS.length;
  const perModel = DASHBOARD_WIDGETS.map((w, i) => ({
    type: "metric",
    x: (i % 2) * WIDTH,
    y: Math.floor(i / 2) * HEIGHT,
    width: WIDTH,
    height: HEIGHT,
    properties: graph(w.title, w.period ?? period, lines(w, spec.invocations.map((inv) => ({ inv, prefix: "" }))), w.quotaLines ? quotaAnnotations(spec, quotaValues) : {}),
  }));
  // One row per canaried route, below the per-model graphs.
  const canaryRows = (spec.canaries ?? []).flatMap((c, row) =>
    CANARY_WIDGETS.map((w, i) => ({
      type: "metric",
      x: i * canaryWidth,
      y: canaryTop + row * HEIGHT,
      width: canaryWidth,
      height: HEIGHT,
      properties: graph(`Canary on ${c.task}: ${w.title}, primary vs canary`, period, lines(w, [{ inv: c.primary, prefix: "primary " }, { inv: c.canary, prefix: "canary " }])),
    })),
  );
  const clientTop = canaryTop + (spec.canaries?.length ?? 0) * HEIGHT;
  const ns = spec.metricsNamespace;
  const clientRow = ns
    ? CLIENT_WIDGETS.map((w, i) => ({
        type: "metric",
        x: i * (24 / CLIENT_WIDGETS.length),
        y: clientTop,
        width: 24 / CLIENT_WIDGETS.length,
        height: HEIGHT,
        properties: graph(w.title, period, [[{ expression: clientSearch(ns, w.metricName, w.dimensions, period), id: `c${i}`, label: "" }]], { yAxis: { left: { min: 0, max: 1 } } }),
      }))
    : [];
  return { widgets: [...perModel, ...canaryRows, ...clientRow] };
}

/**
 * The body as the dashboard resource gets it, with each model's applied quota as `quotaValue` gives it (a Terraform
 * interpolation of the Service Quotas data source in a stack), written unquoted into the JSON text so that Terraform
 * renders a bare number there (an annotation value must be a JSON number). The values go in through placeholders after
 * JSON.stringify, which would quote them; model IDs are validated (no quotes or `@`), so a placeholder cannot collide
 * with any other string of the body.
 */
export function dashboardBodyText(spec: DashboardSpec, quotaValue: (modelId: string) => string | undefined = () => undefined): string {
  const interpolations = new Map<string, string>();
  const quotaValues = new Map<string, string>();
  for (const inv of spec.invocations) {
    const value = quotaValue(inv.modelId);
    if (value === undefined) continue;
    const placeholder = `@applied-quota:${inv.modelId}@`;
    interpolations.set(JSON.stringify(placeholder), value);
    quotaValues.set(inv.modelId, placeholder);
  }
  let text = JSON.stringify(dashboardBody(spec, quotaValues));
  for (const [quoted, value] of interpolations) text = text.split(quoted).join(value);
  return text;
}
