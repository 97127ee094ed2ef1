import { largeEnvironment } from "../../../../scripts/large-environment";
import { routingValidatorSize } from "../../../../core/validation/rules/routing-validator-size";
import { HAIKU, NOVA } from "../../../fixtures";
import { ruleTable } from "./rule-table";

/** `count` routes with the longest route names, all alike (so they share one definition and only their names add up). */
const manyRoutes = (count: number) => (e: any) => {
  for (let i = 0; i < count; i++) e.routes[`task-${String(i).padStart(3, "0")}-${"x".repeat(55)}`] = { primary: HAIKU.modelId, fallbacks: [NOVA.modelId], maxTokens: 100 };
};

/** The base environment's sections around a large organisation's models and routes. */
const large = (candidates: "shared" | "distinct") => (e: any) => {
  const l = largeEnvironment({ routes: 200, models: 30, candidates, workloads: 0 });
  Object.assign(e, { models: l.models, routes: l.routes, workloads: {} });
};

ruleTable(routingValidatorSize, [
  { name: "a small environment", edit: () => {}, problems: [] },
  { name: "200 routes sharing 20 model line-ups", edit: large("shared"), problems: [] },
  {
    name: "200 routes each with a line-up of its own: some routes are held to the region's models only",
    edit: large("distinct"),
    problems: [{ path: "routes", message: /^the routing JSON Schema for us-east-1 fits AppConfig's 32768 bytes only with \d+ route\(s\) allowed any model of the region/, severity: "warning" }],
  },
  { name: "500 routes of the longest names", edit: manyRoutes(500), problems: [{ path: "routes", message: /^the routing JSON Schema for us-east-1 is \d+ bytes; AppConfig allows 32768$/ }] },
]);
