import { applicationProfiles, type BaselinePlan, type GuardrailRefs, profileArnOf, type ProfileRefs, routeCandidates, workloadInvocations } from "../environment";
import { partitionOf } from "../aws";
import { type InvokeConstraints, type NetworkAndKey, type PolicyDocument, type RouteConstraints, type RoutingConfigArns, smokePolicy, workloadPolicy } from "./iam-policy";
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

/**
 * Foundation-model ID -> the application profile ARNs of `workloads` in the region (cost attribution), each as `profiles`
 * gives it; empty when the plan attributes no cost.
 */
export function profileGrants(plan: BaselinePlan, region: string, workloads: readonly string[], profiles: ProfileRefs): Record<string, string[]> {
  const out: Record<string, string[]> = Object.create(null);
  for (const p of applicationProfiles(plan, region)) {
    if (!workloads.includes(p.workload)) continue;
    const arn = profileArnOf(profiles, p.workload, p.modelId);
    if (arn === undefined) throw new Error(`no reference for the application profile of ${p.workload} and ${p.modelId}`);
    (out[p.modelId] ??= []).push(arn);
  }
  return out;
}

/**
 * The policy of one workload in one region, with its routes' tier and guardrail conditions; `network` adds the
 * aws:SourceVpce Deny (when the environment requires it) and the routing key's decrypt (when the profile is encrypted);
 * with cost attribution its models are granted only through its own application profiles.
 */
export function workloadPolicyOf(plan: BaselinePlan, region: string, workload: string, routing: RoutingConfigArns, refs: GuardrailRefs, network: NetworkAndKey = {}, profiles: ProfileRefs = {}): PolicyDocument {
  const w = plan.config.workloads[workload];
  return workloadPolicy({
    invocations: workloadInvocations(plan, region, workload),
    routing,
    metricsNamespace: plan.config.metricsNamespace,
    constraints: { ...routeConstraints(plan, w.routes, refs, { requireGuardrails: true }), profiles: profileGrants(plan, region, [workload], profiles) },
    region,
    ...network,
  });
}

/**
 * The smoke policy of one region: every enabled model, the tiers of every route, every route's guardrail; with cost
 * attribution a model the workloads use is granted through every workload's application profile (smoke probes each),
 * the others through their system profile. It never requires the endpoint (CI may run smoke outside the VPC).
 */
export function smokePolicyOf(plan: BaselinePlan, region: string, routing: RoutingConfigArns, refs: GuardrailRefs, network: NetworkAndKey = {}, profiles: ProfileRefs = {}): PolicyDocument {
  return smokePolicy({
    invocations: Object.values(plan.invocations[region]),
    routing,
    region,
    account: plan.config.account,
    constraints: { ...routeConstraints(plan, Object.keys(plan.config.routes), refs, { requireGuardrails: false }), profiles: profileGrants(plan, region, Object.keys(plan.config.workloads), profiles) },
    ...(network.routingKeyArn ? { routingKeyArn: network.routingKeyArn } : {}),
  });
}

/** Routing ARNs as long as they will be after apply (AppConfig IDs are 7 characters): for sizing, nothing is called. */
export function sizingRouting(region: string, account: string): RoutingConfigArns {
  const application = `arn:${partitionOf(region)}:appconfig:${region}:${account}:application/abc1234`;
  const environment = `${application}/environment/def5678`;
  return { application, environment, configuration: `${environment}/configuration/ghi9012` };
}
