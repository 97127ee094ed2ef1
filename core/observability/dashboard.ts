import { type Invocation, names } from "../aws";
import type { BaselinePlan, ProfileRefs } from "../environment";
import { QUOTA_USAGE } from "./alarm-kinds";
import { BEDROCK_NAMESPACE, type MetricSource, modelDimensions, modelSources, sourceDimensions } from "./bedrock-metrics";
import { type CostDashboard, costDashboardOf, costWidgets } from "./cost-dashboard";

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
  /**
   * Foundation-model ID -> where its calls are measured, for the models whose calls go through application profiles
   * (cost attribution): their lines add those up. Default: every model under its own invoke ID.
   */
  readonly sources?: ReadonlyMap<string, readonly MetricSource[]>;
  /** With cost attribution: the rows of usage and estimated spend per workload, beside the budgets. Default: none. */
  readonly cost?: CostDashboard;
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
  const invocations = Object.values(plan.invocations[region]);
  const sources = new Map(invocations.flatMap((inv) => {
    const s = modelSources(plan, inv);
    return s.some((x) => "profile" in x) ? [[inv.modelId, s] as const] : [];
  }));
  const cost = costDashboardOf(plan, region);
  return {
    name: names.dashboard(c.name, region),
    region,
    invocations,
    periodSeconds: c.alarms.periodSeconds,
    canaries: canaryComparisons(plan, region),
    ...(sources.size ? { sources } : {}),
    ...(cost ? { cost } : {}),
  };
}

const WIDTH = 12;
const HEIGHT = 6;

/** Where the graphs read each model's metrics, and the application profiles' references. */
interface LineSources {
  readonly sources?: ReadonlyMap<string, readonly MetricSource[]>;
  readonly profiles?: ProfileRefs;
}

function lines(w: WidgetSpec, models: ReadonlyArray<{ readonly inv: Invocation; readonly prefix: string }>, from: LineSources = {}): unknown[] {
  let next = 0;
  return models.flatMap(({ inv, prefix }) =>
    w.metrics.flatMap((m): unknown[] => {
      const label = `${prefix}${inv.invokeId} ${m.label}`;
      const sources = from.sources?.get(inv.modelId);
      if (!sources) return [[BEDROCK_NAMESPACE, m.metricName, ...Object.entries(modelDimensions(inv)).flat(), { stat: m.stat, label }]];
      // Calls through application profiles: one hidden line per profile, drawn as their sum (the worst, for a percentile).
      const ids = sources.map(() => `s${++next}`);
      const combine = /^p\d/.test(m.stat) ? "MAX" : "SUM";
      return [
        ...sources.map((source, i) => [BEDROCK_NAMESPACE, m.metricName, ...Object.entries(sourceDimensions(source, from.profiles)).flat(), { stat: m.stat, id: ids[i], visible: false }]),
        [{ expression: `${combine}([${ids.map((id) => `FILL(${id}, 0)`).join(", ")}])`, label, id: `e${next}` }],
      ];
    }),
  );
}

function quotaAnnotations(spec: DashboardSpec, quotaValues: ReadonlyMap<string, number | string> | undefined): Record<string, unknown> {
  const horizontal = spec.invocations.flatMap((inv) => {
    const value = quotaValues?.get(inv.modelId);
    return value === undefined ? [] : [{ label: `${inv.invokeId} applied TPM quota`, value }];
  });
  return horizontal.length ? { annotations: { horizontal } } : {};
}

/**
 * The dashboard body (CloudWatch dashboard JSON); `quotaValues`: foundation-model ID -> its applied quota's annotation
 * value; `profiles`: the application profiles' references (Terraform references in a stack), for cost attribution.
 */
export function dashboardBody(spec: DashboardSpec, quotaValues?: ReadonlyMap<string, number | string>, profiles?: ProfileRefs): Record<string, unknown> {
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
    properties: graph(w.title, w.period ?? period, lines(w, spec.invocations.map((inv) => ({ inv, prefix: "" })), { sources: spec.sources, profiles }), w.quotaLines ? quotaAnnotations(spec, quotaValues) : {}),
  }));
  // One row per canaried route, below the per-model graphs.
  const canaryRows = (spec.canaries ?? []).flatMap((c, row) =>
    CANARY_WIDGETS.map((w, i) => ({
      type: "metric",
      x: i * canaryWidth,
      y: canaryTop + row * HEIGHT,
      width: canaryWidth,
      height: HEIGHT,
      properties: graph(`Canary on ${c.task}: ${w.title}, primary vs canary`, period, lines(w, [{ inv: c.primary, prefix: "primary " }, { inv: c.canary, prefix: "canary " }], { sources: spec.sources, profiles })),
    })),
  );
  const costTop = canaryTop + (spec.canaries ?? []).length * HEIGHT;
  const cost = spec.cost ? costWidgets(spec.cost, { region: spec.region, period, top: costTop, height: HEIGHT }, profiles) : [];
  return { widgets: [...perModel, ...canaryRows, ...cost] };
}

/**
 * The body as the dashboard resource gets it, with each model's applied quota as `quotaValue` gives it (a Terraform
 * interpolation of the Service Quotas data source in a stack), written unquoted into the JSON text so that Terraform
 * renders a bare number there (an annotation value must be a JSON number). The values go in through placeholders after
 * JSON.stringify, which would quote them; model IDs are validated (no quotes or `@`), so a placeholder cannot collide
 * with any other string of the body.
 */
export function dashboardBodyText(spec: DashboardSpec, quotaValue: (modelId: string) => string | undefined = () => undefined, profiles?: ProfileRefs): string {
  const interpolations = new Map<string, string>();
  const quotaValues = new Map<string, string>();
  for (const inv of spec.invocations) {
    const value = quotaValue(inv.modelId);
    if (value === undefined) continue;
    const placeholder = `@applied-quota:${inv.modelId}@`;
    interpolations.set(JSON.stringify(placeholder), value);
    quotaValues.set(inv.modelId, placeholder);
  }
  let text = JSON.stringify(dashboardBody(spec, quotaValues, profiles));
  for (const [quoted, value] of interpolations) text = text.split(quoted).join(value);
  return text;
}
