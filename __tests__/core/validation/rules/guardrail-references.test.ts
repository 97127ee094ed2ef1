import { guardrailReferences } from "../../../../core/validation/rules/guardrail-references";
import { ruleTable } from "./rule-table";

const SAFE = { contentFilters: [{ type: "HATE", inputStrength: "HIGH" }] };

ruleTable(guardrailReferences, [
  { name: "no guardrails", edit: () => {}, problems: [] },
  { name: "a declared guardrail a route uses", edit: (e) => ((e.guardrails = { safety: SAFE }), (e.routes.summarize.guardrail = "safety")), problems: [] },
  { name: "a route naming a guardrail nobody declared", edit: (e) => (e.routes.summarize.guardrail = "safety"), problems: [{ path: "routes.summarize.guardrail", message: 'unknown guardrail "safety"' }] },
  { name: "a misspelt guardrail", edit: (e) => ((e.guardrails = { safety: SAFE }), (e.routes.summarize.guardrail = "safty")), problems: [{ path: "routes.summarize.guardrail", message: 'unknown guardrail "safty"' }, { path: "guardrails.safety", message: /^no route uses it/, severity: "warning" }] },
  { name: "a declared guardrail no route uses", edit: (e) => (e.guardrails = { safety: SAFE }), problems: [{ path: "guardrails.safety", message: "no route uses it, yet every region stack creates and publishes it", severity: "warning" }] },
]);
