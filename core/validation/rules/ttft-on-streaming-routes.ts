import { jsonPath } from "../../problems";
import type { EnvironmentRule } from "../rule";

/** `timeToFirstTokenP90Ms` is set only on streaming routes: TimeToFirstToken is reported for ConverseStream calls only. */
export const ttftOnStreamingRoutes: EnvironmentRule = {
  name: "ttft-on-streaming-routes",
  description: "timeToFirstTokenP90Ms is set only on streaming routes",
  stage: "draft",
  check: ({ draft: d }) =>
    Object.entries(d.routes).flatMap(([task, r]) =>
      r.timeToFirstTokenP90Ms !== undefined && !r.streaming
        ? [{ path: jsonPath(["routes", task, "timeToFirstTokenP90Ms"]), message: "only applies to a streaming route (TimeToFirstToken is reported for ConverseStream calls only)", fix: 'set "streaming": true if the route\'s clients stream, or remove it' }]
        : [],
    ),
};
