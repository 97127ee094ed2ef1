import { catalogModels } from "../../../../core/validation/rules/catalog-models";
import { HAIKU } from "../../../fixtures";
import { ruleTable } from "./rule-table";

ruleTable(catalogModels, [
  { name: "catalog models through their geographic profile", edit: () => {}, problems: [] },
  { name: "a model launched after the sync, declared with its facts", edit: (e) => e.models.push({ id: "example.new-model-v1:0", facts: { geographies: ["us"], maxOutputTokens: 4096, outputBurndown: 1, quotaCodes: { geo: "L-0000AAAA" } } }), problems: [{ path: "models[2].id", message: /is not in the catalog snapshot for us-east-1; using the facts declared/, severity: "warning" }] },
  { name: "an unknown model", edit: (e) => (e.models[1].id = "amazon.nova-lite-v9:0"), problems: [{ path: "models[1].id", message: /^unknown model amazon\.nova-lite-v9:0: not in the catalog snapshot$/ }] },
  { name: "a model declared twice", edit: (e) => e.models.push({ id: HAIKU.modelId }), problems: [{ path: "models[2].id", message: `duplicate model ${HAIKU.modelId}` }] },
  { name: "on demand where the model has no on-demand inference", edit: (e) => (e.models[0].inference = "on-demand"), problems: [{ path: "models[0].inference", message: /cannot be invoked on demand by its bare ID in us-east-1/ }] },
  { name: "a model past end of life", edit: (e) => e.models.push({ id: "anthropic.claude-sonnet-4-20250514-v1:0" }), problems: [{ path: "models[2].id", message: /reached end of life on 2026-10-14/ }] },
]);
