import { type BaselinePlan, routeCandidates, workloadInvocations } from "../environment";
import { principalIdentity } from "../environment";
import { type GuardrailRefs, sizingRefs } from "../environment";
import { partitionOf } from "../aws";
import { packPolicy } from "./policy-packing";
import { type InvokeConstraints, type PolicyDocument, type RouteConstraints, type RoutingConfigArns, smokePolicy, workloadPolicy } from "./iam-policy";
import { jsonPath, type Problem, quote, quoteList } from "../problems";
import { ROUTE_SERVICE_TIERS } from "../runtime";

/*
 * What a principal's routes require of IAM, model by model: the service tiers they request (bedrock:ServiceTier) and
 * the guardrails they apply (bedrock:GuardrailIdentifier, bedrock:ApplyGuardrail). IAM sees a call, never the route it
 * belongs to, so every condition is per model: the union over the principal's routes that use the model.
 */

/** How a set of routes uses one model. */
export interface ModelUse {
  /** Tiers the routes declare, in ROUTE_SERVICE_TIERS order. */
  readonly tiers: readonly string[];
  /** Routes that name no tier (Bedrock serves them Standard, "default"). */
  readonly untieredRoutes: readonly string[];
  /** Guardrail name -> the routes applying it. */
  readonly guardedBy: ReadonlyMap<string, readonly string[]>;
  /** Routes that apply no guardrail. */
  readonly unguardedRoutes: readonly string[];
}

/** For each model the routes name (primary or fallback), how they use it; in order of first mention. */
export function modelUses(plan: BaselinePlan, tasks: readonly string[]): Map<string, ModelUse> {
  const acc = new Map<string, { tiers: Set<string>; untiered: string[]; guarded: Map<string, string[]>; unguarded: string[] }>();
  for (const task of tasks) {
    const route = plan.config.routes[task];
    for (const id of routeCandidates(plan, task)) {
      const u = acc.get(id) ?? { tiers: new Set<string>(), untiered: [], guarded: new Map<string, string[]>(), unguarded: [] };
      acc.set(id, u);
      if (route.serviceTier) u.tiers.add(route.serviceTier);
      else u.untiered.push(task);
      if (route.guardrail) u.guarded.set(route.guardrail, [...(u.guarded.get(route.guardrail) ?? []), task]);
      else u.unguarded.push(task);
    }
  }
  return new Map(
    [...acc].map(([id, u]) => [id, { tiers: ROUTE_SERVICE_TIERS.filter((t) => u.tiers.has(t)), untieredRoutes: u.untiered, guardedBy: u.guarded, unguardedRoutes: u.unguarded }]),
  );
}

/**
 * The bedrock:ServiceTier values the routes may send: the tiers they declare, plus "default" where a route declares
 * none (should Bedrock set the key to the tier it serves an untiered request with; with StringEqualsIfExists an absent
 * key passes as well). So a workload with a flex route and an untiered route on one model may call flex or Standard,
 * never priority.
 */
export function allowedTiers(use: ModelUse): string[] {
  const tiers = new Set(use.tiers);
  if (use.untieredRoutes.length) tiers.add("default");
  return ROUTE_SERVICE_TIERS.filter((t) => tiers.has(t));
}

/**
 * The conditions and guardrail grants for a principal that uses `tasks`. `requireGuardrails`: a workload must carry
 * its routes' guardrails on every call of their models; the smoke principal, which probes guarded and unguarded routes
 * alike, gets ApplyGuardrail without that condition.
 */
export function routeConstraints(plan: BaselinePlan, tasks: readonly string[], refs: GuardrailRefs, options: { requireGuardrails: boolean }): RouteConstraints {
  const invoke: Record<string, InvokeConstraints> = Object.create(null);
  const applied = new Set<string>();
  for (const [id, use] of modelUses(plan, tasks)) {
    const names = [...use.guardedBy.keys()].sort();
    names.forEach((n) => applied.add(n));
    invoke[id] = { serviceTiers: allowedTiers(use), ...(options.requireGuardrails && names.length ? { guardrails: names.map((n) => refOf(refs, n).arn) } : {}) };
  }
  return { invoke, guardrailArns: [...applied].sort().map((n) => refOf(refs, n).arn) };
}

function refOf(refs: GuardrailRefs, name: string) {
  if (!Object.hasOwn(refs, name)) throw new Error(`no reference for guardrail ${name}`);
  return refs[name];
}

/** The policy of one workload in one region, with its routes' tier and guardrail conditions. */
export function workloadPolicyOf(plan: BaselinePlan, region: string, workload: string, routing: RoutingConfigArns, refs: GuardrailRefs): PolicyDocument {
  const w = plan.config.workloads[workload];
  return workloadPolicy({
    invocations: workloadInvocations(plan, region, workload),
    routing,
    metricsNamespace: plan.config.metricsNamespace,
    constraints: routeConstraints(plan, w.routes, refs, { requireGuardrails: true }),
  });
}

/** The smoke policy of one region: every enabled model, the tiers of every route, every route's guardrail. */
export function smokePolicyOf(plan: BaselinePlan, region: string, routing: RoutingConfigArns, refs: GuardrailRefs): PolicyDocument {
  return smokePolicy({
    invocations: Object.values(plan.invocations[region]),
    routing,
    region,
    account: plan.config.account,
    constraints: routeConstraints(plan, Object.keys(plan.config.routes), refs, { requireGuardrails: false }),
  });
}

/** Routing ARNs as long as they will be after apply (AppConfig IDs are 7 characters): for sizing, nothing is called. */
export function sizingRouting(region: string, account: string): RoutingConfigArns {
  const application = `arn:${partitionOf(region)}:appconfig:${region}:${account}:application/abc1234`;
  const environment = `${application}/environment/def5678`;
  return { application, environment, configuration: `${environment}/configuration/ghi9012` };
}

/** Guardrail refs of a plan's guardrails as long as real ones (see sizingRefs). */
function sizingRefsOf(plan: BaselinePlan, region: string): GuardrailRefs {
  return sizingRefs(Object.keys(plan.config.guardrails), region, plan.config.account, partitionOf(region));
}

/** A workload's policy in one region as the managed policies a stack creates (see packPolicy), with `routing` and `refs` in them. */
export function workloadPolicyParts(plan: BaselinePlan, region: string, workload: string, routing: RoutingConfigArns, refs: GuardrailRefs): PolicyDocument[] {
  const sized = workloadPolicyOf(plan, region, workload, sizingRouting(region, plan.config.account), sizingRefsOf(plan, region));
  return packPolicy(workloadPolicyOf(plan, region, workload, routing, refs), sized);
}

/** The smoke policy of one region as the managed policies a stack creates (see packPolicy). */
export function smokePolicyParts(plan: BaselinePlan, region: string, routing: RoutingConfigArns, refs: GuardrailRefs): PolicyDocument[] {
  return packPolicy(smokePolicyOf(plan, region, routing, refs), smokePolicyOf(plan, region, sizingRouting(region, plan.config.account), sizingRefsOf(plan, region)));
}

/**
 * What IAM cannot express. (1) One workload using a model through a guarded and an unguarded route: the condition is
 * per model, so the guardrail would be required of both routes' calls (the unguarded route fails) or of neither (the
 * guarded one can be bypassed); refused with the fix. (2) A principal that gets two policies that disagree about a
 * model's guardrail: one policy's Deny would refuse the other's calls.
 */
export function routeAccessProblems(plan: BaselinePlan): Problem[] {
  const problems: Problem[] = [];
  const c = plan.config;
  const usesOf = new Map<string, Map<string, ModelUse>>();
  for (const [w, cfg] of Object.entries(c.workloads)) {
    const uses = modelUses(plan, cfg.routes);
    usesOf.set(w, uses);
    for (const [id, use] of uses) {
      if (use.guardedBy.size === 0 || use.unguardedRoutes.length === 0) continue;
      const guarded = [...use.guardedBy].map(([g, tasks]) => `${quoteList(tasks)} (guardrail ${quote(g)})`).join(", ");
      const names = [...use.guardedBy.keys()];
      problems.push({
        path: jsonPath(["workloads", w, "routes"]),
        message: `uses ${id} through guarded route(s) ${guarded} and unguarded route(s) ${quoteList(use.unguardedRoutes)}; IAM conditions apply per model, not per route, so the guardrail cannot be required of one route's calls only`,
        fix: `give ${quoteList(use.unguardedRoutes)} "guardrail": ${quote(names[0])} too, route ${use.unguardedRoutes.length > 1 ? "them" : "it"} to a model the guarded routes do not use, or move the guarded and unguarded routes into separate workloads`,
      });
    }
  }

  // Principals attached to several baseline policies (workload principals and smoke principals), by IAM identity.
  const holders = new Map<string, Array<{ who: string; path: string; uses: Map<string, ModelUse>; enforces: boolean }>>();
  const hold = (arn: string, entry: { who: string; path: string; uses: Map<string, ModelUse>; enforces: boolean }) => holders.set(principalIdentity(arn), [...(holders.get(principalIdentity(arn)) ?? []), entry]);
  for (const [w, cfg] of Object.entries(c.workloads)) cfg.principals.forEach((arn, i) => hold(arn, { who: `workload ${w}`, path: jsonPath(["workloads", w, "principals", i]), uses: usesOf.get(w)!, enforces: true }));
  const allUses = modelUses(plan, Object.keys(c.routes));
  c.smoke.principals.forEach((arn, i) => hold(arn, { who: "the smoke policy", path: `smoke.principals[${i}]`, uses: allUses, enforces: false }));
  for (const entries of holders.values()) {
    if (entries.length < 2) continue;
    for (const a of entries) {
      if (!a.enforces) continue;
      for (const b of entries) {
        if (a.who === b.who) continue; // the same policy (a principal listed twice is reported as a duplicate)
        for (const [id, use] of a.uses) {
          const required = new Set(use.guardedBy.keys());
          const other = b.uses.get(id);
          if (required.size === 0 || !other) continue;
          const outside = [...other.guardedBy.keys()].filter((g) => !required.has(g));
          if (other.unguardedRoutes.length === 0 && outside.length === 0) continue;
          problems.push({
            path: b.path,
            message: `the principal also gets the policy of ${a.who}, which refuses calls to ${id} without guardrail ${quoteList([...required])}; ${b.who}'s ${other.unguardedRoutes.length ? "unguarded" : "other-guardrail"} calls to ${id} would be denied`,
            fix: `attach ${b.who === "the smoke policy" ? "the smoke policy" : "the two workloads' policies"} to different principals (or give the workloads created roles)`,
          });
        }
      }
    }
  }
  return problems;
}
