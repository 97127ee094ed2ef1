import { foundationModelArn, inferenceProfileArn, modelIdOf, partitionOf } from "../core/aws";

export const MODALITIES = ["TEXT", "IMAGE", "EMBEDDING"] as const;
export const CUSTOMIZATIONS = ["FINE_TUNING", "CONTINUED_PRE_TRAINING", "DISTILLATION"] as const;
/** The SDK enum has ON_DEMAND and PROVISIONED; accounts also report INFERENCE_PROFILE for profile-only models. */
export const INFERENCE_TYPES = ["ON_DEMAND", "PROVISIONED", "INFERENCE_PROFILE"] as const;
export const LIFECYCLE_STATUSES = ["ACTIVE", "LEGACY"] as const;
export const PROFILE_TYPES = ["SYSTEM_DEFINED", "APPLICATION"] as const;

/** One foundation model as ListFoundationModels reports it; field names are the API's. */
export interface FoundationModelSeed {
  modelId: string;
  /** Default: the model ID. */
  modelName?: string;
  /** Default: the ID's first segment, capitalised (`anthropic` -> `Anthropic`). */
  providerName?: string;
  /** Default: ["TEXT"]. */
  inputModalities?: Array<(typeof MODALITIES)[number]>;
  /** Default: ["TEXT"]. */
  outputModalities?: Array<(typeof MODALITIES)[number]>;
  /** Default: true. */
  responseStreamingSupported?: boolean;
  /** Default: []. */
  customizationsSupported?: Array<(typeof CUSTOMIZATIONS)[number]>;
  /** Default: ["ON_DEMAND"]; current Claude models report ["INFERENCE_PROFILE"]. */
  inferenceTypesSupported?: Array<(typeof INFERENCE_TYPES)[number]>;
  /** Default: { status: "ACTIVE" }; the times are ISO 8601 date-times. */
  modelLifecycle?: {
    status: (typeof LIFECYCLE_STATUSES)[number];
    startOfLifeTime?: string;
    endOfLifeTime?: string;
    legacyTime?: string;
    publicExtendedAccessTime?: string;
  };
}

/** One inference profile as ListInferenceProfiles reports it in the seeded region. */
export interface InferenceProfileSeed {
  /** e.g. us.anthropic.claude-haiku-4-5-20251001-v1:0 */
  inferenceProfileId: string;
  /** Default: the ID's prefix upper-cased and the model ID (`US anthropic.claude-...`). */
  inferenceProfileName?: string;
  description?: string;
  /** Default: SYSTEM_DEFINED. */
  type?: (typeof PROFILE_TYPES)[number];
  /** Foundation model the profile routes to; default: the ID without its prefix (required for APPLICATION). */
  modelId?: string;
  /**
   * Regions it routes to from the seeded region, one `models[].modelArn` each; default: the seeded region only.
   * Not allowed for `global.` profiles, whose one model ARN is region-less (they route to every commercial region).
   */
  destinationRegions?: string[];
}

/** What one region's Bedrock control plane serves; each list given replaces that list for the region. */
export interface BedrockRegionSeed {
  /** false: Bedrock is not offered there, and every `bedrock`-signed call to the region has its connection reset. */
  offered?: boolean;
  foundationModels?: FoundationModelSeed[];
  inferenceProfiles?: InferenceProfileSeed[];
}

/** FoundationModelSummary (and GetFoundationModel's modelDetails). */
export type FoundationModelView = Required<Omit<FoundationModelSeed, "modelLifecycle">> & {
  modelArn: string;
  modelLifecycle: NonNullable<FoundationModelSeed["modelLifecycle"]>;
};

/** InferenceProfileSummary (and GetInferenceProfile's output). */
export interface InferenceProfileView {
  inferenceProfileName: string;
  inferenceProfileArn: string;
  models: Array<{ modelArn: string }>;
  inferenceProfileId: string;
  status: "ACTIVE";
  type: (typeof PROFILE_TYPES)[number];
  description?: string;
}

interface RegionCatalog {
  offered: boolean;
  models: Map<string, FoundationModelView>;
  profiles: Map<string, InferenceProfileView>;
  /** Application inference profiles by ARN (CreateInferenceProfile's), with the invoke ID each copies. */
  applications: Map<string, { view: InferenceProfileView; copies: string }>;
}

/** An application inference profile to create, as aws_bedrock_inference_profile leaves it. */
export interface ApplicationProfileSeed {
  /** Its name (unique per region; a seed with the same name replaces the profile). */
  name: string;
  /** What it copies: a system profile ARN (`...:inference-profile/us.x`) or a foundation-model ARN in the region. */
  copyFrom: string;
  description?: string;
}

/** A created application profile, as the stack's outputs would report it. */
export interface SeededApplicationProfile {
  readonly name: string;
  readonly id: string;
  readonly arn: string;
  /** The invoke ID it copies (the system profile ID, or the bare model ID), which calls through it are served as. */
  readonly copies: string;
}

/** A stable 12-character ID of lowercase letters and digits (FNV-1a of region and name). */
function derivedId(name: string, region: string): string {
  let h = 0x811c9dc5;
  for (const c of `${region}/${name}`) h = Math.imul(h ^ c.codePointAt(0)!, 0x01000193) >>> 0;
  const h2 = Math.imul(h ^ 0x5bd1e995, 0x01000193) >>> 0;
  return (h.toString(36) + h2.toString(36)).padEnd(12, "0").slice(0, 12);
}

function provider(modelId: string): string {
  const first = modelId.split(".")[0] ?? modelId;
  return first.charAt(0).toUpperCase() + first.slice(1);
}

/** Foundation models and inference profiles per region; an unseeded region is offered and empty. */
export class BedrockCatalog {
  private readonly regions = new Map<string, RegionCatalog>();

  constructor(private readonly accountId: () => string) {}

  seed(region: string, seed: BedrockRegionSeed): void {
    let entry = this.regions.get(region);
    if (!entry) this.regions.set(region, (entry = { offered: true, models: new Map(), profiles: new Map(), applications: new Map() }));
    if (seed.offered !== undefined) entry.offered = seed.offered;
    if (seed.foundationModels) {
      entry.models = new Map(seed.foundationModels.map((m) => [m.modelId, this.model(region, m)]));
    }
    if (seed.inferenceProfiles) {
      entry.profiles = new Map(seed.inferenceProfiles.map((p) => [p.inferenceProfileId, this.profile(region, p)]));
    }
  }

  offered(region: string): boolean {
    return this.regions.get(region)?.offered ?? true;
  }

  models(region: string): FoundationModelView[] {
    return [...(this.regions.get(region)?.models.values() ?? [])];
  }

  profiles(region: string): InferenceProfileView[] {
    const r = this.regions.get(region);
    return [...(r?.profiles.values() ?? []), ...[...(r?.applications.values() ?? [])].map((a) => a.view)];
  }

  /**
   * Creates an application inference profile (or replaces one of the same name): an ID of 12 lowercase letters and
   * digits derived from the region and name, like the IDs AWS assigns, its ARN, and its models those of what it copies.
   */
  addApplicationProfile(region: string, seed: ApplicationProfileSeed): SeededApplicationProfile {
    this.seed(region, {});
    const entry = this.regions.get(region)!;
    const m = /^arn:[\w-]+:bedrock:[a-z0-9-]*:\d*:(inference-profile|foundation-model)\/(.+)$/.exec(seed.copyFrom);
    if (!m) throw new Error(`copyFrom ${JSON.stringify(seed.copyFrom)} is not a system inference profile or foundation-model ARN`);
    const copies = m[2];
    const id = derivedId(seed.name, region);
    const arn = `arn:${partitionOf(region)}:bedrock:${region}:${this.accountId()}:application-inference-profile/${id}`;
    for (const [key, a] of entry.applications) if (a.view.inferenceProfileName === seed.name) entry.applications.delete(key);
    const source = m[1] === "inference-profile" ? this.profile(region, { inferenceProfileId: copies }) : undefined;
    const view: InferenceProfileView = {
      inferenceProfileName: seed.name,
      inferenceProfileArn: arn,
      models: source ? source.models : [{ modelArn: seed.copyFrom }],
      inferenceProfileId: id,
      status: "ACTIVE",
      type: "APPLICATION",
      ...(seed.description !== undefined ? { description: seed.description } : {}),
    };
    entry.applications.set(arn, { view, copies });
    return { name: seed.name, id, arn, copies };
  }

  /** The invoke ID an application profile ARN (or ID) of the region copies; undefined for anything else. */
  resolveApplicationProfile(region: string, identifier: string): string | undefined {
    const apps = this.regions.get(region)?.applications;
    if (!apps) return undefined;
    return apps.get(identifier)?.copies ?? [...apps.values()].find((a) => a.view.inferenceProfileId === identifier)?.copies;
  }

  /** By model ID or model ARN, as GetFoundationModel's modelIdentifier takes either. */
  findModel(region: string, identifier: string): FoundationModelView | undefined {
    const models = this.regions.get(region)?.models;
    return models?.get(identifier) ?? [...(models?.values() ?? [])].find((m) => m.modelArn === identifier);
  }

  /** By profile ID or ARN. */
  findProfile(region: string, identifier: string): InferenceProfileView | undefined {
    const profiles = this.regions.get(region)?.profiles;
    const found = profiles?.get(identifier) ?? [...(profiles?.values() ?? [])].find((p) => p.inferenceProfileArn === identifier);
    if (found) return found;
    const apps = this.regions.get(region)?.applications;
    return apps?.get(identifier)?.view ?? [...(apps?.values() ?? [])].find((a) => a.view.inferenceProfileId === identifier)?.view;
  }

  private model(region: string, m: FoundationModelSeed): FoundationModelView {
    return {
      modelArn: foundationModelArn(region, m.modelId),
      modelId: m.modelId,
      modelName: m.modelName ?? m.modelId,
      providerName: m.providerName ?? provider(m.modelId),
      inputModalities: [...(m.inputModalities ?? ["TEXT"])],
      outputModalities: [...(m.outputModalities ?? ["TEXT"])],
      responseStreamingSupported: m.responseStreamingSupported ?? true,
      customizationsSupported: [...(m.customizationsSupported ?? [])],
      inferenceTypesSupported: [...(m.inferenceTypesSupported ?? ["ON_DEMAND"])],
      modelLifecycle: { ...(m.modelLifecycle ?? { status: "ACTIVE" }) },
    };
  }

  private profile(region: string, p: InferenceProfileSeed): InferenceProfileView {
    const type = p.type ?? "SYSTEM_DEFINED";
    const modelId = p.modelId ?? modelIdOf(p.inferenceProfileId);
    const prefix = p.inferenceProfileId.split(".")[0];
    const models = p.inferenceProfileId.startsWith("global.")
      ? [{ modelArn: foundationModelArn("", modelId, partitionOf(region)) }]
      : (p.destinationRegions ?? [region]).map((r) => ({ modelArn: foundationModelArn(r, modelId) }));
    const arn =
      type === "APPLICATION"
        ? `arn:${partitionOf(region)}:bedrock:${region}:${this.accountId()}:application-inference-profile/${p.inferenceProfileId}`
        : inferenceProfileArn(region, this.accountId(), p.inferenceProfileId);
    return {
      inferenceProfileName: p.inferenceProfileName ?? `${prefix.toUpperCase()} ${modelId}`,
      inferenceProfileArn: arn,
      models,
      inferenceProfileId: p.inferenceProfileId,
      status: "ACTIVE",
      type,
      ...(p.description !== undefined ? { description: p.description } : {}),
    };
  }
}
