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
    if (!entry) this.regions.set(region, (entry = { offered: true, models: new Map(), profiles: new Map() }));
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
    return [...(this.regions.get(region)?.profiles.values() ?? [])];
  }

  /** By model ID or model ARN, as GetFoundationModel's modelIdentifier takes either. */
  findModel(region: string, identifier: string): FoundationModelView | undefined {
    const models = this.regions.get(region)?.models;
    return models?.get(identifier) ?? [...(models?.values() ?? [])].find((m) => m.modelArn === identifier);
  }

  /** By profile ID or ARN. */
  findProfile(region: string, identifier: string): InferenceProfileView | undefined {
    const profiles = this.regions.get(region)?.profiles;
    return profiles?.get(identifier) ?? [...(profiles?.values() ?? [])].find((p) => p.inferenceProfileArn === identifier);
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
