import { modelQuotaCodes } from "../../../../core/validation/rules/model-quota-codes";
import { catalogWith, geoTpmQuota } from "../../../fixtures";
import { ruleTable } from "./rule-table";

const zero = catalogWith([{ id: "amazon.nova-zero-v1:0", name: "Nova Zero", regions: { "us-east-1": { geographies: ["us"] } }, quotas: { "us-east-1": [geoTpmQuota("Amazon Nova Zero", "L-0000C000", 0)] } }]);

ruleTable(modelQuotaCodes, [
  { name: "every model's quota code known, with a quota", edit: () => {}, problems: [] },
  { name: "a declared model with its quota code", edit: (e) => e.models.push({ id: "example.new-model-v1:0", facts: { geographies: ["us"], maxOutputTokens: 4096, outputBurndown: 1, quotaCodes: { geo: "L-0000AAAA" } } }), problems: [] },
  {
    name: "a model without a quota code",
    edit: (e) => e.models.push({ id: "anthropic.claude-opus-4-8" }),
    problems: [{ path: "models[2]", message: "no tokens-per-minute quota code is known for anthropic.claude-opus-4-8 (inference geo) in us-east-1: no quota-usage alarm there (its threshold would be a guess)", severity: "warning" }],
  },
  {
    name: "an applied quota of 0",
    edit: (e) => e.models.push({ id: "amazon.nova-zero-v1:0" }),
    catalog: zero,
    problems: [{ path: "models[2]", message: /^the applied tokens-per-minute quota of amazon\.nova-zero-v1:0 in us-east-1 is 0 per the catalog snapshot/, severity: "warning" }],
  },
]);
