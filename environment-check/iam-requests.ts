import { AWS_REGIONS, foundationModelArn, type Geography, geographiesFor, inferenceProfileArn, type Invocation, partitionOf } from "../core/aws";
import { regionArea } from "../core/iam";
import type { IamRequest } from "./iam-simulator";

// The requests that prove a Bedrock grant exact: for each invocation a policy grants, the calls that must be allowed,
// and the calls around them (other model, other profile, direct foundation-model call, other action, other account)
// that must be denied. Grant shape: https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-prereq.html

/** The two invoke actions a route's calls use (Converse and ConverseStream authorize as these). */
export const INVOKE_ACTIONS = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"] as const;

/** An account that is never the environment's: its profiles must not open anything. */
export const OTHER_ACCOUNT = "999999999999";

/** A model ID no environment enables: a grant must not reach it. */
export const NEVER_ENABLED_MODEL = "example.model-never-enabled-v1:0";

/**
 * Regions each geography's profiles route to (some of them, enough to prove the grant is not bound to the source
 * region): https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-support.html. Global profiles route
 * region-less.
 */
export const DESTINATIONS: Readonly<Record<Exclude<Geography, "global">, readonly string[]>> = {
  us: ["us-east-1", "us-east-2", "us-west-2"],
  eu: ["eu-central-1", "eu-north-1", "eu-west-1", "eu-west-3"],
  apac: ["ap-northeast-1", "ap-southeast-1", "ap-southeast-2", "ap-south-1"],
  jp: ["ap-northeast-1", "ap-northeast-3"],
  au: ["ap-southeast-2", "ap-southeast-4"],
  "us-gov": ["us-gov-east-1", "us-gov-west-1"],
};

/** Requests that must be allowed and requests that must be denied. */
export interface RequestCases {
  readonly allowed: IamRequest[];
  readonly denied: IamRequest[];
}

/**
 * Regions of `region`'s partition outside the environment (`envRegions`), those of its area (us-*, eu-*, ap-*) first:
 * a policy for the environment must open nothing there. Empty when the environment has them all.
 */
export function outsideRegions(region: string, envRegions: readonly string[]): string[] {
  const candidates = [...AWS_REGIONS.keys()].filter((r) => partitionOf(r) === partitionOf(region) && !envRegions.includes(r));
  return [...candidates.filter((r) => regionArea(r) === regionArea(region)), ...candidates.filter((r) => regionArea(r) !== regionArea(region))];
}

/** A geographic profile ID prefix that is not `geo` and fits nothing in the policy (for "other profile" cases). */
const otherGeography = (geo: string | undefined) => (geo === "eu" ? "us" : "eu");

/** Allowed and denied calls of one invoke action for a profile (geo or global) invocation. */
function profileCases(inv: Invocation, account: string, a: (label: string, resource: string, context: Record<string, string>, resourceAccount?: string) => IamRequest, allowed: IamRequest[], denied: IamRequest[], outside: readonly string[]): void {
  const src = inv.region;
  const profile = inv.profileArn!;
  allowed.push(a(`profile ${inv.invokeId}`, profile, { "aws:RequestedRegion": src }));
  // The same profile in a region of the partition the environment does not use (one of the source's area first).
  if (outside.length) denied.push(a(`profile ${inv.invokeId} in ${outside[0]}, outside the environment`, inferenceProfileArn(outside[0], account, inv.invokeId), { "aws:RequestedRegion": outside[0] }));
  denied.push(a(`profile ${inv.invokeId} in another account`, inferenceProfileArn(src, OTHER_ACCOUNT, inv.invokeId), { "aws:RequestedRegion": src }, OTHER_ACCOUNT));
  const otherProfileId = `${otherGeography(inv.geography)}.${inv.modelId}`;
  const otherProfile = inferenceProfileArn(src, account, otherProfileId);
  denied.push(a(`other-geography profile ${otherProfileId}`, otherProfile, { "aws:RequestedRegion": src }));
  if (inv.kind === "geo") {
    const dests = DESTINATIONS[inv.geography as keyof typeof DESTINATIONS] ?? [src];
    for (const dest of dests) {
      allowed.push(a(`${inv.modelId} in ${dest} via ${inv.invokeId}`, foundationModelArn(dest, inv.modelId), { "aws:RequestedRegion": dest, "bedrock:InferenceProfileArn": profile }));
      denied.push(a(`${inv.modelId} in ${dest} without the profile`, foundationModelArn(dest, inv.modelId), { "aws:RequestedRegion": dest }));
      if (dest !== dests[0]) continue;
      denied.push(
        a(`${inv.modelId} in ${dest} via ${otherProfileId}`, foundationModelArn(dest, inv.modelId), { "aws:RequestedRegion": dest, "bedrock:InferenceProfileArn": otherProfile }),
        a(`${inv.modelId} in ${dest} via the profile of another account`, foundationModelArn(dest, inv.modelId), {
          "aws:RequestedRegion": dest,
          "bedrock:InferenceProfileArn": inferenceProfileArn(src, OTHER_ACCOUNT, inv.invokeId),
        }),
      );
    }
    return;
  }
  // Global: profile in the source region, the model in the source region, and the region-less routed ARN.
  // https://docs.aws.amazon.com/bedrock/latest/userguide/global-cross-region-inference.html
  const global = foundationModelArn("", inv.modelId, "aws");
  allowed.push(
    a(`${inv.modelId} in ${src} via ${inv.invokeId}`, foundationModelArn(src, inv.modelId), { "aws:RequestedRegion": src, "bedrock:InferenceProfileArn": profile }),
    a(`${inv.modelId} routed globally via ${inv.invokeId}`, global, { "aws:RequestedRegion": "unspecified", "bedrock:InferenceProfileArn": profile }),
  );
  denied.push(
    a(`${inv.modelId} routed globally with aws:RequestedRegion ${src}`, global, { "aws:RequestedRegion": src, "bedrock:InferenceProfileArn": profile }),
    a(`${inv.modelId} routed globally without the profile`, global, { "aws:RequestedRegion": "unspecified" }),
  );
  for (const other of outside.slice(0, 1))
    denied.push(
      a(`global profile ${inv.invokeId} with aws:RequestedRegion ${other}`, profile, { "aws:RequestedRegion": other }),
      a(`${inv.modelId} in ${src} via the profile with aws:RequestedRegion ${other}`, foundationModelArn(src, inv.modelId), { "aws:RequestedRegion": other, "bedrock:InferenceProfileArn": profile }),
    );
}

/**
 * Requests that must be allowed for a granted invocation, and requests around it that must be denied. `extra` is
 * context every invoke call carries (the route's guardrail); `envRegions`, the environment's regions (the policy is
 * the environment's: "another region" means one outside them). Allowed cases run for both invoke actions; denials
 * with InvokeModel, plus the streaming action for the direct-call case (each simulation costs ~2 ms).
 */
export function casesFor(inv: Invocation, account: string, extra: Readonly<Record<string, string>> = {}, envRegions: readonly string[] = [inv.region]): RequestCases {
  const src = inv.region;
  const outside = outsideRegions(src, envRegions);
  const allowed: IamRequest[] = [];
  const denied: IamRequest[] = [];
  for (const action of INVOKE_ACTIONS) {
    const a = (label: string, resource: string, context: Record<string, string>, resourceAccount = account): IamRequest => ({ label: `${action} ${label}`, action, resource, context: { ...context, ...extra }, resourceAccount });
    const streaming = action !== INVOKE_ACTIONS[0];
    const deniedHere: IamRequest[] = [];
    if (inv.kind === "on-demand") {
      allowed.push(a(`on-demand ${inv.modelId} in ${src}`, foundationModelArn(src, inv.modelId), { "aws:RequestedRegion": src }));
      for (const other of outside.slice(0, 2)) deniedHere.push(a(`on-demand ${inv.modelId} in another region ${other}`, foundationModelArn(other, inv.modelId), { "aws:RequestedRegion": other }));
    } else {
      denied.push(a(`direct foundation-model call to ${inv.modelId} in ${src} (no profile)`, foundationModelArn(src, inv.modelId), { "aws:RequestedRegion": src }));
      profileCases(inv, account, a, allowed, deniedHere, outside);
    }
    if (!streaming) denied.push(...deniedHere);
  }
  // Other Bedrock actions on what the policy does grant (checked once per model).
  const fmContext: Record<string, string> = inv.profileArn ? { "aws:RequestedRegion": src, "bedrock:InferenceProfileArn": inv.profileArn } : { "aws:RequestedRegion": src };
  denied.push(
    { label: `bedrock:CreateModelCustomizationJob on ${inv.modelId}`, action: "bedrock:CreateModelCustomizationJob", resource: foundationModelArn(src, inv.modelId), context: fmContext, resourceAccount: account },
    { label: "bedrock:InvokeAgent", action: "bedrock:InvokeAgent", resource: `arn:aws:bedrock:${src}:${account}:agent-alias/AGENT12345/ALIAS12345`, context: { "aws:RequestedRegion": src }, resourceAccount: account },
  );
  if (inv.profileArn)
    denied.push({ label: `bedrock:GetInferenceProfile on ${inv.invokeId}`, action: "bedrock:GetInferenceProfile", resource: inv.profileArn, context: { "aws:RequestedRegion": src }, resourceAccount: account });
  return { allowed, denied };
}

/** Requests for a model the policy must not grant, through that model's own profile in the source region's geography. */
export function notGrantedCases(modelId: string, inv: Invocation | undefined, region: string, account: string): IamRequest[] {
  const action = INVOKE_ACTIONS[0];
  const invokeId = inv?.invokeId ?? `${geographiesFor(region)[0] ?? "us"}.${modelId}`;
  const profile = inv?.profileArn ?? inferenceProfileArn(region, account, invokeId);
  return [
    { label: `${action} profile of ungranted ${invokeId}`, action, resource: profile, context: { "aws:RequestedRegion": region }, resourceAccount: account },
    { label: `${action} ungranted ${modelId} via its profile`, action, resource: foundationModelArn(region, modelId), context: { "aws:RequestedRegion": region, "bedrock:InferenceProfileArn": profile }, resourceAccount: account },
    {
      label: `${action} ungranted ${modelId} routed globally`,
      action,
      resource: foundationModelArn("", modelId, "aws"),
      context: { "aws:RequestedRegion": "unspecified", "bedrock:InferenceProfileArn": inferenceProfileArn(region, account, `global.${modelId}`) },
      resourceAccount: account,
    },
  ];
}

/** Bearer-token (Bedrock API key) calls to both endpoints, for both key types (`bedrock:BearerTokenType`). */
export function bearerRequests(region: string, account: string): IamRequest[] {
  return ["SHORT_TERM", "LONG_TERM"].flatMap((type): IamRequest[] =>
    ["bedrock", "bedrock-mantle"].map((service) => ({
      label: `${service}:CallWithBearerToken with a ${type} key`,
      action: `${service}:CallWithBearerToken`,
      // The action has no resource type (Service Authorization Reference): it is evaluated against "*".
      resource: "*",
      context: { "aws:RequestedRegion": region, [`${service}:BearerTokenType`]: type },
      resourceAccount: account,
    })),
  );
}

/** A Messages-API inference call on the bedrock-mantle endpoint (resource type `project`). */
export function mantleInference(region: string, account: string, model: string): IamRequest {
  return {
    label: `bedrock-mantle:CreateInference for ${model}`,
    action: "bedrock-mantle:CreateInference",
    resource: `arn:aws:bedrock-mantle:${region}:${account}:project/default`,
    context: { "aws:RequestedRegion": region, "bedrock-mantle:Model": model },
    resourceAccount: account,
  };
}

/** Another granted model's profile must not open this model: `a` through the profile of `b`, for each pair. */
export function crossProfileCases(invocations: Readonly<Record<string, Invocation>>, granted: readonly string[], region: string, account: string): IamRequest[] {
  const out: IamRequest[] = [];
  for (const a of granted)
    for (const b of granted)
      if (a !== b && invocations[b].profileArn && invocations[a].kind !== "on-demand")
        out.push({
          label: `${a} via the profile of ${b}`,
          action: INVOKE_ACTIONS[0],
          resource: foundationModelArn(invocations[a].kind === "global" ? "" : region, a, "aws"),
          context: { "aws:RequestedRegion": invocations[a].kind === "global" ? "unspecified" : region, "bedrock:InferenceProfileArn": invocations[b].profileArn! },
          resourceAccount: account,
        });
  return out;
}

/**
 * Requests proving a grant through an application inference profile exact (cost attribution): the profile and the
 * foundation model through it are allowed (where the profile it copies routes); the system profile, the foundation
 * model directly or through the system profile, another workload's profile and the model through it, and the profile
 * in another account are denied, so attribution cannot be bypassed. `others`: application profiles of the same model
 * the principal must not use.
 */
export function applicationProfileCases(inv: Invocation, profile: string, others: readonly string[], account: string, extra: Readonly<Record<string, string>> = {}): RequestCases {
  const src = inv.region;
  const allowed: IamRequest[] = [];
  const denied: IamRequest[] = [];
  const req = (action: string, label: string, resource: string, context: Record<string, string>, resourceAccount = account): IamRequest => ({ label: `${action} ${label}`, action, resource, context: { ...context, ...extra }, resourceAccount });
  // Where the copy's calls reach the model: any destination of a geographic copy, in-region and region-less for a
  // global one, the source region for a copy of the model itself.
  const reach: Array<[string, string]> =
    inv.kind === "geo"
      ? (DESTINATIONS[inv.geography as keyof typeof DESTINATIONS] ?? [src]).map((d) => [foundationModelArn(d, inv.modelId), d])
      : inv.kind === "global"
        ? [[foundationModelArn(src, inv.modelId), src], [foundationModelArn("", inv.modelId, "aws"), "unspecified"]]
        : [[foundationModelArn(src, inv.modelId), src]];
  for (const action of INVOKE_ACTIONS) {
    allowed.push(req(action, `application profile ${profile} of ${inv.modelId}`, profile, { "aws:RequestedRegion": src }));
    for (const [fm, region] of reach) allowed.push(req(action, `${inv.modelId} (${region}) via application profile ${profile}`, fm, { "aws:RequestedRegion": region, "bedrock:InferenceProfileArn": profile }));
  }
  const action = INVOKE_ACTIONS[0];
  const [firstFm, firstRegion] = reach[0];
  denied.push(req(action, `direct foundation-model call to ${inv.modelId} in ${src} (attribution bypassed)`, foundationModelArn(src, inv.modelId), { "aws:RequestedRegion": src }));
  if (inv.profileArn)
    denied.push(
      req(action, `the system profile ${inv.invokeId} (attribution bypassed)`, inv.profileArn, { "aws:RequestedRegion": src }),
      req(action, `${inv.modelId} (${firstRegion}) via the system profile ${inv.invokeId}`, firstFm, { "aws:RequestedRegion": firstRegion, "bedrock:InferenceProfileArn": inv.profileArn }),
    );
  for (const other of others)
    denied.push(
      req(action, `another workload's application profile ${other}`, other, { "aws:RequestedRegion": src }),
      req(action, `${inv.modelId} (${firstRegion}) via another workload's application profile ${other}`, firstFm, { "aws:RequestedRegion": firstRegion, "bedrock:InferenceProfileArn": other }),
    );
  const foreign = profile.replace(`:${account}:`, `:${OTHER_ACCOUNT}:`);
  denied.push(req(action, `application profile ${profile} in another account`, foreign, { "aws:RequestedRegion": src }, OTHER_ACCOUNT));
  return { allowed, denied };
}
