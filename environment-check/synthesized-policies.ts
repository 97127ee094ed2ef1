import { names } from "../core/aws";
import { applicationProfiles, type BaselinePlan, type GuardrailRefs, type ProfileRefs } from "../core/environment";
import { modelUses } from "../core/iam";

// The IAM policies of a synthesized stack (Terraform JSON, cdktf.out/stacks/<stack>/cdk.tf.json) as IAM will see them
// after apply: the guardrail references Terraform resolves at apply replaced by values of the real form.

/** Synthesized stack JSON, as far as the check reads it: `resource[type][name]`, `data[type][name]`. */
export interface StackJson {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, any>>>>;
  readonly data?: Readonly<Record<string, Readonly<Record<string, any>>>>;
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

/** The region's bedrock-runtime endpoint ID after apply, of the real form (distinct per region). */
export function appliedEndpointId(region: string): string {
  const hex = [...region].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7).toString(16).padStart(8, "0");
  return `vpce-0${hex}abcdef01`;
}

/** The region's customer managed key ARN after apply, of the real form. */
export function appliedKeyArn(plan: BaselinePlan, region: string): string {
  return `arn:aws:kms:${region}:${plan.config.account}:key/0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9`;
}

/**
 * The `terraform_remote_state` data source through which the account stack's policies read each region stack's outputs
 * (modules/region-state.ts), by region: found by the state file or key of the region stack it reads.
 */
export function regionStates(json: StackJson, plan: BaselinePlan): Record<string, string> {
  const states = Object.entries<any>(json.data?.terraform_remote_state ?? {});
  return Object.fromEntries(
    plan.config.regions.map((region) => {
      const stack = names.regionStack(plan.config.name, region);
      const reads = (p: unknown) => typeof p === "string" && (p === `terraform.${stack}.tfstate` || p.endsWith(`/terraform.${stack}.tfstate`) || p.endsWith(`/${stack}.tfstate`));
      const found = states.find(([, s]) => reads(s.config?.path) || reads(s.config?.key));
      if (!found) throw new Error(`no terraform_remote_state of ${stack} in the account stack`);
      return [region, found[0]];
    }),
  );
}

/** How a policy refers to an output of a region stack's state. */
export const stateOutput = (state: string, output: string) => "${" + `data.terraform_remote_state.${state}.outputs.${output}` + "}";

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

/** A region stack's application profiles as Terraform references, found by their AWS names. Throws when one is missing. */
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
 * names.policyPart), each parsed, with the guardrail, application profile, endpoint and key references of every
 * region resolved to `appliedGuardrails`, `appliedProfiles`, `appliedEndpointId` and `appliedKeyArn` when a plan is
 * given (the policies live in the account stack and read each region stack's outputs). Throws when there is no such
 * policy or a reference stays unresolved.
 */
export function policyPartsFromSynth(json: StackJson, policyName: string, plan?: BaselinePlan): any[] {
  const parts = Object.values<any>(stackResources(json, "aws_iam_policy"))
    .filter((x) => x.name === policyName || x.name.startsWith(`${policyName}.part`))
    .sort((a, b) => a.name.length - b.name.length || a.name.localeCompare(b.name));
  if (parts.length === 0) throw new Error(`no policy ${policyName} in the synthesized stack`);
  const states = plan ? regionStates(json, plan) : {};
  return parts.map((p) => {
    let text: string = p.policy;
    for (const [region, state] of Object.entries(states)) {
      const applied = appliedGuardrails(plan!, region);
      for (const g of Object.keys(plan!.config.guardrails)) text = text.split(stateOutput(state, `guardrails.${g}.arn`)).join(applied[g].arn).split(stateOutput(state, `guardrails.${g}.version`)).join(applied[g].version);
      const profiles = appliedProfiles(plan!, region);
      for (const spec of applicationProfiles(plan!, region)) text = text.split(stateOutput(state, `application_profile_arns_by_name.${spec.name}`)).join(profiles[spec.workload][spec.modelId]);
      text = text.split(stateOutput(state, "vpc_endpoint_ids.bedrock-runtime")).join(appliedEndpointId(region)).split(stateOutput(state, "kms_key_arn")).join(appliedKeyArn(plan!, region));
    }
    if (plan && /\.outputs\.(guardrails|vpc_endpoint_ids|kms_key_arn|application_profile_arns)/.test(text)) throw new Error(`unresolved region reference in ${p.name}`);
    return JSON.parse(text);
  });
}

/**
 * A managed policy as one document: its parts' statements together, which IAM decides as it decides the parts
 * attached side by side (a test proves it for a packed policy).
 */
export function policyFromSynth(json: StackJson, policyName: string, plan?: BaselinePlan): any {
  return { Version: "2012-10-17", Statement: policyPartsFromSynth(json, policyName, plan).flatMap((p) => p.Statement) };
}

/**
 * The endpoint policy of `service` in a synthesized region stack, with references resolved like the IAM policies'
 * (guardrails, application profiles, and AppConfig IDs of the real form). Undefined when the stack has no endpoint for it.
 */
export function endpointPolicyFromSynth(json: StackJson, plan: BaselinePlan, region: string, service: string): any {
  const endpoint = Object.values<any>(stackResources(json, "aws_vpc_endpoint")).find((e) => e.service_name === `com.amazonaws.${region}.${service}`);
  if (!endpoint) return undefined;
  let text: string = substituteProfiles(endpoint.policy, synthProfileRefs(json, plan, region), appliedProfiles(plan, region));
  const refs = synthGuardrailRefs(json, plan);
  const applied = appliedGuardrails(plan, region);
  for (const [g, r] of Object.entries(refs)) text = text.split(r.arn).join(applied[g].arn);
  // AppConfig IDs are 7 characters after apply.
  text = text.replace(/\$\{aws_appconfig_[a-z_]+\.[^.}]+\.(id|environment_id|configuration_profile_id)\}/g, "abc1234");
  if (text.includes("${")) throw new Error(`unresolved reference in the ${service} endpoint policy`);
  return JSON.parse(text);
}

/** The request context a workload's calls to a model carry: the guardrail its routes apply (the applied ARN:version). */
export function routeContext(plan: BaselinePlan, region: string, tasks: readonly string[], modelId: string): Record<string, string> {
  const use = modelUses(plan, tasks).get(modelId);
  const guardrail = use ? [...use.guardedBy.keys()][0] : undefined;
  if (!guardrail) return {};
  const ref = appliedGuardrails(plan, region)[guardrail];
  return { "bedrock:GuardrailIdentifier": `${ref.arn}:${ref.version}` };
}
