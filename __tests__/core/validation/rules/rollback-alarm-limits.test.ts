import { rollbackAlarmLimits } from "../../../../core/validation/rules/rollback-alarm-limits";
import { catalogWith } from "../../../fixtures";
import { ruleTable } from "./rule-table";

// The rule checks the layout core/observability/rollback-alarm.ts makes: members directly under the rollback alarm
// while they fit one rule, else in parts. A layout that cannot be created needs more than 100 parts (over 10,000
// members: here 3,334 canaried routes, three members each, and the canary model's refusal-rate alarm); the layout's own cases are in __tests__/core/observability/rollback-alarm.test.ts.

/** `count` synthetic models offered through a us profile in us-east-1, with IDs as short as can be, padded by `pad`. */
function models(count: number, pad = 0) {
  const many = Array.from({ length: count }, (_, i) => ({ id: `a.m${i}${"x".repeat(pad)}`, regions: { "us-east-1": { geographies: ["us" as const] } } }));
  return { catalog: catalogWith(many), edit: (e: any) => e.models.push(...many.map((m) => ({ id: m.id }))) };
}

const fifty = models(48); // 2 + 48 = 50 models: 100 children
const fiftyOne = models(49); // 102 children: two parts
const long = models(28, 100); // 60 children with long names: over 10,240 characters, two parts
const canaried = (e: any) => (e.routes.chat.canary = { model: e.routes.summarize.primary, percent: 10 }); // + 2 route alarms
/** `count` more routes with a canary: three rollback members each (two rate alarms, the canary-quality alarm). */
const canariedRoutes = (count: number) => (e: any) => {
  for (let i = 0; i < count; i++) e.routes[`r${i}`] = { primary: e.routes.chat.primary, maxTokens: 100, canary: { model: e.routes.summarize.primary, percent: 10 } };
};

ruleTable(rollbackAlarmLimits, [
  { name: "two models (4 children)", edit: () => {}, problems: [] },
  { name: "exactly 100 children with short names", edit: fifty.edit, catalog: fifty.catalog, problems: [] },
  { name: "more than 100 children: split into parts, each within the limits", edit: fiftyOne.edit, catalog: fiftyOne.catalog, problems: [] },
  { name: "a rule over 10,240 characters with few children: split into parts", edit: long.edit, catalog: long.catalog, problems: [] },
  { name: "100 model children and a canaried route's rate, quality and refusal alarms", edit: (e) => (fifty.edit(e), canaried(e)), catalog: fifty.catalog, problems: [] },
  { name: "over 10,000 members: more parts than the rollback alarm can name", edit: canariedRoutes(3_334), problems: [{ path: "models", message: "the rollback alarm would watch 101 alarms; CloudWatch allows 100 (us-east-1)" }] },
]);
