import { foundationModelArn, type Invocation, names, partitionOf } from "../aws";
import type { BaselinePlan } from "./baseline-plan";
import { workloadInvocations } from "./baseline-plan";
import { APPLY_TIME } from "./guardrail-refs";

/*
 * Cost attribution (docs/cost.md): with `costAttribution.enabled`, each region stack creates one application inference
 * profile per workload and model the workload's routes use, copying from what the model's inference mode selects there
 * (the system-defined geographic or global profile, or the foundation model for `on-demand`), and tagged with the
 * workload. Invoking a profile's ARN attributes the call's cost to its tags
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles.html). Their ARNs exist only after apply:
 * Terraform references in a stack, APPLY_TIME in a manifest, real values against a live account or the local endpoint.
 */

/** One application inference profile a region stack creates: a workload's own copy of the way a model is invoked. */
export interface ApplicationProfileSpec {
  readonly workload: string;
  /** Foundation-model ID. */
  readonly modelId: string;
  /** Its AWS name (names.applicationProfile), unique per account and Region. */
  readonly name: string;
  readonly description: string;
  /** What it copies from: the system profile's ARN (geo, global) or the foundation model's ARN in the region (on-demand). */
  readonly copyFrom: string;
  /** The system invocation it copies: what must exist when Terraform plans. */
  readonly source: Invocation;
  /** Its own tags (the stack adds the environment's): the cost allocation tag naming the workload. */
  readonly tags: Readonly<Record<string, string>>;
}

/** Workload -> foundation-model ID -> the ARN of the workload's application profile of that model. */
export type ProfileRefs = Readonly<Record<string, Readonly<Record<string, string>>>>;

/**
 * The form of an application inference profile ARN (what a validator checks when the value is not known yet):
 * `arn:aws:bedrock:<region>:<account>:application-inference-profile/<id>`.
 */
export const APPLICATION_PROFILE_ARN_PATTERN = "^arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:application-inference-profile/[a-z0-9]{1,64}$";

/** True when the plan creates application inference profiles. */
export function attributesCost(plan: BaselinePlan): boolean {
  return plan.config.costAttribution?.enabled === true;
}

/** What an application profile of `inv` copies from (CreateInferenceProfile `modelSource.copyFrom`). */
export function copySourceOf(inv: Invocation): string {
  return inv.profileArn ?? foundationModelArn(inv.region, inv.modelId);
}

/** Profiles computed per plan and region: IAM, alarms, the dashboard, the document and its validator all ask. */
const computed = new WeakMap<BaselinePlan, Map<string, readonly ApplicationProfileSpec[]>>();

/** The application profiles of one region stack, workload by workload in the order their routes name the models. */
export function applicationProfiles(plan: BaselinePlan, region: string): readonly ApplicationProfileSpec[] {
  if (!attributesCost(plan)) return [];
  let byRegion = computed.get(plan);
  if (!byRegion) computed.set(plan, (byRegion = new Map()));
  let profiles = byRegion.get(region);
  if (!profiles) byRegion.set(region, (profiles = Object.freeze(profilesOf(plan, region))));
  return profiles;
}

function profilesOf(plan: BaselinePlan, region: string): ApplicationProfileSpec[] {
  const c = plan.config;
  return Object.keys(c.workloads).flatMap((workload) =>
    workloadInvocations(plan, region, workload).map((inv) => ({
      workload,
      modelId: inv.modelId,
      name: names.applicationProfile(c.name, workload, inv.modelId),
      // CreateInferenceProfile's description allows letters, digits and single separators only: no "." or ":".
      description: `Workload ${workload} of environment ${c.name} calling ${inv.modelId}`.replace(/[^0-9a-zA-Z ]+/g, " ").replace(/ +/g, " ").slice(0, 200).trim(),
      copyFrom: copySourceOf(inv),
      source: inv,
      tags: { [c.costAttribution.tagKey]: workload },
    })),
  );
}

/** The refs of a region's profiles, each value made by `arnOf`. */
function refsOf(plan: BaselinePlan, region: string, arnOf: (p: ApplicationProfileSpec, index: number) => string): ProfileRefs {
  const out: Record<string, Record<string, string>> = Object.create(null);
  applicationProfiles(plan, region).forEach((p, i) => ((out[p.workload] ??= Object.create(null))[p.modelId] = arnOf(p, i)));
  return out;
}

/** The refs as synth knows them: every ARN APPLY_TIME. */
export function applyTimeProfileRefs(plan: BaselinePlan, region: string): ProfileRefs {
  return refsOf(plan, region, () => APPLY_TIME);
}

/** ARNs as long as real ones (12-character IDs), for the size checks made before anything exists. */
export function sizingProfileRefs(plan: BaselinePlan, region: string): ProfileRefs {
  return refsOf(plan, region, () => `arn:${partitionOf(region)}:bedrock:${region}:${plan.config.account}:application-inference-profile/abcdefghijkl`);
}

/** The ARN of a workload's profile of a model, or undefined when the refs have none. */
export function profileArnOf(refs: ProfileRefs | undefined, workload: string, modelId: string): string | undefined {
  if (!refs || !Object.hasOwn(refs, workload)) return undefined;
  const byModel = refs[workload];
  return Object.hasOwn(byModel, modelId) ? byModel[modelId] : undefined;
}
