import { MAX_DASHBOARD_METRICS, MAX_DASHBOARD_WIDGET_METRICS, MAX_DASHBOARD_WIDGETS, DASHBOARD_BODY_BUDGET_BYTES } from "../../../core/aws";
import { routeCandidates } from "../../../core/environment";
import {
  dashboardBody,
  dashboardFigures,
  dashboardLimitBreaches,
  type ExpressionLine,
  type GraphWidget,
  type MetricLine,
  regionDashboardRows,
  regionDashboards,
  regionRoutingRows,
} from "../../../core/observability";
import { CALL_OUTCOMES } from "../../../core/runtime";
import { validateEnvironment } from "../../../core/validation";
import { largeEnvironment } from "../../../scripts/large-environment";
import { CATALOG, devPlan, prodPlan, TODAY, variant } from "../../fixtures";
import { clientMetrics, metricKey } from "./client-records";
import { evaluate } from "./metric-math";

// The routes' rows of a region's dashboards (core/observability/routing-rows.ts) and how a region's rows are split
// onto dashboards within CloudWatch's limits (core/observability/dashboard-split.ts).

const graphs = (rowWidgets: readonly unknown[]) => rowWidgets.filter((w): w is GraphWidget => (w as GraphWidget).type === "graph");
const metrics = (g: GraphWidget) => g.lines.filter((l): l is MetricLine => !("expression" in l));
const expressions = (g: GraphWidget) => g.lines.filter((l): l is ExpressionLine => "expression" in l);
const titled = (gs: GraphWidget[], suffix: string) => gs.find((g) => g.title.endsWith(suffix))!;

describe("a route's row", () => {
  const prod = prodPlan();
  const rows = regionRoutingRows(prod);

  it("one row per route, in the environment file's order", () => {
    expect(rows.map((r) => r.key)).toEqual(Object.keys(prod.config.routes).map((t) => `route ${t}`));
  });

  it("every line reads a metric the routing client writes (namespace, name and dimensions)", () => {
    for (const row of rows) {
      const task = row.key.slice("route ".length);
      const written = clientMetrics(prod.config.metricsNamespace, task, routeCandidates(prod, task));
      for (const g of graphs(row.widgets)) for (const m of metrics(g)) expect(written).toContain(metricKey(m.namespace, m.metricName, m.dimensions));
    }
  });

  it("the share by model: a line per candidate, adding up to 100% whatever the calls; idle models count 0", () => {
    const task = "code-review";
    const share = titled(graphs(rows.find((r) => r.key === `route ${task}`)!.widgets), "share of calls by model (%)");
    expect(metrics(share).map((m) => m.dimensions.Model)).toEqual(routeCandidates(prod, task));
    expect(share.stacked).toBe(true);
    for (const calls of [
      [90, 10],
      [0, 7],
      [3, undefined],
    ]) {
      const values = Object.fromEntries(metrics(share).map((m, i) => [m.id!, calls[i]]));
      const shares = expressions(share).map((e) => evaluate(e.expression, values)!);
      expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(100);
    }
    const values = Object.fromEntries(metrics(share).map((m, i) => [m.id!, [90, 10][i]]));
    expect(expressions(share).map((e) => evaluate(e.expression, values))).toEqual([90, 10]);
  });

  it("outcomes: every outcome the client can write, stacked", () => {
    const outcomes = titled(graphs(rows[0].widgets), "calls by outcome");
    expect(metrics(outcomes).map((m) => m.dimensions.Outcome)).toEqual([...CALL_OUTCOMES]);
  });

  it("rates in percent with the route's alarm thresholds drawn; a canaried route's canary rates too", () => {
    const plan = variant("prod", (c) => (c.routes["code-review"].alarms = { fallbackRatePercent: 30 }));
    const [plain, canaried] = ["summarization", "code-review"].map((t) => titled(graphs(regionRoutingRows(plan).find((r) => r.key === `route ${t}`)!.widgets), "fallback and failure rate (%)"));
    expect(expressions(plain).map((e) => e.label)).toEqual(["fallback %", "failure %"]);
    expect(evaluate(expressions(plain)[0].expression, { rfb: 0.12, rfl: 0 })).toBeCloseTo(12);
    expect(expressions(canaried).map((e) => e.label)).toEqual(["fallback %", "failure %", "canary fallback %", "canary failure %"]);
    expect(metrics(canaried).filter((m) => m.dimensions.Variant === "canary")).toHaveLength(2);
    expect(canaried.horizontal).toEqual([
      { label: "fallback alarm", value: 30 },
      { label: "failure alarm", value: plan.config.alarms.routeFailureRatePercent },
    ]);
    const noAlarms = regionRoutingRows(variant("prod", (c) => (c.observability = { routeAlarms: false })));
    expect(graphs(noAlarms[0].widgets).every((g) => g.horizontal === undefined)).toBe(true);
  });

  it("latency as the application saw it, time to first token on streaming routes, tokens and attempts per call", () => {
    const streaming = Object.entries(prod.config.routes).filter(([, r]) => r.streaming).map(([t]) => t);
    expect(streaming.length).toBeGreaterThan(0);
    for (const row of rows) {
      const task = row.key.slice("route ".length);
      const latency = titled(graphs(row.widgets), "latency as the application saw it (ms)");
      expect(metrics(latency).map((m) => `${m.metricName} ${m.stat}`)).toEqual(["LatencyMs p50", "LatencyMs p99", ...(streaming.includes(task) ? ["TimeToFirstTokenMs p50", "TimeToFirstTokenMs p99"] : [])]);
      const tokens = titled(graphs(row.widgets), "tokens, and attempts per call");
      expect(metrics(tokens).map((m) => `${m.metricName} ${m.stat}${m.right ? " right" : ""}`)).toEqual(["InputTokens Sum", "OutputTokens Sum", "Attempts Average right"]);
    }
  });

  it("a canaried route gets a sixth graph, primary vs canary; the row fills the grid's 24 columns", () => {
    for (const row of rows) {
      const canaried = prod.config.routes[row.key.slice("route ".length)].canary !== undefined;
      expect(row.widgets).toHaveLength(canaried ? 6 : 5);
      expect(row.widgets.reduce((n, w) => n + w.width, 0)).toBe(24);
      if (canaried) expect(metrics(titled(graphs(row.widgets), "primary vs canary (calls, p99 ms)")).map((m) => m.dimensions.Variant)).toEqual(["primary", "primary", "canary", "canary"]);
    }
  });

  it("observability.routingDashboard false: no routes' rows, the models' stay", () => {
    const plan = variant("dev", (c) => (c.observability = { routingDashboard: false }));
    expect(regionRoutingRows(plan)).toEqual([]);
    expect(regionDashboardRows(plan, "us-east-1").map((r) => r.key)).toEqual(["models"]);
  });
});

describe("a region's dashboards", () => {
  it("the fixture environments fit one dashboard named like the region's, header first, every row under its section", () => {
    for (const plan of [devPlan(), prodPlan()]) {
      const region = plan.config.regions[0];
      const [only, ...more] = regionDashboards(plan, region);
      expect(more).toEqual([]);
      expect(only.name).toBe(`bedrock-${plan.config.name}-${region}`);
      const body = dashboardBody(only) as { widgets: any[] };
      expect(body.widgets[0]).toMatchObject({ type: "text", x: 0, y: 0, width: 24 });
      expect(body.widgets[0].properties.markdown).toMatch(/^## Bedrock access baseline: .* in .*\nMade by Terraform/);
      const headings = body.widgets.filter((w) => w.type === "text").map((w) => w.properties.markdown).slice(1);
      expect(headings.map((h) => h.replace(/ \(.*$|:.*$/, ""))).toEqual(plan.config.routes["code-review"]?.canary ? ["### Models", "### Canaries", "### Routes", "### Quality"] : ["### Models", "### Routes", "### Quality"]);
      expect(dashboardLimitBreaches(only)).toEqual([]);
    }
  });

  it("the largest supported environment (200 routes x 30 models) is split onto several dashboards, each within the limits, no row lost or repeated", () => {
    const raw = largeEnvironment({ routes: 200, models: 30, workloads: 0 });
    const plan = validateEnvironment(raw, "large.json", { catalog: CATALOG, today: TODAY, expectedName: "large" });
    const rows = regionDashboardRows(plan, "us-east-1");
    const dashboards = regionDashboards(plan, "us-east-1");
    expect(dashboards.length).toBeGreaterThan(1);
    expect(dashboards.map((d) => d.name)).toEqual(dashboards.map((_, i) => (i === 0 ? "bedrock-large-us-east-1" : `bedrock-large-us-east-1-${i + 1}`)));
    expect(dashboards.flatMap((d) => d.rows.map((r) => r.key))).toEqual(rows.map((r) => r.key));
    for (const d of dashboards) {
      const f = dashboardFigures(d);
      expect(f.widgets).toBeLessThanOrEqual(MAX_DASHBOARD_WIDGETS);
      expect(f.metrics).toBeLessThanOrEqual(MAX_DASHBOARD_METRICS);
      expect(f.widestWidget.metrics).toBeLessThanOrEqual(MAX_DASHBOARD_WIDGET_METRICS);
      expect(f.bytes).toBeLessThanOrEqual(DASHBOARD_BODY_BUDGET_BYTES);
      // Each header links every other dashboard of the region.
      const header = (dashboardBody(d) as { widgets: any[] }).widgets[0].properties.markdown as string;
      for (const other of dashboards.filter((o) => o !== d)) expect(header).toContain(`#dashboards/dashboard/${other.name})`);
      expect(header).toContain(`dashboard ${d.index} of ${dashboards.length}`);
    }
  });

  it("widgets never overlap and stay within the grid's 24 columns", () => {
    for (const d of regionDashboards(prodPlan(), "us-east-1")) {
      const ws = (dashboardBody(d) as { widgets: Array<{ x: number; y: number; width: number; height: number }> }).widgets;
      for (const w of ws) expect(w.x + w.width).toBeLessThanOrEqual(24);
      for (let i = 0; i < ws.length; i++)
        for (let j = i + 1; j < ws.length; j++) {
          const [a, b] = [ws[i], ws[j]];
          expect(a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y).toBe(true);
        }
    }
  });
});
