import { modelUses } from "../../iam";
import { jsonPath, quote, quoteList } from "../../problems";
import type { EnvironmentRule } from "../rule";

/**
 * A workload does not use one model through a guarded and an unguarded route: IAM's conditions are per model, not per
 * route, so the guardrail would be required of both routes' calls (the unguarded route fails) or of neither (the
 * guarded one can be bypassed).
 */
export const guardrailPerModel: EnvironmentRule = {
  name: "guardrail-per-model",
  description: "no workload uses a model through both guarded and unguarded routes (IAM can require a guardrail only per model)",
  stage: "plan",
  check: ({ plan }) =>
    Object.entries(plan.config.workloads).flatMap(([w, cfg]) =>
      [...modelUses(plan, cfg.routes)].flatMap(([id, use]) => {
        if (use.guardedBy.size === 0 || use.unguardedRoutes.length === 0) return [];
        const guarded = [...use.guardedBy].map(([g, tasks]) => `${quoteList(tasks)} (guardrail ${quote(g)})`).join(", ");
        const first = [...use.guardedBy.keys()][0];
        return [
          {
            path: jsonPath(["workloads", w, "routes"]),
            message: `uses ${id} through guarded route(s) ${guarded} and unguarded route(s) ${quoteList(use.unguardedRoutes)}; IAM conditions apply per model, not per route, so the guardrail cannot be required of one route's calls only`,
            fix: `give ${quoteList(use.unguardedRoutes)} "guardrail": ${quote(first)} too, route ${use.unguardedRoutes.length > 1 ? "them" : "it"} to a model the guarded routes do not use, or move the guarded and unguarded routes into separate workloads`,
          },
        ];
      }),
    ),
};
