import { routesDeclared } from "../../../../core/validation/rules/routes-declared";
import { ruleTable } from "./rule-table";

ruleTable(routesDeclared, [
  { name: "two routes", edit: () => {}, problems: [] },
  { name: "routes missing (the section's own problem)", edit: (e) => delete e.routes, problems: [] },
  { name: "an empty routes object", edit: (e) => ((e.routes = {}), (e.workloads = {})), problems: [{ path: "routes", message: "no routes declared" }] },
]);
