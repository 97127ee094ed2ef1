/**
 * catalog/seed.json: the facts available without an AWS account (public docs and third-party material, each with its
 * sources), expanded into what each seed region's ListFoundationModels, ListInferenceProfiles (SYSTEM_DEFINED) and
 * ListServiceQuotas would return. The local endpoint serves these listings so that the shipped snapshot is produced by
 * the sync's own code path (`npm run catalog:regenerate`), and tests and the benchmark start from the same facts.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import type { ListedFoundationModel, ListedInferenceProfile, ListedServiceQuota, RegionListings } from "../core/catalog-snapshot";
import { GEOGRAPHIES, REGION_PATTERN } from "../core/geography";

export const SEED_FILE = path.resolve(__dirname, "..", "catalog", "seed.json");

const region = z.string().regex(REGION_PATTERN);
const source = z.array(z.string().min(1)).min(1);
const code = z.string().regex(/^L-[0-9A-F]{8}$/);
const pair = z.strictObject({ tpm: code.optional(), rpm: code.optional() });

const seedSchema = z.strictObject({
  $comment: z.string(),
  seedVersion: z.literal(1),
  /** The day the facts were gathered; the regenerated snapshot records it as its read date. */
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  regions: z.array(region).min(1),
  /** Per geography: the seed regions its profiles can be called from, and where they route (`*`: region-less, global). */
  geographies: z.partialRecord(
    z.enum(GEOGRAPHIES as [string, ...string[]]),
    z.strictObject({ sourceRegions: z.array(region), routesTo: z.array(z.union([region, z.literal("*")])).min(1), source, unconfirmed: z.string().optional() }),
  ),
  appliedQuotas: z.strictObject({ tpm: z.number().nonnegative(), rpm: z.number().nonnegative(), note: z.string() }),
  quotaNamePatterns: z.strictObject({ geo: z.string(), global: z.string(), "on-demand": z.string(), source }),
  models: z.array(
    z.strictObject({
      id: z.string().min(1),
      name: z.string().min(1),
      provider: z.string().min(1),
      /** The model name its quotas use, when it differs from `name`. */
      quotaName: z.string().optional(),
      geographies: z.array(z.enum(GEOGRAPHIES as [string, ...string[]])),
      onDemandRegions: z.array(region).default([]),
      lifecycle: z.string(),
      streaming: z.boolean(),
      quotas: z.strictObject({ geo: pair.optional(), global: pair.optional(), "on-demand": pair.optional() }).default({}),
      source,
      unconfirmed: z.string().optional(),
    }),
  ),
});

export type CatalogSeed = z.infer<typeof seedSchema>;
export type SeedModel = CatalogSeed["models"][number];

/** Reads and checks a seed file (default: catalog/seed.json). */
export function readSeed(file = SEED_FILE): CatalogSeed {
  return seedSchema.parse(JSON.parse(fs.readFileSync(file, "utf8")));
}

/** Account ID the local endpoint puts into profile ARNs. */
const ACCOUNT = "123456789012";

/** A ListFoundationModels summary with the fields the API always returns. */
export interface SeedFoundationModel extends ListedFoundationModel {
  readonly modelArn: string;
  readonly inputModalities: readonly string[];
  readonly outputModalities: readonly string[];
}

/** A ListInferenceProfiles summary with the fields the API always returns. */
export interface SeedInferenceProfile extends ListedInferenceProfile {
  readonly inferenceProfileName: string;
  readonly inferenceProfileArn: string;
  readonly type: "SYSTEM_DEFINED";
}

/** The listings of one region, as the three APIs would return them for the seeded facts. */
export function seedRegionListings(seed: CatalogSeed, r: string): RegionListings & { models: SeedFoundationModel[]; profiles: SeedInferenceProfile[] } {
  const models: SeedFoundationModel[] = [];
  const profiles: SeedInferenceProfile[] = [];
  const quotas: ListedServiceQuota[] = [];
  for (const m of seed.models) {
    const geos = m.geographies.filter((g) => seed.geographies[g]?.sourceRegions.includes(r));
    const onDemand = m.onDemandRegions.includes(r);
    if (geos.length === 0 && !onDemand) continue;
    models.push({
      modelId: m.id,
      modelName: m.name,
      providerName: m.provider,
      inferenceTypesSupported: [...(onDemand ? ["ON_DEMAND"] : []), ...(geos.length ? ["INFERENCE_PROFILE"] : [])],
      responseStreamingSupported: m.streaming,
      modelLifecycle: { status: m.lifecycle },
      modelArn: `arn:aws:bedrock:${r}::foundation-model/${m.id}`,
      inputModalities: ["TEXT"],
      outputModalities: ["TEXT"],
    });
    for (const g of geos) {
      const id = `${g}.${m.id}`;
      profiles.push({
        inferenceProfileId: id,
        status: "ACTIVE",
        models: seed.geographies[g]!.routesTo.map((dest) => ({ modelArn: `arn:aws:bedrock:${dest === "*" ? "" : dest}::foundation-model/${m.id}` })),
        inferenceProfileName: `${g.toUpperCase()} ${m.name}`,
        inferenceProfileArn: `arn:aws:bedrock:${r}:${ACCOUNT}:inference-profile/${id}`,
        type: "SYSTEM_DEFINED",
      });
    }
    const kinds = [
      ...(geos.some((g) => g !== "global") ? (["geo"] as const) : []),
      ...(geos.includes("global") ? (["global"] as const) : []),
      ...(onDemand ? (["on-demand"] as const) : []),
    ];
    const quotaModel = `${m.provider} ${m.quotaName ?? m.name}`;
    for (const kind of kinds)
      for (const metric of ["tpm", "rpm"] as const) {
        const c = m.quotas[kind]?.[metric];
        if (!c) continue;
        const name = seed.quotaNamePatterns[kind].replace("{metric}", metric === "tpm" ? "tokens" : "requests").replace("{model}", quotaModel);
        quotas.push({ QuotaCode: c, QuotaName: name, Value: seed.appliedQuotas[metric] });
      }
  }
  return { models, profiles, quotas };
}

/** Describes a snapshot regenerated from the seed, for its `origin`. */
export function seedOrigin(seed: CatalogSeed): { live: false; description: string } {
  return {
    live: false,
    description: `Regenerated by npm run catalog:regenerate: catalog:sync against the local endpoint seeded from catalog/seed.json (public documentation and third-party material as of ${seed.asOf}, sources per fact there). NOT a read of an AWS account: run npm run catalog:sync -- --regions <yours> with your credentials before relying on it.`,
  };
}
