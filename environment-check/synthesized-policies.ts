import { names } from "../core/aws";
import { applicationProfiles, type BaselinePlan, type GuardrailRefs, type ProfileRefs } from "../core/environment";
import { modelUses } from "../core/iam";

// The IAM policies of a synthesized stack (Terraform JSON, cdktf.out/stacks/<stack>/cdk.tf.json) as IAM will see them
// after apply: the guardrail references Terraform resolves at apply replaced by values of the real form.

/** Synthesized stack JSON, as far as the check reads it: `resource[type][name]`. */
export interface StackJson {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, any>>>>;
}

/** Resources of one type, by Terraform name ({} when there are none). */
export function stackResources(json: StackJson, type: string): Readonly<Record<string, any>> {
  return json.resource?.[type] ?? {};
}

/** `${aws_x.name.attr}`: how a reference to another resource appears in synthesized JSON. */
export const terraformRef = (type: string, name: string, attr: string) => "${" + `${type}.${name}.${attr}` + "}";

/**
 * Where the guardrails of a plan would be in a region after apply: an ARN with an ID of the real form (distinct per
 * guardrail) and version "1", as the local endpoint's seeding creates them.
 */
export function appliedGuardrails(plan: BaselinePlan, region: string, version = "1"): GuardrailRefs {
  return Object.fromEntries(
    Object.keys(plan.config.guardrails).map((name, i) => [name, { arn: `arn:aws:bedrock:${region}:${plan.config.account}:guardrail/${name.replace(/[^a-z0-9]/g, "")}${i}x7k2`, version }]),
  );
}

/**
 * The stack's guardrails as Terraform references, read from the synthesized JSON: each declared guardrail found by its
 * AWS name, its version by the guardrail it publishes. Throws when one is missing (the stack does not match the plan).
 */
export function synthGuardrailRefs(json: StackJson, plan: BaselinePlan): GuardrailRefs {
  const guardrails = Object.entries<any>(stackResources(json, "aws_bedrock_guardrail"));
  const versions = Object.entries<any>(stackResources(json, "aws_bedrock_guardrail_version"));
  return Object.fromEntries(
    Object.keys(plan.config.guardrails).map((g) => {
      const found = guardrails.find(([, r]) => r.name === names.guardrail(plan.config.name, g));
      if (!found) throw new Error(`no aws_bedrock_guardrail for ${g}`);
      const arn = terraformRef("aws_bedrock_guardrail", found[0], "guardrail_arn");
      const version = versions.find(([, r]) => r.guardrail_arn === arn);
      if (!version) throw new Error(`no aws_bedrock_guardrail_version for ${g}`);
      return [g, { arn, version: terraformRef("aws_bedrock_guardrail_version", version[0], "version") }];
    }),
  );
}

/**
 * Where a plan's application profiles would be in a region after apply: ARNs with a 12-character ID of the real form,
 * distinct per workload and model.
 */
export function appliedProfiles(plan: BaselinePlan, region: string): ProfileRefs {
  const out: Record<string, Record<string, string>> = Object.create(null);
  applicationProfiles(plan, region).forEach((p, i) => {
    const id = `${p.workload.replace(/[^a-z0-9]/g, "").slice(0, 8)}${String(i).padStart(4, "0")}`;
    (out[p.workload] ??= Object.create(null))[p.modelId] = `arn:aws:bedrock:${region}:${plan.config.account}:application-inference-profile/${id}`;
  });
  return out;
}

/** The stack's application profiles as Terraform references, found by their AWS names. Throws when one is missing. */
export function synthProfileRefs(json: StackJson, plan: BaselinePlan, region: string): ProfileRefs {
  const profiles = Object.entries<any>(stackResources(json, "aws_bedrock_inference_profile"));
  const out: Record<string, Record<string, string>> = Object.create(null);
  for (const p of applicationProfiles(plan, region)) {
    const found = profiles.find(([, r]) => r.name === p.name);
    if (!found) throw new Error(`no aws_bedrock_inference_profile for ${p.workload} and ${p.modelId}`);
    (out[p.workload] ??= Object.create(null))[p.modelId] = terraformRef("aws_bedrock_inference_profile", found[0], "arn");
  }
  return out;
}

/** Each reference of `refs` replaced in `text` by the same entry of `applied`. */
function substituteProfiles(text: string, refs: ProfileRefs, applied: ProfileRefs): string {
  for (const [w, byModel] of Object.entries(refs)) for (const [m, ref] of Object.entries(byModel)) text = text.split(ref).join(applied[w][m]);
  return text;
}

/**
 * The parts a managed policy is synthesized as (one, or several when it is larger than IAM allows in one:
 * names.policyPart), each parsed, with guardrail and application profile references resolved to `appliedGuardrails` and
 * `appliedProfiles` when a plan and region are given. Throws when there is no such policy or a reference stays unresolved.
 */
export function policyPartsFromSynth(json: StackJson, policyName: string, plan?: BaselinePlan, region?: string): any[] {
  const parts = Object.values<any>(stackResources(json, "aws_iam_policy"))
    .filter((x) => x.name === policyName || x.name.startsWith(`${policyName}.part`))
    .sort((a, b) => a.name.length - b.name.length || a.name.localeCompare(b.name));
  if (parts.length === 0) throw new Error(`no policy ${policyName} in the synthesized stack`);
  const refs = plan && region ? synthGuardrailRefs(json, plan) : {};
  const applied = plan && region ? appliedGuardrails(plan, region) : {};
  const profileRefs = plan && region ? synthProfileRefs(json, plan, region) : {};
  const profiles = plan && region ? appliedProfiles(plan, region) : {};
  return parts.map((p) => {
    let text: string = substituteProfiles(p.policy, profileRefs, profiles);
    for (const [g, r] of Object.entries(refs)) text = text.split(r.arn).join(applied[g].arn).split(r.version).join(applied[g].version);
    if (text.includes("${aws_bedrock_guardrail")) throw new Error(`unresolved guardrail reference in ${p.name}`);
    if (text.includes("${aws_bedrock_inference_profile")) throw new Error(`unresolved application profile reference in ${p.name}`);
    return JSON.parse(text);
  });
}

/**
 * A managed policy as one document: its parts' statements together, which IAM decides as it decides the parts
 * attached side by side (a test proves it for a packed policy).
 */
export function policyFromSynth(json: StackJson, policyName: string, plan?: BaselinePlan, region?: string): any {
  return { Version: "2012-10-17", Statement: policyPartsFromSynth(json, policyName, plan, region).flatMap((p) => p.Statement) };
}

/** The request context a workload's calls to a model carry: the guardrail its routes apply (the applied ARN:version). */
export function routeContext(plan: BaselinePlan, region: string, tasks: readonly string[], modelId: string): Record<string, string> {
  const use = modelUses(plan, tasks).get(modelId);
  const guardrail = use ? [...use.guardedBy.keys()][0] : undefined;
  if (!guardrail) return {};
  const ref = appliedGuardrails(plan, region)[guardrail];
  return { "bedrock:GuardrailIdentifier": `${ref.arn}:${ref.version}` };
}
