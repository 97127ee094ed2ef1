import { displayText, redactUrl } from "../core/problems";

/*
 * The quota store's address as an application gives it: `redis://[user[:password]@]host[:port][/db]`, or `rediss://`
 * for TLS (the URI scheme registered with IANA, https://www.iana.org/assignments/uri-schemes/prov/redis and
 * .../rediss; Valkey reads the same form). The password may be percent-encoded. Only the redacted form is ever shown.
 */

/** A checked store address. */
export interface StoreAddress {
  readonly host: string;
  /** Default 6379. */
  readonly port: number;
  readonly tls: boolean;
  /** ACL user (Redis 6+ / Valkey); absent with a password only (`AUTH <password>`). */
  readonly username?: string;
  readonly password?: string;
  /** Logical database (`SELECT`); default 0. Cluster-mode servers (ElastiCache Serverless) have only 0. */
  readonly db: number;
  /** The URL with user and password redacted: the only form printed, logged or recorded. */
  readonly shown: string;
}

export const DEFAULT_STORE_PORT = 6379;

/** Parses and checks a store URL; throws an Error naming the redacted URL and the fix. */
export function parseStoreUrl(raw: string): StoreAddress {
  const shown = redactUrl(String(raw));
  const bad = (why: string): never => {
    throw new Error(`quotaStore.url ${shown} ${why} (e.g. redis://cache.internal:6379 or rediss://user:password@cache.internal:6379/0)`);
  };
  if (typeof raw !== "string" || raw.trim() === "") bad("is empty");
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return bad("is not a valid URL");
  }
  if (u.protocol !== "redis:" && u.protocol !== "rediss:") bad(`must use redis:// or rediss:// (TLS), not ${displayText(u.protocol.replace(/:$/, ""), 20)}://`);
  if (!u.hostname) bad("has no host");
  if (u.search || u.hash) bad("must not have a query string or fragment (give TLS settings as quotaStore.tls)");
  // URL() refuses ports above 65535 and non-digits; an explicit :0 parses but is no port a server listens on.
  const explicitPort = /^[a-z]+:\/\/(?:[^/?#]*@)?(?:\[[^\]]*\]|[^/?#:]*):(\d*)(?:[/?#]|$)/i.exec(raw)?.[1];
  if (explicitPort !== undefined && (explicitPort === "" || Number(explicitPort) < 1)) bad("needs a port from 1 to 65535");
  const path = u.pathname.replace(/^\//, "");
  if (path !== "" && !/^\d{1,9}$/.test(path)) bad("may name only a database number after the host (e.g. /0)");
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return bad("has a user name or password that is not valid percent-encoding");
    }
  };
  const username = u.username ? decode(u.username) : undefined;
  const password = u.password ? decode(u.password) : undefined;
  if (username !== undefined && password === undefined) bad("names a user without a password (redis://user:password@host, or redis://:password@host)");
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: u.port ? Number(u.port) : DEFAULT_STORE_PORT,
    tls: u.protocol === "rediss:",
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    db: path === "" ? 0 : Number(path),
    shown,
  };
}
