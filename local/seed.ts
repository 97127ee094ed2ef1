import { customStrategies, type StackManifest, buildRoutingDocument, routingJsonSchema } from "../core/routing";
import { names } from "../core/aws";
import type { LocalEndpoint } from "./endpoint";
import type { QuotaSeed } from "./service-quotas";
import { applicationProfiles, type BaselinePlan, type GuardrailRefs, type ProfileRefs } from "../core/environment";

/** Applied TPM quota the stand-in account gets per model. */
export const LOCAL_TPM_QUOTA = 2_000_000;

/**
 * Quota names as the Service Quotas console words them, per way of invoking
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/quotas.html).
 */
export function quotaDisplayName(model: StackManifest["models"][string]): string {
  const family = { geo: "Cross-region model inference", global: "Global cross-region model inference", "on-demand": "On-demand model inference" }[model.kind];
  return `${family} tokens per minute for ${model.quotaName}`;
}

/**
 * What a deployed stack would have: per region manifest, the environment's guardrails (each with a published version),
 * the AppConfig application/environment/profile with the synthesized routing document deployed behind the routing
 * JSON Schema validator, both carrying the guardrails' applied ARN and version as Terraform would fill them in (the
 * manifest's copy has APPLY_TIME there), the stack's custom deployment
 * strategies (core/routing/deployment-strategy.ts: the emergency one the toggle's --disable uses, and the routine one when
 * the config names a custom strategy), with cost attribution each workload's application inference profiles (the
 * document and validator carry their ARNs), an applied TPM quota per model (listed under its catalog code, or a local
 * code when the catalog has none, so smoke's name-match fallback runs; `tpmQuota` false seeds none) with its daily
 * quota (AWS's default: the TPM quota x 24 x 60) and the region's cross-model daily quota, and each model's request
 * constraints as the catalog knew them.
 */
export function seedFromManifests(
  endpoint: LocalEndpoint,
  environment: BaselinePlan,
  manifests: readonly StackManifest[],
  tpmQuota: number | false = LOCAL_TPM_QUOTA,
): void {
  // The stand-in's models refuse what the catalog says they refuse (local/request-constraints.ts).
  const constraints: Record<string, NonNullable<StackManifest["models"][string]["requestConstraints"]>> = {};
  for (const m of manifests) for (const [id, model] of Object.entries(m.models)) if (model.requestConstraints) constraints[id] = model.requestConstraints;
  endpoint.configure({ requestConstraints: constraints });
  for (const m of manifests) {
    const refs: Record<string, { arn: string; version: string }> = Object.create(null);
    for (const [name, g] of Object.entries(environment.config.guardrails)) {
      const seeded = endpoint.seedGuardrail(m.region, { name: names.guardrail(environment.config.name, name), blockedInputMessaging: g.blockedInputMessaging, blockedOutputsMessaging: g.blockedOutputsMessaging });
      refs[name] = { arn: seeded.arn, version: seeded.version };
    }
    const applied: GuardrailRefs = refs;
    const profiles: Record<string, Record<string, string>> = Object.create(null);
    for (const p of applicationProfiles(environment, m.region))
      (profiles[p.workload] ??= Object.create(null))[p.modelId] = endpoint.seedApplicationProfile(m.region, { name: p.name, copyFrom: p.copyFrom, description: p.description }).arn;
    const appliedProfiles: ProfileRefs = profiles;
    endpoint.seedAppConfig({
      region: m.region,
      application: m.appConfig.application,
      environment: m.appConfig.environment,
      profile: m.appConfig.profile,
      content: JSON.stringify(buildRoutingDocument(environment, m.region, applied, appliedProfiles)),
      contentType: "application/json",
      jsonSchema: JSON.stringify(routingJsonSchema(environment, m.region, applied, appliedProfiles)),
      versionLabel: "synth",
      strategies: customStrategies(environment.config),
    });
    if (tpmQuota === false) continue;
    const quotas: QuotaSeed[] = Object.values(m.models).flatMap((model, i) => [
      { code: model.tpmQuotaCode ?? `L-LOCAL${String(i).padStart(3, "0")}`, name: quotaDisplayName(model), value: tpmQuota },
      { code: model.tpdQuotaCode ?? `L-LOCALD${String(i).padStart(2, "0")}`, name: `Model invocation max tokens per day for ${model.quotaName}`, value: tpmQuota * 24 * 60 },
    ]);
    quotas.push({ code: m.crossModelTpdQuotaCode ?? "L-LOCALXMD", name: "Cross-Model Max Tokens Per Day", value: tpmQuota * 24 * 60 * Object.keys(m.models).length });
    endpoint.seedQuotas(m.region, quotas);
  }
}
