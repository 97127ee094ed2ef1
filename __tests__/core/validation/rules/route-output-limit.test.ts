import { CATALOG, HAIKU, NOVA } from "../../../fixtures";
import { routeOutputLimit } from "../../../../core/validation/rules/route-output-limit";
import { ruleTable } from "./rule-table";

const NOVA_LIMIT = CATALOG.overlay.models[NOVA.modelId].maxOutputTokens!.value;

ruleTable(routeOutputLimit, [
  { name: "maxTokens within every candidate's limit", edit: () => {}, problems: [] },
  { name: "maxTokens at the smallest limit", edit: (e) => (e.routes.chat.maxTokens = NOVA_LIMIT), problems: [] },
  { name: "a model without a known limit is not checked", edit: (e) => (e.models.push({ id: "example.new-model-v1:0", facts: { geographies: ["us"], outputBurndown: 1 } }), (e.routes.big = { primary: "example.new-model-v1:0", maxTokens: 10_000_000 })), problems: [] },
  { name: "above the fallback's limit", edit: (e) => (e.routes.chat.maxTokens = NOVA_LIMIT + 1), problems: [{ path: "routes.chat.maxTokens", message: `${NOVA_LIMIT + 1} exceeds the output limit of ${NOVA.modelId} (${NOVA_LIMIT})` }] },
  { name: "above both candidates' limits", edit: (e) => (e.routes.chat.maxTokens = 200000), problems: [{ path: "routes.chat.maxTokens", message: `200000 exceeds the output limit of ${HAIKU.modelId} (64000)` }, { path: "routes.chat.maxTokens", message: `200000 exceeds the output limit of ${NOVA.modelId} (${NOVA_LIMIT})` }] },
]);
