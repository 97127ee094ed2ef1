import { type Invocation, MAX_DASHBOARD_WIDGET_METRICS } from "../aws";
import type { BaselinePlan } from "../environment";
import { QUOTA_USAGE } from "./alarm-kinds";
import { BEDROCK_NAMESPACE, type MetricSource, modelDimensions, modelSources } from "./bedrock-metrics";
import { type DashboardRow, type GraphLine, type GraphWidget, packInOrder, profilePlaceholder } from "./dashboard-rows";
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

/**
 * Foundation-model ID -> the application profiles its calls go through (cost attribution); a model not listed is drawn
 * under its own invoke ID.
 */
export type ProfileSources = ReadonlyMap<string, readonly MetricSource[]>;

/**
 * The lines of a graph: a model's metric under its invoke ID, or, when its calls go through application profiles, one
 * hidden line per profile (its ARN as `ModelId`, filled in when the body is rendered) drawn as their sum (the worst, for a
 * percentile).
 */
function lines(g: ModelGraph, models: ReadonlyArray<{ readonly inv: Invocation; readonly prefix: string }>, sources: ProfileSources = new Map()): GraphLine[] {
  let next = 0;
  return models.flatMap(({ inv, prefix }) =>
    g.metrics.flatMap((m): GraphLine[] => {
      const label = `${prefix}${inv.invokeId} ${m.label}`;
      const profiles = profilesOf(sources, inv.modelId);
      if (profiles.length === 0) return [{ namespace: BEDROCK_NAMESPACE, metricName: m.metricName, dimensions: modelDimensions(inv), stat: m.stat, label }];
      const ids = profiles.map(() => `s${++next}`);
      return [
        ...profiles.map((p, i): GraphLine => ({ namespace: BEDROCK_NAMESPACE, metricName: m.metricName, dimensions: { ModelId: profilePlaceholder(p.workload, p.modelId) }, stat: m.stat, label: `${p.workload} ${m.label}`, id: ids[i], hidden: true })),
        { expression: `${/^p\d/.test(m.stat) ? "MAX" : "SUM"}([${ids.map((id) => `FILL(${id}, 0)`).join(", ")}])`, id: `e${next}`, label },
      ];
    }),
  );
}

/** The application profiles a model's calls go through (none: drawn under its invoke ID). */
function profilesOf(sources: ProfileSources, modelId: string) {
  return (sources.get(modelId) ?? []).flatMap((x) => ("profile" in x ? [x.profile] : []));
}

/**
 * The models of a graph in runs whose lines fit one CloudWatch graph (MAX_DASHBOARD_WIDGET_METRICS, hidden lines
 * included), in order: over application profiles a model takes a line per profile and metric, plus their sum. The
 * application-profile-limits rule keeps a model's own lines far below the limit.
 */
function chunks<T extends { readonly inv: Invocation }>(g: ModelGraph, models: readonly T[], sources: ProfileSources): T[][] {
  const lines = (m: T) => {
    const n = profilesOf(sources, m.inv.modelId).length;
    return g.metrics.length * (n === 0 ? 1 : n + 1);
  };
  const out = packInOrder(models, lines, MAX_DASHBOARD_WIDGET_METRICS);
  return out.length ? out : [[]];
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
export function modelRows(invocations: readonly Invocation[], canaries: readonly CanaryComparison[], quotaCodes: ReadonlyMap<string, string | undefined>, sources?: ProfileSources): DashboardRow[] {
  const models = invocations.map((inv) => ({ inv, prefix: "" }));
  const graph = (g: ModelGraph, title: string, of: ReadonlyArray<{ readonly inv: Invocation; readonly prefix: string }>): GraphWidget => ({
    type: "graph",
    title,
    width: 12,
    lines: lines(g, of, sources),
    ...(g.period ? { period: g.period } : {}),
    ...(g.quotaLines ? { horizontal: of.filter(({ inv }) => quotaCodes.get(inv.modelId) !== undefined).map(({ inv }) => ({ label: `${inv.invokeId} applied TPM quota`, value: { appliedQuotaOf: inv.modelId } })) } : {}),
  });
  // Over application profiles a graph may read more metrics than CloudWatch draws in one: its models go onto several.
  const graphs: GraphWidget[] = MODEL_GRAPHS.flatMap((g) => {
    const parts = sources?.size ? chunks(g, models, sources) : [models];
    return parts.map((part, i) => graph(g, parts.length > 1 ? `${g.title} (${i + 1} of ${parts.length})` : g.title, part));
  });
  const canaryRows = canaries.map(
    (c): DashboardRow => ({
      key: `canary ${c.task}`,
      section: MODEL_CANARIES_SECTION,
      widgets: CANARY_GRAPHS.map((g) => ({
        type: "graph",
        title: `Canary on ${c.task}: ${g.title}, primary vs canary`,
        width: 24 / CANARY_GRAPHS.length,
        lines: lines(
          g,
          [
            { inv: c.primary, prefix: "primary " },
            { inv: c.canary, prefix: "canary " },
          ],
          sources,
        ),
      })),
    }),
  );
  // Over application profiles a graph draws a line per profile: one row per graph, so the region's graphs can spread
  // over several dashboards within CloudWatch's limits (core/observability/dashboard-split.ts).
  const modelRowsOf: DashboardRow[] = sources?.size ? graphs.map((g) => ({ key: `models: ${g.title}`, section: MODELS_SECTION, widgets: [g] })) : [{ key: "models", section: MODELS_SECTION, widgets: graphs }];
  return [...modelRowsOf, ...canaryRows];
}

/** The Bedrock rows of one region stack of a plan (with cost attribution, each model over its workloads' profiles). */
export function regionModelRows(plan: BaselinePlan, region: string): DashboardRow[] {
  const invocations = Object.values(plan.invocations[region]);
  const sources = new Map(invocations.map((inv) => [inv.modelId, modelSources(plan, inv)] as const).filter(([, s]) => s.some((x) => "profile" in x)));
  return modelRows(invocations, canaryComparisons(plan, region), tpmQuotaCodes(plan, region), sources);
}
