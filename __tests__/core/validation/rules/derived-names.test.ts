import { names } from "../../../../core/aws";
import { derivedNameRules } from "../../../../core/validation/rules/derived-names";
import { ruleTable } from "./rule-table";

const LONG = "environment-with-a-long-name-x"; // 30 characters: a valid environment name

ruleTable(derivedNameRules, [
  { name: "short names", edit: () => {}, problems: [] },
  { name: "a long environment name whose derived names all fit", edit: (e) => (e.name = "a-long-environment-name-ok"), options: { expectedName: undefined }, problems: [] },
  {
    name: "a rollback role name over IAM's 64 characters",
    edit: (e) => ((e.name = LONG), (e.workloads = {})),
    options: { expectedName: undefined },
    problems: [{ path: "name", message: `IAM role name "${names.rollbackRole(LONG, "us-east-1")}" is ${names.rollbackRole(LONG, "us-east-1").length} characters; AWS allows 64` }],
  },
  {
    name: "invocation logging's delivery role over IAM's 64 characters, besides the rollback role (a long name in a long region)",
    edit: (e) => ((e.name = "an-environment-named-26-ch"), (e.regions = ["ap-southeast-2"]), (e.workloads = {}), (e.invocationLogging = { enabled: true })),
    options: { expectedName: undefined },
    problems: [
      { path: "name", message: /^IAM role name "bedrock-an-environment-named-26-ch-ap-southeast-2-appconfig-rollback" is 68 characters; AWS allows 64$/ },
      { path: "name", message: /^IAM role name "bedrock-an-environment-named-26-ch-ap-southeast-2-invocation-logs" is 65 characters; AWS allows 64$/ },
    ],
  },
  {
    name: "a workload named like the invocation-log delivery role",
    edit: (e) => ((e.invocationLogging = { enabled: true }), (e.workloads["invocation-logs"] = { routes: ["chat"], role: { assumedByServices: ["lambda.amazonaws.com"] } })),
    problems: [{ path: "workloads.invocation-logs", message: "the role of workload invocation-logs would be named bedrock-team-us-east-1-invocation-logs, like the invocation-log delivery role" }],
  },
  {
    name: "a workload whose policy would share the smoke policy's name",
    edit: (e) => (e.workloads.smoke = { routes: ["chat"], principals: ["arn:aws:iam::111111111111:role/x"] }),
    problems: [{ path: "workloads.smoke", message: /^the smoke policy would be named bedrock-team-us-east-1-smoke, like the policy of workload smoke$|^the policy of workload smoke would be named .*, like the smoke policy$/ }],
  },
]);
