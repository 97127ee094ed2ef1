import { routeLatencyBudget } from "../../../../core/validation/rules/route-latency-budget";
import { ruleTable } from "./rule-table";

ruleTable(routeLatencyBudget, [
  { name: "no budget (the default)", edit: () => {}, problems: [] },
  { name: "a deadline only", edit: (e) => (e.routes.chat.deadlineMs = 20_000), problems: [] },
  { name: "a queue budget only", edit: (e) => (e.routes.chat.maxQueueMs = 0), problems: [] },
  { name: "both, the queue budget below the deadline", edit: (e) => Object.assign(e.routes.chat, { deadlineMs: 20_000, maxQueueMs: 2_000 }), problems: [] },
  {
    name: "a queue budget as long as the deadline",
    edit: (e) => Object.assign(e.routes.summarize, { deadlineMs: 5_000, maxQueueMs: 5_000 }),
    problems: [{ path: "routes.summarize.maxQueueMs", message: "is 5000 ms, not below the route's deadlineMs (5000 ms): a call could spend its whole deadline waiting and never be sent" }],
  },
  {
    name: "a deadline no model answers within",
    edit: (e) => (e.routes.chat.deadlineMs = 200),
    problems: [{ path: "routes.chat.deadlineMs", message: /^is 200 ms: few model calls complete that fast/, severity: "warning" }],
  },
]);
