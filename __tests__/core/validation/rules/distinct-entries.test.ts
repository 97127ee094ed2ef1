import { distinctEntries } from "../../../../core/validation/rules/distinct-entries";
import { ruleTable } from "./rule-table";

ruleTable(distinctEntries, [
  { name: "every list names each thing once", edit: () => {}, problems: [] },
  { name: "two regions", edit: (e) => (e.regions = ["us-east-1", "us-west-2"]), problems: [] },
  { name: "a region twice", edit: (e) => (e.regions = ["us-east-1", "us-east-1"]), problems: [{ path: "regions[1]", message: 'region "us-east-1" is listed twice (first at [0])' }] },
  { name: "a workload route twice", edit: (e) => (e.workloads.assistant.routes = ["chat", "chat"]), problems: [{ path: "workloads.assistant.routes[1]", message: 'route "chat" is listed twice (first at [0])' }] },
  {
    name: "one principal under another path and case",
    edit: (e) => e.workloads.batch.principals.push("arn:aws:iam::111111111111:role/team/BATCH-WORKER"),
    problems: [{ path: "workloads.batch.principals[1]", message: /is the same principal as \[0\] .*ignoring case and path/ }],
  },
  { name: "a role service twice", edit: (e) => (e.workloads.assistant.role.assumedByServices = ["lambda.amazonaws.com", "lambda.amazonaws.com"]), problems: [{ path: "workloads.assistant.role.assumedByServices[1]", message: /listed twice/ }] },
  { name: "a smoke principal twice", edit: (e) => e.smoke.principals.push(e.smoke.principals[0]), problems: [{ path: "smoke.principals[1]", message: /listed twice/ }] },
  { name: "an alarm email in another case", edit: (e) => e.alarms.emails.push("OnCall@example.com"), problems: [{ path: "alarms.emails[1]", message: /is the same address as \[0\].*without case/ }] },
  { name: "a budget alert twice", edit: (e) => (e.budget.alerts = [{ percent: 80 }, { percent: 80, type: "actual" }]), problems: [{ path: "budget.alerts[1]", message: 'alert "actual 80%" is listed twice (first at [0])' }] },
  { name: "a client log group twice", edit: (e) => (e.observability = { clientLogGroups: ["/aws/lambda/chat", "/ecs/batch", "/aws/lambda/chat"] }), problems: [{ path: "observability.clientLogGroups[2]", message: 'log group "/aws/lambda/chat" is listed twice (first at [0])' }] },
  { name: "an organization-guard target twice", edit: (e) => (e.organizationGuard = { enabled: true, managementAccount: true, targets: ["r-abcd", "r-abcd"] }), problems: [{ path: "organizationGuard.targets[1]", message: /listed twice/ }] },
]);
