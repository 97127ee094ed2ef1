import { Construct } from "constructs";
import type { ApplicationProfileSpec, ProfileRefs } from "../core/environment";
import { BedrockInferenceProfile } from "./provider-aws";

/** Properties of ApplicationProfiles. */
export interface ApplicationProfilesProps {
  /** The region's application profiles (core/environment/application-profiles.ts), one per workload and model. */
  readonly profiles: readonly ApplicationProfileSpec[];
  /** The environment's tags (the provider's default tags), set on each profile beside its workload tag. Default: none. */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * A region stack's application inference profiles (aws_bedrock_inference_profile): each workload's own copy of the
 * way a model is invoked there, tagged with the workload, so invoking its ARN attributes the call's cost to the workload
 * once the tag is an active cost allocation tag (https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-create.html).
 * A profile is immutable: a new copy source (another inference mode or geography) replaces it, with a new ARN that
 * the routing document and IAM pick up in the same apply (docs/cost.md says what clients see meanwhile).
 */
export class ApplicationProfiles extends Construct {
  /** `<workload> <model ID>` -> the profile. */
  readonly byKey: ReadonlyMap<string, BedrockInferenceProfile>;
  /** Where each profile is once applied (Terraform references), for the routing document, IAM, alarms and the dashboard. */
  readonly refs: ProfileRefs;

  constructor(scope: Construct, id: string, props: ApplicationProfilesProps) {
    super(scope, id);
    const byKey = new Map<string, BedrockInferenceProfile>();
    const refs: Record<string, Record<string, string>> = Object.create(null);
    for (const p of props.profiles) {
      // A workload name has no ".", so "<workload>.<model ID>" is unambiguous (and has no "/", the path separator).
      const profile = new BedrockInferenceProfile(this, `${p.workload}.${p.modelId}`, {
        name: p.name,
        description: p.description,
        modelSource: [{ copyFrom: p.copyFrom }],
        tags: { ...props.tags, ...p.tags },
      });
      byKey.set(`${p.workload} ${p.modelId}`, profile);
      (refs[p.workload] ??= Object.create(null))[p.modelId] = profile.arn;
    }
    this.byKey = byKey;
    this.refs = refs;
  }
}
