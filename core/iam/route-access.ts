import { applicationProfiles, type BaselinePlan, type GuardrailRefs, profileArnOf, type ProfileRefs, routeCandidates, sizingProfileRefs, sizingRefs } from "../environment";
import { partitionOf } from "../aws";
import type { PolicyDocument, RoutingConfigArns } from "./iam-policy";
import type { InvokeConstraints, ModelGrant } from "./invoke-grants";
import { type NetworkAndKeys, type PrincipalGrants, type RegionRoutingArns, smokePolicy, workloadPolicy } from "./principal-policies";
import { quotaStoreTargets } from "./quota-store-policy";
import { ROUTE_SERVICE_TIERS } from "../runtime";

/** Values a region stack knows only once its resources exist: Terraform references at synth, real values after apply. */
export interface ApplyTimeRefs {
  /** The AppConfig routing profile's ARNs. */
  readonly routing: RoutingConfigArns;
  /** Where each declared guardrail is. */
  readonly guardrails: GuardrailRefs;
  /** Where each workload's application profiles are (cost attribution). Default: none. */
  readonly profiles?: ProfileRefs;
  /** The region's bedrock-runtime endpoint ID; required when the environment requires aws:SourceVpce. Default: none. */
  readonly sourceVpce?: string;
  /** The region's customer managed key; required when the environment uses one. Default: none. */
  readonly keyArn?: string;
}

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

/** Where each region stack's apply-time values are (Terraform references at synth, real values after apply), by region. */
export type EnvironmentRefs = Readonly<Record<string, ApplyTimeRefs>>;

/**
 * What a principal that uses `tasks` may invoke, model by model across the environment's regions (`regions`: where it
 * is granted), with its routes' tiers and guardrails (every region's ARN of each). `requireGuardrails`: a workload
 * must carry its routes' guardrails on every call of their models; the smoke principal, which probes guarded and
 * unguarded routes alike, gets ApplyGuardrail without that condition. `viaProfilesOf`: with cost attribution, the
 * workloads whose application profiles the principal invokes through (a model one of them uses in a region is granted
 * there only through their profiles).
 */
export function principalGrants(
  plan: BaselinePlan,
  tasks: readonly string[],
  refs: EnvironmentRefs,
  options: { requireGuardrails: boolean; models?: readonly string[]; viaProfilesOf?: readonly string[] },
): PrincipalGrants {
  const regions = plan.config.regions.filter((r, i, all) => all.indexOf(r) === i);
  const arnsOf = (names: Iterable<string>) => [...names].flatMap((n) => regions.map((r) => refOf(refs, r, n).arn));
  const uses = modelUses(plan, tasks);
  const applied = new Set<string>();
  const ids = options.models ?? [...uses.keys()];
  const models = ids.map((id): ModelGrant => {
    const use = uses.get(id);
    const guardrails = use ? [...use.guardedBy.keys()].sort() : [];
    guardrails.forEach((n) => applied.add(n));
    const constraints: InvokeConstraints = {
      ...(use ? { serviceTiers: allowedTiers(use) } : {}),
      ...(options.requireGuardrails && guardrails.length ? { guardrails: arnsOf(guardrails) } : {}),
    };
    const profiles = profileGrants(plan, regions, id, options.viaProfilesOf ?? [], refs);
    return {
      modelId: id,
      invocations: regions.flatMap((r) => (Object.hasOwn(plan.invocations[r] ?? {}, id) ? [plan.invocations[r][id]] : [])),
      constraints,
      ...(Object.keys(profiles).length ? { profiles } : {}),
    };
  });
  return { account: plan.config.account, models, applyGuardrails: arnsOf([...applied].sort()) };
}

/**
 * Region -> the ARNs of the application profiles of `workloads` for model `id` there (cost attribution), each as the
 * region's refs give it; empty when the plan attributes no cost.
 */
export function profileGrants(plan: BaselinePlan, regions: readonly string[], id: string, workloads: readonly string[], refs: EnvironmentRefs): Record<string, string[]> {
  const out: Record<string, string[]> = Object.create(null);
  if (!workloads.length) return out;
  for (const region of regions)
    for (const p of applicationProfiles(plan, region)) {
      if (p.modelId !== id || !workloads.includes(p.workload)) continue;
      const arn = Object.hasOwn(refs, region) ? profileArnOf(refs[region].profiles, p.workload, id) : undefined;
      if (arn === undefined) throw new Error(`no reference for the application profile of ${p.workload} and ${id} in ${region}`);
      (out[region] ??= []).push(arn);
    }
  return out;
}

function refOf(refs: EnvironmentRefs, region: string, name: string) {
  if (!Object.hasOwn(refs, region) || !Object.hasOwn(refs[region].guardrails, name)) throw new Error(`no reference for guardrail ${name} in ${region}`);
  return refs[region].guardrails[name];
}

function routingOf(plan: BaselinePlan, refs: EnvironmentRefs): RegionRoutingArns[] {
  return plan.config.regions.map((region) => {
    if (!Object.hasOwn(refs, region)) throw new Error(`no references for ${region}`);
    return { region, arns: refs[region].routing };
  });
}

/** What the policies need of the refs, as the environment's settings say (every region alike: validation sees to it). */
function networkAndKeys(plan: BaselinePlan, refs: EnvironmentRefs): NetworkAndKeys {
  const c = plan.config;
  const needsVpce = c.privateEndpoints?.enabled === true && c.privateEndpoints.requireSourceVpce;
  const needsKey = c.encryption !== undefined && c.encryption.keys !== "aws";
  const each = <T>(pick: (r: ApplyTimeRefs) => T | undefined, what: string): Array<[string, T]> =>
    c.regions.map((region) => {
      const value = Object.hasOwn(refs, region) ? pick(refs[region]) : undefined;
      if (value === undefined) throw new Error(`${what} of ${region} is needed but was not given`);
      return [region, value];
    });
  return {
    ...(needsVpce ? { sourceVpce: each((r) => r.sourceVpce, "the bedrock-runtime endpoint ID").map(([, id]) => id) } : {}),
    ...(needsKey ? { routingKeys: Object.fromEntries(each((r) => r.keyArn, "the customer managed key")) } : {}),
  };
}

/**
 * The environment-wide policy of one workload, with its routes' tier and guardrail conditions; the aws:SourceVpce Deny
 * when the environment requires it, and the routing keys' decrypt when the profiles are encrypted; with cost
 * attribution its models are granted only through its own application profiles.
 */
export function workloadPolicyOf(plan: BaselinePlan, workload: string, refs: EnvironmentRefs): PolicyDocument {
  const w = plan.config.workloads[workload];
  return workloadPolicy({
    grants: principalGrants(plan, w.routes, refs, { requireGuardrails: true, viaProfilesOf: [workload] }),
    routing: routingOf(plan, refs),
    metricsNamespace: plan.config.metricsNamespace,
    network: networkAndKeys(plan, refs),
    quotaStores: quotaStoreTargets(plan, plan.config.regions),
  });
}

/**
 * The environment-wide smoke policy: every enabled model, the tiers of every route, every route's guardrail; with cost
 * attribution a model the workloads use in a region is granted there through every workload's application profile
 * (smoke probes each), the others through their system profile.
 */
export function smokePolicyOf(plan: BaselinePlan, refs: EnvironmentRefs): PolicyDocument {
  // Every enabled model, in the order the plan enables them (a model no route names is probed too).
  const models = [...new Set(plan.config.regions.flatMap((r) => Object.keys(plan.invocations[r] ?? {})))];
  const { routingKeys } = networkAndKeys(plan, refs);
  return smokePolicy({ grants: principalGrants(plan, Object.keys(plan.config.routes), refs, { requireGuardrails: false, models, viaProfilesOf: Object.keys(plan.config.workloads) }), routing: routingOf(plan, refs), ...(routingKeys ? { routingKeys } : {}) });
}

/** Routing ARNs as long as they will be after apply (AppConfig IDs are 7 characters): for sizing, nothing is called. */
export function sizingRouting(region: string, account: string): RoutingConfigArns {
  const application = `arn:${partitionOf(region)}:appconfig:${region}:${account}:application/abc1234`;
  const environment = `${application}/environment/def5678`;
  return { application, environment, configuration: `${environment}/configuration/ghi9012` };
}

/** Every guardrail name the plan's routes and declarations mention (an undeclared one is sized like the rest). */
function guardrailNames(plan: BaselinePlan): Set<string> {
  return new Set([...Object.keys(plan.config.guardrails), ...Object.values(plan.config.routes).flatMap((r) => (r.guardrail ? [r.guardrail] : []))]);
}

/** References of the length real ones have in every region, for sizing the policies before anything exists. */
export function sizingEnvironmentRefs(plan: BaselinePlan): EnvironmentRefs {
  const c = plan.config;
  const guardrails = guardrailNames(plan);
  return Object.fromEntries(
    c.regions.map((region) => [
      region,
      {
        routing: sizingRouting(region, c.account),
        guardrails: sizingRefs(guardrails, region, c.account, partitionOf(region)),
        profiles: sizingProfileRefs(plan, region),
        // An interface endpoint ID and a key ARN as long as real ones.
        sourceVpce: "vpce-0123456789abcdef0",
        keyArn: `arn:${partitionOf(region)}:kms:${region}:${c.account}:key/12345678-90ab-cdef-1234-567890abcdef`,
      },
    ]),
  );
}
