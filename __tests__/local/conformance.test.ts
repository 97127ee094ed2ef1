import { Deployment$, GetDeploymentCommand } from "@aws-sdk/client-appconfig";
import {
  FoundationModelLifecycle$,
  FoundationModelSummary$,
  GetFoundationModelCommand,
  GetFoundationModelResponse$,
  GetInferenceProfileCommand,
  GetInferenceProfileResponse$,
  InferenceProfileSummary$,
  ListFoundationModelsCommand,
  ListFoundationModelsResponse$,
  ListInferenceProfilesCommand,
  ListInferenceProfilesResponse$,
} from "@aws-sdk/client-bedrock";
import {
  GetLatestConfigurationCommand,
  GetLatestConfigurationResponse$,
  StartConfigurationSessionCommand,
  StartConfigurationSessionResponse$,
} from "@aws-sdk/client-appconfigdata";
import {
  ContentBlockDeltaEvent$,
  ContentBlockStopEvent$,
  ConverseCommand,
  ConverseMetrics$,
  ConverseResponse$,
  ConverseStreamCommand,
  ConverseStreamMetadataEvent$,
  ConverseStreamOutput$,
  MessageStartEvent$,
  MessageStopEvent$,
  TokenUsage$,
} from "@aws-sdk/client-bedrock-runtime";
import {
  GetServiceQuotaCommand,
  GetServiceQuotaResponse$,
  ListServiceQuotasCommand,
  ListServiceQuotasResponse$,
  ServiceQuota$,
} from "@aws-sdk/client-service-quotas";
import { NormalizedSchema } from "@smithy/core/schema";
import { type LocalEndpoint } from "../../local/endpoint";
import { appConfig, appConfigData, bedrock, bedrockControl, serviceQuotas, userMessage } from "./clients";
import { useEndpoint } from "./fixtures";
import { schemaProblems } from "./schema-walk";

const HAIKU = "us.anthropic.claude-haiku-4-5-20251001-v1:0";

let ep: LocalEndpoint;
useEndpoint({}, (e) => (ep = e));

function strip<T extends { $metadata?: unknown }>(out: T): Omit<T, "$metadata"> {
  const { $metadata: _ignored, ...rest } = out;
  return rest;
}

function requiredNames(schema: Parameters<typeof NormalizedSchema.of>[0]): string[] {
  const raw = schema as unknown as unknown[];
  const n = typeof raw[6] === "number" ? raw[6] : 0;
  return [...NormalizedSchema.of(schema).structIterator()].slice(0, n).map(([name]) => name);
}

describe("SDK schema conformance", () => {
  it("reads the required members from the shipped schemas (guards the walker's assumptions)", () => {
    expect(requiredNames(ConverseResponse$)).toEqual(["output", "stopReason", "usage", "metrics"]);
    expect(requiredNames(TokenUsage$)).toEqual(["inputTokens", "outputTokens", "totalTokens"]);
    expect(requiredNames(ConverseMetrics$)).toEqual(["latencyMs"]);
    expect(requiredNames(ConverseStreamMetadataEvent$)).toEqual(["usage", "metrics"]);
    expect(requiredNames(FoundationModelSummary$)).toEqual(["modelArn", "modelId"]);
    expect(requiredNames(FoundationModelLifecycle$)).toEqual(["status"]);
    expect(requiredNames(InferenceProfileSummary$)).toEqual([
      "inferenceProfileName",
      "inferenceProfileArn",
      "models",
      "inferenceProfileId",
      "status",
      "type",
    ]);
  });

  it("the walker flags what the SDK lets through: the malformed fault's body", async () => {
    ep.inject({ modelId: HAIKU, fault: "malformed", times: 1 });
    const res = await bedrock(ep.url).send(new ConverseCommand({ modelId: HAIKU, messages: userMessage("x"), inferenceConfig: { maxTokens: 1 } }));
    expect(schemaProblems(ConverseResponse$, strip(res))).toEqual(["$.output: required member missing", "$.usage: required member missing"]);
    expect(schemaProblems(TokenUsage$, { inputTokens: 1, outputTokens: "2" })).toEqual([
      '$.outputTokens: expected number, got "2"',
      "$.totalTokens: required member missing",
    ]);
  });

  it.each([[1], [8], [undefined]])("Converse responses (maxTokens %s) carry every required member", async (maxTokens) => {
    const res = await bedrock(ep.url).send(
      new ConverseCommand({
        modelId: HAIKU,
        system: [{ text: "sys" }],
        messages: userMessage("conformance"),
        ...(maxTokens !== undefined ? { inferenceConfig: { maxTokens } } : {}),
      }),
    );
    expect(schemaProblems(ConverseResponse$, strip(res))).toEqual([]);
  });

  it("every ConverseStream event conforms to its member schema", async () => {
    const out = await bedrock(ep.url).send(new ConverseStreamCommand({ modelId: HAIKU, messages: userMessage("conformance"), inferenceConfig: { maxTokens: 2 } }));
    const events: Record<string, unknown>[] = [];
    for await (const ev of out.stream!) events.push(ev as unknown as Record<string, unknown>);
    const schemas: Record<string, Parameters<typeof schemaProblems>[0]> = {
      messageStart: MessageStartEvent$,
      contentBlockDelta: ContentBlockDeltaEvent$,
      contentBlockStop: ContentBlockStopEvent$,
      messageStop: MessageStopEvent$,
      metadata: ConverseStreamMetadataEvent$,
    };
    expect(events).toHaveLength(6);
    for (const ev of events) {
      const [kind] = Object.keys(ev).filter((k) => ev[k] !== undefined);
      expect(schemaProblems(ConverseStreamOutput$, ev)).toEqual([]);
      expect(schemaProblems(schemas[kind], ev[kind], `$.${kind}`)).toEqual([]);
    }
  });

  it("AppConfigData and AppConfig outputs are well-typed", async () => {
    const ids = ep.seedAppConfig({ region: "us-east-1", application: "conf", environment: "e", profile: "p", content: "{}", versionLabel: "v1" });
    const start = await appConfigData(ep.url).send(
      new StartConfigurationSessionCommand({ ApplicationIdentifier: "conf", EnvironmentIdentifier: "e", ConfigurationProfileIdentifier: "p" }),
    );
    expect(schemaProblems(StartConfigurationSessionResponse$, strip(start))).toEqual([]);
    expect(start.InitialConfigurationToken).toEqual(expect.any(String));
    const latest = await appConfigData(ep.url).send(new GetLatestConfigurationCommand({ ConfigurationToken: start.InitialConfigurationToken }));
    expect(schemaProblems(GetLatestConfigurationResponse$, strip(latest))).toEqual([]);
    for (const k of ["NextPollConfigurationToken", "NextPollIntervalInSeconds", "ContentType", "Configuration", "VersionLabel"] as const) {
      expect(latest[k]).toBeDefined();
    }
    const dep = await appConfig(ep.url).send(new GetDeploymentCommand({ ApplicationId: ids.applicationId, EnvironmentId: ids.environmentId, DeploymentNumber: 1 }));
    expect(schemaProblems(Deployment$, strip(dep))).toEqual([]);
    expect(dep.StartedAt).toBeInstanceOf(Date);
  });

  it("GetServiceQuota output is well-typed and carries every field callers read", async () => {
    ep.seedQuotas("us-east-1", [{ code: "L-58BE175A", name: "Haiku 4.5 cross-region TPM", value: 4_000_000 }]);
    const res = await serviceQuotas(ep.url).send(new GetServiceQuotaCommand({ ServiceCode: "bedrock", QuotaCode: "L-58BE175A" }));
    expect(schemaProblems(GetServiceQuotaResponse$, strip(res))).toEqual([]);
    const fields = [...NormalizedSchema.of(ServiceQuota$).structIterator()].map(([n]) => n).slice(0, 9);
    expect(fields).toEqual(["ServiceCode", "ServiceName", "QuotaArn", "QuotaCode", "QuotaName", "Value", "Unit", "Adjustable", "GlobalQuota"]);
    for (const f of fields) expect(res.Quota).toHaveProperty(f);
  });

  it("Bedrock control-plane outputs are well-typed and carry every member the catalog sync reads", async () => {
    const haiku = "anthropic.claude-haiku-4-5-20251001-v1:0";
    ep.seedCatalog("us-west-2", {
      foundationModels: [
        { modelId: haiku, modelName: "Claude Haiku 4.5", inferenceTypesSupported: ["INFERENCE_PROFILE"] },
        { modelId: "amazon.nova-micro-v1:0", modelLifecycle: { status: "LEGACY", legacyTime: "2026-10-01T00:00:00Z", endOfLifeTime: "2027-04-01T00:00:00Z" } },
      ],
      inferenceProfiles: [
        { inferenceProfileId: `us.${haiku}`, destinationRegions: ["us-east-1", "us-west-2"], description: "routes in the US" },
        { inferenceProfileId: `global.${haiku}` },
      ],
    });
    const client = bedrockControl(ep.url, "us-west-2");
    const models = await client.send(new ListFoundationModelsCommand({}));
    expect(schemaProblems(ListFoundationModelsResponse$, strip(models))).toEqual([]);
    const fields = [...NormalizedSchema.of(FoundationModelSummary$).structIterator()].map(([n]) => n);
    for (const m of models.modelSummaries ?? []) for (const f of fields) expect(m).toHaveProperty(f);
    expect(models.modelSummaries?.[1].modelLifecycle?.endOfLifeTime).toBeInstanceOf(Date);
    const one = await client.send(new GetFoundationModelCommand({ modelIdentifier: haiku }));
    expect(schemaProblems(GetFoundationModelResponse$, strip(one))).toEqual([]);

    const profiles = await client.send(new ListInferenceProfilesCommand({ typeEquals: "SYSTEM_DEFINED", maxResults: 1 }));
    expect(schemaProblems(ListInferenceProfilesResponse$, strip(profiles))).toEqual([]);
    expect(profiles.nextToken).toEqual(expect.any(String));
    const profile = await client.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: `global.${haiku}` }));
    expect(schemaProblems(GetInferenceProfileResponse$, strip(profile))).toEqual([]);
  });

  it("ListServiceQuotas output is well-typed, paged or not", async () => {
    ep.seedQuotas("us-west-2", [
      { code: "L-58BE175A", name: "Cross-region model inference tokens per minute for Anthropic Claude Haiku 4.5", value: 4_000_000 },
      { code: "L-CCA5DF70", name: "Cross-region model inference requests per minute for Anthropic Claude Haiku 4.5", value: 8_000 },
    ]);
    const page = await serviceQuotas(ep.url, "us-west-2").send(new ListServiceQuotasCommand({ ServiceCode: "bedrock", MaxResults: 1 }));
    expect(schemaProblems(ListServiceQuotasResponse$, strip(page))).toEqual([]);
    expect(page.NextToken).toEqual(expect.any(String));
  });
});
