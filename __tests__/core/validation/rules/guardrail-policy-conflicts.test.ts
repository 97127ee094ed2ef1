import { guardrailPolicyConflicts } from "../../../../core/validation/rules/guardrail-policy-conflicts";
import { ruleTable } from "./rule-table";

const SAFE = { contentFilters: [{ type: "HATE", inputStrength: "HIGH" }] };
const guard = (e: any) => ((e.guardrails = { safety: SAFE }), (e.routes.summarize.guardrail = "safety"));

ruleTable(guardrailPolicyConflicts, [
  { name: "each principal holds one policy", edit: guard, problems: [] },
  { name: "a principal holding two unguarded workloads' policies", edit: (e) => (e.workloads.other = { routes: ["summarize"], principals: ["arn:aws:iam::111111111111:role/batch-worker"] }), problems: [] },
  {
    name: "a principal holding a guarded workload's policy and an unguarded one for the same model",
    edit: (e) => (guard(e), (e.workloads.other = { routes: ["chat"], principals: ["arn:aws:iam::111111111111:role/batch-worker"] })),
    problems: [{ path: "workloads.other.principals[0]", message: /^the principal also gets the policy of workload batch, which refuses calls to amazon\.nova-lite-v1:0 without guardrail "safety"; workload other's unguarded calls/ }],
  },
  {
    name: "the smoke principal holding a guarded workload's policy",
    edit: (e) => (guard(e), e.smoke.principals.push("arn:aws:iam::111111111111:role/batch-worker")),
    problems: [{ path: "smoke.principals[1]", message: /the smoke policy's unguarded calls to amazon\.nova-lite-v1:0 would be denied$/ }],
  },
]);
