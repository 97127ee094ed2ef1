import { CloudwatchDashboard } from "./provider-aws";
import { Construct } from "constructs";
import { Invocation } from "../core/aws";
import { QUOTA_USAGE_ALARM } from "../core/observability";
import { BEDROCK_NAMESPACE, modelDimensions } from "./bedrock-metrics";
import type { TpmQuotas } from "./tpm-quotas";
import type { BaselinePlan } from "../core/environment";

/** Properties of a ModelDashboard. */
export interface ModelDashboardProps {
  /** Dashboard name. */
  readonly dashboardName: string;
  /** Region the metrics are read from (the stack's region: CRIS metrics land in the source region). */
  readonly region: string;
  /** The models to chart, one line each per widget. */
  readonly invocations: readonly Invocation[];
  /** Aggregation period of the graphs in seconds. Default: 300. */
  readonly periodSeconds?: number;
  /** The applied TPM quotas read at plan time, drawn as a line per model on the quota-usage graph. Default: none. */
  readonly quotas?: TpmQuotas;
  /** Routes with a canary: a row per route compares primary and canary (latency, errors, tokens). Default: none. */
  readonly canaries?: readonly CanaryComparison[];
}

/** A route whose canary the dashboard sets beside its primary. */
export interface CanaryComparison {
  readonly task: string;
  readonly primary: Invocation;
  readonly canary: Invocation;
}

/** The canaried routes of a plan in a region, in config order (each route's primary and canary as invoked there). */
export function canaryComparisons(plan: BaselinePlan, region: string): CanaryComparison[] {
  const inv = plan.invocations[region];
  return Object.entries(plan.config.routes).flatMap(([task, r]) =>
    r.canary && Object.hasOwn(inv, r.primary) && Object.hasOwn(inv, r.canary.model) ? [{ task, primary: inv[r.primary], canary: inv[r.canary.model] }] : [],
  );
}

/** What the body is built from: the props, with each model's applied quota as the value its annotation shows. */
export interface DashboardBodyInput extends Omit<ModelDashboardProps, "dashboardName" | "quotas"> {
  /** Foundation-model ID -> the annotation value of its applied TPM quota. Default: no quota lines. */
  readonly quotaValues?: ReadonlyMap<string, number | string>;
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

/** The graphs on the dashboard. */
export const DASHBOARD_WIDGETS: readonly WidgetSpec[] = [
  { title: "Invocations", metrics: [{ metricName: "Invocations", stat: "Sum", label: "invocations" }] },
  {
    title: "Tokens",
    metrics: [
      { metricName: "InputTokenCount", stat: "Sum", label: "input" },
      { metricName: "OutputTokenCount", stat: "Sum", label: "output" },
    ],
  },
  {
    title: "Latency (ms, request to last token)",
    metrics: [
      { metricName: "InvocationLatency", stat: "p50", label: "p50" },
      { metricName: "InvocationLatency", stat: "p99", label: "p99" },
    ],
  },
  { title: "Throttles", metrics: [{ metricName: "InvocationThrottles", stat: "Sum", label: "throttles" }] },
  {
    title: "Errors",
    metrics: [
      { metricName: "InvocationServerErrors", stat: "Sum", label: "server" },
      { metricName: "InvocationClientErrors", stat: "Sum", label: "client" },
    ],
  },
  { title: "Legacy model invocations", metrics: [{ metricName: "LegacyModelInvocations", stat: "Sum", label: "legacy" }] },
  {
    // Per minute, the quota's unit: the same statistic and period as the quota-usage alarm.
    title: "Estimated TPM quota usage (tokens per minute) against the applied quota",
    metrics: [{ metricName: QUOTA_USAGE_ALARM.metricName, stat: QUOTA_USAGE_ALARM.statistic, label: "estimated usage" }],
    period: QUOTA_USAGE_ALARM.periodSeconds,
    quotaLines: true,
  },
  {
    title: "Time to first token (ms, streaming calls)",
    metrics: [
      { metricName: "TimeToFirstToken", stat: "p50", label: "p50" },
      { metricName: "TimeToFirstToken", stat: "p90", label: "p90" },
    ],
  },
];

/**
 * The graphs of a canary row: the same Bedrock metrics for the route's primary and canary side by side. They are the
 * models' own metrics (all routes' calls of each model); the client's EMF records split them by task and variant.
 */
export const CANARY_WIDGETS: readonly WidgetSpec[] = [
  {
    title: "latency (ms)",
    metrics: [
      { metricName: "InvocationLatency", stat: "p50", label: "p50" },
      { metricName: "InvocationLatency", stat: "p99", label: "p99" },
    ],
  },
  {
    title: "errors and throttles",
    metrics: [
      { metricName: "InvocationServerErrors", stat: "Sum", label: "server errors" },
      { metricName: "InvocationClientErrors", stat: "Sum", label: "client errors" },
      { metricName: "InvocationThrottles", stat: "Sum", label: "throttles" },
    ],
  },
  {
    title: "tokens",
    metrics: [
      { metricName: "InputTokenCount", stat: "Sum", label: "input" },
      { metricName: "OutputTokenCount", stat: "Sum", label: "output" },
    ],
  },
];

/** The dashboard body (CloudWatch dashboard JSON) for the given models. */
export function dashboardBody(props: DashboardBodyInput): Record<string, unknown> {
  const period = props.periodSeconds ?? 300;
  const width = 12;
  const height = 6;
  const lines = (w: WidgetSpec, models: ReadonlyArray<{ readonly inv: Invocation; readonly prefix: string }>) =>
    models.flatMap(({ inv, prefix }) =>
      w.metrics.map((m) => [BEDROCK_NAMESPACE, m.metricName, ...Object.entries(modelDimensions(inv)).flat(), { stat: m.stat, label: `${prefix}${inv.invokeId} ${m.label}` }]),
    );
  const canaryTop = Math.ceil(DASHBOARD_WIDGETS.length / 2) * height;
  const canaryWidth = 24 / CANARY_WIDGETS.length;
  return {
    widgets: [
      ...DASHBOARD_WIDGETS.map((w, i) => ({
        type: "metric",
        x: (i % 2) * width,
        y: Math.floor(i / 2) * height,
        width,
        height,
        properties: {
          title: w.title,
          region: props.region,
          view: "timeSeries",
          stacked: false,
          period: w.period ?? period,
          ...(w.quotaLines ? quotaAnnotations(props) : {}),
          metrics: lines(w, props.invocations.map((inv) => ({ inv, prefix: "" }))),
        },
      })),
      // One row per canaried route, below the per-model graphs.
      ...(props.canaries ?? []).flatMap((c, row) =>
        CANARY_WIDGETS.map((w, i) => ({
          type: "metric",
          x: i * canaryWidth,
          y: canaryTop + row * height,
          width: canaryWidth,
          height,
          properties: {
            title: `Canary on ${c.task}: ${w.title}, primary vs canary`,
            region: props.region,
            view: "timeSeries",
            stacked: false,
            period,
            metrics: lines(w, [
              { inv: c.primary, prefix: "primary " },
              { inv: c.canary, prefix: "canary " },
            ]),
          },
        })),
      ),
    ],
  };
}

function quotaAnnotations(props: DashboardBodyInput): Record<string, unknown> {
  const horizontal = props.invocations.flatMap((inv) => {
    const value = props.quotaValues?.get(inv.modelId);
    return value === undefined ? [] : [{ label: `${inv.invokeId} applied TPM quota`, value }];
  });
  return horizontal.length ? { annotations: { horizontal } } : {};
}

/**
 * The body as the dashboard resource gets it: the applied quotas are Terraform interpolations of the Service Quotas data
 * sources, written unquoted into the JSON text so that Terraform renders a bare number there (an annotation value must be
 * a JSON number). They go in through placeholders after JSON.stringify, which would quote them; model IDs are
 * validated (no quotes or `@`), so a placeholder cannot collide with any other string of the body.
 */
export function dashboardBodyText(props: ModelDashboardProps): string {
  const interpolations = new Map<string, string>();
  const quotaValues = new Map<string, string>();
  for (const inv of props.invocations) {
    const value = props.quotas?.appliedInterpolation(inv.modelId);
    if (value === undefined) continue;
    const placeholder = `@applied-quota:${inv.modelId}@`;
    interpolations.set(JSON.stringify(placeholder), value);
    quotaValues.set(inv.modelId, placeholder);
  }
  let text = JSON.stringify(dashboardBody({ ...props, quotaValues }));
  for (const [quoted, value] of interpolations) text = text.split(quoted).join(value);
  return text;
}

/** A CloudWatch dashboard with invocations, tokens, latency, throttles, errors, quota usage and time to first token per model, and a primary-vs-canary row per canaried route. */
export class ModelDashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: ModelDashboardProps) {
    super(scope, id);
    this.dashboard = new CloudwatchDashboard(this, "dashboard", {
      dashboardName: props.dashboardName,
      dashboardBody: dashboardBodyText(props),
    });
  }
}
