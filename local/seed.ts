import { customStrategies } from "../core/deployment-strategy";
import type { StackManifest } from "../core/manifest";
import type { LocalEndpoint } from "./endpoint";
import type { QuotaSeed } from "./service-quotas";
import { type BaselinePlan } from "../core/baseline-plan";
import { routingJsonSchema } from "../core/routing-baseline";

/** Applied TPM quota the stand-in account gets per model. */
export const LOCAL_TPM_QUOTA = 2_000_000;

/** Quota names as the Service Quotas console words them, per way of invoking (bedrock.md §6). */
export function quotaDisplayName(model: StackManifest["models"][string]): string {
  const family = { geo: "Cross-region model inference", global: "Global cross-region model inference", "on-demand": "On-demand model inference" }[model.kind];
  return `${family} tokens per minute for ${model.quotaName}`;
}

/**
 * What a deployed stack would have: per region manifest, the AppConfig application/environment/profile with the
 * synthesized routing document deployed behind the routing JSON Schema validator, the stack's custom deployment
 * strategies (core/deployment-strategy.ts: the emergency one the toggle's --disable uses, and the routine one when
 * the config names a custom strategy), and an applied TPM quota per model (listed under its catalog code, or a local
 * code when the catalog has none, so smoke's name-match fallback runs; `tpmQuota` false seeds none).
 */
export function seedFromManifests(
  endpoint: LocalEndpoint,
  environment: BaselinePlan,
  manifests: readonly StackManifest[],
  tpmQuota: number | false = LOCAL_TPM_QUOTA,
): void {
  for (const m of manifests) {
    endpoint.seedAppConfig({
      region: m.region,
      application: m.appConfig.application,
      environment: m.appConfig.environment,
      profile: m.appConfig.profile,
      content: JSON.stringify(m.routingDocument),
      contentType: "application/json",
      jsonSchema: JSON.stringify(routingJsonSchema(environment, m.region)),
      versionLabel: "synth",
      strategies: customStrategies(environment.config),
    });
    if (tpmQuota === false) continue;
    const quotas: QuotaSeed[] = Object.values(m.models).map((model, i) => ({
      code: model.tpmQuotaCode ?? `L-LOCAL${String(i).padStart(3, "0")}`,
      name: quotaDisplayName(model),
      value: tpmQuota,
    }));
    endpoint.seedQuotas(m.region, quotas);
  }
}
