import { rollbackAlarmLimits } from "../../../../core/validation/rules/rollback-alarm-limits";
import { catalogWith } from "../../../fixtures";
import { ruleTable } from "./rule-table";

/** `count` synthetic models offered through a us profile in us-east-1, with IDs as short as can be, padded by `pad`. */
function models(count: number, pad = 0) {
  const many = Array.from({ length: count }, (_, i) => ({ id: `a.m${i}${"x".repeat(pad)}`, regions: { "us-east-1": { geographies: ["us" as const] } } }));
  return { catalog: catalogWith(many), edit: (e: any) => e.models.push(...many.map((m) => ({ id: m.id }))) };
}

const fifty = models(48); // 2 + 48 = 50 models: 100 children
const fiftyOne = models(49); // 102 children
const long = models(28, 100); // 60 children with long names

ruleTable(rollbackAlarmLimits, [
  { name: "two models (4 children)", edit: () => {}, problems: [] },
  { name: "exactly 100 children with short names", edit: fifty.edit, catalog: fifty.catalog, problems: [] },
  { name: "more than 100 children", edit: fiftyOne.edit, catalog: fiftyOne.catalog, problems: [{ path: "models", message: "the rollback alarm for us-east-1 would watch 102 alarms; CloudWatch allows 100" }] },
  { name: "a rule over 10,240 characters with few children", edit: long.edit, catalog: long.catalog, problems: [{ path: "models", message: /^the rollback alarm rule for us-east-1 would be \d+ characters; CloudWatch allows 10240$/ }] },
]);
