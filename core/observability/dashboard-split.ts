import { DASHBOARD_BODY_BUDGET_BYTES, MAX_DASHBOARD_METRICS, MAX_DASHBOARD_WIDGET_METRICS, MAX_DASHBOARD_WIDGETS, names, partitionOf } from "../aws";
import { bodyOf, type DashboardRow, GRID_COLUMNS, layoutRows, renderBodyText, type TextWidget, widgetMetricCount, widgetProperties } from "./dashboard-rows";

/*
 * A region's rows go onto as few dashboards as CloudWatch's limits allow (core/aws/aws-limits.ts: widgets per body,
 * metrics per dashboard, the body budget), in order, a row never split: the first dashboard keeps the region's
 * dashboard name, the others add `-2`, `-3`. Each starts with a header saying what made it and linking its siblings
 * (PutDashboard's advice: a text widget saying the dashboard is made by a script,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html), and each section with a
 * heading where it starts on a dashboard.
 */

/** One dashboard of a region. */
export interface DashboardSpec {
  readonly name: string;
  readonly envName: string;
  /** Region the metrics are read from (the stack's region: cross-Region inference metrics land in the source region). */
  readonly region: string;
  /** Aggregation period of the graphs in seconds (a graph may set its own). */
  readonly periodSeconds: number;
  /** The region's dashboards, in order; this one is `siblings[index - 1]`. */
  readonly siblings: readonly string[];
  readonly index: number;
  readonly rows: readonly DashboardRow[];
}

/** What a dashboard holds, against CloudWatch's limits. */
export interface DashboardFigures {
  readonly widgets: number;
  readonly metrics: number;
  /** The most metrics one widget reads, and its title. */
  readonly widestWidget: { readonly metrics: number; readonly title: string };
  /** Body size in bytes, with every applied-quota value as long as a real one can be. */
  readonly bytes: number;
}

/** Stand-in for a rendered applied quota (a JSON number) when measuring: longer than any real value. */
const QUOTA_STAND_IN = "1000000000000000";
/** Bytes the header of a dashboard may take (its links to the siblings included). */
const HEADER_BUDGET_BYTES = 6_000;

/** The console link of a dashboard. */
function consoleUrl(region: string, name: string): string {
  const host = partitionOf(region) === "aws-us-gov" ? "console.amazonaws-us-gov.com" : `${region}.console.aws.amazon.com`;
  return `https://${host}/cloudwatch/home?region=${region}#dashboards/dashboard/${name}`;
}

/** The header of a dashboard: what made it, and links to the region's other dashboards. */
function header(spec: DashboardSpec): TextWidget {
  const of = spec.siblings.length > 1 ? ` (dashboard ${spec.index} of ${spec.siblings.length}: ${spec.siblings.map((n, i) => (i + 1 === spec.index ? `**${i + 1}**` : `[${i + 1}](${consoleUrl(spec.region, n)})`)).join(" · ")})` : "";
  return { type: "text", width: GRID_COLUMNS, height: 2, markdown: `## Bedrock access baseline: ${spec.envName} in ${spec.region}${of}\nMade by Terraform from the environment file (bedrock-access-baseline): edits made here are overwritten by the next deploy.` };
}

/** The rows with a heading wherever a section starts (the first row's included). */
function withHeadings(rows: readonly DashboardRow[]): Array<DashboardRow | TextWidget> {
  return rows.flatMap((row, i) => (i === 0 || rows[i - 1].section !== row.section ? [{ type: "text" as const, width: GRID_COLUMNS, markdown: `### ${row.section}` }, row] : [row]));
}

/** The dashboard body: header, then the rows, each section under its heading. */
export function dashboardBody(spec: DashboardSpec): Record<string, unknown> {
  return bodyOf(layoutRows([header(spec), ...withHeadings(spec.rows)]), spec.region, spec.periodSeconds);
}

/**
 * The body text as the dashboard resource gets it (see renderBodyText: `quotaValue` renders an applied quota,
 * `profileValue` a workload's application profile ARN).
 */
export function dashboardBodyText(spec: DashboardSpec, quotaValue: (modelId: string) => string | undefined = () => undefined, profileValue?: (workload: string, modelId: string) => string | undefined): string {
  return renderBodyText(dashboardBody(spec), quotaValue, profileValue);
}

/** What a dashboard holds against CloudWatch's limits (validation reports a dashboard beyond them). */
export function dashboardFigures(spec: DashboardSpec): DashboardFigures {
  const body = dashboardBody(spec);
  const graphs = spec.rows.flatMap((r) => r.widgets).filter((w) => w.type === "graph");
  const widest = graphs.reduce((a, w) => (widgetMetricCount(w) > a.metrics ? { metrics: widgetMetricCount(w), title: w.title } : a), { metrics: 0, title: "" });
  return {
    widgets: (body.widgets as unknown[]).length,
    metrics: graphs.reduce((n, w) => n + widgetMetricCount(w), 0),
    widestWidget: widest,
    bytes: new TextEncoder().encode(renderBodyText(body, () => QUOTA_STAND_IN)).length,
  };
}

/** A row's widgets, metrics and (generous) bytes, with the heading it brings when it starts a section. */
function rowCost(row: DashboardRow, heading: boolean, region: string, period: number): { widgets: number; metrics: number; bytes: number } {
  // Measured as rendered: an application profile's placeholder becomes an ARN, longer than the placeholder.
  const json = row.widgets.map((w) => new TextEncoder().encode(renderBodyText({ type: "metric", x: 24, y: 99999, width: 24, height: 6, properties: widgetProperties(w, region, period) }, () => QUOTA_STAND_IN)).length + 1);
  return {
    widgets: row.widgets.length + (heading ? 1 : 0),
    metrics: row.widgets.reduce((n, w) => n + widgetMetricCount(w), 0),
    bytes: json.reduce((a, b) => a + b, 0) + (heading ? 120 + row.section.length : 0),
  };
}

/**
 * The region's dashboards: rows in order, a new dashboard whenever the next row would pass a limit. A row that passes a
 * limit alone gets a dashboard of its own (validation names it: core/validation/rules/dashboard-limits.ts).
 */
export function splitDashboards(envName: string, region: string, periodSeconds: number, rows: readonly DashboardRow[]): DashboardSpec[] {
  const groups: DashboardRow[][] = [];
  let current: DashboardRow[] = [];
  let used = { widgets: 1, metrics: 0, bytes: HEADER_BUDGET_BYTES };
  for (const row of rows) {
    const last = current.at(-1);
    let cost = rowCost(row, !last || last.section !== row.section, region, periodSeconds);
    const over = used.widgets + cost.widgets > MAX_DASHBOARD_WIDGETS || used.metrics + cost.metrics > MAX_DASHBOARD_METRICS || used.bytes + cost.bytes > DASHBOARD_BODY_BUDGET_BYTES;
    if (current.length && over) {
      groups.push(current);
      current = [];
      used = { widgets: 1, metrics: 0, bytes: HEADER_BUDGET_BYTES };
      // On a new dashboard the row starts its section again: its heading comes with it.
      cost = rowCost(row, true, region, periodSeconds);
    }
    current.push(row);
    used = { widgets: used.widgets + cost.widgets, metrics: used.metrics + cost.metrics, bytes: used.bytes + cost.bytes };
  }
  if (current.length || groups.length === 0) groups.push(current);
  const siblings = groups.map((_, i) => names.dashboardPart(envName, region, i + 1));
  return groups.map((g, i) => ({ name: siblings[i], envName, region, periodSeconds, siblings, index: i + 1, rows: g }));
}

/** Why a dashboard passes CloudWatch's limits or the body budget (empty when it fits). */
export function dashboardLimitBreaches(spec: DashboardSpec): string[] {
  const f = dashboardFigures(spec);
  const out: string[] = [];
  if (f.widgets > MAX_DASHBOARD_WIDGETS) out.push(`dashboard ${spec.name} would have ${f.widgets} widgets; CloudWatch allows ${MAX_DASHBOARD_WIDGETS}`);
  if (f.metrics > MAX_DASHBOARD_METRICS) out.push(`dashboard ${spec.name} would read ${f.metrics} metrics; CloudWatch allows ${MAX_DASHBOARD_METRICS} per dashboard`);
  if (f.widestWidget.metrics > MAX_DASHBOARD_WIDGET_METRICS) out.push(`graph "${f.widestWidget.title}" of dashboard ${spec.name} would read ${f.widestWidget.metrics} metrics; CloudWatch allows ${MAX_DASHBOARD_WIDGET_METRICS} per graph`);
  if (f.bytes > DASHBOARD_BODY_BUDGET_BYTES) out.push(`dashboard ${spec.name} would be ${f.bytes} bytes; the baseline keeps a body under ${DASHBOARD_BODY_BUDGET_BYTES}`);
  return out;
}
