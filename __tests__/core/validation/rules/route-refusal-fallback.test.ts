import { routeRefusalFallback } from "../../../../core/validation/rules/route-refusal-fallback";
import { ruleTable } from "./rule-table";

ruleTable(routeRefusalFallback, [
  { name: "no onRefusal (returns the refusal)", edit: () => {}, problems: [] },
  { name: "fallback on a route with a fallback", edit: (e) => (e.routes.chat.onRefusal = "fallback"), problems: [] },
  { name: "return on a route without fallbacks", edit: (e) => (e.routes.summarize.onRefusal = "return"), problems: [] },
  { name: "fallback on a route whose canary is its only other model", edit: (e) => Object.assign(e.routes.summarize, { onRefusal: "fallback", canary: { model: e.models[0].id, percent: 5 } }), problems: [] },
  {
    name: "fallback on a route with nothing to fall back to",
    edit: (e) => (e.routes.summarize.onRefusal = "fallback"),
    problems: [{ path: "routes.summarize.onRefusal", message: '"fallback" does nothing on route "summarize": it has no fallback (or canary) to try after a refusal', severity: "warning" }],
  },
]);
