/**
 * catalog/seed.json: the facts available without an AWS account (public docs and third-party material, each with its
 * sources), expanded into what each seed region's ListFoundationModels, ListInferenceProfiles (SYSTEM_DEFINED) and
 * ListServiceQuotas would return. The local endpoint serves these listings so that the shipped snapshot is produced by
 * the sync's own code path (`npm run catalog:regenerate`), and tests and the benchmark start from the same facts.
 */
import * as path from "node:path";
import { z } from "zod";
import { GEOGRAPHIES, QUOTA_CODE_PATTERN, REGION_PATTERN } from "../core/aws";
import { jsonPath, UserInputError } from "../core/problems";
import { displayNameOf, parseJsonBytes, readInputFile } from "../cli/json-file";

export const SEED_FILE = path.resolve(__dirname, "..", "catalog", "seed.json");

const region = z.string().regex(REGION_PATTERN);
const source = z.array(z.string().min(1)).min(1);
const code = z.string().regex(QUOTA_CODE_PATTERN);
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
      lifecycle: z.enum(["ACTIVE", "LEGACY"]),
      streaming: z.boolean(),
      quotas: z.strictObject({ geo: pair.optional(), global: pair.optional(), "on-demand": pair.optional() }).default({}),
      source,
      unconfirmed: z.string().optional(),
    }),
  ),
});

/** catalog/seed.json: the facts the local endpoint serves to regenerate the shipped snapshot. */
export type CatalogSeed = z.infer<typeof seedSchema>;

/** Reads and checks a seed file (default: catalog/seed.json); throws UserInputError with every problem, one per line. */
export function readSeed(file = SEED_FILE): CatalogSeed {
  const shown = displayNameOf(file);
  const read = readInputFile(file, "restore catalog/seed.json from git");
  if ("problem" in read) throw new UserInputError(shown, [read.problem]);
  const parsed = parseJsonBytes(read.bytes, "restore catalog/seed.json from git");
  if ("problem" in parsed) throw new UserInputError(shown, [parsed.problem]);
  if (parsed.oversized) throw new UserInputError(shown, parsed.problems);
  const r = seedSchema.safeParse(parsed.value);
  if (!r.success) throw new UserInputError(shown, [...parsed.problems, ...r.error.issues.map((i) => ({ path: jsonPath(i.path), message: i.message, fix: "fix the entry (see the seed's $comment)" }))]);
  if (parsed.problems.length) throw new UserInputError(shown, parsed.problems);
  return r.data;
}

/** A foundation model as the local endpoint's `seedCatalog` takes it (ListFoundationModels' field names). */
export interface EndpointModelSeed {
  modelId: string;
  modelName: string;
  providerName: string;
  inputModalities: "TEXT"[];
  outputModalities: "TEXT"[];
  responseStreamingSupported: boolean;
  inferenceTypesSupported: Array<"ON_DEMAND" | "INFERENCE_PROFILE">;
  modelLifecycle: { status: "ACTIVE" | "LEGACY" };
}

/** A system-defined inference profile as `seedCatalog` takes it (global profiles route region-less: no destinations). */
export interface EndpointProfileSeed {
  inferenceProfileId: string;
  inferenceProfileName: string;
  destinationRegions?: string[];
}

/** What one region of the local endpoint is seeded with: its control plane and its Bedrock quotas. */
export interface EndpointRegionSeed {
  readonly bedrock: { foundationModels: EndpointModelSeed[]; inferenceProfiles: EndpointProfileSeed[] };
  readonly quotas: Array<{ code: string; name: string; value: number }>;
}

/** The seed expanded for one region: models listed where they have a profile or run on demand, quotas by pattern. */
export function seedForRegion(seed: CatalogSeed, r: string): EndpointRegionSeed {
  const foundationModels: EndpointModelSeed[] = [];
  const inferenceProfiles: EndpointProfileSeed[] = [];
  const quotas: EndpointRegionSeed["quotas"] = [];
  for (const m of seed.models) {
    const geos = m.geographies.filter((g) => seed.geographies[g]?.sourceRegions.includes(r));
    const onDemand = m.onDemandRegions.includes(r);
    if (geos.length === 0 && !onDemand) continue;
    foundationModels.push({
      modelId: m.id,
      modelName: m.name,
      providerName: m.provider,
      inputModalities: ["TEXT"],
      outputModalities: ["TEXT"],
      responseStreamingSupported: m.streaming,
      inferenceTypesSupported: [...(onDemand ? (["ON_DEMAND"] as const) : []), ...(geos.length ? (["INFERENCE_PROFILE"] as const) : [])],
      modelLifecycle: { status: m.lifecycle },
    });
    for (const g of geos) {
      const routesTo = seed.geographies[g]!.routesTo;
      inferenceProfiles.push({ inferenceProfileId: `${g}.${m.id}`, inferenceProfileName: `${g.toUpperCase()} ${m.provider} ${m.name}`, ...(routesTo.includes("*") ? {} : { destinationRegions: [...routesTo] }) });
    }
    const kinds = [...(geos.some((g) => g !== "global") ? (["geo"] as const) : []), ...(geos.includes("global") ? (["global"] as const) : []), ...(onDemand ? (["on-demand"] as const) : [])];
    const quotaModel = `${m.provider} ${m.quotaName ?? m.name}`;
    for (const kind of kinds)
      for (const metric of ["tpm", "rpm"] as const) {
        const code = m.quotas[kind]?.[metric];
        if (!code) continue;
        const name = seed.quotaNamePatterns[kind].replace("{metric}", metric === "tpm" ? "tokens" : "requests").replace("{model}", quotaModel);
        quotas.push({ code, name, value: seed.appliedQuotas[metric] });
      }
  }
  return { bedrock: { foundationModels, inferenceProfiles }, quotas };
}

/** The part of the local endpoint's API seeding uses (local/endpoint.ts LocalEndpoint). */
export interface SeedableEndpoint {
  seedCatalog(region: string, seed: EndpointRegionSeed["bedrock"]): void;
  seedQuotas(region: string, quotas: EndpointRegionSeed["quotas"]): void;
}

/** Seeds the endpoint with the seed's facts for `regions` (default: every seed region). */
export function seedEndpoint(endpoint: SeedableEndpoint, seed: CatalogSeed, regions: readonly string[] = seed.regions): void {
  for (const r of regions) {
    const s = seedForRegion(seed, r);
    endpoint.seedCatalog(r, s.bedrock);
    endpoint.seedQuotas(r, s.quotas);
  }
}

/** Describes a snapshot regenerated from the seed, for its `origin`. */
export function seedOrigin(seed: CatalogSeed): { live: false; description: string } {
  return {
    live: false,
    description: `Regenerated by npm run catalog:regenerate: catalog:sync against the local endpoint seeded from catalog/seed.json (public documentation and third-party material as of ${seed.asOf}, sources per fact there). NOT a read of an AWS account: run npm run catalog:sync -- --regions <yours> with your credentials before relying on it.`,
  };
}
