import { names } from "../aws";
import type { BaselinePlan, RouteConfig } from "../environment";
import { own } from "../catalog";
import { APPLY_TIME, applyTimeProfileRefs, applyTimeRefs, applicationProfiles, type GuardrailRefs, profileArnOf, type ProfileRefs } from "../environment";
import { type ModelQuota, QUOTA_STORE_KEY_PREFIX, type QuotaStoreLocation, ROUTING_SCHEMA_VERSION, type RouteEntry, routeEntrySchema, type RoutingDocument, SERVERLESS_CACHE_PORT, type WorkloadEntry } from "../runtime";

// The baseline routing document AppConfig gets for one region of a plan (its validator: routing-validator.ts).

/**
 * The document synth deploys for one region: every enabled model (with its price where the catalog knows it), every
 * route as configured, with cost attribution each workload's routes and application profiles, and where the region's
 * quota store is when the stack creates one. `guardrails`, `profiles` and `quotaStoreHost` (the cache's endpoint) are
 * the region stack's (Terraform references in the stack); without them the document carries APPLY_TIME there (the
 * manifest's copy, written before anything exists).
 */
export function buildRoutingDocument(
  plan: BaselinePlan,
  region: string,
  guardrails: GuardrailRefs = applyTimeRefs(Object.keys(plan.config.guardrails)),
  profiles: ProfileRefs = applyTimeProfileRefs(plan, region),
  quotaStoreHost: string = APPLY_TIME,
): RoutingDocument {
  const invocations = plan.invocations[region];
  const workloads = workloadEntries(plan, region, profiles);
  const quotaStore = documentQuotaStore(plan, region, quotaStoreHost);
  return {
    schemaVersion: ROUTING_SCHEMA_VERSION,
    environment: plan.config.name,
    region,
    models: Object.fromEntries(
      Object.values(invocations).map((i) => {
        const price = own(plan.specs, i.modelId)?.price;
        return [i.modelId, { invokeId: i.invokeId, enabled: true, ...appliedQuota(plan, i.modelId, region), ...(price ? { price: { ...price } } : {}) }];
      }),
    ),
    routes: Object.fromEntries(Object.entries(plan.config.routes).map(([task, r]) => [task, routeEntryOf(r, guardrails)])),
    ...(workloads ? { workloads } : {}),
    ...(quotaStore ? { quotaStore } : {}),
  };
}

/**
 * The document's `quotaStore` for `region` when the environment asks for a cache there (core/baseline/quota-store.ts
 * creates it): the endpoint, TLS, and with IAM authentication the cache and user a token is signed for.
 */
export function documentQuotaStore(plan: BaselinePlan, region: string, host: string): QuotaStoreLocation | undefined {
  const c = plan.config;
  if (!c.quotaStore?.enabled || !Object.hasOwn(c.network, region)) return undefined;
  return {
    host,
    port: SERVERLESS_CACHE_PORT,
    tls: true,
    ...(c.quotaStore.iamAuth ? { iamAuth: { cacheName: names.quotaStoreCache(c.name), userId: names.quotaStoreUser(c.name) } } : {}),
    keyPrefix: QUOTA_STORE_KEY_PREFIX,
  };
}

/** Each workload's routes and application profiles, when the plan attributes cost (else undefined: no section). */
function workloadEntries(plan: BaselinePlan, region: string, profiles: ProfileRefs): Record<string, WorkloadEntry> | undefined {
  const specs = applicationProfiles(plan, region);
  if (specs.length === 0) return undefined;
  const out: Record<string, WorkloadEntry> = {};
  for (const [w, cfg] of Object.entries(plan.config.workloads)) {
    const invokeIds: Record<string, string> = {};
    for (const p of specs.filter((s) => s.workload === w)) {
      const arn = profileArnOf(profiles, w, p.modelId);
      if (arn === undefined) throw new Error(`no reference for the application profile of ${w} and ${p.modelId}`);
      invokeIds[p.modelId] = arn;
    }
    out[w] = { routes: [...cfg.routes], invokeIds };
  }
  return out;
}

/**
 * A route as the document carries it: every field the document's route schema declares, copied from the environment's
 * route (which derives from it, core/environment/route-config.ts), so a new routing field needs no change here. The one
 * field that differs in form is the guardrail: a name in the file, where it is in the document.
 */
function routeEntryOf(r: RouteConfig, guardrails: GuardrailRefs): RouteEntry {
  const entry: Record<string, unknown> = {};
  for (const key of Object.keys(routeEntrySchema.shape) as Array<keyof RouteEntry>) {
    const value = r[key];
    if (value === undefined) continue;
    entry[key] = key === "guardrail" ? routeGuardrail(value as string, guardrails) : structuredClone(value);
  }
  return entry as RouteEntry;
}

function routeGuardrail(name: string, refs: GuardrailRefs): NonNullable<RouteEntry["guardrail"]> {
  if (!Object.hasOwn(refs, name)) throw new Error(`no reference for guardrail ${name}`);
  return { name, identifier: refs[name].arn, version: refs[name].version };
}

/**
 * The model's applied quota in `region` when the catalog snapshot read one (Service Quotas values are doubles; the
 * document carries whole tokens), with the spec's burndown; nothing otherwise, and the client learns from throttles.
 */
function appliedQuota(plan: BaselinePlan, modelId: string, region: string): { quota?: ModelQuota } {
  const spec = own(plan.specs, modelId);
  const q = spec && own(spec.quotas, region);
  const tpm = q?.tpm?.applied;
  if (spec === undefined || tpm === undefined || !(tpm >= 0)) return {};
  const rpm = q?.rpm?.applied;
  return {
    quota: {
      tokensPerMinute: Math.floor(tpm),
      ...(rpm !== undefined && rpm >= 0 ? { requestsPerMinute: Math.floor(rpm) } : {}),
      outputBurndown: spec.outputBurndown,
    },
  };
}
