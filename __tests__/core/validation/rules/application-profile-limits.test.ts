import { applicationProfileLimits } from "../../../../core/validation/rules/application-profile-limits";
import { catalogWithDailyQuotas, HAIKU } from "../../../fixtures";
import { ruleTable } from "./rule-table";

/** `n` workloads that all call the chat route (Haiku, then Nova). */
const workloads = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`w${i}`, { routes: ["chat"] }]));

ruleTable(applicationProfileLimits, [
  { name: "cost attribution off: no profiles, nothing to count", edit: (e) => (e.workloads = workloads(12)), problems: [] },
  { name: "two workloads, three profiles", edit: (e) => (e.costAttribution = { enabled: true }), problems: [] },
  {
    name: "more profiles than the region's quota",
    edit: (e) => (e.costAttribution = { enabled: true, profilesPerRegionQuota: 2 }),
    problems: [{ path: "workloads", message: /^us-east-1 would hold 3 application inference profiles \(one per workload and model it uses\); the account's quota is 2 per Region/ }],
  },
  { name: "ten workloads on one model: its alarms add up ten metrics", edit: (e) => ((e.costAttribution = { enabled: true }), (e.workloads = workloads(10))), problems: [] },
  {
    name: "eleven workloads on one model: more metrics than an alarm reads",
    edit: (e) => ((e.costAttribution = { enabled: true }), (e.workloads = workloads(11))),
    problems: [
      { path: "workloads", message: `11 workloads call ${HAIKU.modelId} in us-east-1: its alarms add up one metric per workload profile, and a CloudWatch alarm reads at most 10` },
      { path: "workloads", message: "11 workloads call amazon.nova-lite-v1:0 in us-east-1: its alarms add up one metric per workload profile, and a CloudWatch alarm reads at most 10" },
    ],
  },
  {
    name: "six workloads on a model with a known daily quota: no per-model daily alarm (two metrics per profile)",
    edit: (e) => ((e.costAttribution = { enabled: true }), (e.workloads = workloads(6))),
    catalog: catalogWithDailyQuotas(["us-east-1"]),
    problems: [
      { path: "workloads", message: new RegExp(`^6 workloads call ${HAIKU.modelId.replace(/\./g, "\\.")} in us-east-1: its daily-quota alarm would read two metrics per profile`), severity: "warning" },
      { path: "workloads", message: /^6 workloads call amazon\.nova-lite-v1:0 in us-east-1: its daily-quota alarm/, severity: "warning" },
    ],
  },
  {
    name: "two workloads whose profile names collide once separators are folded",
    edit: (e) => ((e.costAttribution = { enabled: true }), (e.workloads = { "team-a": { routes: ["chat"] }, "team--a": { routes: ["chat"] } })),
    problems: [
      { path: "workloads.team--a", message: /^the application profile of team--a for anthropic\.claude-haiku.* would be named bedrock-team-team-a-/ },
      { path: "workloads.team--a", message: /^the application profile of team--a for amazon\.nova-lite-v1:0 would be named bedrock-team-team-a-amazon-nova-lite-v1-0, like that of team-a for amazon\.nova-lite-v1:0$/ },
    ],
  },
]);
