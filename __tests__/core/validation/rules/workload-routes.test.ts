import { workloadRoutes } from "../../../../core/validation/rules/workload-routes";
import { ruleTable } from "./rule-table";

ruleTable(workloadRoutes, [
  { name: "workloads name declared routes", edit: () => {}, problems: [] },
  { name: "a route of a malformed name is still a route", edit: (e) => ((e.routes.Chat = e.routes.chat), (e.workloads.assistant.routes = ["Chat"])), problems: [] },
  { name: "an unknown route", edit: (e) => (e.workloads.assistant.routes = ["chat", "translate"]), problems: [{ path: "workloads.assistant.routes[1]", message: 'unknown route "translate"' }] },
]);
