import { displayText, quote, redactUrl } from "../core/problems";
import { CliError } from "./user-error";

// Command-line values the operator commands (smoke, toggle) share, checked one way everywhere. Every failure is a
// usage error (exit 2) that echoes the value escaped and bounded (a URL with its password redacted).

/** Environment names as config file names allow them (`config/<env>.json`); also keeps `--env ../x` out of paths. */
const ENV_NAME = /^[a-z][a-z0-9-]{0,30}$/;
/** AWS region names: `us-east-1`, `eu-central-2`, `us-gov-west-1`. */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export function checkEnvName(value: string, flag = "--env"): string {
  if (!ENV_NAME.test(value)) throw new CliError(`${flag} ${quote(value, 60)} is not an environment name (lowercase letters, digits and dashes, at most 31, e.g. dev)`, 2);
  return value;
}

export function checkRegionName(value: string, flag = "--region"): string {
  if (!REGION.test(value)) throw new CliError(`${flag} ${quote(value, 60)} is not an AWS region name (e.g. us-east-1)`, 2);
  return value;
}

/**
 * Any text (an SDK error message, a description) with the user info of every URL in it replaced by `***`: an error
 * can quote the endpoint it failed to reach, password included.
 */
export function redactCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi, "$1***@");
}

export { redactUrl } from "../core/problems";

/** A checked endpoint URL: what the SDK gets, and what may be shown. */
export interface EndpointUrl {
  /** The URL as given (the SDK parses it itself). */
  readonly url: string;
  /** The URL with credentials redacted, escaped: the only form printed or written to reports. */
  readonly shown: string;
}

/**
 * Checks an endpoint URL the way the AWS SDK will use it: an absolute http or https URL with a host, a port from 1 to
 * 65535 when one is given (the SDK silently turns `:0` into port 80), and no query or fragment (the SDK drops them). A
 * path is kept: the SDK prefixes it to every request path. User info is allowed but never shown.
 */
export function parseEndpointUrl(raw: string, flag = "--endpoint-url"): EndpointUrl {
  const shown = redactUrl(raw);
  const bad = (why: string): never => {
    throw new CliError(`${flag} ${shown} ${why} (e.g. http://127.0.0.1:4566)`, 2);
  };
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return bad("is not a valid URL");
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") bad(`must use http or https, not ${displayText(u.protocol.replace(/:$/, ""), 20)}`);
  if (!u.hostname) bad("has no host");
  // URL() already refuses ports above 65535 and non-digits; 0 parses but is no port a server listens on.
  const explicitPort = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/?#]*@)?(?:\[[^\]]*\]|[^/?#:]*):(\d*)(?:[/?#]|$)/i.exec(raw)?.[1];
  if (explicitPort !== undefined && (explicitPort === "" || Number(explicitPort) < 1 || Number(explicitPort) > 65535)) bad("needs a port from 1 to 65535");
  if (u.search) bad("must not have a query string (the SDK would drop it)");
  if (u.hash) bad("must not have a fragment");
  return { url: raw, shown };
}

/** A whole number from 1 to `max`, or `fallback` when the flag is absent. */
export function positiveInt(raw: unknown, flag: string, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const s = String(raw);
  if (!/^\d+$/.test(s) || Number(s) < 1 || Number(s) > max) throw new CliError(`${flag} ${quote(s, 40)} must be a whole number from 1 to ${max}`, 2);
  return Number(s);
}
