import { InvocationKind } from "../aws";
import type { RequestConstraints } from "../catalog";
import { names } from "../aws";
import { RoutingDocument } from "../runtime";
import { applicationProfiles, type BaselinePlan, routeCandidates, securityPosture, type SecurityPosture } from "../environment";
import { buildRoutingDocument } from "./routing-baseline";

/** Per-model facts a post-apply check needs without the catalog at hand. */
export interface ManifestModel {
  readonly invokeId: string;
  readonly kind: InvocationKind;
  readonly profileArn?: string;
  readonly marketplace: boolean;
  /** The model's output limit; absent when no catalog source or declared fact gives it. */
  readonly maxOutputTokens?: number;
  /** Tokens-per-minute quota code for this way of invoking, when known. */
  readonly tpmQuotaCode?: string;
  /** The model's tokens-per-day quota code in the region, when known. */
  readonly tpdQuotaCode?: string;
  /** Name fragment to find the quota when the code is unknown. */
  readonly quotaName: string;
  readonly outputBurndown: number;
  /**
   * What the model accepts in a request, as the catalog knew it at synth (core/catalog/request-constraints.ts): smoke
   * probes within it and reports where the live model contradicts it; the local stand-in enforces it. Absent: unknown.
   */
  readonly requestConstraints?: RequestConstraints;
}

/** One route as a post-apply check reads it. */
export interface ManifestRoute {
  /** Invoke IDs of the route's candidates: primary, fallbacks, then the canary. */
  readonly invokeIds: readonly string[];
  readonly maxTokens: number;
  readonly inputTokensEstimate: number;
  /** The tier every request of the route names; absent when none. */
  readonly serviceTier?: string;
  /** The guardrail (its name in the environment file) the route applies; absent when none. */
  readonly guardrail?: string;
}

/** What one region stack provisions, in a form smoke and operators read (written by synth as JSON). */
export interface StackManifest {
  readonly manifestVersion: 1;
  readonly stack: string;
  readonly environment: string;
  readonly account: string;
  readonly region: string;
  /** AppConfig names (AppConfigData accepts names, so no apply-time IDs are needed). */
  readonly appConfig: { readonly application: string; readonly environment: string; readonly profile: string; readonly pollIntervalSeconds: number };
  readonly models: Readonly<Record<string, ManifestModel>>;
  /** task -> invoke IDs in routing order, the request cap, the typical input size for quota math, tier and guardrail. */
  readonly routes: Readonly<Record<string, ManifestRoute>>;
  /**
   * Guardrail name -> its AWS name in this region. The ARN and version exist only after apply: the routing document
   * here carries APPLY_TIME for them (core/environment/guardrail-refs.ts); the stack's `guardrails` output has the applied values.
   */
  readonly guardrails: Readonly<Record<string, { readonly awsName: string }>>;
  /**
   * Workloads: the routes each may use, the IAM role name the stack creates for it (when it asked for one) and, with cost
   * attribution, the AWS name of its application inference profile per model (the ARNs exist after apply: the deployed
   * routing document carries them).
   */
  readonly workloads: Readonly<Record<string, { readonly routes: readonly string[]; readonly roleName?: string; readonly applicationProfiles?: Readonly<Record<string, string>> }>>;
  /** The account's "Cross-Model Max Tokens Per Day" quota code in the region, when known. */
  readonly crossModelTpdQuotaCode?: string;
  readonly routingDocument: RoutingDocument;
  /** What the stack switches on of the security controls (organization guard, invocation logging, endpoints, KMS). */
  readonly security: SecurityPosture;
}

/** Builds the manifest of the `region` stack of `env`. */
export function buildManifest(env: BaselinePlan, region: string): StackManifest {
  const c = env.config;
  const inv = env.invocations[region];
  return {
    manifestVersion: 1,
    stack: names.regionStack(c.name, region),
    environment: c.name,
    account: c.account,
    region,
    appConfig: {
      application: names.appConfigApplication(c.name),
      environment: names.appConfigEnvironment(c.name),
      profile: names.appConfigProfile,
      pollIntervalSeconds: c.appConfig.pollIntervalSeconds,
    },
    models: Object.fromEntries(
      Object.values(inv).map((i) => {
        const spec = env.specs[i.modelId];
        const tpm = spec.quotas[region]?.tpm;
        const model: ManifestModel = {
          invokeId: i.invokeId,
          kind: i.kind,
          ...(i.profileArn ? { profileArn: i.profileArn } : {}),
          marketplace: spec.marketplace,
          ...(spec.maxOutputTokens === undefined ? {} : { maxOutputTokens: spec.maxOutputTokens }),
          ...(tpm ? { tpmQuotaCode: tpm.code } : {}),
          ...(spec.quotas[region]?.tpd ? { tpdQuotaCode: spec.quotas[region].tpd!.code } : {}),
          quotaName: spec.quotaName,
          outputBurndown: spec.outputBurndown,
          ...(Object.keys(spec.requestConstraints).length ? { requestConstraints: spec.requestConstraints } : {}),
        };
        return [i.modelId, model];
      }),
    ),
    routes: Object.fromEntries(
      Object.entries(c.routes).map(([task, r]): [string, ManifestRoute] => [
        task,
        {
          invokeIds: routeCandidates(env, task).map((id) => inv[id].invokeId),
          maxTokens: r.maxTokens,
          inputTokensEstimate: r.inputTokensEstimate,
          ...(r.serviceTier ? { serviceTier: r.serviceTier } : {}),
          ...(r.guardrail ? { guardrail: r.guardrail } : {}),
        },
      ]),
    ),
    guardrails: Object.fromEntries(Object.keys(c.guardrails).map((g) => [g, { awsName: names.guardrail(c.name, g) }])),
    workloads: Object.fromEntries(
      Object.entries(c.workloads).map(([w, cfg]) => {
        const profiles = applicationProfiles(env, region).filter((p) => p.workload === w);
        return [
          w,
          {
            routes: [...cfg.routes],
            ...(cfg.role ? { roleName: names.workloadRole(c.name, region, w) } : {}),
            ...(profiles.length ? { applicationProfiles: Object.fromEntries(profiles.map((p) => [p.modelId, p.name])) } : {}),
          },
        ];
      }),
    ),
    ...(env.regionQuotas?.[region]?.crossModelTpd ? { crossModelTpdQuotaCode: env.regionQuotas[region].crossModelTpd!.code } : {}),
    routingDocument: buildRoutingDocument(env, region),
    security: securityPosture(c, region),
  };
}
