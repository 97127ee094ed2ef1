import { alarmRecipients } from "../../../../core/validation/rules/alarm-recipients";
import { ruleTable } from "./rule-table";

ruleTable(alarmRecipients, [
  { name: "an alarm email", edit: () => {}, problems: [] },
  { name: "budget emails only", edit: (e) => ((e.alarms.emails = []), (e.budget.emails = ["finance@example.com"])), problems: [] },
  { name: "nobody", edit: (e) => (e.alarms.emails = []), problems: [{ path: "alarms.emails", message: "no one is notified of alarms or budget alerts", severity: "warning" }] },
]);
