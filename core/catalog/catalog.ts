import type { CatalogOverlay, OverlayModel } from "./catalog-overlay";
import type { CatalogSnapshot, RegionFacts, SnapshotModel } from "./catalog-snapshot";
import { GEOGRAPHIES, type Geography } from "../aws";

/**
 * The model catalog synth reads: the synced snapshot (what each region's Bedrock and Service Quotas APIs said) and the
 * curated overlay (facts no API gives). Both are data files under catalog/, loaded by cli/catalog-files.ts; core only
 * looks things up. Synced facts always come from the snapshot, curated ones from the overlay.
 */
export interface Catalog {
  readonly snapshot: CatalogSnapshot;
  readonly overlay: CatalogOverlay;
}

/** `record[key]` only when it is the record's own property (keys are user or API strings). */
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** The snapshot of one region, when synced. */
export function regionFacts(catalog: Catalog, region: string): RegionFacts | undefined {
  return own(catalog.snapshot.regions, region);
}

/** What ListFoundationModels said about a model in a region (undefined: not listed there, or region not synced). */
export function regionModel(catalog: Catalog, region: string, modelId: string): SnapshotModel | undefined {
  const r = regionFacts(catalog, region);
  return r && own(r.models, modelId);
}

/** The curated facts of a model. */
export function curated(catalog: Catalog, modelId: string): OverlayModel | undefined {
  return own(catalog.overlay.models, modelId);
}

/** Geographies (profile-ID prefixes) whose system profile for `modelId` exists in `region`, per the snapshot. */
export function profileGeographies(catalog: Catalog, region: string, modelId: string): Geography[] {
  const r = regionFacts(catalog, region);
  if (!r) return [];
  return GEOGRAPHIES.filter((g) => {
    const p = own(r.profiles, `${g}.${modelId}`);
    return p !== undefined && p.modelId === modelId;
  });
}

/** Every model ID the catalog knows (any snapshot region or the overlay), sorted. */
export function catalogModelIds(catalog: Catalog): string[] {
  const ids = new Set<string>(Object.keys(catalog.overlay.models));
  for (const r of Object.values(catalog.snapshot.regions)) for (const id of Object.keys(r.models)) ids.add(id);
  return [...ids].sort();
}

/** Whole days from `from` to `to` (ISO dates); negative when `from` is later. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The command that refreshes the snapshot of some regions. */
export function syncCommand(regions: readonly string[]): string {
  return `npm run catalog:sync -- --regions ${regions.join(",")}`;
}
