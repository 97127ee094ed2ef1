import { AppConfigClient } from "@aws-sdk/client-appconfig";
import { AppConfigDataClient } from "@aws-sdk/client-appconfigdata";
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

/** Default handler on purpose: the real Bedrock client speaks HTTP/2 with prior knowledge to an http:// endpoint. */
export function bedrock(url: string, region = "us-east-1", extra: { maxAttempts?: number; credentials?: ClientCreds } = {}) {
  return track(new BedrockRuntimeClient({ endpoint: url, region, credentials: extra.credentials ?? CREDS, maxAttempts: extra.maxAttempts ?? 1 }));
}

export function appConfig(url: string, region = "us-east-1") {
  return track(new AppConfigClient({ endpoint: url, region, credentials: CREDS, maxAttempts: 1 }));
}

export function appConfigData(url: string, region = "us-east-1") {
  return track(new AppConfigDataClient({ endpoint: url, region, credentials: CREDS, maxAttempts: 1 }));
}

export function serviceQuotas(url: string, region = "us-east-1") {
  return track(new ServiceQuotasClient({ endpoint: url, region, credentials: CREDS, maxAttempts: 1 }));
}

export function sts(url: string, region = "us-east-1", credentials: ClientCreds = CREDS) {
  return track(new STSClient({ endpoint: url, region, credentials, maxAttempts: 1 }));
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
