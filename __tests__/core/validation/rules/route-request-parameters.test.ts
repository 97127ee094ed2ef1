import { HAIKU, NOVA } from "../../../fixtures";
import { routeRequestParameters } from "../../../../core/validation/rules/route-request-parameters";
import { ruleTable } from "./rule-table";

// The models' constraints are the shipped catalog's (catalog/overlay.json requestConstraints): Haiku 4.5 takes
// temperature or topP (not both) and thinking disabled/enabled; Nova Lite has no thinking setting; Opus 5.5 and
// Sonnet 5.5 think always and refuse forced tool use; Opus 5.5's Converse support is unconfirmed.
const OPUS_55 = "anthropic.claude-opus-5-5";
const SONNET_55 = "anthropic.claude-sonnet-5-5";
const addOpus55 = (e: any) => e.models.push({ id: OPUS_55, inference: "global" });
const converseUnconfirmed = { path: "models[2].id", message: `whether Converse serves ${OPUS_55} is unconfirmed (catalog/overlay.json requestConstraints.converse)`, severity: "warning" as const };

ruleTable(routeRequestParameters, [
  { name: "no request parameters", edit: () => {}, problems: [] },
  { name: "temperature every model takes", edit: (e) => (e.routes.chat.temperature = 0.2), problems: [] },
  { name: "thinking off on a Claude 4.5 route without fallbacks", edit: (e) => (e.routes.chat.fallbacks = [], (e.routes.chat.thinking = { type: "disabled" })), problems: [] },
  { name: "a forced tool choice on models that accept it", edit: (e) => (e.routes.chat.toolChoice = "any"), problems: [] },
  {
    name: "temperature and topP together on Claude 4.5",
    edit: (e) => Object.assign(e.routes.chat, { temperature: 0.2, topP: 0.9 }),
    problems: [{ path: "routes.chat.topP", message: `the primary ${HAIKU.modelId} takes temperature or topP, not both` }],
  },
  {
    name: "the issue's case: temperature 0.2 on a route canarying Opus 5.5",
    edit: (e) => (addOpus55(e), Object.assign(e.routes.chat, { temperature: 0.2, canary: { model: OPUS_55, percent: 10 } })),
    problems: [{ path: "routes.chat.temperature", message: `the canary ${OPUS_55} accepts no temperature while thinking is on (its default, and it cannot be disabled), not 0.2` }, converseUnconfirmed],
  },
  {
    name: "thinking off where a model cannot turn it off",
    edit: (e) => (addOpus55(e), Object.assign(e.routes.summarize, { thinking: { type: "disabled" }, fallbacks: [OPUS_55] })),
    problems: [
      { path: "routes.summarize.thinking", message: `the primary ${NOVA.modelId} has no thinking setting, so it refuses thinking.type disabled` },
      { path: "routes.summarize.thinking", message: `the fallback ${OPUS_55} cannot turn thinking off (it accepts thinking.type adaptive)` },
      converseUnconfirmed,
    ],
  },
  {
    name: "a forced tool choice on a model that refuses it",
    edit: (e) => (e.models.push({ id: SONNET_55 }), Object.assign(e.routes.summarize, { toolChoice: "tool", fallbacks: [SONNET_55] })),
    problems: [
      { path: "routes.summarize.toolChoice", message: `the fallback ${SONNET_55} refuses a forced tool choice (tool)` },
      { path: "models[2].id", message: `whether Converse serves ${SONNET_55} is unconfirmed (catalog/overlay.json requestConstraints.converse)`, severity: "warning" },
    ],
  },
  {
    name: "a forced tool choice while a Claude 4.5 model thinks",
    edit: (e) => Object.assign(e.routes.chat, { fallbacks: [], toolChoice: "any", thinking: { type: "enabled", budgetTokens: 2048 }, maxTokens: 4096 }),
    problems: [{ path: "routes.chat.toolChoice", message: `the primary ${HAIKU.modelId} refuses a forced tool choice (any) while thinking is enabled` }],
  },
  {
    name: "a thinking type the model does not take",
    edit: (e) => Object.assign(e.routes.chat, { fallbacks: [], thinking: { type: "adaptive" } }),
    problems: [{ path: "routes.chat.thinking", message: `the primary ${HAIKU.modelId} does not accept thinking.type adaptive (it accepts disabled, enabled)` }],
  },
  {
    name: "a thinking budget not below maxTokens (said once, whatever the models)",
    edit: (e) => (e.models.push({ id: "anthropic.claude-sonnet-4-5-20250929-v1:0" }), Object.assign(e.routes.chat, { fallbacks: ["anthropic.claude-sonnet-4-5-20250929-v1:0"], thinking: { type: "enabled", budgetTokens: 2048 } })),
    problems: [{ path: "routes.chat.thinking.budgetTokens", message: "thinking.budgetTokens 2048 is not below maxTokens 1024 (the budget is part of the output)" }],
  },
  {
    name: "temperature on a model declared with facts that take temperature 1 only (like Fable 5)",
    edit: (e) => (
      e.models.push({ id: "example.fable-v1:0", facts: { geographies: ["us"], maxOutputTokens: 128000, outputBurndown: 5, requestConstraints: { temperature: { min: 1, max: 1 }, thinking: { default: "on", types: ["adaptive"] } } } }),
      Object.assign(e.routes.summarize, { temperature: 0.5, fallbacks: ["example.fable-v1:0"] })
    ),
    problems: [{ path: "routes.summarize.temperature", message: "the fallback example.fable-v1:0 accepts temperature 1 only, not 0.5" }],
  },
  {
    name: "temperature on a model whose constraints no source gives",
    edit: (e) => (e.models.push({ id: "example.new-model-v1:0", facts: { geographies: ["us"], maxOutputTokens: 4096, outputBurndown: 1 } }), Object.assign(e.routes.summarize, { temperature: 0.3, fallbacks: ["example.new-model-v1:0"] })),
    problems: [{ path: "routes.summarize.temperature", message: "the fallback example.new-model-v1:0 has no known temperature constraint, so temperature 0.3 is not checked", severity: "warning" }],
  },
]);
