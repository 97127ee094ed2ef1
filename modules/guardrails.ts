import { Construct } from "constructs";
import type { GuardrailSpec } from "../core/baseline";
import { type GuardrailConfig, outputStrengthOf, type GuardrailRefs } from "../core/environment";
import { BedrockGuardrail, type BedrockGuardrailConfig, BedrockGuardrailVersion } from "./provider-aws";

/** Properties of Guardrails. */
export interface GuardrailsProps {
  /** The environment's declared guardrails (`guardrails` in config/<env>.json), as the region baseline names them. */
  readonly guardrails: readonly GuardrailSpec[];
}

/** One declared guardrail in a region stack: the guardrail and its published version. */
export interface RegionGuardrail {
  readonly guardrail: BedrockGuardrail;
  readonly version: BedrockGuardrailVersion;
}

/**
 * The region stack's guardrails: each declared guardrail (aws_bedrock_guardrail, the working draft) and a published
 * version of it (aws_bedrock_guardrail_version) that routes apply. A version is immutable, so any change to the
 * guardrail replaces the version resource (replace_triggered_by), which publishes the next number; skip_destroy keeps
 * the versions already published, which clients still on the previous routing document use while AppConfig rolls the
 * new one out (create_before_destroy then switches the references first).
 */
export class Guardrails extends Construct {
  readonly byName: ReadonlyMap<string, RegionGuardrail>;
  /** Where each guardrail is once applied (Terraform references), for the routing document and IAM. */
  readonly refs: GuardrailRefs;

  constructor(scope: Construct, id: string, props: GuardrailsProps) {
    super(scope, id);
    const byName = new Map<string, RegionGuardrail>();
    const refs: Record<string, { arn: string; version: string }> = Object.create(null);
    for (const { name, awsName, config, defaultDescription, versionDescription } of props.guardrails) {
      const guardrail = new BedrockGuardrail(this, `guardrail-${name}`, guardrailArgs(awsName, config, defaultDescription));
      const version = new BedrockGuardrailVersion(this, `version-${name}`, {
        guardrailArn: guardrail.guardrailArn,
        description: versionDescription,
        skipDestroy: true,
        // The bare address: cdktf renders a resource object as "${...}", which Terraform rejects in this argument
        // (https://github.com/hashicorp/terraform-cdk/issues/3532).
        lifecycle: { createBeforeDestroy: true, replaceTriggeredBy: [`${guardrail.terraformResourceType}.${guardrail.friendlyUniqueId}`] },
      });
      byName.set(name, { guardrail, version });
      refs[name] = { arn: guardrail.guardrailArn, version: version.version };
    }
    this.byName = byName;
    this.refs = refs;
  }
}

/** The provider arguments of one guardrail: only the policies the file configures. */
function guardrailArgs(name: string, g: GuardrailConfig, description: string): BedrockGuardrailConfig {
  const s = g.sensitiveInformation;
  return {
    name,
    description: g.description ?? description,
    blockedInputMessaging: g.blockedInputMessaging,
    blockedOutputsMessaging: g.blockedOutputsMessaging,
    ...(g.contentFilters.length
      ? { contentPolicyConfig: [{ filtersConfig: g.contentFilters.map((f) => ({ type: f.type, inputStrength: f.inputStrength, outputStrength: outputStrengthOf(f) })) }] }
      : {}),
    ...(g.deniedTopics.length
      ? { topicPolicyConfig: [{ topicsConfig: g.deniedTopics.map((t) => ({ name: t.name, definition: t.definition, type: "DENY", ...(t.examples.length ? { examples: [...t.examples] } : {}) })) }] }
      : {}),
    ...(s.piiEntities.length + s.regexes.length
      ? {
          sensitiveInformationPolicyConfig: [
            {
              ...(s.piiEntities.length ? { piiEntitiesConfig: s.piiEntities.map((p) => ({ type: p.type, action: p.action })) } : {}),
              ...(s.regexes.length ? { regexesConfig: s.regexes.map((r) => ({ name: r.name, pattern: r.pattern, action: r.action, ...(r.description ? { description: r.description } : {}) })) } : {}),
            },
          ],
        }
      : {}),
  };
}
