import { AppConfigClient } from "@aws-sdk/client-appconfig";
import { AppConfigDataClient } from "@aws-sdk/client-appconfigdata";
import { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { ServiceQuotasClient } from "@aws-sdk/client-service-quotas";
import { STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";

/** How to reach AWS. Default: the SDK's default credential chain and the real regional endpoints. */
export interface AwsClientOptions {
  readonly region: string;
  /** Explicit opt-in to another endpoint (the local stand-in); never set implicitly. Default: real AWS. */
  readonly endpointUrl?: string;
  /** Default: the SDK default credential provider chain. */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

function base(o: AwsClientOptions) {
  return {
    region: o.region,
    ...(o.endpointUrl ? { endpoint: o.endpointUrl } : {}),
    ...(o.credentials ? { credentials: o.credentials } : {}),
  };
}

/**
 * Bedrock Runtime with SDK retries off: the router/smoke loop is the only retry loop, so one throttle never multiplies
 * into SDK attempts × router attempts × fallbacks (lessons.md §4).
 */
export function bedrockRuntimeClient(o: AwsClientOptions): BedrockRuntimeClient {
  return new BedrockRuntimeClient({ ...base(o), maxAttempts: 1 });
}

export function appConfigDataClient(o: AwsClientOptions): AppConfigDataClient {
  return new AppConfigDataClient(base(o));
}

export function appConfigClient(o: AwsClientOptions): AppConfigClient {
  return new AppConfigClient(base(o));
}

export function serviceQuotasClient(o: AwsClientOptions): ServiceQuotasClient {
  return new ServiceQuotasClient(base(o));
}

export function stsClient(o: AwsClientOptions): STSClient {
  return new STSClient(base(o));
}
