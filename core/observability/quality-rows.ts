import { type BaselinePlan, routeCandidates } from "../environment";
import { DEFAULT_METRICS_NAMESPACE, OUTCOME_REPORT, ROUTING_DIMENSIONS as D } from "../runtime";
import type { DashboardRow, DashboardWidget, GraphLine } from "./dashboard-rows";

/*
 * What the canary's bake is judged on besides health, drawn from the routing client's metrics
 * (core/runtime/routing-metrics.ts): each model's refusal rate per variant (the share of its answered calls that ended
 * in a refusal), and per route the task success rate and quality score applications report (router.reportOutcome) per
 * serving model and variant. Lines are the models and candidates known at synth, so every graph stays within
 * CloudWatch's metrics per graph; a canary a toggle starts on a route's fallback is drawn too (every candidate has its
 * canary line).
 */

/** Section of the quality rows. */
export const qualitySection = (namespace: string) => `Quality: refusals and reported outcomes per model and variant (routing client metrics, namespace ${namespace})`;

const VARIANTS = ["primary", "canary"] as const;
/** Models per refusal graph: 2 lines each, so a graph stays far below CloudWatch's metrics per graph and rows stay splittable. */
export const REFUSAL_MODELS_PER_GRAPH = 25;

/** A 0/1 metric's Average per series: the rate as a share (0-1), one line each. */
function shareLines(namespace: string, metricName: string, series: ReadonlyArray<{ label: string; dimensions: Record<string, string> }>): GraphLine[] {
  return series.map((s) => ({ namespace, metricName, dimensions: s.dimensions, stat: "Average", label: s.label }));
}

const SHARE_AXIS = { left: { min: 0, max: 1, label: "share" } } as const;

/** The refusal rate of some enabled models of the region, by variant. */
function refusalGraph(models: readonly string[], namespace: string, part: string): DashboardWidget {
  const series = models.flatMap((model) => VARIANTS.map((v) => ({ label: `${model} ${v}`, dimensions: { [D.model]: model, [D.variant]: v } })));
  return { type: "graph", title: `Refusal rate per model and variant (share of answered calls)${part}`, width: 24, lines: shareLines(namespace, "Refusals", series), yAxis: SHARE_AXIS };
}

/** A route's task success rate and mean quality score per candidate and variant. */
function routeQualityGraphs(namespace: string, task: string, candidates: readonly string[]): DashboardWidget[] {
  const series = candidates.flatMap((model) => VARIANTS.map((v) => ({ label: `${model} ${v}`, dimensions: { [D.task]: task, [D.model]: model, [D.variant]: v } })));
  return [
    { type: "graph", title: `${task}: task success rate per model and variant (share, reported by applications)`, width: 12, lines: shareLines(namespace, OUTCOME_REPORT.success, series), yAxis: SHARE_AXIS },
    { type: "graph", title: `${task}: quality score per model and variant (0-1, reported by applications)`, width: 12, lines: shareLines(namespace, OUTCOME_REPORT.score, series), yAxis: { left: { min: 0, max: 1 } } },
  ];
}

/** The quality rows of one region stack: refusals per model, then each route's reported quality (none when the routing dashboard is off). */
export function regionQualityRows(plan: BaselinePlan, region: string): DashboardRow[] {
  const c = plan.config;
  if (c.observability?.routingDashboard === false) return [];
  const namespace = c.metricsNamespace ?? DEFAULT_METRICS_NAMESPACE;
  const section = qualitySection(namespace);
  const models = Object.keys(plan.invocations[region]);
  const chunks = Array.from({ length: Math.ceil(models.length / REFUSAL_MODELS_PER_GRAPH) }, (_, i) => models.slice(i * REFUSAL_MODELS_PER_GRAPH, (i + 1) * REFUSAL_MODELS_PER_GRAPH));
  return [
    ...chunks.map((chunk, i): DashboardRow => ({ key: `refusals ${i + 1}`, section, widgets: [refusalGraph(chunk, namespace, chunks.length > 1 ? ` (${i + 1} of ${chunks.length})` : "")] })),
    ...Object.keys(c.routes).map((task): DashboardRow => ({ key: `quality ${task}`, section, widgets: routeQualityGraphs(namespace, task, routeCandidates(plan, task)) })),
  ];
}
