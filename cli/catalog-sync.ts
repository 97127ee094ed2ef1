import * as fs from "node:fs";
import * as path from "node:path";
import { ListFoundationModelsCommand, paginateListInferenceProfiles } from "@aws-sdk/client-bedrock";
import { paginateListServiceQuotas } from "@aws-sdk/client-service-quotas";
import { changeSummary, snapshotChanges, type CatalogChange, type CatalogOverlay, type CatalogSnapshot, catalogSnapshotSchema, type ListedFoundationModel, type ListedInferenceProfile, type ListedServiceQuota, regionFactsFrom, SNAPSHOT_APIS, snapshotJson } from "../core/catalog";
import { type AwsClientOptions, bedrockClient, serviceQuotasClient } from "./aws-clients";
import { CATALOG_DIR, OVERLAY_FILE, readOverlay, readSnapshot, SNAPSHOT_FILE } from "./catalog-files";
import { CliError } from "./user-error";
import { displayNameOf } from "./environment-files";

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
}

/** One API call that failed in one region, already worded for the user. */
interface Failure {
  readonly region: string;
  readonly line: string;
  readonly credentials: boolean;
}

/** A sync that wrote nothing: one line per failed region/API, exit 1. */
export class SyncFailed extends CliError {
  constructor(readonly lines: readonly string[]) {
    super(lines.join("\n"), 1);
    this.name = "SyncFailed";
  }
}

const PERMISSION = { models: SNAPSHOT_APIS.models, profiles: SNAPSHOT_APIS.profiles, quotas: SNAPSHOT_APIS.quotas } as const;
type Api = keyof typeof PERMISSION;

/** Control characters and long AWS messages are trimmed: they are echoed to a terminal. */
const clean = (s: string) => s.replace(/[\u0000-\u001f\u007f]+/g, " ").slice(0, 200);

/**
 * Words a failed control-plane call. Credentials problems are reported once (they fail every call alike); AccessDenied
 * names the IAM action; a region where Bedrock is not offered has no endpoint (DNS failure against AWS) or says so.
 */
export function describeFailure(err: unknown, api: Api, region: string): Failure {
  const e = (err ?? {}) as { name?: string; message?: string; code?: string; cause?: { code?: string } };
  const name = e.name ?? "Error";
  const message = clean(e.message ?? String(err));
  if (name === "CredentialsProviderError" || /could not load credentials/i.test(message))
    return { region, credentials: true, line: "no AWS credentials: the default credential chain found none (set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run aws sso login)" };
  if (/^(UnrecognizedClientException|InvalidSignatureException|ExpiredToken(Exception)?|InvalidClientTokenId)$/.test(name))
    return { region, credentials: true, line: `the credentials were rejected (${name}: ${message}): refresh them (aws sso login) or check the profile` };
  if (/AccessDenied/.test(name))
    return { region, credentials: false, line: `${region}: ${PERMISSION[api]} denied (${name}): allow ${PERMISSION[api]} for the caller (catalog:sync needs ${Object.values(PERMISSION).join(", ")})` };
  // Against AWS a region without Bedrock has no endpoint (DNS fails before any HTTP); the local endpoint resets the
  // connection instead. A reset that outlived the SDK's retries reads the same to the user.
  const code = e.code ?? e.cause?.code;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN")
    return { region, credentials: false, line: `${region}: Bedrock is not offered in ${region} (no endpoint: ${code} ${message}): drop it from --regions` };
  if (code === "ECONNRESET" || code === "ERR_HTTP2_STREAM_ERROR" || /socket hang up|REFUSED_STREAM/.test(message))
    return { region, credentials: false, line: `${region}: Bedrock is not offered in ${region}, or its endpoint cannot be reached (${code ?? name}: ${message}): drop it from --regions, or retry` };
  return { region, credentials: false, line: `${region}: ${PERMISSION[api]} failed (${name}: ${message})` };
}

/** Reads one region: the three listings, every page, in parallel. */
async function readRegion(region: string, o: SyncOptions) {
  const opts: AwsClientOptions = { region, ...(o.endpointUrl ? { endpointUrl: o.endpointUrl } : {}), ...(o.credentials ? { credentials: o.credentials } : {}) };
  const bedrock = bedrockClient(opts);
  const quotas = serviceQuotasClient(opts);
  const pages: Record<string, number> = { [SNAPSHOT_APIS.models]: 0, [SNAPSHOT_APIS.profiles]: 0, [SNAPSHOT_APIS.quotas]: 0 }; // printed in this order
  const attempt = async <T>(api: Api, read: () => Promise<T>): Promise<T> => {
    try {
      return await read();
    } catch (err) {
      throw describeFailure(err, api, region);
    }
  };
  try {
    const settled = await Promise.allSettled([
      // ListFoundationModels has no pagination: one call returns every model of the region.
      attempt("models", async () => {
        const r = await bedrock.send(new ListFoundationModelsCommand({}));
        pages[SNAPSHOT_APIS.models] = 1;
        return (r.modelSummaries ?? []) as ListedFoundationModel[];
      }),
      attempt("profiles", async () => {
        const out: ListedInferenceProfile[] = [];
        for await (const page of paginateListInferenceProfiles({ client: bedrock }, { typeEquals: "SYSTEM_DEFINED", maxResults: 100 })) {
          pages[SNAPSHOT_APIS.profiles]++;
          out.push(...(page.inferenceProfileSummaries ?? []));
        }
        return out;
      }),
      attempt("quotas", async () => {
        const out: ListedServiceQuota[] = [];
        for await (const page of paginateListServiceQuotas({ client: quotas }, { ServiceCode: "bedrock", MaxResults: 100 })) {
          pages[SNAPSHOT_APIS.quotas]++;
          out.push(...(page.Quotas ?? []));
        }
        return out;
      }),
    ]);
    const failures = settled.flatMap((s) => (s.status === "rejected" ? [s.reason as Failure] : []));
    if (failures.length) throw failures;
    const [models, profiles, quotaList] = settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as [ListedFoundationModel[], ListedInferenceProfile[], ListedServiceQuota[]];
    return { listings: { models, profiles, quotas: quotaList }, pages };
  } finally {
    bedrock.destroy();
    quotas.destroy();
  }
}

/** Where a sync reads from, for the printed line and the snapshot. */
export function endpointDescription(endpointUrl: string | undefined): string {
  return endpointUrl ? `${endpointUrl} (explicit --endpoint-url)` : "AWS regional endpoints (bedrock.<region>.amazonaws.com, servicequotas.<region>.amazonaws.com)";
}

/**
 * Reads every region, then writes the new snapshot in one step: to a temporary file renamed over the old one, and only
 * after every region succeeded, so a partial failure leaves the previous snapshot untouched. Throws SyncFailed.
 */
export async function syncCatalog(o: SyncOptions): Promise<SyncResult> {
  const file = path.resolve(o.snapshotFile ?? path.join(CATALOG_DIR, SNAPSHOT_FILE));
  const previous = readSnapshot(file, o.cwd);
  const overlay: CatalogOverlay | undefined = readOverlay(path.resolve(o.overlayFile ?? path.join(CATALOG_DIR, OVERLAY_FILE)), o.cwd);
  const quotaNames = new Map(Object.entries(overlay?.models ?? {}).flatMap(([id, m]) => (m.quotaName ? [[id, m.quotaName.value] as [string, string]] : [])));
  const regions = [...new Set(o.regions)];

  const settled = await Promise.allSettled(regions.map((r) => readRegion(r, o)));
  const failures = settled.flatMap((s) => (s.status === "rejected" ? (Array.isArray(s.reason) ? (s.reason as Failure[]) : [describeFailure(s.reason, "models", "?")]) : []));
  if (failures.length) {
    const credentials = failures.find((f) => f.credentials);
    const lines = credentials ? [credentials.line] : [...new Set(failures.map((f) => f.line))];
    throw new SyncFailed([...lines, `nothing written: ${displayNameOf(file, o.cwd)} is unchanged`]);
  }

  const on = (o.now?.() ?? new Date()).toISOString().slice(0, 10);
  const endpoint = o.endpointLabel ?? o.endpointUrl ?? "AWS regional endpoints";
  const regionsOut: CatalogSnapshot["regions"] = Object.assign(Object.create(null), previous?.regions ?? {});
  const counts: Record<string, SyncResult["counts"][string]> = {};
  regions.forEach((r, i) => {
    const { listings, pages } = (settled[i] as PromiseFulfilledResult<Awaited<ReturnType<typeof readRegion>>>).value;
    regionsOut[r] = regionFactsFrom(listings, { on, endpoint }, quotaNames);
    counts[r] = { models: listings.models.length, profiles: listings.profiles.length, quotas: listings.quotas.length, pages };
  });
  const snapshot: CatalogSnapshot = catalogSnapshotSchema.parse({
    $comment: "Written by npm run catalog:sync; do not edit by hand (curated facts belong in catalog/overlay.json).",
    snapshotVersion: 1,
    origin: o.origin ?? { live: !o.endpointUrl, description: o.endpointUrl ? `catalog:sync against ${o.endpointUrl}` : "catalog:sync against AWS with the default credential chain" },
    regions: regionsOut,
  });
  const text = snapshotJson(snapshot);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);

  const curatedIds = new Set(Object.entries(overlay?.models ?? {}).filter(([, m]) => m.maxOutputTokens && m.outputBurndown).map(([id]) => id));
  const uncurated = [...new Set(regions.flatMap((r) => Object.keys(snapshot.regions[r].models)))].filter((id) => !curatedIds.has(id)).sort();
  return { snapshot, changes: snapshotChanges(previous, snapshot, regions), file, bytes: Buffer.byteLength(text), counts, uncurated };
}

/** The lines the command prints after a successful sync. */
export function syncReport(r: SyncResult, cwd?: string): string[] {
  const lines = Object.entries(r.counts).map(
    ([region, c]) => `${region}: ${c.models} models, ${c.profiles} system profiles, ${c.quotas} quotas (pages: ${Object.entries(c.pages).map(([api, p]) => `${api} ${p}`).join(", ")})`,
  );
  const summary = changeSummary(r.changes);
  lines.push(summary.length ? `changes since the last snapshot:` : "no changes since the last snapshot", ...summary.map((l) => `  ${l}`));
  if (r.uncurated.length)
    lines.push(`no curated output limit/burndown in catalog/overlay.json for: ${r.uncurated.join(", ")} (synth warns until you add them, with a source)`);
  lines.push(`wrote ${displayNameOf(r.file, cwd)} (${Object.keys(r.snapshot.regions).length} regions, ${r.bytes.toLocaleString("en-US")} bytes)`);
  return lines;
}
