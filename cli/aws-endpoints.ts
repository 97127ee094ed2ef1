import { getEndpointFromInstructions } from "@smithy/core/endpoints";
import { displayText } from "../core/problems";
import { parseEndpointUrl, redactUrl } from "./argument-values";
import { CliError } from "./user-error";

/**
 * Where the SDK will send a client's calls, found by asking the SDK itself (the same resolution its endpoint
 * middleware runs): an explicit `endpoint`, else `AWS_ENDPOINT_URL_<SERVICE>` / `AWS_ENDPOINT_URL` / `endpoint_url` in
 * the shared config file (unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`), else the AWS regional endpoint.
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
 */

/** One client's resolved endpoint. */
export interface ServiceEndpoint {
  /** SDK service ID, e.g. `Bedrock Runtime`. */
  readonly service: string;
  /** Redacted, escaped URL. */
  readonly shown: string;
  /** False for the AWS endpoint the SDK derives from the region. */
  readonly custom: boolean;
  /** `--endpoint-url`, the environment variable, or the config file; undefined for AWS. */
  readonly source?: string;
}

interface ResolvableClient {
  readonly config: object;
}

/** A command class as the SDK's endpoint resolution reads it (its static endpoint parameter instructions). */
type CommandClass = object;

/** The name of the variable the SDK reads for a service: `Bedrock Runtime` -> `AWS_ENDPOINT_URL_BEDROCK_RUNTIME`. */
export function endpointVariable(serviceId: string): string {
  return ["AWS_ENDPOINT_URL", ...serviceId.split(" ").map((w) => w.toUpperCase())].join("_");
}

/**
 * Resolves the endpoint `client` will call for `command` (with `input`), naming where it came from. A configured
 * endpoint the SDK would use must pass the same URL check as `--endpoint-url` (exit 2 otherwise).
 */
export async function resolvedEndpoint(client: ResolvableClient, command: CommandClass, input: object, explicit?: string, env: NodeJS.ProcessEnv = process.env): Promise<ServiceEndpoint> {
  const config = client.config as { serviceId?: string; isCustomEndpoint?: boolean };
  const service = config.serviceId ?? "unknown";
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const endpoint = await getEndpointFromInstructions(input as any, command as any, config as any);
  const url = endpoint.url.href;
  if (!config.isCustomEndpoint) return { service, shown: "AWS", custom: false };
  const variable = endpointVariable(service);
  const source = explicit !== undefined ? "--endpoint-url" : env[variable] ? variable : env.AWS_ENDPOINT_URL ? "AWS_ENDPOINT_URL" : "endpoint_url in the shared AWS config file";
  if (explicit === undefined) parseEndpointUrl(env[variable] || env.AWS_ENDPOINT_URL || url, source);
  return { service, shown: redactUrl(explicit ?? url.replace(/\/$/, "")), custom: true, source };
}

/**
 * `AWS`, or `http://127.0.0.1:4566 (--endpoint-url)`, or per service when they differ:
 * `http://127.0.0.1:4566 (Bedrock Runtime, from AWS_ENDPOINT_URL_BEDROCK_RUNTIME); AWS (AppConfig, ...)`.
 */
export function describeEndpoints(endpoints: readonly ServiceEndpoint[]): string {
  const groups = new Map<string, ServiceEndpoint[]>();
  for (const e of endpoints) {
    const key = `${e.shown}|${e.source ?? ""}`;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  const all = [...groups.values()];
  if (all.length === 1) {
    const [e] = all[0];
    return e.custom ? `${e.shown} (from ${e.source}; not AWS)` : "AWS";
  }
  return all
    .map((g) => {
      const services = g.map((e) => e.service).join(", ");
      return g[0].custom ? `${g[0].shown} (${services}, from ${g[0].source})` : `AWS (${services})`;
    })
    .join("; ");
}

/** How to give the SDK credentials, for the one line printed when there are none. */
export const CREDENTIALS_HELP =
  "give the AWS SDK credentials: AWS_PROFILE naming a profile of ~/.aws/config (aws configure, or aws sso login for SSO), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (with AWS_SESSION_TOKEN for temporary keys), or run where an instance or container role is available; the local endpoint accepts AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local";

/**
 * Resolves the client's credentials once, through its own provider (the SDK default chain unless given), before any
 * call: with none, every call would fail the same way. Throws CliError (exit 2) naming the SDK's reason and the fix;
 * `signal` bounds the resolution (instance metadata lookups can take seconds).
 */
export async function requireCredentials(client: ResolvableClient, signal: AbortSignal): Promise<void> {
  const provider = (client.config as { credentials?: () => Promise<unknown> }).credentials;
  if (typeof provider !== "function") return;
  const resolution = provider();
  resolution.catch(() => undefined);
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new CliError(`no AWS credentials found before the deadline: ${CREDENTIALS_HELP}`, 2));
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
  aborted.catch(() => undefined);
  try {
    const creds = (await Promise.race([resolution, aborted])) as { accessKeyId?: unknown } | undefined;
    if (!creds || typeof creds.accessKeyId !== "string" || creds.accessKeyId === "") throw new Error("the provider returned no access key");
  } catch (e) {
    if (e instanceof CliError) throw e;
    const reason = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    throw new CliError(`no AWS credentials (${displayText(reason, 200)}): ${CREDENTIALS_HELP}`, 2);
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}
