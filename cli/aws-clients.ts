import { AppConfigClient } from "@aws-sdk/client-appconfig";
import { BedrockClient } from "@aws-sdk/client-bedrock";
import { ServiceQuotasClient } from "@aws-sdk/client-service-quotas";
import { STSClient } from "@aws-sdk/client-sts";
import { type AwsClientOptions, clientConfig } from "../client/aws-clients";

// The control-plane clients operator commands use (smoke, toggle, catalog sync); applications never load these.

export type { AwsClientOptions } from "../client/aws-clients";

export function appConfigClient(o: AwsClientOptions): AppConfigClient {
  return new AppConfigClient(clientConfig(o));
}

/** The Bedrock control plane (model and inference-profile listings), not the runtime. */
export function bedrockClient(o: AwsClientOptions): BedrockClient {
  return new BedrockClient(clientConfig(o));
}

export function serviceQuotasClient(o: AwsClientOptions): ServiceQuotasClient {
  return new ServiceQuotasClient(clientConfig(o));
}

export function stsClient(o: AwsClientOptions): STSClient {
  return new STSClient(clientConfig(o));
}
