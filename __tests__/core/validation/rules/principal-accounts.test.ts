import { principalAccounts } from "../../../../core/validation/rules/principal-accounts";
import { ruleTable } from "./rule-table";

ruleTable(principalAccounts, [
  { name: "principals of the environment's account", edit: () => {}, problems: [] },
  { name: "a role trusted by another account's principal", edit: (e) => (e.workloads.assistant.role.assumedByPrincipals = ["arn:aws:iam::222222222222:role/app"]), problems: [] },
  {
    name: "a workload principal in another account",
    edit: (e) => (e.workloads.batch.principals = ["arn:aws:iam::222222222222:role/batch"]),
    problems: [{ path: "workloads.batch.principals[0]", message: '"arn:aws:iam::222222222222:role/batch" is in account 222222222222, not 111111111111; a policy can only be attached in its own account' }],
  },
  {
    name: "a smoke principal in another partition",
    edit: (e) => (e.smoke.principals = ["arn:aws-us-gov:iam::111111111111:role/ci"]),
    problems: [{ path: "smoke.principals[0]", message: /is in the aws-us-gov partition; the environment's regions are in aws$/ }],
  },
  {
    name: "a trusted principal in another partition",
    edit: (e) => (e.workloads.assistant.role.assumedByPrincipals = ["arn:aws-us-gov:iam::111111111111:role/app"]),
    problems: [{ path: "workloads.assistant.role.assumedByPrincipals[0]", message: /is in the aws-us-gov partition/ }],
  },
]);
