import { closest, jsonPath, quote, quoteList } from "../../problems";
import type { EnvironmentRule } from "../rule";

/** Every route a workload lists is declared. */
export const workloadRoutes: EnvironmentRule = {
  name: "workload-routes",
  description: "workloads list only declared routes",
  stage: "draft",
  check: ({ draft: d }) =>
    d.workloads.flatMap((w) =>
      (w.fields.routes ?? []).flatMap((r, i) => {
        if (d.routeNames.has(r)) return [];
        const near = closest(r, d.routeNames, { max: 1 });
        return [{ path: jsonPath(["workloads", w.name, "routes", i]), message: `unknown route ${quote(r)}`, fix: near.length ? `did you mean ${quote(near[0])}? (routes: ${quoteList([...d.routeNames])})` : `use one of: ${quoteList([...d.routeNames])}` }];
      }),
    ),
};
