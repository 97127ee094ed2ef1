import type { QuotaStoreLocation } from "../core/runtime";
import { elastiCacheIamToken, type SigningCredentials } from "./elasticache-token";
import { StoreError } from "./resp-connection";
import type { StoreAddress } from "./store-url";

/*
 * `quotaStore: "from-document"` (docs/fleet-quota.md, "The baseline's cache"): the store is where the routing
 * document's `quotaStore` says, which the baseline writes when the environment creates an ElastiCache Serverless cache
 * per region. Resolved on every (re)connection, so a moved endpoint is followed and, with IAM authentication, every
 * connection AUTHs with a fresh token (a token is accepted for 15 minutes only) signed with the router's credentials.
 */

/** What the address needs from the router. */
export interface DocumentStoreDeps {
  /** The held document's `quotaStore`, if any. */
  readonly location: () => QuotaStoreLocation | undefined;
  readonly region: string;
  /** The router's AWS credentials (its SDK client's provider: the default chain unless the application gave others). */
  readonly credentials: () => Promise<SigningCredentials>;
  readonly now: () => Date;
}

/** How the document's store is shown: where it is, never the token. */
export const DOCUMENT_STORE_SHOWN = "routing document's quotaStore";

/** The address of the document's store now; rejects with a StoreError when the document names none. */
export async function documentStoreAddress(d: DocumentStoreDeps): Promise<StoreAddress> {
  const loc = d.location();
  if (!loc) throw new StoreError(`${DOCUMENT_STORE_SHOWN}: the routing document names no quota store (the environment's quotaStore is off, or no document yet)`, "connection");
  const shown = `${loc.tls ? "rediss" : "redis"}://${loc.iamAuth ? "***@" : ""}${loc.host}:${loc.port}`;
  const base = { host: loc.host, port: loc.port, tls: loc.tls, db: 0, shown };
  if (!loc.iamAuth) return base;
  let credentials: SigningCredentials;
  try {
    credentials = await d.credentials();
  } catch (e) {
    throw new StoreError(`${shown}: no AWS credentials to sign the IAM authentication token (${(e as Error).message ?? String(e)})`.slice(0, 300), "credentials");
  }
  const password = elastiCacheIamToken({ cacheName: loc.iamAuth.cacheName, userId: loc.iamAuth.userId, region: d.region, credentials, now: d.now() });
  return { ...base, username: loc.iamAuth.userId, password };
}
