import * as fs from "node:fs";
import * as path from "node:path";
import { changeSummary, snapshotChanges, type CatalogChange, type CatalogOverlay, type CatalogSnapshot, catalogSnapshotSchema, listingNoticeLine, regionFactsFrom, snapshotJson } from "../core/catalog";
import { jsonPath } from "../core/problems";
import { redactUrl } from "./argument-values";
import type { AwsClientOptions } from "./aws-clients";
import { type Failure, readRegion, type RegionRead } from "./catalog-region-read";
import { CATALOG_DIR, OVERLAY_FILE, readOverlay, readSnapshot, SNAPSHOT_FILE } from "./catalog-files";
import { Deadline } from "./deadline";
import { DEFAULT_MAX_PAGES } from "./paged-listing";
import { CliError } from "./user-error";
import { displayNameOf } from "./environment-files";

/** Bounds of a sync when the command line names none (shown in --help). */
export const SYNC_DEFAULTS = { timeoutMs: 20_000, deadlineMs: 300_000, maxPages: DEFAULT_MAX_PAGES } as const;

/** Options of one sync. */
export interface SyncOptions {
  /** Regions to read (others already in the snapshot are kept as they are). */
  readonly regions: readonly string[];
  /** Explicit opt-in to another endpoint (the local stand-in). Default: AWS's regional endpoints. */
  readonly endpointUrl?: string;
  /** Default: the SDK default credential chain. */
  readonly credentials?: AwsClientOptions["credentials"];
  /** Snapshot to compare with and replace. Default: catalog/snapshot.json. */
  readonly snapshotFile?: string;
  /** Overlay whose `quotaName` entries help match quotas. Default: catalog/overlay.json. */
  readonly overlayFile?: string;
  /** Read date source. Default: the clock. */
  readonly now?: () => Date;
  /** What the snapshot says about itself. Default: a live read (or a read of `endpointUrl` when given). */
  readonly origin?: CatalogSnapshot["origin"];
  /** What each region records as its endpoint. Default: `endpointUrl`, or the AWS regional endpoint. */
  readonly endpointLabel?: string;
  /** Base for printed file names. Default: process.cwd(). */
  readonly cwd?: string;
  /** One AWS call, SDK retries included. Default: SYNC_DEFAULTS.timeoutMs. */
  readonly timeoutMs?: number;
  /** The whole sync; calls still running then fail. Default: SYNC_DEFAULTS.deadlineMs. */
  readonly deadlineMs?: number;
  /** Pages read at most per listing. Default: SYNC_DEFAULTS.maxPages. */
  readonly maxPages?: number;
}

/** What a successful sync did. */
export interface SyncResult {
  readonly snapshot: CatalogSnapshot;
  readonly changes: readonly CatalogChange[];
  readonly file: string;
  readonly bytes: number;
  /** Per region: entries read and pages fetched per API. */
  readonly counts: Readonly<Record<string, { models: number; profiles: number; quotas: number; pages: Record<string, number> }>>;
  /** Models of the new snapshot the overlay has no output limit or burndown for (synth warns about them). */
  readonly uncurated: readonly string[];
  /** Entries or values the APIs answered that were skipped, one line each (region, API, field). */
  readonly warnings: readonly string[];
}

/** A sync that wrote nothing: one line per failed region/API, exit 1. */
export class SyncFailed extends CliError {
  constructor(readonly lines: readonly string[]) {
    super(lines.join("\n"), 1);
    this.name = "SyncFailed";
  }
}

/** Where a sync reads from, for the printed line and the snapshot (a password in the URL never appears). */
export function endpointDescription(endpointUrl: string | undefined): string {
  return endpointUrl ? `${redactUrl(endpointUrl)} (explicit --endpoint-url)` : "AWS regional endpoints (bedrock.<region>.amazonaws.com, servicequotas.<region>.amazonaws.com)";
}

/** Reads every region within the bounds; throws SyncFailed (naming `file` as unchanged) when any region failed. */
async function readRegions(regions: readonly string[], o: SyncOptions, file: string): Promise<RegionRead[]> {
  const deadline = new Deadline(o.deadlineMs ?? SYNC_DEFAULTS.deadlineMs);
  try {
    const bounds = { deadline, callTimeoutMs: o.timeoutMs ?? SYNC_DEFAULTS.timeoutMs };
    const settled = await Promise.allSettled(regions.map((r) => readRegion(r, { endpointUrl: o.endpointUrl, credentials: o.credentials, bounds, maxPages: o.maxPages ?? SYNC_DEFAULTS.maxPages })));
    const failures = settled.flatMap((s, i) => (s.status === "rejected" ? (Array.isArray(s.reason) ? (s.reason as Failure[]) : [{ region: regions[i], credentials: false, line: `${regions[i]}: ${String(s.reason)}` }]) : []));
    if (failures.length) {
      const credentials = failures.find((f) => f.credentials);
      const lines = credentials ? [credentials.line] : [...new Set(failures.map((f) => f.line))];
      throw new SyncFailed([...lines, `nothing written: ${displayNameOf(file, o.cwd)} is unchanged`]);
    }
    return settled.map((s) => (s as PromiseFulfilledResult<RegionRead>).value);
  } finally {
    deadline.dispose();
  }
}

/** The new snapshot from the previous one and this sync's reads; throws SyncFailed naming any field it refuses. */
function buildSnapshot(previous: CatalogSnapshot | undefined, regions: readonly string[], reads: readonly RegionRead[], o: SyncOptions, quotaNames: ReadonlyMap<string, string>, file: string): CatalogSnapshot {
  const on = (o.now?.() ?? new Date()).toISOString().slice(0, 10);
  // Credentials in --endpoint-url never reach the file teams commit.
  const shownEndpoint = o.endpointUrl === undefined ? undefined : redactUrl(o.endpointUrl);
  const endpoint = o.endpointLabel ?? shownEndpoint ?? "AWS regional endpoints";
  const regionsOut: CatalogSnapshot["regions"] = Object.assign(Object.create(null), previous?.regions ?? {});
  regions.forEach((r, i) => {
    regionsOut[r] = regionFactsFrom(reads[i].checked.listings, { on, endpoint }, quotaNames);
  });
  const parsed = catalogSnapshotSchema.safeParse({
    $comment: "Written by npm run catalog:sync; do not edit by hand (curated facts belong in catalog/overlay.json).",
    snapshotVersion: 1,
    origin: o.origin ?? { live: !o.endpointUrl, description: shownEndpoint ? `catalog:sync against ${shownEndpoint}` : "catalog:sync against AWS with the default credential chain" },
    regions: regionsOut,
  });
  // The listing checks should leave nothing for the schema to refuse; if they do, it is one line per field, no trace.
  if (!parsed.success) throw new SyncFailed([...parsed.error.issues.slice(0, 20).map((i) => `snapshot ${jsonPath(i.path)}: ${i.message}`), `nothing written: ${displayNameOf(file, o.cwd)} is unchanged`]);
  return parsed.data;
}

/**
 * Reads every region, then writes the new snapshot in one step: to a temporary file renamed over the old one, and only
 * after every region succeeded, so a partial failure leaves the previous snapshot untouched. Throws SyncFailed.
 */
export async function syncCatalog(o: SyncOptions): Promise<SyncResult> {
  const file = path.resolve(o.snapshotFile ?? path.join(CATALOG_DIR, SNAPSHOT_FILE));
  const previous = readSnapshot(file, { cwd: o.cwd });
  const overlay: CatalogOverlay | undefined = readOverlay(path.resolve(o.overlayFile ?? path.join(CATALOG_DIR, OVERLAY_FILE)), o.cwd);
  const quotaNames = new Map(Object.entries(overlay?.models ?? {}).flatMap(([id, m]) => (m.quotaName ? [[id, m.quotaName.value] as [string, string]] : [])));
  const regions = [...new Set(o.regions)];

  const reads = await readRegions(regions, o, file);
  const snapshot = buildSnapshot(previous, regions, reads, o, quotaNames, file);
  const text = snapshotJson(snapshot);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } finally {
    fs.rmSync(tmp, { force: true });
  }

  const counts: Record<string, SyncResult["counts"][string]> = {};
  regions.forEach((r, i) => {
    counts[r] = { ...reads[i].listed, pages: reads[i].pages };
  });
  const curatedIds = new Set(Object.entries(overlay?.models ?? {}).filter(([, m]) => m.maxOutputTokens && m.outputBurndown).map(([id]) => id));
  const uncurated = [...new Set(regions.flatMap((r) => Object.keys(snapshot.regions[r].models)))].filter((id) => !curatedIds.has(id)).sort();
  const warnings = regions.flatMap((r, i) => reads[i].checked.warnings.map((n) => listingNoticeLine(r, n)));
  return { snapshot, changes: snapshotChanges(previous, snapshot, regions), file, bytes: Buffer.byteLength(text), counts, uncurated, warnings };
}

/** The lines the command prints after a successful sync. */
export function syncReport(r: SyncResult, cwd?: string): string[] {
  const lines = Object.entries(r.counts).map(
    ([region, c]) => `${region}: ${c.models} models, ${c.profiles} system profiles, ${c.quotas} quotas (pages: ${Object.entries(c.pages).map(([api, p]) => `${api} ${p}`).join(", ")})`,
  );
  // Capped like every repeated problem: a control plane with thousands of odd entries must not flood the terminal.
  const shown = r.warnings.slice(0, 50).map((w) => `warning: ${w}`);
  if (r.warnings.length > 50) shown.push(`warning: ${(r.warnings.length - 50).toLocaleString("en-US")} more entries skipped (not shown)`);
  lines.push(...shown);
  const summary = changeSummary(r.changes);
  lines.push(summary.length ? `changes since the last snapshot:` : "no changes since the last snapshot", ...summary.map((l) => `  ${l}`));
  if (r.uncurated.length)
    lines.push(`no curated output limit/burndown in catalog/overlay.json for: ${r.uncurated.join(", ")} (synth warns until you add them, with a source)`);
  lines.push(`wrote ${displayNameOf(r.file, cwd)} (${Object.keys(r.snapshot.regions).length} regions, ${r.bytes.toLocaleString("en-US")} bytes)`);
  return lines;
}
