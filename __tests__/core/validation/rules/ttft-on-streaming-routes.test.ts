import { ttftOnStreamingRoutes } from "../../../../core/validation/rules/ttft-on-streaming-routes";
import { ruleTable } from "./rule-table";

ruleTable(ttftOnStreamingRoutes, [
  { name: "no threshold anywhere", edit: () => {}, problems: [] },
  { name: "a threshold on a streaming route", edit: (e) => (e.routes.chat.timeToFirstTokenP90Ms = 3000), problems: [] },
  { name: "a threshold on a route that does not stream", edit: (e) => (e.routes.summarize.timeToFirstTokenP90Ms = 3000), problems: [{ path: "routes.summarize.timeToFirstTokenP90Ms", message: /^only applies to a streaming route/ }] },
]);
