import { CloudwatchDashboard } from "./provider-aws";
import { Construct } from "constructs";
import { Invocation } from "../core/inference";
import { BEDROCK_NAMESPACE, modelDimensions } from "./bedrock-metrics";

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
}

/** One graph: a title and the metrics (with statistic) drawn per model. */
interface WidgetSpec {
  readonly title: string;
  readonly metrics: ReadonlyArray<{ readonly metricName: string; readonly stat: string; readonly label: string }>;
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
];

/** The dashboard body (CloudWatch dashboard JSON) for the given models. */
export function dashboardBody(props: ModelDashboardProps): Record<string, unknown> {
  const period = props.periodSeconds ?? 300;
  const width = 12;
  const height = 6;
  return {
    widgets: DASHBOARD_WIDGETS.map((w, i) => ({
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
        period,
        metrics: props.invocations.flatMap((inv) =>
          w.metrics.map((m) => [
            BEDROCK_NAMESPACE,
            m.metricName,
            ...Object.entries(modelDimensions(inv)).flat(),
            { stat: m.stat, label: `${inv.invokeId} ${m.label}` },
          ]),
        ),
      },
    })),
  };
}

/** A CloudWatch dashboard with invocations, tokens, latency, throttles and errors per model. */
export class ModelDashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: ModelDashboardProps) {
    super(scope, id);
    this.dashboard = new CloudwatchDashboard(this, "dashboard", {
      dashboardName: props.dashboardName,
      dashboardBody: JSON.stringify(dashboardBody(props)),
    });
  }
}
