import { Geography, partitionOf } from "./geography";

/** How a stack invokes a model: through a geographic profile, the global profile, or the bare ID in-region. */
export type InvocationKind = "geo" | "global" | "on-demand";

/** Everything IAM, alarms and clients need to call one model from one region. */
export interface Invocation {
  readonly kind: InvocationKind;
  /** Foundation-model ID (the logical model). */
  readonly modelId: string;
  /** The ID clients send as Converse `modelId` (and the `ModelId` metric dimension). */
  readonly invokeId: string;
  /** The inference-profile ARN in the source region; absent for on-demand. */
  readonly profileArn?: string;
  /** Source (stack) region. */
  readonly region: string;
  /** Geography prefix for profile invocations. */
  readonly geography?: Geography;
}

/** `us.anthropic.claude-...` for geo, `global.anthropic...` for global, the bare ID for on-demand. */
export function invokeIdFor(kind: InvocationKind, modelId: string, geography?: Geography): string {
  if (kind === "on-demand") return modelId;
  if (kind === "global") return `global.${modelId}`;
  if (!geography) throw new Error(`geography required for a geo invocation of ${modelId}`);
  return `${geography}.${modelId}`;
}

/** Builds the invocation for a model in a region for an account. */
export function invocation(args: {
  kind: InvocationKind;
  modelId: string;
  region: string;
  account: string;
  geography?: Geography;
}): Invocation {
  const geography = args.kind === "global" ? "global" : args.kind === "geo" ? args.geography : undefined;
  const invokeId = invokeIdFor(args.kind, args.modelId, geography);
  return {
    kind: args.kind,
    modelId: args.modelId,
    invokeId,
    region: args.region,
    geography,
    profileArn: args.kind === "on-demand" ? undefined : inferenceProfileArn(args.region, args.account, invokeId),
  };
}

/** `arn:aws:bedrock:{region}:{account}:inference-profile/{profileId}` */
export function inferenceProfileArn(region: string, account: string, profileId: string): string {
  return `arn:${partitionOf(region)}:bedrock:${region}:${account}:inference-profile/${profileId}`;
}

/**
 * `arn:aws:bedrock:{region}::foundation-model/{modelId}`. Region `*` covers every destination a profile routes to;
 * region `""` is the region-less ARN that global routing evaluates.
 */
export function foundationModelArn(region: string, modelId: string, partition = partitionOf(region)): string {
  return `arn:${partition}:bedrock:${region}::foundation-model/${modelId}`;
}

const PROFILE_PREFIX = /^(us|eu|apac|jp|au|us-gov|global)\./;

/** True when `id` is a bare foundation-model ID (no profile prefix, not an ARN). */
export function isBareModelId(id: string): boolean {
  return !id.startsWith("arn:") && !PROFILE_PREFIX.test(id);
}

/** What an ID that is not a bare foundation-model ID names: a system inference profile (by ID or ARN), an application inference profile ARN, or a foundation-model ARN. */
export interface NonModelId {
  readonly kind: "profile" | "profile-arn" | "application-profile-arn" | "model-arn";
  /** The foundation-model ID it is of (none for an application profile, whose ID is opaque). */
  readonly modelId?: string;
  /** The profile's geography prefix (`us`, …, `global`). */
  readonly geography?: Geography;
}

const BEDROCK_ARN = /^arn:aws[a-z-]*:bedrock:[a-z0-9-]*:[0-9]*:(foundation-model|inference-profile|application-inference-profile)\/(.+)$/;

/**
 * What `id` names when it is an inference profile's ID or ARN, or a foundation model's ARN, where a foundation-model ID
 * belongs (what an environment file's models and routes name; the stack picks each region's profile). Undefined for
 * anything else, a bare model ID included. No provider's model ID starts with a geography prefix.
 */
export function nonModelId(id: string): NonModelId | undefined {
  const arn = BEDROCK_ARN.exec(id);
  if (arn) {
    if (arn[1] === "application-inference-profile") return { kind: "application-profile-arn" };
    const tail = arn[2];
    if (arn[1] === "foundation-model") return { kind: "model-arn", modelId: tail };
    const prefix = PROFILE_PREFIX.exec(tail);
    return { kind: "profile-arn", modelId: tail.replace(PROFILE_PREFIX, ""), ...(prefix ? { geography: prefix[1] as Geography } : {}) };
  }
  const prefix = PROFILE_PREFIX.exec(id);
  return prefix ? { kind: "profile", modelId: id.slice(prefix[0].length), geography: prefix[1] as Geography } : undefined;
}

/** Strips a profile prefix or ARN down to the foundation-model ID. */
export function modelIdOf(invokeIdOrArn: string): string {
  const tail = invokeIdOrArn.startsWith("arn:") ? invokeIdOrArn.slice(invokeIdOrArn.indexOf("/") + 1) : invokeIdOrArn;
  return tail.replace(PROFILE_PREFIX, "");
}
