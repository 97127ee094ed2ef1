import { AppConfigDataClient } from "@aws-sdk/client-appconfigdata";
import { BedrockRuntimeClient, type BedrockRuntimeClientConfig } from "@aws-sdk/client-bedrock-runtime";

/** Credentials the SDK accepts: static keys or a provider. Default everywhere: the SDK default credential chain. */
export type AwsCredentials = NonNullable<BedrockRuntimeClientConfig["credentials"]>;

/** How to reach AWS. Default: the SDK's default credential chain and the real regional endpoints. */
export interface AwsClientOptions {
  readonly region: string;
  /** Explicit opt-in to another endpoint (the local stand-in); never set implicitly. Default: real AWS. */
  readonly endpointUrl?: string;
  /** Default: the SDK default credential provider chain. */
  readonly credentials?: AwsCredentials;
}

/** SDK client configuration for the options (region, endpoint only when given, credentials only when given). */
export function clientConfig(o: AwsClientOptions) {
  return {
    region: o.region,
    ...(o.endpointUrl ? { endpoint: o.endpointUrl } : {}),
    ...(o.credentials ? { credentials: o.credentials } : {}),
  };
}

/**
 * Bedrock Runtime with SDK retries off: the router/smoke loop is the only retry loop, so one throttle never multiplies
 * into SDK attempts × router attempts × fallbacks (https://github.com/langchain-ai/langchainjs/pull/11329).
 */
export function bedrockRuntimeClient(o: AwsClientOptions): BedrockRuntimeClient {
  return new BedrockRuntimeClient({ ...clientConfig(o), maxAttempts: 1 });
}

export function appConfigDataClient(o: AwsClientOptions): AppConfigDataClient {
  return new AppConfigDataClient(clientConfig(o));
}
