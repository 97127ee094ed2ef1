/*
 * A region's dashboards as a list of rows computed in core (core/observability/dashboard.ts) and laid out here: each
 * row is a set of graphs that belong together (a route's calls, a canary's comparison, the models' Bedrock metrics),
 * flowing left to right on CloudWatch's 24-column grid and wrapping; a new section gets a header. A feature that adds
 * graphs appends rows; the rows are then split into as many dashboards as CloudWatch's limits need
 * (core/observability/dashboard-split.ts). Rendered as the dashboard body JSON
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html).
 */

/** One metric drawn (or read by an expression) in a graph. */
export interface MetricLine {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** Statistic: Sum, Average, SampleCount, Maximum, p50, p99, ... */
  readonly stat: string;
  readonly label: string;
  /** Its ID, when an expression reads it (lowercase letter first, unique in the graph). */
  readonly id?: string;
  /** Read by an expression but not drawn. Default: drawn. */
  readonly hidden?: boolean;
  /** Drawn against the right axis. Default: left. */
  readonly right?: boolean;
}

/** A metric-math expression over the graph's metric IDs (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html). */
export interface ExpressionLine {
  readonly expression: string;
  readonly id: string;
  readonly label: string;
  readonly right?: boolean;
}

export type GraphLine = MetricLine | ExpressionLine;

/** A horizontal line's value: a number, or a model's applied tokens-per-minute quota (read when Terraform plans). */
export type AnnotationValue = number | { readonly appliedQuotaOf: string };

/** A graph: its lines over time. */
export interface GraphWidget {
  readonly type: "graph";
  readonly title: string;
  /** Columns of the 24-column grid. */
  readonly width: number;
  readonly lines: readonly GraphLine[];
  /** Stacked areas instead of lines. Default: false. */
  readonly stacked?: boolean;
  /** Its own aggregation period (seconds) instead of the dashboard's. */
  readonly period?: number;
  /** Axis labels and bounds. Default: CloudWatch's. */
  readonly yAxis?: { readonly left?: AxisSpec; readonly right?: AxisSpec };
  /** Horizontal lines (thresholds, quotas). Default: none. */
  readonly horizontal?: ReadonlyArray<{ readonly label: string; readonly value: AnnotationValue }>;
}

/** One vertical axis. */
export interface AxisSpec {
  readonly label?: string;
  readonly min?: number;
  readonly max?: number;
}

/** Markdown text (headers, notes). */
export interface TextWidget {
  readonly type: "text";
  readonly markdown: string;
  readonly width: number;
  /** Rows of the grid. Default: 1. */
  readonly height?: number;
}

export type DashboardWidget = GraphWidget | TextWidget;

/** A set of widgets laid out together, never split across dashboards. */
export interface DashboardRow {
  /** What the row shows, unique in the region (`route summarization`), for messages and tests. */
  readonly key: string;
  /** The section it belongs to: a header names a section where it starts on a dashboard. */
  readonly section: string;
  readonly widgets: readonly DashboardWidget[];
}

/** Grid rows of a graph. */
export const GRAPH_HEIGHT = 6;
/** Columns of CloudWatch's dashboard grid. */
export const GRID_COLUMNS = 24;

const isExpression = (l: GraphLine): l is ExpressionLine => "expression" in l;

/** The number of lines a widget asks CloudWatch for: metrics and expressions alike (the limits count metrics; expressions are counted too, to stay on the safe side). */
export function widgetMetricCount(w: DashboardWidget): number {
  return w.type === "graph" ? w.lines.length : 0;
}

/** A graph line in dashboard JSON: `[namespace, metric, dim, value, ..., {options}]` or `[{expression, ...}]`. */
function lineJson(l: GraphLine): unknown[] {
  const axis = l.right ? { yAxis: "right" } : {};
  if (isExpression(l)) return [{ expression: l.expression, id: l.id, label: l.label, ...axis }];
  // A hidden line is read by an expression only: its label would never show.
  return [l.namespace, l.metricName, ...Object.entries(l.dimensions).flat(), { stat: l.stat, ...(l.hidden ? {} : { label: l.label }), ...(l.id ? { id: l.id } : {}), ...(l.hidden ? { visible: false } : {}), ...axis }];
}

/** A placeholder a quota annotation stands in with until the body text is rendered (model IDs cannot contain "@"). */
export const quotaPlaceholder = (modelId: string) => `@applied-quota:${modelId}@`;

/**
 * A placeholder a workload's application profile ARN (a `ModelId` dimension value) stands in with until the body text is
 * rendered: the ARN exists after apply (a Terraform reference in a stack). Workload names and model IDs contain no "@"
 * or "|".
 */
export const profilePlaceholder = (workload: string, modelId: string) => `@profile:${workload}|${modelId}@`;

/** Stand-in for an application profile ARN when measuring: as long as a real one. */
export const PROFILE_ARN_STAND_IN = "arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:application-inference-profile/abcdefghijkl";

/** One widget's `properties`, in dashboard JSON. */
export function widgetProperties(w: DashboardWidget, region: string, period: number): Record<string, unknown> {
  if (w.type === "text") return { markdown: w.markdown };
  const annotations = w.horizontal?.length ? { annotations: { horizontal: w.horizontal.map((h) => ({ label: h.label, value: typeof h.value === "number" ? h.value : quotaPlaceholder(h.value.appliedQuotaOf) })) } } : {};
  return {
    title: w.title,
    region,
    view: "timeSeries",
    stacked: w.stacked ?? false,
    period: w.period ?? period,
    ...(w.yAxis ? { yAxis: w.yAxis } : {}),
    ...annotations,
    metrics: w.lines.map(lineJson),
  };
}

/** A widget placed on the grid. */
export interface PlacedWidget {
  readonly widget: DashboardWidget;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Lays rows out top to bottom: each starts on a new line, its widgets flow left to right and wrap at 24 columns. */
export function layoutRows(rows: ReadonlyArray<DashboardRow | TextWidget>): PlacedWidget[] {
  const placed: PlacedWidget[] = [];
  let top = 0;
  for (const row of rows) {
    const widgets = "widgets" in row ? row.widgets : [row];
    let x = 0;
    let y = top;
    let lineHeight = 0;
    for (const w of widgets) {
      const width = Math.min(GRID_COLUMNS, Math.max(1, w.width));
      const height = w.type === "graph" ? GRAPH_HEIGHT : (w.height ?? 1);
      if (x + width > GRID_COLUMNS) {
        y += lineHeight;
        x = 0;
        lineHeight = 0;
      }
      placed.push({ widget: w, x, y, width, height });
      x += width;
      lineHeight = Math.max(lineHeight, height);
    }
    top = y + lineHeight;
  }
  return placed;
}

/** The dashboard body (CloudWatch dashboard JSON) of placed widgets. */
export function bodyOf(placed: readonly PlacedWidget[], region: string, period: number): Record<string, unknown> {
  return {
    widgets: placed.map((p) => ({ type: p.widget.type === "text" ? "text" : "metric", x: p.x, y: p.y, width: p.width, height: p.height, properties: widgetProperties(p.widget, region, period) })),
  };
}

/**
 * The body as the dashboard resource gets it, with each model's applied quota as `quotaValue` gives it (a Terraform
 * interpolation of the Service Quotas data source in a stack), written unquoted into the JSON text so that Terraform
 * renders a bare number there (an annotation value must be a JSON number). The values go in through placeholders after
 * JSON.stringify, which would quote them; model IDs are validated (no quotes or `@`), so a placeholder cannot collide
 * with any other string of the body. The rows draw a quota line only for models whose quota is read (a known code).
 */
export function renderBodyText(
  body: Record<string, unknown>,
  quotaValue: (modelId: string) => string | undefined,
  profileValue: (workload: string, modelId: string) => string | undefined = () => PROFILE_ARN_STAND_IN,
): string {
  return JSON.stringify(body)
    .replace(/"@applied-quota:([^"@]+)@"/g, (_whole, modelId: string) => {
      const value = quotaValue(modelId);
      if (value === undefined) throw new Error(`the dashboard draws the applied quota of ${modelId}, which the stack does not read`);
      return value;
    })
    .replace(/"@profile:([^"@|]+)\|([^"@]+)@"/g, (_whole, workload: string, modelId: string) => {
      const arn = profileValue(workload, modelId);
      if (arn === undefined) throw new Error(`the dashboard reads the application profile of ${workload} and ${modelId}, which the stack does not create`);
      return JSON.stringify(arn);
    });
}

/** Items in runs, in order, whose weights (`weightOf` each) add up to at most `capacity`; an item heavier alone runs alone. */
export function packInOrder<T>(items: readonly T[], weightOf: (item: T) => number, capacity: number): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let used = 0;
  for (const item of items) {
    const weight = weightOf(item);
    if (current.length && used + weight > capacity) {
      out.push(current);
      current = [];
      used = 0;
    }
    current.push(item);
    used += weight;
  }
  if (current.length) out.push(current);
  return out;
}
