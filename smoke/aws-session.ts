import { type AppConfigClient, ListApplicationsCommand } from "@aws-sdk/client-appconfig";
import { type AppConfigDataClient, StartConfigurationSessionCommand } from "@aws-sdk/client-appconfigdata";
import { type BedrockRuntimeClient, ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { GetServiceQuotaCommand, type ServiceQuotasClient } from "@aws-sdk/client-service-quotas";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { requireCredentials, resolvedEndpoint, type ServiceEndpoint } from "../cli/aws-endpoints";
import type { AwsCredentialIdentity } from "@smithy/types";
import { appConfigDataClient, bedrockRuntimeClient } from "../client/aws-clients";
import { abortable } from "../cli/deadline";
import { appConfigClient, serviceQuotasClient, stsClient } from "../cli/aws-clients";

/** The clients one region's checks use. */
export interface RegionClients {
  /** SDK retries off (client/aws-clients.ts): smoke's retry loop is the only one. */
  readonly bedrock: BedrockRuntimeClient;
  readonly appConfig: AppConfigClient;
  readonly appConfigData: AppConfigDataClient;
  readonly quotas: ServiceQuotasClient;
}

/**
 * Clients per region, created on first use with the same factories the routing client uses, and destroyed together
 * at the end of the run so no socket or HTTP/2 session keeps the process alive. `runtimeCredentials` (an assumed
 * workload role) sign what applications do at runtime, Bedrock and AppConfigData; deployment status and quotas are
 * operator reads that stay with the caller's own credentials, since a workload role is not granted them.
 */
export class AwsSession {
  private readonly byRegion = new Map<string, RegionClients>();

  constructor(
    private readonly endpointUrl?: string,
    private readonly runtimeCredentials?: AwsCredentialIdentity,
  ) {}

  clients(region: string): RegionClients {
    let c = this.byRegion.get(region);
    if (!c) {
      const operator = { region, ...(this.endpointUrl ? { endpointUrl: this.endpointUrl } : {}) };
      const runtime = { ...operator, ...(this.runtimeCredentials ? { credentials: this.runtimeCredentials } : {}) };
      c = { bedrock: bedrockRuntimeClient(runtime), appConfigData: appConfigDataClient(runtime), appConfig: appConfigClient(operator), quotas: serviceQuotasClient(operator) };
      this.byRegion.set(region, c);
    }
    return c;
  }

  destroy(): void {
    for (const c of this.byRegion.values()) for (const client of Object.values(c)) client.destroy();
    this.byRegion.clear();
  }
}

/** STS AssumeRole (session `bedrock-smoke`): the temporary credentials the runtime checks then run with. */
export async function assumeRoleCredentials(args: { roleArn: string; region: string; endpointUrl?: string; signal: AbortSignal }): Promise<AwsCredentialIdentity> {
  const sts = stsClient({ region: args.region, ...(args.endpointUrl ? { endpointUrl: args.endpointUrl } : {}) });
  try {
    const r = await abortable(sts.send(new AssumeRoleCommand({ RoleArn: args.roleArn, RoleSessionName: "bedrock-smoke", DurationSeconds: 900 }), { abortSignal: args.signal }), args.signal);
    const c = r.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw Object.assign(new Error("AssumeRole returned no credentials"), { name: "MalformedResponse" });
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}), ...(c.Expiration ? { expiration: c.Expiration } : {}) };
  } finally {
    sts.destroy();
  }
}

/**
 * Before any check: every endpoint the run's clients will call, resolved the way the SDK resolves it (so an
 * AWS_ENDPOINT_URL in the environment is shown, never hidden behind "AWS"), and the caller's credentials, resolved
 * once through the SDK's chain within `signal`. Throws CliError (exit 2) when there are none.
 */
export async function preflight(region: string, options: { readonly endpointUrl?: string; readonly roleArn?: string }, signal: AbortSignal): Promise<ServiceEndpoint[]> {
  const o = { region, ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}) };
  const bedrock = bedrockRuntimeClient(o);
  const appConfig = appConfigClient(o);
  const data = appConfigDataClient(o);
  const quotas = serviceQuotasClient(o);
  const sts = options.roleArn ? stsClient(o) : undefined;
  try {
    const x = options.endpointUrl;
    const endpoints = await Promise.all([
      resolvedEndpoint(bedrock, ConverseCommand, { modelId: "probe" }, x),
      resolvedEndpoint(appConfig, ListApplicationsCommand, {}, x),
      resolvedEndpoint(data, StartConfigurationSessionCommand, {}, x),
      resolvedEndpoint(quotas, GetServiceQuotaCommand, {}, x),
      ...(sts ? [resolvedEndpoint(sts, AssumeRoleCommand, {}, x)] : []),
    ]);
    await requireCredentials(appConfig, signal);
    return endpoints;
  } finally {
    for (const c of [bedrock, appConfig, data, quotas, sts]) c?.destroy();
  }
}
