import { guardrailPerModel } from "../../../../core/validation/rules/guardrail-per-model";
import { ruleTable } from "./rule-table";

const SAFE = { contentFilters: [{ type: "HATE", inputStrength: "HIGH" }] };

ruleTable(guardrailPerModel, [
  { name: "no guardrail", edit: () => {}, problems: [] },
  { name: "a workload whose every route is guarded", edit: (e) => ((e.guardrails = { safety: SAFE }), (e.routes.chat.guardrail = "safety")), problems: [] },
  {
    name: "one model through a guarded and an unguarded route of one workload",
    edit: (e) => ((e.guardrails = { safety: SAFE }), (e.routes.chat.guardrail = "safety"), (e.workloads.assistant.routes = ["chat", "summarize"])),
    problems: [{ path: "workloads.assistant.routes", message: /^uses amazon\.nova-lite-v1:0 through guarded route\(s\) "chat" \(guardrail "safety"\) and unguarded route\(s\) "summarize"/ }],
  },
]);
