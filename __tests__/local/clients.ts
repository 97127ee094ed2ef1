import { AppConfigClient } from "@aws-sdk/client-appconfig";
import { AppConfigDataClient } from "@aws-sdk/client-appconfigdata";
import { BedrockClient } from "@aws-sdk/client-bedrock";
import { BedrockRuntimeClient, type Message } from "@aws-sdk/client-bedrock-runtime";
import { ServiceQuotasClient } from "@aws-sdk/client-service-quotas";
import { STSClient } from "@aws-sdk/client-sts";

/** Static credentials the endpoint knows the secret of, so signatures are really verified. */
export const CREDS = { accessKeyId: "local", secretAccessKey: "local" };

export interface ClientCreds {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

type Destroyable = { destroy(): void };
const created: Destroyable[] = [];

/** Destroy every client made through these factories (keeps jest from waiting on pooled sockets). */
export function destroyClients(): void {
  for (const c of created.splice(0)) c.destroy();
}

function track<T extends Destroyable>(client: T): T {
  created.push(client);
  return client;
}

/** Per-client overrides: retries (default 1 attempt), keys (default CREDS), and a skewed clock (ms, default 0). */
export interface ClientExtra {
  maxAttempts?: number;
  credentials?: ClientCreds;
  systemClockOffset?: number;
}

function config(url: string, region: string, extra: ClientExtra) {
  return {
    endpoint: url,
    region,
    credentials: extra.credentials ?? CREDS,
    maxAttempts: extra.maxAttempts ?? 1,
    ...(extra.systemClockOffset !== undefined ? { systemClockOffset: extra.systemClockOffset } : {}),
  };
}

/** Default handler on purpose: the real Bedrock client speaks HTTP/2 with prior knowledge to an http:// endpoint. */
export function bedrock(url: string, region = "us-east-1", extra: ClientExtra = {}) {
  return track(new BedrockRuntimeClient(config(url, region, extra)));
}

/** The Bedrock control plane: signs as `bedrock` like the runtime, over HTTP/1.1. */
export function bedrockControl(url: string, region = "us-east-1", extra: ClientExtra = {}) {
  return track(new BedrockClient(config(url, region, extra)));
}

export function appConfig(url: string, region = "us-east-1", extra: ClientExtra = {}) {
  return track(new AppConfigClient(config(url, region, extra)));
}

export function appConfigData(url: string, region = "us-east-1", extra: ClientExtra = {}) {
  return track(new AppConfigDataClient(config(url, region, extra)));
}

export function serviceQuotas(url: string, region = "us-east-1", extra: ClientExtra = {}) {
  return track(new ServiceQuotasClient(config(url, region, extra)));
}

export function sts(url: string, region = "us-east-1", credentials: ClientCreds = CREDS, extra: ClientExtra = {}) {
  return track(new STSClient(config(url, region, { ...extra, credentials })));
}

export function userMessage(text: string): Message[] {
  return [{ role: "user", content: [{ text }] }];
}

/** An SDK service exception as tests inspect it: name, message, status and modelled members. */
export type ServiceError = Error & { $metadata?: { httpStatusCode?: number }; [member: string]: unknown };

/** Runs `fn` and returns what it threw (failing the test if it did not throw). */
export async function caught(fn: () => Promise<unknown>): Promise<ServiceError> {
  try {
    await fn();
  } catch (e) {
    return e as ServiceError;
  }
  throw new Error("expected the call to fail");
}
