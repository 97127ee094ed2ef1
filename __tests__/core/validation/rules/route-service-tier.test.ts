import { HAIKU } from "../../../fixtures";
import { routeServiceTier } from "../../../../core/validation/rules/route-service-tier";
import { ruleTable } from "./rule-table";

ruleTable(routeServiceTier, [
  { name: "no tier", edit: () => {}, problems: [] },
  { name: "flex on a Nova route", edit: (e) => (e.routes.summarize.serviceTier = "flex"), problems: [] },
  { name: "flex on a route with a Claude model", edit: (e) => (e.routes.chat.serviceTier = "flex"), problems: [{ path: "routes.chat.serviceTier", message: new RegExp(`^${HAIKU.modelId.replace(/\./g, "\\.")} does not support the flex tier`) }] },
  {
    name: "a model whose tiers no source gives",
    edit: (e) => (e.models.push({ id: "example.new-model-v1:0", facts: { geographies: ["us"], maxOutputTokens: 4096, outputBurndown: 1 } }), (e.routes.summarize.fallbacks = ["example.new-model-v1:0"]), (e.routes.summarize.serviceTier = "flex")),
    problems: [{ path: "routes.summarize.serviceTier", message: "no service tiers are known for example.new-model-v1:0, so the flex tier is not checked", severity: "warning" }],
  },
]);
