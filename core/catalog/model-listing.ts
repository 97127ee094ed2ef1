import { GEOGRAPHIES } from "../aws";
import { type Catalog, curated, own } from "./catalog";

/*
 * What `bedrock-baseline models` lists: per region the snapshot synced, every model with what synth would check it
 * against (the system profiles that exist there, the lifecycle, the curated output limit and service tiers). Rows
 * only; the command formats them.
 */

/** A system-defined inference profile of a model in one region. */
export interface ListedProfile {
  /** The invoke ID, e.g. `us.amazon.nova-lite-v1:0`. */
  readonly id: string;
  /** Its prefix: `us`, `eu`, `apac`, `jp`, `au`, `us-gov` or `global`. */
  readonly geography: string;
  /** Destination regions (`*` for global routing). */
  readonly routesTo: readonly string[];
}

/** One model in one region, as the catalog knows it. */
export interface ModelRow {
  readonly region: string;
  readonly modelId: string;
  readonly name: string;
  readonly provider: string;
  readonly lifecycle: { readonly status: string; readonly legacySince?: string; readonly endOfLife?: string };
  /** `ON_DEMAND` (the bare ID in this region), `INFERENCE_PROFILE`, `PROVISIONED`. */
  readonly inferenceTypes: readonly string[];
  readonly streaming: boolean;
  readonly profiles: readonly ListedProfile[];
  /** The curated output limit; absent when the overlay has none (synth then needs `facts.maxOutputTokens`). */
  readonly maxOutputTokens?: number;
  /** Curated service tiers; absent when the overlay has none (only `default` may be used then). */
  readonly serviceTiers?: readonly string[];
  /** The day the snapshot read the region. */
  readonly readOn: string;
}

/** Which rows to keep; every filter is optional and they combine (AND). Values are matched case-insensitively. */
export interface ModelFilter {
  /** Keep these regions only. @default every synced region */
  readonly regions?: readonly string[];
  /** Keep these providers only (`Anthropic`, `Amazon`). @default every provider */
  readonly providers?: readonly string[];
  /** Keep these lifecycle states only (`ACTIVE`, `LEGACY`). @default every state */
  readonly lifecycles?: readonly string[];
  /** Keep model IDs containing this text. @default every model */
  readonly modelContains?: string;
}

/** Every row of the catalog, sorted by region then model ID. */
export function catalogModelRows(catalog: Catalog): ModelRow[] {
  const rows: ModelRow[] = [];
  for (const [region, facts] of Object.entries(catalog.snapshot.regions).sort(([a], [b]) => a.localeCompare(b))) {
    for (const [modelId, m] of Object.entries(facts.models).sort(([a], [b]) => a.localeCompare(b))) {
      const profiles = GEOGRAPHIES.flatMap((g): ListedProfile[] => {
        const p = own(facts.profiles, `${g}.${modelId}`);
        return p && p.modelId === modelId ? [{ id: `${g}.${modelId}`, geography: g, routesTo: p.routesTo }] : [];
      });
      const c = curated(catalog, modelId);
      rows.push({
        region,
        modelId,
        name: m.name,
        provider: m.provider,
        lifecycle: m.lifecycle,
        inferenceTypes: m.inferenceTypes,
        streaming: m.streaming,
        profiles,
        ...(c?.maxOutputTokens ? { maxOutputTokens: c.maxOutputTokens.value } : {}),
        ...(c?.serviceTiers ? { serviceTiers: c.serviceTiers.value } : {}),
        readOn: facts.read.on,
      });
    }
  }
  return rows;
}

const lower = (values: readonly string[] | undefined) => (values?.length ? new Set(values.map((v) => v.toLowerCase())) : undefined);

/** The rows `filter` keeps. */
export function filterModelRows(rows: readonly ModelRow[], filter: ModelFilter): ModelRow[] {
  const regions = lower(filter.regions);
  const providers = lower(filter.providers);
  const lifecycles = lower(filter.lifecycles);
  const contains = filter.modelContains?.toLowerCase();
  return rows.filter(
    (r) =>
      (!regions || regions.has(r.region.toLowerCase())) &&
      (!providers || providers.has(r.provider.toLowerCase())) &&
      (!lifecycles || lifecycles.has(r.lifecycle.status.toLowerCase())) &&
      (contains === undefined || r.modelId.toLowerCase().includes(contains)),
  );
}

/** The values each filter can take in `rows` (for "did you mean" and the listing's footer), sorted. */
export function filterValues(rows: readonly ModelRow[]): { regions: string[]; providers: string[]; lifecycles: string[] } {
  const sorted = (values: Iterable<string>) => [...new Set(values)].sort();
  return { regions: sorted(rows.map((r) => r.region)), providers: sorted(rows.map((r) => r.provider)), lifecycles: sorted(rows.map((r) => r.lifecycle.status)) };
}
