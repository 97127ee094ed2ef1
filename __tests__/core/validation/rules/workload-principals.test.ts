import { workloadPrincipals } from "../../../../core/validation/rules/workload-principals";
import { ruleTable } from "./rule-table";

ruleTable(workloadPrincipals, [
  { name: "a role, and principals", edit: () => {}, problems: [] },
  { name: "a role trusted by a principal only", edit: (e) => (e.workloads.assistant.role = { assumedByPrincipals: ["arn:aws:iam::111111111111:role/app"] }), problems: [] },
  { name: "neither principals nor role", edit: (e) => (e.workloads.batch.principals = []), problems: [{ path: "workloads.batch", message: "has neither principals nor role" }] },
  { name: "a role nobody can assume", edit: (e) => (e.workloads.assistant.role = {}), problems: [{ path: "workloads.assistant.role", message: "nobody can assume the role" }] },
]);
