import { type BaselinePlan, principalIdentity } from "../../environment";
import { type ModelUse, modelUses } from "../../iam";
import { jsonPath, type Problem, quoteList } from "../../problems";
import type { EnvironmentRule } from "../rule";

/** One baseline policy a principal holds, with how its routes use each model. */
interface Held {
  readonly who: string;
  readonly path: string;
  readonly uses: Map<string, ModelUse>;
  /** A workload policy requires its guardrails (an explicit Deny); the smoke policy does not. */
  readonly enforces: boolean;
}

/** Principals attached to several baseline policies (workload and smoke principals), by IAM identity. */
function holders(plan: BaselinePlan): Held[][] {
  const c = plan.config;
  const byIdentity = new Map<string, Held[]>();
  const hold = (arn: string, held: Held) => byIdentity.set(principalIdentity(arn), [...(byIdentity.get(principalIdentity(arn)) ?? []), held]);
  for (const [w, cfg] of Object.entries(c.workloads)) {
    const uses = modelUses(plan, cfg.routes);
    cfg.principals.forEach((arn, i) => hold(arn, { who: `workload ${w}`, path: jsonPath(["workloads", w, "principals", i]), uses, enforces: true }));
  }
  const all = modelUses(plan, Object.keys(c.routes));
  c.smoke.principals.forEach((arn, i) => hold(arn, { who: "the smoke policy", path: `smoke.principals[${i}]`, uses: all, enforces: false }));
  return [...byIdentity.values()].filter((held) => held.length > 1);
}

/** The calls `b`'s policy allows that `a`'s Deny of unguarded calls would refuse. */
function conflicts(a: Held, b: Held): Problem[] {
  return [...a.uses].flatMap(([id, use]) => {
    const required = new Set(use.guardedBy.keys());
    const other = b.uses.get(id);
    if (required.size === 0 || !other) return [];
    const outside = [...other.guardedBy.keys()].filter((g) => !required.has(g));
    if (other.unguardedRoutes.length === 0 && outside.length === 0) return [];
    return [
      {
        path: b.path,
        message: `the principal also gets the policy of ${a.who}, which refuses calls to ${id} without guardrail ${quoteList([...required])}; ${b.who}'s ${other.unguardedRoutes.length ? "unguarded" : "other-guardrail"} calls to ${id} would be denied`,
        fix: `attach ${b.who === "the smoke policy" ? "the smoke policy" : "the two workloads' policies"} to different principals (or give the workloads created roles)`,
      },
    ];
  });
}

/** No principal holds two baseline policies that disagree about a model's guardrail: one's Deny would refuse the other's calls. */
export const guardrailPolicyConflicts: EnvironmentRule = {
  name: "guardrail-policy-conflicts",
  description: "no principal gets two baseline policies that disagree about a model's guardrail",
  stage: "plan",
  check: ({ plan }) =>
    // The same policy twice (a principal listed twice) is distinct-entries' problem.
    holders(plan).flatMap((held) => held.flatMap((a) => (a.enforces ? held.filter((b) => b.who !== a.who).flatMap((b) => conflicts(a, b)) : []))),
};
