import { z } from "zod";
import { parseDailyQuotaName, parseQuotaName, quotaModelKey } from "./quota-names";
import { QUOTA_CODE_MESSAGE, QUOTA_CODE_PATTERN, REGION_PATTERN } from "../aws";
import { jsonPath, type Problem } from "../problems";

/*
 * The catalog snapshot (catalog/snapshot.json): what the account's own Bedrock and Service Quotas APIs said, per region,
 * on the day `npm run catalog:sync` read them. Plain data so synth stays offline and deterministic; written with
 * sorted keys and arrays (snapshotJson) so a re-sync shows up as a readable git diff.
 *
 * Provenance: every region records the endpoint it was read from and the day (one sync reads a region in one go, so
 * its facts share both); every fact names the API it came from. `origin` says whether the file is a read of a real
 * account or something else (the shipped file is a local endpoint seeded from catalog/seed.json).
 */

/**
 * Foundation-model and system-profile IDs as Bedrock writes them (`anthropic.claude-haiku-4-5-20251001-v1:0`,
 * `us.amazon.nova-lite-v1:0`, `amazon.titan-text-lite-v1:0:4k`). IDs end up in ARNs, IAM Sids and Terraform
 * expressions, so anything else is never taken into the catalog.
 */
export const MODEL_ID_PATTERN = /^[a-z0-9][a-z0-9-]*\.[A-Za-z0-9][A-Za-z0-9._:-]*$/;
const modelId = z.string().regex(MODEL_ID_PATTERN, "is not a Bedrock model or profile ID");

/** `2026-02-30` is shaped like a date and is none: only days the calendar has. */
export function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const t = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s;
}
const date = z.string().refine(isCalendarDate, "must be a calendar date YYYY-MM-DD");
const region = z.string().regex(REGION_PATTERN, "is not an AWS region name");
const quotaCode = z.string().regex(QUOTA_CODE_PATTERN, QUOTA_CODE_MESSAGE);

/** The API a fact was read from. */
export const SNAPSHOT_APIS = {
  models: "bedrock:ListFoundationModels",
  profiles: "bedrock:ListInferenceProfiles",
  quotas: "servicequotas:ListServiceQuotas",
} as const;

/**
 * Lifecycle statuses ListFoundationModels documents (FoundationModelLifecycleStatus:
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_FoundationModelLifecycle.html). Any other status is
 * recorded as listed (upper case) and treated like LEGACY: a model in a state this code does not know is not current.
 */
export const KNOWN_LIFECYCLE_STATUSES: readonly string[] = ["ACTIVE", "LEGACY"];
const lifecycleStatus = z.string().regex(/^[A-Z][A-Z0-9_]*$/, "must be a lifecycle status as the API writes it (upper case, e.g. ACTIVE or LEGACY)");

const modelFact = z.strictObject({
  /** `modelName`, e.g. "Claude Haiku 4.5". */
  name: z.string().min(1),
  /** `providerName`, e.g. "Anthropic". */
  provider: z.string().min(1),
  /** `modelLifecycle`: status (ACTIVE, LEGACY) and the dates the API gives (new lifecycle policy: EOL no sooner than). */
  lifecycle: z.strictObject({ status: lifecycleStatus, legacySince: date.optional(), endOfLife: date.optional() }),
  /** `inferenceTypesSupported`: ON_DEMAND (bare ID in-region), INFERENCE_PROFILE, PROVISIONED. */
  inferenceTypes: z.array(z.string().min(1)),
  /** `responseStreamingSupported`. */
  streaming: z.boolean(),
  source: z.literal(SNAPSHOT_APIS.models),
});

const profileFact = z.strictObject({
  /** The foundation model the profile serves (from its model ARNs). */
  modelId,
  status: z.string().min(1),
  /** Destination regions (from the profile's model ARNs); `*` for the region-less ARN of global routing. */
  routesTo: z.array(z.union([region, z.literal("*")])),
  source: z.literal(SNAPSHOT_APIS.profiles),
});

const quotaFact = z.strictObject({
  code: quotaCode,
  /** The quota's name as listed (what it was matched by). */
  name: z.string().min(1),
  /** Applied value in this account and region. */
  value: z.number().nonnegative(),
  source: z.literal(SNAPSHOT_APIS.quotas),
});

const quotaPair = z.strictObject({ tpm: quotaFact.optional(), rpm: quotaFact.optional() });

const regionFacts = z.strictObject({
  /** Where and when this region was read. */
  read: z.strictObject({ on: date, endpoint: z.string().min(1) }),
  /** Foundation-model ID -> what ListFoundationModels says. */
  models: z.record(modelId, modelFact),
  /** System-defined inference profile ID (`us.…`, `global.…`) -> profile. Profiles that exist in this region only. */
  profiles: z.record(modelId, profileFact),
  /**
   * Foundation-model ID -> way of invoking -> tokens/requests-per-minute quota, and the model's tokens-per-day quota
   * (`tpd`, one per model whatever the way of invoking), matched by quota name.
   */
  quotas: z.record(modelId, z.strictObject({ geo: quotaPair.optional(), global: quotaPair.optional(), "on-demand": quotaPair.optional(), tpd: quotaFact.optional() })),
  /** Account-level quotas of the region: "Cross-Model Max Tokens Per Day" (`crossModelTpd`). Absent in older snapshots. */
  accountQuotas: z.strictObject({ crossModelTpd: quotaFact.optional() }).optional(),
});

export const catalogSnapshotSchema = z.strictObject({
  $comment: z.string().optional(),
  snapshotVersion: z.literal(1),
  /** Whether this is a read of a real account (`live`), and how it was produced. */
  origin: z.strictObject({ live: z.boolean(), description: z.string().min(1) }),
  regions: z.record(region, regionFacts),
});

/**
 * Regions whose read date lies after `today` (ISO day of the clock, one day of slack for time zones): a sync records
 * its own clock, so such a date is an edited file or a wrong clock, and staleness (catalog.maxAgeDays) would never fire.
 */
export function futureReadProblems(snapshot: { readonly regions: Readonly<Record<string, { readonly read: { readonly on: string } }>> }, today: string): Problem[] {
  const limit = Date.parse(`${today}T00:00:00Z`) + 86_400_000;
  return Object.entries(snapshot.regions).flatMap(([region, r]) =>
    Date.parse(`${r.read.on}T00:00:00Z`) > limit
      ? [{ path: jsonPath(["regions", region, "read", "on"]), message: `read on ${r.read.on}, after today (${today}): the snapshot's age could never be checked`, fix: `re-run npm run catalog:sync -- --regions ${region} (and check the clock of the machine that wrote it)` }]
      : [],
  );
}

/** catalog/snapshot.json: per region, what the APIs listed and where and when they were read. */
export type CatalogSnapshot = z.infer<typeof catalogSnapshotSchema>;
/** One region of the snapshot: its read (day, endpoint), models, system profiles and matched quotas. */
export type RegionFacts = CatalogSnapshot["regions"][string];
/** A model as ListFoundationModels listed it in one region. */
export type SnapshotModel = RegionFacts["models"][string];
/** A system-defined inference profile that exists in one region, with its destinations. */
export type SnapshotProfile = RegionFacts["profiles"][string];
/** A per-minute quota: code, listed name, applied value. */
export type QuotaFact = z.infer<typeof quotaFact>;
/** The tokens- and requests-per-minute quotas of one way of invoking; either may be absent. */
export type QuotaPair = z.infer<typeof quotaPair>;

// What the control-plane APIs return, reduced to the fields the snapshot keeps. Core takes plain objects (no SDK types)
// so the mapping is pure and testable; cli/catalog-sync.ts hands over the SDK's pages.

/** One entry of ListFoundationModels' `modelSummaries`. */
export interface ListedFoundationModel {
  readonly modelId?: string;
  readonly modelName?: string;
  readonly providerName?: string;
  readonly inferenceTypesSupported?: readonly string[];
  readonly responseStreamingSupported?: boolean;
  readonly modelLifecycle?: { readonly status?: string; readonly legacyTime?: Date | string; readonly endOfLifeTime?: Date | string };
}

/** One entry of ListInferenceProfiles' `inferenceProfileSummaries` (typeEquals SYSTEM_DEFINED). */
export interface ListedInferenceProfile {
  readonly inferenceProfileId?: string;
  readonly status?: string;
  readonly models?: readonly { readonly modelArn?: string }[];
}

/** One entry of ListServiceQuotas' `Quotas` (service `bedrock`). */
export interface ListedServiceQuota {
  readonly QuotaCode?: string;
  readonly QuotaName?: string;
  readonly Value?: number;
}

/** Everything one region's sync read. */
export interface RegionListings {
  readonly models: readonly ListedFoundationModel[];
  readonly profiles: readonly ListedInferenceProfile[];
  readonly quotas: readonly ListedServiceQuota[];
}

const day = (d: Date | string | undefined): string | undefined => {
  if (d === undefined) return undefined;
  const t = typeof d === "string" ? new Date(d) : d;
  return Number.isNaN(t.getTime()) ? undefined : t.toISOString().slice(0, 10);
};

/** `arn:aws:bedrock:us-east-1::foundation-model/anthropic.x` -> region and model ID (region "" for global routing). */
export function parseFoundationModelArn(arn: string): { region: string; modelId: string } | undefined {
  const m = /^arn:[\w-]+:bedrock:([a-z0-9-]*):\d*:foundation-model\/(.+)$/.exec(arn);
  return m ? { region: m[1], modelId: m[2] } : undefined;
}

/**
 * The facts of one region from its API listings. Quotas are matched to models by name (codes differ between accounts
 * and regions, names follow one pattern; see core/catalog/quota-names.ts); `quotaNames` adds the names an overlay says a
 * model's quotas use when they differ from its model name (foundation-model ID -> name).
 */
export function regionFactsFrom(listings: RegionListings, read: { on: string; endpoint: string }, quotaNames: ReadonlyMap<string, string> = new Map()): RegionFacts {
  // Null-prototype maps: the keys are IDs an API returned, data that must never reach Object.prototype.
  const models: Record<string, SnapshotModel> = Object.create(null);
  for (const m of listings.models) {
    if (!m.modelId || !MODEL_ID_PATTERN.test(m.modelId) || Object.hasOwn(models, m.modelId)) continue;
    const lc = m.modelLifecycle ?? {};
    models[m.modelId] = {
      name: m.modelName || m.modelId,
      provider: m.providerName || m.modelId.split(".")[0],
      lifecycle: { status: lc.status ?? "ACTIVE", ...opt("legacySince", day(lc.legacyTime)), ...opt("endOfLife", day(lc.endOfLifeTime)) },
      inferenceTypes: [...new Set(m.inferenceTypesSupported ?? [])].sort(),
      streaming: m.responseStreamingSupported ?? false,
      source: SNAPSHOT_APIS.models,
    };
  }

  const profiles: Record<string, SnapshotProfile> = Object.create(null);
  for (const p of listings.profiles) {
    if (!p.inferenceProfileId || !MODEL_ID_PATTERN.test(p.inferenceProfileId) || Object.hasOwn(profiles, p.inferenceProfileId)) continue;
    const arns = (p.models ?? []).map((x) => (x.modelArn ? parseFoundationModelArn(x.modelArn) : undefined)).filter((x) => x !== undefined);
    // The model ID is in the ARNs; when a profile lists none, its ID minus the geography prefix is the best guess.
    const modelId = arns[0]?.modelId ?? p.inferenceProfileId.slice(p.inferenceProfileId.indexOf(".") + 1);
    if (!MODEL_ID_PATTERN.test(modelId)) continue;
    profiles[p.inferenceProfileId] = {
      modelId,
      status: p.status ?? "ACTIVE",
      routesTo: [...new Set(arns.map((a) => a.region || "*"))].sort(),
      source: SNAPSHOT_APIS.profiles,
    };
  }

  // Model name keys, also for models only reachable through a profile here (listed in another region's summaries).
  const byKey = new Map<string, string[]>();
  const addKey = (key: string, id: string) => {
    const ids = byKey.get(key) ?? [];
    if (!ids.includes(id)) byKey.set(key, [...ids, id]);
  };
  for (const [id, m] of Object.entries(models)) addKey(quotaModelKey(m.name, m.provider), id);
  for (const [id, name] of quotaNames) addKey(quotaModelKey(name, models[id]?.provider ?? id.split(".")[0]), id);

  const quotas: RegionFacts["quotas"] = Object.create(null);
  const accountQuotas: NonNullable<RegionFacts["accountQuotas"]> = {};
  // Sorted by code so that, when two quotas claim the same slot (which the naming should never allow), the pick is stable.
  const listed = listings.quotas.filter((q) => q.QuotaCode && q.QuotaName && q.Value !== undefined).sort((a, b) => a.QuotaCode!.localeCompare(b.QuotaCode!));
  // A name shared by two models (e.g. two versions listed under one display name) cannot be attributed: undefined.
  const modelOf = (keys: { modelKey: string; modelKeyWithoutProvider: string }) => {
    const ids = [...new Set([...(byKey.get(keys.modelKey) ?? []), ...(byKey.get(keys.modelKeyWithoutProvider) ?? [])])];
    return ids.length === 1 ? ids[0] : undefined;
  };
  const perModel = (id: string) => (Object.hasOwn(quotas, id) ? quotas[id] : (quotas[id] = {}));
  for (const q of listed) {
    const fact: QuotaFact = { code: q.QuotaCode!, name: q.QuotaName!, value: q.Value!, source: SNAPSHOT_APIS.quotas };
    const daily = parseDailyQuotaName(q.QuotaName!);
    if (daily?.scope === "account") accountQuotas.crossModelTpd ??= fact;
    else if (daily) {
      const id = modelOf(daily);
      if (id !== undefined) perModel(id).tpd ??= fact;
    }
    const parts = parseQuotaName(q.QuotaName!);
    if (!parts) continue;
    const id = modelOf(parts);
    if (id === undefined) continue;
    const pair: QuotaPair = (perModel(id)[parts.kind] ??= {});
    if (pair[parts.metric]) continue;
    (pair as Record<string, QuotaFact>)[parts.metric] = fact;
  }
  return { read, models, profiles, quotas, ...(accountQuotas.crossModelTpd ? { accountQuotas } : {}) };
}

function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Deterministic JSON: object keys sorted at every level, two-space indent, trailing newline. */
export function snapshotJson(snapshot: CatalogSnapshot): string {
  return JSON.stringify(sortKeys(snapshot), null, 2) + "\n";
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === "object")
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  return v;
}
