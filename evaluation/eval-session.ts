import type { AppConfigDataClient } from "@aws-sdk/client-appconfigdata";
import { StartConfigurationSessionCommand } from "@aws-sdk/client-appconfigdata";
import { type BedrockRuntimeClient, ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { describeEndpoints, requireCredentials, resolvedEndpoint } from "../cli/aws-endpoints";
import { abortable, type Deadline, DeadlineExceeded } from "../cli/deadline";
import { appConfigDataClient, bedrockRuntimeClient } from "../client/aws-clients";
import { RoutingSource } from "../client/routing-source";
import { classifyError, type RoutingDocument } from "../core/runtime";
import type { StackManifest } from "../core/routing";
import { displayText } from "../core/problems";
import { usageError } from "./options";

/**
 * The clients of one run, in the run's region: Bedrock Runtime with SDK retries off (the run's retry loop is the only
 * one) and AppConfigData, made by the routing client's own factories, with the SDK's default credential chain.
 */
export class EvalSession {
  readonly bedrock: BedrockRuntimeClient;
  readonly appConfigData: AppConfigDataClient;

  constructor(
    readonly region: string,
    endpointUrl?: string,
  ) {
    const o = { region, ...(endpointUrl ? { endpointUrl } : {}) };
    this.bedrock = bedrockRuntimeClient(o);
    this.appConfigData = appConfigDataClient(o);
  }

  /**
   * Where the calls go (`AWS`, or the endpoint and where it was configured), and whether there are credentials at all:
   * resolved once, before any call, within `signal`. Throws CliError (exit 2) when there are none.
   */
  async preflight(explicitEndpoint: string | undefined, signal: AbortSignal): Promise<string> {
    const endpoints = await Promise.all([
      resolvedEndpoint(this.bedrock, ConverseCommand, { modelId: "probe" }, explicitEndpoint),
      resolvedEndpoint(this.appConfigData, StartConfigurationSessionCommand, {}, explicitEndpoint),
    ]);
    await requireCredentials(this.bedrock, signal);
    return describeEndpoints(endpoints);
  }

  /**
   * The routing document deployed in the region, read as the routing client and smoke read it (AppConfigData session,
   * core schema), for this environment and region only. Throws CliError (exit 2) naming why it cannot be used: eval
   * compares against what traffic uses now, so the synthesized document is no substitute.
   */
  async deployedDocument(manifest: StackManifest, timeoutMs: number, deadline: Deadline): Promise<RoutingDocument> {
    const a = manifest.appConfig;
    const accept = (d: RoutingDocument) => (d.environment !== manifest.environment || d.region !== manifest.region ? `it is for ${d.environment}/${d.region}` : undefined);
    const source = new RoutingSource(this.appConfigData, { application: a.application, environment: a.environment, profile: a.profile }, a.pollIntervalSeconds, Date.now, accept);
    const signal = deadline.callSignal(timeoutMs);
    const where = `AppConfig ${a.application}/${a.environment}/${a.profile} in ${manifest.region}`;
    const polled = await abortable(source.poll(signal), signal).catch((e: unknown) => {
      if (e instanceof DeadlineExceeded) throw usageError(`the run deadline passed while reading the routing document from ${where}`);
      return { kind: "failed" as const, error: e as Error };
    });
    switch (polled.kind) {
      case "updated":
        return polled.document;
      case "unchanged":
        throw usageError(`${where} has no deployed routing document: deploy the stack (cdktf deploy '${manifest.stack}')`);
      case "invalid":
        throw usageError(`the routing document deployed in ${where} is not usable (${displayText(polled.reason, 200)}): deploy a valid version`);
      case "failed": {
        const c = classifyError(polled.error, { region: manifest.region });
        throw usageError(`cannot read the deployed routing document from ${where}: ${c.cause} (${displayText(polled.error.message ?? "", 160)}); ${c.hint}`);
      }
    }
  }

  destroy(): void {
    this.bedrock.destroy();
    this.appConfigData.destroy();
  }
}
