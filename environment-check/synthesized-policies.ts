import { names } from "../core/aws";
import type { BaselinePlan, GuardrailRefs } from "../core/environment";
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

/**
 * Where the account stack's policies find each region's guardrails: the `terraform_remote_state` data source that reads
 * the region stack's state (modules/region-state.ts), and its `guardrails` output. Region -> guardrail -> reference.
 */
export function accountGuardrailRefs(json: StackJson, plan: BaselinePlan): Record<string, GuardrailRefs> {
  const states = Object.entries<any>(json.data?.terraform_remote_state ?? {});
  return Object.fromEntries(
    plan.config.regions.map((region) => {
      const stack = names.regionStack(plan.config.name, region);
      const found = states.find(([, s]) => [s.config?.path, s.config?.key].some((p: unknown) => typeof p === "string" && (p.endsWith(`/terraform.${stack}.tfstate`) || p === `terraform.${stack}.tfstate` || p.endsWith(`/${stack}.tfstate`))));
      if (!found) throw new Error(`no terraform_remote_state of ${stack} in the account stack`);
      const output = (name: string) => "${" + `data.terraform_remote_state.${found[0]}.outputs.${name}` + "}";
      return [region, Object.fromEntries(Object.keys(plan.config.guardrails).map((g) => [g, { arn: output(`guardrails.${g}.arn`), version: output(`guardrails.${g}.version`) }]))];
    }),
  );
}

/**
 * The parts a managed policy is synthesized as (one, or several when it is larger than IAM allows in one:
 * names.policyPart), each parsed, with the guardrail references of every region resolved to `appliedGuardrails` when
 * a plan is given (the policies live in the account stack and read each region stack's outputs). Throws when there is
 * no such policy or a reference stays unresolved.
 */
export function policyPartsFromSynth(json: StackJson, policyName: string, plan?: BaselinePlan): any[] {
  const parts = Object.values<any>(stackResources(json, "aws_iam_policy"))
    .filter((x) => x.name === policyName || x.name.startsWith(`${policyName}.part`))
    .sort((a, b) => a.name.length - b.name.length || a.name.localeCompare(b.name));
  if (parts.length === 0) throw new Error(`no policy ${policyName} in the synthesized stack`);
  const refs = plan ? accountGuardrailRefs(json, plan) : {};
  return parts.map((p) => {
    let text: string = p.policy;
    for (const [region, byName] of Object.entries(refs)) {
      const applied = appliedGuardrails(plan!, region);
      for (const [g, r] of Object.entries(byName)) text = text.split(r.arn).join(applied[g].arn).split(r.version).join(applied[g].version);
    }
    if (plan && text.includes(".outputs.guardrails.")) throw new Error(`unresolved guardrail reference in ${p.name}`);
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

/** The request context a workload's calls to a model carry: the guardrail its routes apply (the applied ARN:version). */
export function routeContext(plan: BaselinePlan, region: string, tasks: readonly string[], modelId: string): Record<string, string> {
  const use = modelUses(plan, tasks).get(modelId);
  const guardrail = use ? [...use.guardedBy.keys()][0] : undefined;
  if (!guardrail) return {};
  const ref = appliedGuardrails(plan, region)[guardrail];
  return { "bedrock:GuardrailIdentifier": `${ref.arn}:${ref.version}` };
}
