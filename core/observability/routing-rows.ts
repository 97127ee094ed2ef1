import { type BaselinePlan, routeCandidates, type RouteConfig } from "../environment";
import { CALL_OUTCOMES, DEFAULT_METRICS_NAMESPACE, ROUTING_DIMENSIONS as D, type RoutingMetricName } from "../runtime";
import type { DashboardRow, DashboardWidget, GraphLine, MetricLine } from "./dashboard-rows";
import { routeThresholds } from "./route-alarms";

/*
 * A row per route drawn from the routing client's own EMF metrics (core/runtime/routing-metrics.ts): what the
 * application saw, retries, backoffs and fallbacks included, which Bedrock's per-model metrics cannot say. Each graph
 * reads the view made for it: `distribution` for the share per model and the outcomes, `route` for latency, tokens,
 * attempts and the rates, `variant` for a canary's calls beside the primary's. The lines are the route's candidates
 * and the outcomes the client can write, known at synth, so every graph stays within CloudWatch's metrics per graph.
 */

/** Section of the routes' rows. */
export const routesSection = (namespace: string) => `Routes: what the applications saw (routing client metrics, namespace ${namespace})`;

/** What one route's row is drawn from. */
export interface RouteRowInput {
  readonly namespace: string;
  readonly task: string;
  readonly route: RouteConfig;
  /** Foundation-model IDs the route may use (primary, fallbacks, canary). */
  readonly candidates: readonly string[];
  /** The alarm thresholds drawn on the rates graph, when the route's alarms exist. */
  readonly thresholds?: { readonly fallbackRatePercent: number; readonly failureRatePercent: number };
}

const line = (namespace: string, metricName: RoutingMetricName, dimensions: Record<string, string>, stat: string, label: string, extra: Partial<MetricLine> = {}): MetricLine => ({ namespace, metricName, dimensions, stat, label, ...extra });

/** Share of calls served by each model: each model's calls over all of them, stacked to 100%. */
function shareGraph(r: RouteRowInput, width: number): DashboardWidget {
  const ids = r.candidates.map((_, i) => `m${i}`);
  const total = ids.map((id) => `FILL(${id}, 0)`).join(" + ");
  const lines: GraphLine[] = [
    ...r.candidates.map((model, i) => line(r.namespace, "Calls", { [D.task]: r.task, [D.model]: model }, "Sum", model, { id: ids[i], hidden: true })),
    ...r.candidates.map((model, i) => ({ expression: `100 * FILL(${ids[i]}, 0) / (${total})`, id: `s${i}`, label: model })),
  ];
  return { type: "graph", title: `${r.task}: share of calls by model (%)`, width, lines, stacked: true, yAxis: { left: { min: 0, max: 100, label: "%" } } };
}

/** Calls by how they ended. */
function outcomesGraph(r: RouteRowInput, width: number): DashboardWidget {
  return { type: "graph", title: `${r.task}: calls by outcome`, width, stacked: true, lines: CALL_OUTCOMES.map((o) => line(r.namespace, "Calls", { [D.task]: r.task, [D.outcome]: o }, "Sum", o)) };
}

/** Fallback and failure rates in percent (for a canaried route, its canary's calls alone too), with the alarm thresholds. */
function ratesGraph(r: RouteRowInput, width: number): DashboardWidget {
  const rate = (prefix: string, dimensions: Record<string, string>, who: string): GraphLine[] => [
    line(r.namespace, "Fallbacks", dimensions, "Average", `${who}fallbacks`, { id: `${prefix}fb`, hidden: true }),
    line(r.namespace, "Failures", dimensions, "Average", `${who}failures`, { id: `${prefix}fl`, hidden: true }),
    { expression: `100 * ${prefix}fb`, id: `${prefix}fbp`, label: `${who}fallback %` },
    { expression: `100 * ${prefix}fl`, id: `${prefix}flp`, label: `${who}failure %` },
  ];
  const lines = [...rate("r", { [D.task]: r.task }, ""), ...(r.route.canary ? rate("c", { [D.task]: r.task, [D.variant]: "canary" }, "canary ") : [])];
  const t = r.thresholds;
  return {
    type: "graph",
    title: `${r.task}: fallback and failure rate (%)`,
    width,
    lines,
    yAxis: { left: { min: 0, label: "%" } },
    ...(t ? { horizontal: [{ label: "fallback alarm", value: t.fallbackRatePercent }, { label: "failure alarm", value: t.failureRatePercent }] } : {}),
  };
}

/** End-to-end latency as the application saw it, and time to first token on streaming routes. */
function latencyGraph(r: RouteRowInput, width: number): DashboardWidget {
  const dims = { [D.task]: r.task };
  const ttft = r.route.streaming ? [line(r.namespace, "TimeToFirstTokenMs", dims, "p50", "first token p50"), line(r.namespace, "TimeToFirstTokenMs", dims, "p99", "first token p99")] : [];
  return { type: "graph", title: `${r.task}: latency as the application saw it (ms)`, width, lines: [line(r.namespace, "LatencyMs", dims, "p50", "p50"), line(r.namespace, "LatencyMs", dims, "p99", "p99"), ...ttft] };
}

/** Tokens in and out, and wire calls per call (retries and fallbacks) on the right axis. */
function tokensGraph(r: RouteRowInput, width: number): DashboardWidget {
  const dims = { [D.task]: r.task };
  return {
    type: "graph",
    title: `${r.task}: tokens, and attempts per call`,
    width,
    lines: [line(r.namespace, "InputTokens", dims, "Sum", "input tokens"), line(r.namespace, "OutputTokens", dims, "Sum", "output tokens"), line(r.namespace, "Attempts", dims, "Average", "attempts per call", { right: true })],
    yAxis: { right: { min: 0, label: "attempts" } },
  };
}

/** A canaried route's calls and p99 latency by variant. */
function variantGraph(r: RouteRowInput, width: number): DashboardWidget {
  const of = (variant: string) => ({ [D.task]: r.task, [D.variant]: variant });
  return {
    type: "graph",
    title: `${r.task}: primary vs canary (calls, p99 ms)`,
    width,
    lines: ["primary", "canary"].flatMap((v) => [line(r.namespace, "LatencyMs", of(v), "SampleCount", `${v} calls`), line(r.namespace, "LatencyMs", of(v), "p99", `${v} p99 ms`, { right: true })]),
    yAxis: { right: { min: 0, label: "ms" } },
  };
}

/** One route's row: five graphs, six with a canary. */
export function routeRow(r: RouteRowInput): DashboardRow {
  const widgets = r.route.canary
    ? [shareGraph(r, 4), outcomesGraph(r, 4), ratesGraph(r, 4), latencyGraph(r, 4), tokensGraph(r, 4), variantGraph(r, 4)]
    : [shareGraph(r, 5), outcomesGraph(r, 5), ratesGraph(r, 5), latencyGraph(r, 5), tokensGraph(r, 4)];
  return { key: `route ${r.task}`, section: routesSection(r.namespace), widgets };
}

/** The routes' rows of one region stack of a plan, in config order (none when `observability.routingDashboard` is off). */
export function regionRoutingRows(plan: BaselinePlan): DashboardRow[] {
  const c = plan.config;
  if (c.observability?.routingDashboard === false) return [];
  const namespace = c.metricsNamespace ?? DEFAULT_METRICS_NAMESPACE;
  const alarms = c.observability?.routeAlarms !== false;
  return Object.entries(c.routes).map(([task, route]) => routeRow({ namespace, task, route, candidates: routeCandidates(plan, task), ...(alarms ? { thresholds: routeThresholds(c.alarms, route) } : {}) }));
}
