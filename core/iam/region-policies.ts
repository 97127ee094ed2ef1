import { type Invocation, names, partitionOf } from "../aws";
import { attributesCost, type BaselinePlan, type GuardrailRefs, type ProfileRefs, sizingProfileRefs, sizingRefs, workloadInvocations } from "../environment";
import type { NetworkAndKey, PolicyDocument, RoutingConfigArns } from "./iam-policy";
import { packPolicy, partSizes } from "./policy-packing";
import { sizingRouting, smokePolicyOf, workloadPolicyOf } from "./route-access";

/** Values a region stack knows only once its resources exist: Terraform references at synth, real values after apply. */
export interface ApplyTimeRefs {
  /** The AppConfig routing profile's ARNs. */
  readonly routing: RoutingConfigArns;
  /** Where each declared guardrail is. */
  readonly guardrails: GuardrailRefs;
  /** Where each workload's application profiles are (cost attribution). Default: none. */
  readonly profiles?: ProfileRefs;
  /** The region's bedrock-runtime endpoint ID; required when the environment requires aws:SourceVpce. Default: none. */
  readonly sourceVpce?: string;
  /** The region's customer managed key; required when the environment uses one. Default: none. */
  readonly keyArn?: string;
}

/** What the policies need of the refs, as the environment's settings say. */
function networkAndKey(plan: BaselinePlan, refs: ApplyTimeRefs): NetworkAndKey {
  const c = plan.config;
  const needsVpce = c.privateEndpoints?.enabled === true && c.privateEndpoints.requireSourceVpce;
  const needsKey = c.encryption !== undefined && c.encryption.keys !== "aws";
  if (needsVpce && !refs.sourceVpce) throw new Error("aws:SourceVpce is required but no endpoint ID was given");
  if (needsKey && !refs.keyArn) throw new Error("a customer managed key is used but no key ARN was given");
  return { ...(needsVpce ? { sourceVpce: refs.sourceVpce } : {}), ...(needsKey ? { routingKeyArn: refs.keyArn } : {}) };
}

/** An interface endpoint ID and a key ARN as long as real ones, for sizing (nothing is called). */
function sizingNetwork(region: string, account: string): Pick<ApplyTimeRefs, "sourceVpce" | "keyArn"> {
  return { sourceVpce: "vpce-0123456789abcdef0", keyArn: `arn:${partitionOf(region)}:kms:${region}:${account}:key/12345678-90ab-cdef-1234-567890abcdef` };
}

/** A role the stack creates for a workload. */
export interface PolicyRoleSpec {
  readonly roleName: string;
  readonly assumedByServices: readonly string[];
  readonly assumedByPrincipals: readonly string[];
  /** Tags of the role besides the environment's: the workload's cost allocation tag, with cost attribution. */
  readonly tags?: Readonly<Record<string, string>>;
}

/** One managed policy (possibly in parts) a region stack creates, computed once for validation and synth alike. */
export interface PolicySpec {
  /** Construct ID in the region stack: `workload-<name>`, or `smoke`. */
  readonly id: string;
  /** The workload it is for; undefined for the smoke policy. */
  readonly workload?: string;
  readonly policyName: string;
  readonly description: string;
  /** Existing roles and users it is attached to. */
  readonly principals: readonly string[];
  /** The role the stack creates with it attached, when the workload asked for one. */
  readonly role?: PolicyRoleSpec;
  /** The models it grants: each must exist in the region when Terraform plans (modules/catalog-preflight.ts). */
  readonly invocations: readonly Invocation[];
  /** Characters of each part as IAM will count them, with applied values as long as real ones. */
  readonly partSizes: readonly number[];
  /** The policy as managed policies of at most IAM's size, with the given references; as many parts as partSizes. */
  parts(refs: ApplyTimeRefs): PolicyDocument[];
}

/** Every guardrail name the plan's routes and declarations mention (an undeclared one is sized like the rest). */
function guardrailNames(plan: BaselinePlan): Set<string> {
  return new Set([...Object.keys(plan.config.guardrails), ...Object.values(plan.config.routes).flatMap((r) => (r.guardrail ? [r.guardrail] : []))]);
}

/**
 * A policy built by `build`, packed into parts once on its sized copy (sizingRouting, sizingRefs) so the parts a stack
 * renders split where the sizes were measured (core/iam/policy-packing.ts).
 */
function packed(build: (refs: ApplyTimeRefs) => PolicyDocument, sizing: ApplyTimeRefs): Pick<PolicySpec, "partSizes" | "parts"> {
  const sizedParts = packPolicy(build(sizing));
  const counts = sizedParts.map((p) => p.Statement.length);
  return {
    partSizes: partSizes(sizedParts),
    parts(refs) {
      const doc = build(refs);
      if (doc.Statement.length !== counts.reduce((a, b) => a + b, 0)) throw new Error("the policy's statements changed between sizing and rendering");
      let start = 0;
      return counts.map((n) => ({ Version: doc.Version, Statement: doc.Statement.slice(start, (start += n)) }));
    },
  };
}

/**
 * The managed policies of one region stack: one per workload (its routes' models, with their tier and guardrail
 * conditions) and the smoke policy (every enabled model), each already packed into parts of IAM's size.
 */
export function regionPolicies(plan: BaselinePlan, region: string): PolicySpec[] {
  const c = plan.config;
  const sizing: ApplyTimeRefs = {
    routing: sizingRouting(region, c.account),
    guardrails: sizingRefs(guardrailNames(plan), region, c.account, partitionOf(region)),
    profiles: sizingProfileRefs(plan, region),
    ...sizingNetwork(region, c.account),
  };
  const tagsOf = (workload: string) => (attributesCost(plan) ? { tags: { [c.costAttribution.tagKey]: workload } } : {});
  const workloads = Object.entries(c.workloads).map(([name, w]): PolicySpec => ({
    id: `workload-${name}`,
    workload: name,
    policyName: names.workloadPolicy(c.name, region, name),
    description: `Bedrock invoke for workload ${name} (routes: ${w.routes.join(", ")})`,
    principals: w.principals,
    ...(w.role ? { role: { roleName: names.workloadRole(c.name, region, name), assumedByServices: w.role.assumedByServices, assumedByPrincipals: w.role.assumedByPrincipals, ...tagsOf(name) } } : {}),
    invocations: workloadInvocations(plan, region, name),
    ...packed((refs) => workloadPolicyOf(plan, region, name, refs.routing, refs.guardrails, networkAndKey(plan, refs), refs.profiles), sizing),
  }));
  const smoke: PolicySpec = {
    id: "smoke",
    policyName: names.smokePolicy(c.name, region),
    description: "Post-apply smoke test: invoke every enabled model, read routing and quotas",
    principals: c.smoke.principals,
    invocations: Object.values(plan.invocations[region]),
    ...packed((refs) => smokePolicyOf(plan, region, refs.routing, refs.guardrails, networkAndKey(plan, refs), refs.profiles), sizing),
  };
  return [...workloads, smoke];
}
