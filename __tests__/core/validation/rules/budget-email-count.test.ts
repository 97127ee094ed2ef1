import { budgetEmailCount } from "../../../../core/validation/rules/budget-email-count";
import { ruleTable } from "./rule-table";

const emails = (n: number) => Array.from({ length: n }, (_, i) => `a${i}@example.com`);

ruleTable(budgetEmailCount, [
  { name: "ten alarm emails (budget alerts default to them)", edit: (e) => (e.alarms.emails = emails(10)), problems: [] },
  { name: "eleven alarm emails but ten budget emails", edit: (e) => ((e.alarms.emails = emails(11)), (e.budget.emails = emails(10))), problems: [] },
  { name: "eleven alarm emails and no budget emails", edit: (e) => (e.alarms.emails = emails(11)), problems: [{ path: "alarms.emails", message: "budget alerts would email 11 addresses; AWS Budgets allows 10 per notification" }] },
]);
