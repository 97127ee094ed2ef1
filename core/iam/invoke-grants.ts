import { foundationModelArn, type Invocation, partitionOf } from "../aws";
import { INVOKE_ACTIONS, type PolicyStatement } from "./iam-policy";

/*
 * The invoke grants of one principal across every region of an environment. IAM is global, so a principal gets one
 * policy for the whole environment (core/iam/environment-policies.ts) and its size, not the number of regions, decides
 * how many managed policies it takes. The grants follow AWS's prescribed shapes
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/geographic-cross-region-inference.html,
 * https://docs.aws.amazon.com/bedrock/latest/userguide/global-cross-region-inference.html), written once per model and
 * profile rather than once per region:
 *
 * - a profile (geographic or global) is granted as `arn:…:bedrock:?*:<account>:inference-profile/<profile ID>` with
 *   `aws:RequestedRegion` limited to the regions that invoke the model through that profile; profiles with the same
 *   regions (and tiers) share one statement;
 * - a geographic profile's foundation model (any destination region) only with `bedrock:InferenceProfileArn` naming
 *   that profile in the areas of those regions (`arn:…:bedrock:us-*:<account>:inference-profile/us.<model>`);
 * - a global profile's model in the source region and region-less, with the same region and profile conditions;
 * - an on-demand model as `arn:…:bedrock:?*::foundation-model/<model>` limited to its regions.
 *
 * What this allows is what the per-region policies allowed together, for every call Bedrock serves: a call names a
 * resource of the region it is sent to (its aws:RequestedRegion), and a cross-region profile's model is authorized
 * only after the profile itself (both are required: the pages above). The requests in between, a profile of one
 * region named in a call to another region, or a model routed through a profile the principal may not call, are
 * not calls a client can make succeed; the IAM matrix (environment-check/iam-matrix.ts) proves every region's calls
 * allowed and their neighbours (other model, other profile, a region outside the environment, direct calls, other
 * actions, other accounts) denied. `?*` (at least one character) keeps the region-less ARN global routing evaluates
 * out of the in-region grants.
 */

/** What a principal's routes require of its calls to one model; both conditions are on the request. */
export interface InvokeConstraints {
  /**
   * The `bedrock:ServiceTier` values the calls may carry (StringEqualsIfExists: whether Bedrock sets the key on a request
   * that names no tier is UNCONFIRMED, so an absent key passes; callers list "default" wherever a route names no tier).
   * Default: no tier condition.
   */
  readonly serviceTiers?: readonly string[];
  /**
   * Guardrail ARNs (every region's) one of which every call must carry, any published version: an explicit Deny refuses
   * the model's calls without one, whatever other policies on the principal allow. Default: none.
   */
  readonly guardrails?: readonly string[];
}

/** One model a principal may invoke: how, in each region it is granted in, and under which constraints. */
export interface ModelGrant {
  readonly modelId: string;
  /** One invocation per region (the region's profile, or on-demand), in region order. */
  readonly invocations: readonly Invocation[];
  /** Default: none. */
  readonly constraints?: InvokeConstraints;
  /**
   * Region -> the application inference profile ARNs the principal invokes the model through there (cost attribution,
   * docs/cost.md): in those regions neither the system profile nor the foundation model is granted but through one of
   * them. Default: none (every region through its system profile, or on-demand).
   */
  readonly profiles?: Readonly<Record<string, readonly string[]>>;
}

/** The application profile ARNs of a grant in a region (none when the region invokes it the system way). */
function profilesIn(grant: ModelGrant, region: string): readonly string[] {
  return grant.profiles && Object.hasOwn(grant.profiles, region) ? grant.profiles[region] : [];
}

/** The grant without its regions invoked through application profiles. */
function systemPart(grant: ModelGrant): ModelGrant {
  return { ...grant, invocations: grant.invocations.filter((inv) => profilesIn(grant, inv.region).length === 0) };
}

/** The grant's invocations through application profiles, each with the profile ARNs of its region. */
function applicationPart(grant: ModelGrant): Array<{ readonly invocation: Invocation; readonly arns: readonly string[] }> {
  return grant.invocations.flatMap((inv) => {
    const arns = profilesIn(grant, inv.region);
    return arns.length ? [{ invocation: inv, arns }] : [];
  });
}

/**
 * The `bedrock:GuardrailIdentifier` patterns of some guardrails: `<guardrail ARN>:*`, any numeric version and not the
 * DRAFT (whose identifier is the bare ARN), as AWS's "any of its numeric versions" example writes it with ArnLike
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-permissions-id.html, example 3). Not one pinned
 * version: after a guardrail change the stack publishes the next version while AppConfig rolls the new routing document
 * out gradually, and clients still on the previous document must keep working with the previous version.
 */
export function guardrailVersions(guardrailArns: readonly string[]): string[] {
  return guardrailArns.map((arn) => `${arn}:*`);
}

/** `us-east-1` -> `us-*`, `ap-northeast-1` -> `ap-*`, `us-gov-west-1` -> `us-gov-*`: the area a region's profiles live in. */
export function regionArea(region: string): string {
  return region.replace(/-[a-z]+-\d+$/, "-*");
}

type Conditions = Record<string, Record<string, string | readonly string[]>>;
type Group = { readonly invocation: Invocation; readonly regions: string[] };

/** The model's invocations grouped by invoke ID (one profile, or on-demand), with the regions of each. */
function groupsOf(grant: ModelGrant): Group[] {
  const byId = new Map<string, Group>();
  for (const inv of grant.invocations) {
    const g = byId.get(inv.invokeId) ?? { invocation: inv, regions: [] };
    if (!g.regions.includes(inv.region)) g.regions.push(inv.region);
    byId.set(inv.invokeId, g);
  }
  return [...byId.values()].map((g) => ({ ...g, regions: [...g.regions].sort() }));
}

function tierCondition(c: InvokeConstraints | undefined): Conditions {
  return c?.serviceTiers ? { StringEqualsIfExists: { "bedrock:ServiceTier": [...c.serviceTiers] } } : {};
}

/** ArnLike patterns of a profile in the areas of the given regions (one per area). */
function profilePatterns(g: Group, account: string): string[] {
  const partition = partitionOf(g.invocation.region);
  return [...new Set(g.regions.map(regionArea))].map((area) => `arn:${partition}:bedrock:${area}:${account}:inference-profile/${g.invocation.invokeId}`);
}

const allow = (Sid: string, Resource: string | string[], Condition: Conditions): PolicyStatement =>
  Object.keys(Condition).length ? { Sid, Effect: "Allow", Action: INVOKE_ACTIONS, Resource, Condition } : { Sid, Effect: "Allow", Action: INVOKE_ACTIONS, Resource };

/**
 * Statements that grant a profile or an on-demand model in some regions: one per (kind, regions, tiers), its resources
 * every grant's that shares them, in first-seen order.
 */
function sharedGrants(grants: readonly ModelGrant[], account: string): PolicyStatement[] {
  const shared = new Map<string, { onDemand: boolean; regions: string[]; tiers: Conditions; resources: string[] }>();
  for (const grant of grants)
    for (const g of groupsOf(grant)) {
      const onDemand = g.invocation.kind === "on-demand";
      const partition = partitionOf(g.invocation.region);
      const resource = onDemand ? `arn:${partition}:bedrock:?*::foundation-model/${grant.modelId}` : `arn:${partition}:bedrock:?*:${account}:inference-profile/${g.invocation.invokeId}`;
      const tiers = tierCondition(grant.constraints);
      const key = JSON.stringify([onDemand, g.regions, tiers]);
      const entry = shared.get(key) ?? { onDemand, regions: g.regions, tiers, resources: [] };
      if (!entry.resources.includes(resource)) entry.resources.push(resource);
      shared.set(key, entry);
    }
  return [...shared.values()].map((e, i) =>
    allow(`${e.onDemand ? "InvokeOnDemand" : "InvokeProfiles"}${i + 1}`, e.resources, { ...e.tiers, StringEquals: { "aws:RequestedRegion": e.regions } }),
  );
}

/**
 * The statements only one model can have: its foundation model reached through its own profiles. Sids are numbered by
 * the model's place in the grants (`n`): the model's ID is in the statement's resource, and a Sid spelling it out
 * costs some 40 characters a statement of the 6,144 a managed policy holds.
 */
function modelGrants(grant: ModelGrant, account: string, n: number): PolicyStatement[] {
  const groups = groupsOf(grant);
  const tiers = tierCondition(grant.constraints);
  const partition = partitionOf(grant.invocations[0].region);
  const out: PolicyStatement[] = [];
  const geo = groups.filter((g) => g.invocation.kind === "geo");
  if (geo.length)
    out.push(allow(`InvokeViaProfile${n}`, foundationModelArn("*", grant.modelId, partition), { ...tiers, ArnLike: { "bedrock:InferenceProfileArn": geo.flatMap((g) => profilePatterns(g, account)) } }));
  for (const g of groups.filter((x) => x.invocation.kind === "global")) {
    const viaProfile = { "bedrock:InferenceProfileArn": profilePatterns(g, account) };
    // Global routing evaluates the source region's model ARN, then the region-less one with aws:RequestedRegion
    // "unspecified" (https://docs.aws.amazon.com/bedrock/latest/userguide/global-cross-region-inference.html).
    out.push(
      allow(`InvokeGlobalInRegion${n}`, `arn:${partition}:bedrock:?*::foundation-model/${grant.modelId}`, { ...tiers, StringEquals: { "aws:RequestedRegion": g.regions }, ArnLike: viaProfile }),
      allow(`InvokeGlobalRouted${n}`, foundationModelArn("", grant.modelId, partition), { ...tiers, StringEquals: { "aws:RequestedRegion": "unspecified" }, ArnLike: viaProfile }),
    );
  }
  return out;
}

/**
 * Invoke grants through application inference profiles
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-prereq.html): the profiles themselves (their
 * ARNs name their region, so no region condition is needed), and the foundation model only where the call comes
 * through one of them (`bedrock:InferenceProfileArn`), in the regions the profile it copies routes to: any region for a
 * geographic copy, the source regions and region-less for a global copy (as its system profile's grant, above), the
 * source regions for a copy of the foundation model (on-demand). The system profile is not granted, so a call cannot
 * bypass attribution. UNCONFIRMED: that Bedrock authorizes an application profile's call on the profile and the
 * foundation models alone (not also on the system profile it copies); a live smoke run proves it (docs/cost.md).
 */
function applicationGrants(grant: ModelGrant, n: number): PolicyStatement[] {
  const parts = applicationPart(grant);
  if (!parts.length) return [];
  const tiers = tierCondition(grant.constraints);
  const partition = partitionOf(parts[0].invocation.region);
  const id = grant.modelId;
  const arnsOf = (kinds: readonly string[]) => [...new Set(parts.filter((p) => kinds.includes(p.invocation.kind)).flatMap((p) => p.arns))];
  const regionsOf = (kind: string) => [...new Set(parts.filter((p) => p.invocation.kind === kind).map((p) => p.invocation.region))].sort();
  const out: PolicyStatement[] = [allow(`InvokeAppProfiles${n}`, arnsOf(["geo", "global", "on-demand"]), tiers)];
  const geo = arnsOf(["geo"]);
  if (geo.length) out.push(allow(`InvokeViaAppProfile${n}`, foundationModelArn("*", id, partition), { ...tiers, StringEquals: { "bedrock:InferenceProfileArn": geo } }));
  const onDemand = arnsOf(["on-demand"]);
  if (onDemand.length)
    out.push(
      allow(`InvokeInRegionViaAppProfile${n}`, `arn:${partition}:bedrock:?*::foundation-model/${id}`, { ...tiers, StringEquals: { "aws:RequestedRegion": regionsOf("on-demand"), "bedrock:InferenceProfileArn": onDemand } }),
    );
  const global = arnsOf(["global"]);
  if (global.length)
    out.push(
      allow(`InvokeGlobalInRegionViaAppProfile${n}`, `arn:${partition}:bedrock:?*::foundation-model/${id}`, { ...tiers, StringEquals: { "aws:RequestedRegion": regionsOf("global"), "bedrock:InferenceProfileArn": global } }),
      allow(`InvokeGlobalRoutedViaAppProfile${n}`, foundationModelArn("", id, partition), { ...tiers, StringEquals: { "aws:RequestedRegion": "unspecified", "bedrock:InferenceProfileArn": global } }),
    );
  return out;
}

/**
 * The explicit Deny AWS's enforcement examples pair with a guarded grant
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-permissions-id.html): every ARN the models are invoked
 * through (their profiles, system or application, and the foundation model, in any region and region-less), refused unless the call carries one
 * of the guardrails. A negated operator matches when the key is absent, so a call without any guardrail is denied too.
 * One statement per set of guardrails, naming the models guarded by exactly that set.
 */
function unguardedDenies(grants: readonly ModelGrant[], account: string): PolicyStatement[] {
  const bySet = new Map<string, { guardrails: readonly string[]; resources: string[] }>();
  for (const grant of grants) {
    const guardrails = grant.constraints?.guardrails;
    if (!guardrails?.length) continue;
    const partition = partitionOf(grant.invocations[0].region);
    const key = JSON.stringify([...guardrails].sort());
    const entry = bySet.get(key) ?? { guardrails: [...guardrails].sort(), resources: [] };
    const profiles = groupsOf(systemPart(grant)).filter((g) => g.invocation.kind !== "on-demand").map((g) => `arn:${partition}:bedrock:*:${account}:inference-profile/${g.invocation.invokeId}`);
    const applicationProfiles = applicationPart(grant).flatMap((p) => p.arns);
    entry.resources.push(...applicationProfiles, ...profiles, foundationModelArn("*", grant.modelId, partition), foundationModelArn("", grant.modelId, partition));
    bySet.set(key, entry);
  }
  return [...bySet.values()].map((e, i) => ({
    Sid: `DenyUnguarded${i + 1}`,
    Effect: "Deny",
    Action: INVOKE_ACTIONS,
    Resource: e.resources,
    Condition: { ArnNotLike: { "bedrock:GuardrailIdentifier": guardrailVersions(e.guardrails) } },
  }));
}

/**
 * Every invoke statement of a principal's grants in `account`: the shared profile and on-demand grants, each model's
 * own, its grants through application profiles (cost attribution), then the Denies of calls without a required guardrail. The grants carry no guardrail condition: the Deny, in
 * the same policy, decides every call it covers (and stays in force beside any other policy on the principal).
 */
export function invokeGrantStatements(grants: readonly ModelGrant[], account: string): PolicyStatement[] {
  const live = grants.filter((g) => g.invocations.length > 0);
  const system = live.map(systemPart);
  const viaSystem = system.filter((g) => g.invocations.length > 0);
  return [
    ...sharedGrants(viaSystem, account),
    ...system.flatMap((g, i) => (g.invocations.length ? modelGrants(g, account, i + 1) : [])),
    ...live.flatMap((g, i) => applicationGrants(g, i + 1)),
    ...unguardedDenies(live, account),
  ];
}

/**
 * What a principal's calls name first, as the aws:SourceVpce Deny lists them: each system profile (any region), each
 * on-demand model in its regions, each application profile.
 */
export function entryPoints(grants: readonly ModelGrant[], account: string): string[] {
  const entries = new Set<string>();
  for (const g of grants) {
    for (const inv of systemPart(g).invocations)
      entries.add(inv.kind === "on-demand" ? foundationModelArn(inv.region, inv.modelId) : `arn:${partitionOf(inv.region)}:bedrock:?*:${account}:inference-profile/${inv.invokeId}`);
    for (const p of applicationPart(g)) p.arns.forEach((arn) => entries.add(arn));
  }
  return [...entries];
}

/**
 * Converse with `guardrailConfig` also needs `bedrock:ApplyGuardrail` on the guardrail itself (its ARN without a
 * version, as in AWS's example); granted on exactly the guardrails the principal's routes apply, in every region.
 */
export function applyGuardrailStatement(guardrailArns: readonly string[]): PolicyStatement[] {
  return guardrailArns.length ? [{ Sid: "ApplyRouteGuardrails", Effect: "Allow", Action: ["bedrock:ApplyGuardrail"], Resource: [...guardrailArns] }] : [];
}
