import { costAttributionSettings } from "../../../../core/validation/rules/cost-attribution-settings";
import { ruleTable } from "./rule-table";

const emails = (n: number) => Array.from({ length: n }, (_, i) => `a${i}@example.com`);

ruleTable(costAttributionSettings, [
  { name: "no cost attribution, no workload budget", edit: () => undefined, problems: [] },
  { name: "cost attribution with the default tag key and a workload budget", edit: (e) => ((e.costAttribution = { enabled: true }), (e.workloads.assistant.budget = { monthlyUsd: 100 })), problems: [] },
  {
    name: "a workload budget without cost attribution",
    edit: (e) => (e.workloads.assistant.budget = { monthlyUsd: 100 }),
    problems: [{ path: "workloads.assistant.budget", message: 'a workload budget counts spend carrying the tag "workload", which nothing carries without cost attribution' }],
  },
  {
    name: "a spend threshold without cost attribution",
    edit: (e) => (e.workloads.batch.spendUsdPerHour = 5),
    problems: [{ path: "workloads.batch.spendUsdPerHour", message: "has no effect: spend-rate alarms come with cost attribution", severity: "warning" }],
  },
  {
    name: "an export without cost attribution",
    edit: (e) => (e.costAttribution = { export: { bucket: "team-cur-bucket" } }),
    problems: [{ path: "costAttribution.export", message: "has no effect: the CUR 2.0 export comes with cost attribution", severity: "warning" }],
  },
  {
    name: "the workload tag key is also an environment tag",
    edit: (e) => ((e.costAttribution = { enabled: true, tagKey: "Team" }), (e.tags = { team: "platform" })),
    problems: [{ path: "tags.team", message: 'the tag "team" is the workload tag (costAttribution.tagKey): each profile and role carries its workload\'s name there' }],
  },
  { name: "a reserved tag key", edit: (e) => (e.costAttribution = { enabled: true, tagKey: "aws:workload" }), problems: [{ path: "costAttribution.tagKey", message: 'tag keys starting with aws: are reserved for AWS (key "aws:workload")' }] },
  { name: "a tag the baseline sets itself", edit: (e) => (e.costAttribution = { enabled: true, tagKey: "environment" }), problems: [{ path: "costAttribution.tagKey", message: "the baseline sets the environment tag itself" }] },
  {
    name: "47 tags, the baseline's two and the workload tag: one too many",
    edit: (e) => ((e.costAttribution = { enabled: true }), (e.tags = Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`t${i}`, "x"])))),
    problems: [{ path: "tags", message: "48 tags plus the baseline's 2 and the workload tag exceed AWS's 50 per resource" }],
  },
  {
    name: "a workload budget falling back to eleven alarm emails",
    edit: (e) => ((e.costAttribution = { enabled: true }), (e.alarms.emails = emails(11)), (e.budget.emails = undefined), (e.workloads.assistant.budget = { monthlyUsd: 10 })),
    problems: [{ path: "workloads.assistant.budget", message: "its alerts would email 11 addresses (the environment's budget emails); AWS Budgets allows 10 per notification" }],
  },
  {
    name: "a workload budget with its own ten emails beside eleven alarm emails",
    edit: (e) => ((e.costAttribution = { enabled: true }), (e.alarms.emails = emails(11)), (e.budget.emails = emails(10)), (e.workloads.assistant.budget = { monthlyUsd: 10, emails: emails(10) })),
    problems: [],
  },
]);
