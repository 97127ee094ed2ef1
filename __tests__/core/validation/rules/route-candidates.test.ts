import { routeCandidateRules } from "../../../../core/validation/rules/route-candidates";
import { HAIKU, NOVA, SONNET } from "../../../fixtures";
import { ruleTable } from "./rule-table";

ruleTable(routeCandidateRules, [
  { name: "declared, enabled, distinct models", edit: () => {}, problems: [] },
  { name: "a fallback canaried", edit: (e) => (e.routes.chat.canary = { model: NOVA.modelId, percent: 10 }), problems: [] },
  { name: "a fallback equal to the primary", edit: (e) => (e.routes.chat.fallbacks = [HAIKU.modelId]), problems: [{ path: "routes.chat.fallbacks[0]", message: `fallback ${HAIKU.modelId} is the primary` }] },
  { name: "a fallback listed twice", edit: (e) => (e.routes.chat.fallbacks = [NOVA.modelId, NOVA.modelId]), problems: [{ path: "routes.chat.fallbacks[1]", message: `fallback ${NOVA.modelId} is listed twice` }] },
  { name: "a canary equal to the primary", edit: (e) => (e.routes.chat.canary = { model: HAIKU.modelId, percent: 10 }), problems: [{ path: "routes.chat.canary.model", message: `canary ${HAIKU.modelId} is the primary` }] },
  { name: "an undeclared model", edit: (e) => (e.routes.summarize.fallbacks = [SONNET.modelId]), problems: [{ path: "routes.summarize.fallbacks[0]", message: `${SONNET.modelId} is not declared in models` }] },
  { name: "a disabled model", edit: (e) => (e.models[1].enabled = false), problems: [{ path: "routes.chat.fallbacks[0]", message: `${NOVA.modelId} is disabled (models[1].enabled is false)` }, { path: "routes.summarize.primary", message: `${NOVA.modelId} is disabled (models[1].enabled is false)` }] },
  { name: "a model declared by a malformed entry (reported there)", edit: (e) => (e.models[1].inference = "nearby"), problems: [] },
]);
