import { names } from "../aws";
import type { BaselinePlan } from "../environment";
import type { PolicyDocument } from "./iam-policy";
import { packPolicy, partSizes } from "./policy-packing";
import { type EnvironmentRefs, sizingEnvironmentRefs, smokePolicyOf, workloadPolicyOf } from "./route-access";

/**
 * One managed policy (possibly in parts) an environment creates, once for all its regions (IAM is global), computed
 * once for validation and synth alike. The account stack renders it (modules/account-stack.ts).
 */
export interface PolicySpec {
  /** Construct ID in the account stack: `workload-<name>`, or `smoke`. */
  readonly id: string;
  /** The workload it is for; undefined for the smoke policy. */
  readonly workload?: string;
  readonly policyName: string;
  readonly description: string;
  /** Existing roles and users it is attached to. */
  readonly principals: readonly string[];
  /** The roles the region stacks create for the workload (one per region), each attached to every part. */
  readonly roles: readonly string[];
  /** Characters of each part as IAM will count them, with applied values as long as real ones. */
  readonly partSizes: readonly number[];
  /** The policy as managed policies of at most IAM's size, with the given references; as many parts as partSizes. */
  parts(refs: EnvironmentRefs): PolicyDocument[];
}

/**
 * A policy built by `build`, packed into parts once on its sized copy (sizingEnvironmentRefs) so the parts a stack
 * renders split where the sizes were measured (core/iam/policy-packing.ts).
 */
function packed(build: (refs: EnvironmentRefs) => PolicyDocument, sizing: EnvironmentRefs): Pick<PolicySpec, "partSizes" | "parts"> {
  const sized = build(sizing);
  const sizedParts = packPolicy(sized);
  return { partSizes: partSizes(sizedParts), parts: (refs) => packPolicy(build(refs), sized) };
}

/**
 * The managed policies of an environment: one per workload (its routes' models in every region, with their tier and
 * guardrail conditions) and the smoke policy (every enabled model), each already packed into parts of IAM's size. A
 * principal's count of baseline policies is its policies' parts, whatever the number of regions.
 */
export function environmentPolicies(plan: BaselinePlan): PolicySpec[] {
  const c = plan.config;
  const sizing = sizingEnvironmentRefs(plan);
  const workloads = Object.entries(c.workloads).map(([name, w]): PolicySpec => ({
    id: `workload-${name}`,
    workload: name,
    policyName: names.workloadPolicy(c.name, name),
    // IAM replaces a policy whose description changes (aws_iam_policy: description forces a new resource), so it names
    // nothing that changes with the file (routes, regions).
    description: `Bedrock invoke for workload ${name} of environment ${c.name}, every region (bedrock-access-baseline)`,
    principals: w.principals,
    roles: w.role ? c.regions.map((region) => names.workloadRole(c.name, region, name)) : [],
    ...packed((refs) => workloadPolicyOf(plan, name, refs), sizing),
  }));
  const smoke: PolicySpec = {
    id: "smoke",
    policyName: names.smokePolicy(c.name),
    description: `Post-apply smoke test of environment ${c.name}: invoke every enabled model, read routing and quotas, every region`,
    principals: c.smoke.principals,
    roles: [],
    ...packed((refs) => smokePolicyOf(plan, refs), sizing),
  };
  return [...workloads, smoke];
}
