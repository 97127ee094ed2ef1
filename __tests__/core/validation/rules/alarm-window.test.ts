import { alarmWindow } from "../../../../core/validation/rules/alarm-window";
import { ruleTable } from "./rule-table";

ruleTable(alarmWindow, [
  { name: "the defaults (one period of 5 minutes)", edit: () => {}, problems: [] },
  { name: "exactly one day", edit: (e) => Object.assign(e.alarms, { periodSeconds: 3600, evaluationPeriods: 24 }), problems: [] },
  {
    name: "more than one day",
    edit: (e) => Object.assign(e.alarms, { periodSeconds: 3600, evaluationPeriods: 25 }),
    problems: [{ path: "alarms.evaluationPeriods", message: "25 periods of 3600 s is 90000 s; CloudWatch evaluates at most 86400 s (one day)" }],
  },
]);
