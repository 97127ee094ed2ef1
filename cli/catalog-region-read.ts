import { ListFoundationModelsCommand, ListInferenceProfilesCommand } from "@aws-sdk/client-bedrock";
import { ListServiceQuotasCommand } from "@aws-sdk/client-service-quotas";
import { type CheckedListings, checkListings, listingNoticeLine, SNAPSHOT_APIS } from "../core/catalog";
import { displayText } from "../core/problems";
import { redactCredentials } from "./argument-values";
import { type AwsClientOptions, bedrockClient, serviceQuotasClient } from "./aws-clients";
import { boundClient, type CallBounds } from "./bounded-client";
import { DeadlineExceeded } from "./deadline";
import { EndlessListing, listAllPages } from "./paged-listing";

/** One region's read: the three listings, checked at the boundary (core/catalog/listing-checks.ts). */
export interface RegionRead {
  readonly checked: CheckedListings;
  /** Pages fetched per API, printed in this order. */
  readonly pages: Record<string, number>;
  /** Entries each API listed (before checks). */
  readonly listed: { readonly models: number; readonly profiles: number; readonly quotas: number };
}

/** One API call that failed in one region, already worded for the user. */
export interface Failure {
  readonly region: string;
  readonly line: string;
  readonly credentials: boolean;
}

/** How one region is read: where, with which credentials, and the bounds of every call. */
export interface RegionReadOptions {
  readonly endpointUrl?: string;
  readonly credentials?: AwsClientOptions["credentials"];
  readonly bounds: CallBounds;
  /** Page ceiling of each listing (--max-pages). */
  readonly maxPages: number;
}

const PERMISSION = { models: SNAPSHOT_APIS.models, profiles: SNAPSHOT_APIS.profiles, quotas: SNAPSHOT_APIS.quotas } as const;
type Api = keyof typeof PERMISSION;

/** Control characters, passwords in URLs and long AWS messages are trimmed: they are echoed to a terminal. */
const clean = (s: string) => displayText(redactCredentials(s).replace(/[\u0000-\u001f\u007f]+/g, " "), 200);

/**
 * Words a failed control-plane call. Credentials problems are reported once (they fail every call alike); AccessDenied
 * names the IAM action; a region where Bedrock is not offered has no endpoint (DNS failure against AWS) or says so;
 * a call past its timeout or the deadline, and a listing that would not end, say which bound stopped them.
 */
export function describeFailure(err: unknown, api: Api, region: string, bounds?: CallBounds): Failure {
  const e = (err ?? {}) as { name?: string; message?: string; code?: string; cause?: { code?: string } };
  const name = e.name ?? "Error";
  const message = clean(e.message ?? String(err));
  const what = `${region}: ${PERMISSION[api]}`;
  if (err instanceof EndlessListing) return { region, credentials: false, line: `${what} ${err.message}` };
  if (err instanceof DeadlineExceeded || name === "DeadlineExceeded")
    return { region, credentials: false, line: `${what} was still running at the deadline (--deadline-ms ${bounds?.deadline.ms ?? "?"}): the endpoint answers too slowly or not at all` };
  if (name === "TimeoutError")
    return { region, credentials: false, line: `${what} did not answer within ${bounds?.callTimeoutMs ?? "the"} ms (--timeout-ms): the endpoint accepted the call but never finished the answer` };
  if (name === "CredentialsProviderError" || /could not load credentials/i.test(message))
    return { region, credentials: true, line: "no AWS credentials: the default credential chain found none (set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run aws sso login)" };
  if (/^(UnrecognizedClientException|InvalidSignatureException|ExpiredToken(Exception)?|InvalidClientTokenId|SignatureDoesNotMatch)$/.test(name))
    return { region, credentials: true, line: `the credentials were rejected (${name}: ${message}): refresh them (aws sso login) or check the profile` };
  if (/AccessDenied/.test(name))
    return { region, credentials: false, line: `${what} denied (${name}): allow ${PERMISSION[api]} for the caller (catalog:sync needs ${Object.values(PERMISSION).join(", ")})` };
  // Against AWS a region without Bedrock has no endpoint (DNS fails before any HTTP); the local endpoint resets the
  // connection instead. A reset that outlived the SDK's retries reads the same to the user.
  const code = e.code ?? e.cause?.code;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN")
    return { region, credentials: false, line: `${region}: Bedrock is not offered in ${region} (no endpoint: ${code} ${message}): drop it from --regions` };
  if (code === "ECONNRESET" || code === "ERR_HTTP2_STREAM_ERROR" || /socket hang up|REFUSED_STREAM/.test(message))
    return { region, credentials: false, line: `${region}: Bedrock is not offered in ${region}, or its endpoint cannot be reached (${code ?? name}: ${message}): drop it from --regions, or retry` };
  // The SDK's deserializer refuses some values itself (a timestamp that is no date): the answer, not the call, is bad.
  if (/Deserialization error/.test(message))
    return { region, credentials: false, line: `${what} answered a value the SDK cannot read (${clean(name)}: ${clean(message.split(/\s+Deserialization error/)[0])}): nothing was taken from it` };
  return { region, credentials: false, line: `${what} failed (${clean(name)}: ${message})` };
}

/**
 * Reads one region: the three listings, every page, in parallel, each call bounded, each listing ending on a repeated
 * token or the page ceiling. Rejects with the region's Failure lines.
 */
export async function readRegion(region: string, o: RegionReadOptions): Promise<RegionRead> {
  const opts: AwsClientOptions = { region, ...(o.endpointUrl ? { endpointUrl: o.endpointUrl } : {}), ...(o.credentials ? { credentials: o.credentials } : {}) };
  const bedrock = boundClient(bedrockClient(opts), o.bounds);
  const quotas = boundClient(serviceQuotasClient(opts), o.bounds);
  const pages: Record<string, number> = { [SNAPSHOT_APIS.models]: 0, [SNAPSHOT_APIS.profiles]: 0, [SNAPSHOT_APIS.quotas]: 0 };
  const attempt = async (api: Api, read: () => Promise<{ items: unknown[]; pages: number }>): Promise<unknown[]> => {
    try {
      const r = await read();
      pages[PERMISSION[api]] = r.pages;
      return r.items;
    } catch (err) {
      throw describeFailure(err, api, region, o.bounds);
    }
  };
  try {
    const settled = await Promise.allSettled([
      // ListFoundationModels has no pagination: one call returns every model of the region.
      attempt("models", async () => ({ items: [...((await bedrock.send(new ListFoundationModelsCommand({}))).modelSummaries ?? [])], pages: 1 })),
      attempt("profiles", () =>
        listAllPages((nextToken) => bedrock.send(new ListInferenceProfilesCommand({ typeEquals: "SYSTEM_DEFINED", maxResults: 100, nextToken })).then((p) => ({ items: p.inferenceProfileSummaries, nextToken: p.nextToken })), { maxPages: o.maxPages }),
      ),
      attempt("quotas", () =>
        listAllPages((NextToken) => quotas.send(new ListServiceQuotasCommand({ ServiceCode: "bedrock", MaxResults: 100, NextToken })).then((p) => ({ items: p.Quotas, nextToken: p.NextToken })), { maxPages: o.maxPages }),
      ),
    ]);
    const failures = settled.flatMap((s) => (s.status === "rejected" ? [s.reason as Failure] : []));
    if (failures.length) throw failures;
    const [models, profiles, quotaList] = settled.map((s) => (s as PromiseFulfilledResult<unknown[]>).value);
    const checked = checkListings({ models, profiles, quotas: quotaList });
    if (checked.refusals.length) throw checked.refusals.map((n): Failure => ({ region, credentials: false, line: listingNoticeLine(region, n) }));
    return { checked, pages, listed: { models: models.length, profiles: profiles.length, quotas: quotaList.length } };
  } finally {
    bedrock.destroy();
    quotas.destroy();
  }
}
