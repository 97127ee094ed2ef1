import { trustPolicySize } from "../../../../core/validation/rules/trust-policy-size";
import { ruleTable } from "./rule-table";

const principals = (n: number) => Array.from({ length: n }, (_, i) => `arn:aws:iam::111111111111:role/application-role-number-${i}`);

ruleTable(trustPolicySize, [
  { name: "a role trusted by a service", edit: () => {}, problems: [] },
  { name: "a role trusted by 20 principals", edit: (e) => (e.workloads.assistant.role.assumedByPrincipals = principals(20)), problems: [] },
  { name: "a role trusted by 60 principals", edit: (e) => (e.workloads.assistant.role.assumedByPrincipals = principals(60)), problems: [{ path: "workloads.assistant.role", message: /^the role's trust policy would be \d+ characters; IAM allows 2048$/ }] },
]);
