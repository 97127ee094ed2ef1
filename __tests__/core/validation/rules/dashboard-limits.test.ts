import { dashboardLimits } from "../../../../core/validation/rules/dashboard-limits";
import { catalogWith, HAIKU, NOVA } from "../../../fixtures";
import { ruleTable } from "./rule-table";

// A region's rows are split onto as many dashboards as CloudWatch's limits need (core/observability/dashboard-split.ts),
// so routes never break them; only a single row too large does: the per-model graphs draw 12 lines per model, and
// CloudWatch reads at most 2,500 metrics per dashboard.

/** `count` synthetic models offered through a us profile in us-east-1, their IDs padded by `pad` characters. */
function models(count: number, pad = 0) {
  const many = Array.from({ length: count }, (_, i) => ({ id: `a.m${i}${"x".repeat(pad)}`, regions: { "us-east-1": { geographies: ["us" as const] } } }));
  return { catalog: catalogWith(many), edit: (e: any) => e.models.push(...many.map((m) => ({ id: m.id }))) };
}

/** `count` routes, a canary on every tenth. */
const routes = (count: number) => (e: any) => {
  for (let i = 0; i < count; i++) e.routes[`task-${i}`] = { primary: HAIKU.modelId, fallbacks: [NOVA.modelId], maxTokens: 100, ...(i % 10 === 0 ? { canary: { model: NOVA.modelId, percent: 5 } } : {}) };
};

/**
 * Cost attribution: `workloads` workloads each calling every one of `count` synthetic models (and the two the base
 * environment has) through an application profile of its own; a per-model graph then sums each model's profiles.
 */
function profiled(count: number, workloads: number) {
  const m = models(count);
  return {
    catalog: m.catalog,
    edit: (e: any) => {
      m.edit(e);
      e.costAttribution = { enabled: true };
      const ids: string[] = e.models.map((x: { id: string }) => x.id);
      ids.forEach((id, i) => (e.routes[`task-${i}`] = { primary: id, maxTokens: 100 }));
      for (let w = 0; w < workloads; w++) e.workloads[`team-${w}`] = { routes: ids.map((_, i) => `task-${i}`), principals: ["arn:aws:iam::111111111111:role/batch-worker"] };
    },
  };
}

const longIds = models(150, 60); // 152 models with long IDs: 1,824 lines, but a body over the 256,000-byte budget
const tooMany = models(215); // 217 models: 2,604 lines

ruleTable(dashboardLimits, [
  { name: "a small environment", edit: () => {}, problems: [] },
  { name: "400 routes: split onto several dashboards, each within the limits", edit: routes(400), problems: [] },
  { name: "routes switched off the dashboard", edit: (e) => (routes(400)(e), (e.observability = { routingDashboard: false })), problems: [] },
  // 48 models through 10 profiles each: a graph of two metrics a model reads 1,056, drawn as three graphs (500 at most).
  { name: "cost attribution: 10 workloads calling each of 48 models, their graphs split within CloudWatch's limits", ...profiled(46, 10), problems: [] },
  {
    name: "152 models with long IDs: the per-model graphs alone pass the body budget",
    edit: longIds.edit,
    catalog: longIds.catalog,
    problems: [{ path: "models", message: /^dashboard bedrock-team-us-east-1 would be \d+ bytes; the baseline keeps a body under 256000 \(us-east-1\): the per-model graphs draw every model of the region$/ }],
  },
  {
    name: "217 models: the per-model graphs alone pass CloudWatch's metrics per dashboard",
    edit: tooMany.edit,
    catalog: tooMany.catalog,
    problems: [
      { path: "models", message: "dashboard bedrock-team-us-east-1 would read 2604 metrics; CloudWatch allows 2500 per dashboard (us-east-1): the per-model graphs draw every model of the region" },
      { path: "models", message: /^dashboard bedrock-team-us-east-1 would be \d+ bytes; the baseline keeps a body under 256000 \(us-east-1\): the per-model graphs draw every model of the region$/ },
    ],
  },
]);
