import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  GetFoundationModelCommand,
  GetInferenceProfileCommand,
  type InferenceProfileSummary,
  ListFoundationModelsCommand,
  ListInferenceProfilesCommand,
  paginateListInferenceProfiles,
} from "@aws-sdk/client-bedrock";
import { ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { GetServiceQuotaCommand, ListServiceQuotasCommand, paginateListServiceQuotas } from "@aws-sdk/client-service-quotas";
import { type BedrockRegionSeed, type LocalEndpoint, startLocalEndpoint } from "../../local/endpoint";
import { ScenarioError, parseScenario } from "../../local/scenario";
import { bedrock, bedrockControl, caught, serviceQuotas, userMessage } from "./clients";
import { scenarioError, useEndpoint } from "./fixtures";
import { tempDir } from "../fixtures";

const HAIKU = "anthropic.claude-haiku-4-5-20251001-v1:0";
const OPUS = "anthropic.claude-opus-4-8";
const NOVA = "amazon.nova-micro-v1:0";
const TITAN = "amazon.titan-embed-text-v2:0";
const US = ["us-east-1", "us-east-2", "us-west-2"];

const EAST: BedrockRegionSeed = {
  foundationModels: [
    {
      modelId: HAIKU,
      modelName: "Claude Haiku 4.5",
      providerName: "Anthropic",
      inputModalities: ["TEXT", "IMAGE"],
      inferenceTypesSupported: ["INFERENCE_PROFILE"],
    },
    {
      modelId: OPUS,
      modelName: "Claude Opus 4.8",
      inferenceTypesSupported: ["INFERENCE_PROFILE"],
      modelLifecycle: { status: "LEGACY", legacyTime: "2026-11-01T00:00:00Z", endOfLifeTime: "2027-05-01T00:00:00Z" },
    },
    { modelId: NOVA, modelName: "Nova Micro", inferenceTypesSupported: ["ON_DEMAND", "INFERENCE_PROFILE"], customizationsSupported: ["FINE_TUNING"] },
    { modelId: TITAN, modelName: "Titan Text Embeddings V2", outputModalities: ["EMBEDDING"], responseStreamingSupported: false, inferenceTypesSupported: ["ON_DEMAND"] },
  ],
  inferenceProfiles: [
    { inferenceProfileId: `us.${HAIKU}`, inferenceProfileName: "US Anthropic Claude Haiku 4.5", destinationRegions: US },
    { inferenceProfileId: `global.${HAIKU}`, inferenceProfileName: "Global Anthropic Claude Haiku 4.5" },
    { inferenceProfileId: `us.${OPUS}`, destinationRegions: US },
    { inferenceProfileId: "routing-haiku", type: "APPLICATION", modelId: HAIKU, description: "tagged for cost" },
  ],
};

let ep: LocalEndpoint;
useEndpoint({ scenario: { bedrock: { "us-east-1": EAST, "ap-southeast-7": { offered: false } } } }, (e) => (ep = e));

describe("ListFoundationModels / GetFoundationModel", () => {
  it("lists the region's models in the API's shape, with the documented defaults filled in", async () => {
    const out = await bedrockControl(ep.url).send(new ListFoundationModelsCommand({}));
    expect(out.modelSummaries?.map((m) => m.modelId)).toEqual([HAIKU, OPUS, NOVA, TITAN]);
    expect(out.modelSummaries?.[0]).toEqual({
      modelArn: `arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}`,
      modelId: HAIKU,
      modelName: "Claude Haiku 4.5",
      providerName: "Anthropic",
      inputModalities: ["TEXT", "IMAGE"],
      outputModalities: ["TEXT"],
      responseStreamingSupported: true,
      customizationsSupported: [],
      inferenceTypesSupported: ["INFERENCE_PROFILE"],
      modelLifecycle: { status: "ACTIVE" },
    });
    expect(out.modelSummaries?.[1].modelLifecycle).toEqual({
      status: "LEGACY",
      legacyTime: new Date("2026-11-01T00:00:00Z"),
      endOfLifeTime: new Date("2027-05-01T00:00:00Z"),
    });
    expect(out.modelSummaries?.[1].providerName).toBe("Anthropic"); // derived from the ID
    expect(ep.calls).toEqual([expect.objectContaining({ service: "bedrock", operation: "ListFoundationModels", region: "us-east-1", status: 200 })]);
  });

  it.each<[string, Record<string, string>, string[]]>([
    ["provider, any case", { byProvider: "anthropic" }, [HAIKU, OPUS]],
    ["output modality", { byOutputModality: "EMBEDDING" }, [TITAN]],
    ["inference type", { byInferenceType: "ON_DEMAND" }, [NOVA, TITAN]],
    ["customization", { byCustomizationType: "FINE_TUNING" }, [NOVA]],
    ["two filters", { byProvider: "Amazon", byOutputModality: "TEXT" }, [NOVA]],
  ])("filters by %s", async (_label, filter, ids) => {
    const out = await bedrockControl(ep.url).send(new ListFoundationModelsCommand(filter));
    expect(out.modelSummaries?.map((m) => m.modelId)).toEqual(ids);
  });

  it("refuses a filter value outside the documented set with a ValidationException", async () => {
    const err = await caught(() => bedrockControl(ep.url).send(new ListFoundationModelsCommand({ byInferenceType: "INFERENCE_PROFILE" as "ON_DEMAND" })));
    expect([err.name, err.$metadata?.httpStatusCode]).toEqual(["ValidationException", 400]);
    expect(err.message).toBe(
      "1 validation error detected: Value 'INFERENCE_PROFILE' at 'byInferenceType' failed to satisfy constraint: Member must satisfy enum value set: [ON_DEMAND, PROVISIONED]",
    );
  });

  it("gets one model by ID or ARN; an unknown one, or one seeded elsewhere, is a 404 ResourceNotFoundException", async () => {
    const client = bedrockControl(ep.url);
    const byId = await client.send(new GetFoundationModelCommand({ modelIdentifier: OPUS }));
    expect(byId.modelDetails?.modelLifecycle?.status).toBe("LEGACY");
    const byArn = await client.send(new GetFoundationModelCommand({ modelIdentifier: `arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}` }));
    expect(byArn.modelDetails?.modelId).toBe(HAIKU);
    for (const [region, id] of [["us-east-1", "anthropic.claude-opus-9"], ["eu-west-1", HAIKU]]) {
      const err = await caught(() => bedrockControl(ep.url, region).send(new GetFoundationModelCommand({ modelIdentifier: id })));
      expect([err.name, err.$metadata?.httpStatusCode, err.message]).toEqual([
        "ResourceNotFoundException",
        404,
        `The foundation model ${id} does not exist in ${region}.`,
      ]);
    }
    const empty = await bedrockControl(ep.url, "eu-west-1").send(new ListFoundationModelsCommand({}));
    expect(empty.modelSummaries).toEqual([]);
  });
});

describe("ListInferenceProfiles / GetInferenceProfile", () => {
  const many = (n: number): BedrockRegionSeed => ({
    inferenceProfiles: Array.from({ length: n }, (_, i) => ({ inferenceProfileId: `us.vendor.model-${String(i).padStart(3, "0")}` })),
  });

  it("routes a geo profile to one model ARN per destination region, a global one to the region-less ARN", async () => {
    const out = await bedrockControl(ep.url).send(new ListInferenceProfilesCommand({}));
    const byId = new Map((out.inferenceProfileSummaries ?? []).map((p) => [p.inferenceProfileId, p]));
    expect(byId.get(`us.${HAIKU}`)).toEqual({
      inferenceProfileName: "US Anthropic Claude Haiku 4.5",
      inferenceProfileArn: `arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.${HAIKU}`,
      models: US.map((r) => ({ modelArn: `arn:aws:bedrock:${r}::foundation-model/${HAIKU}` })),
      inferenceProfileId: `us.${HAIKU}`,
      status: "ACTIVE",
      type: "SYSTEM_DEFINED",
    });
    expect(byId.get(`global.${HAIKU}`)?.models).toEqual([{ modelArn: `arn:aws:bedrock:::foundation-model/${HAIKU}` }]);
    expect(byId.get(`us.${OPUS}`)?.inferenceProfileName).toBe(`US ${OPUS}`);
    expect(byId.get("routing-haiku")).toMatchObject({
      type: "APPLICATION",
      inferenceProfileArn: "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/routing-haiku",
      models: [{ modelArn: `arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}` }],
      description: "tagged for cost",
    });
    expect(out.nextToken).toBeUndefined();
  });

  it("filters by typeEquals as the SDK sends it (query `type`)", async () => {
    const client = bedrockControl(ep.url);
    const system = await client.send(new ListInferenceProfilesCommand({ typeEquals: "SYSTEM_DEFINED" }));
    expect(system.inferenceProfileSummaries?.map((p) => p.type)).toEqual(["SYSTEM_DEFINED", "SYSTEM_DEFINED", "SYSTEM_DEFINED"]);
    const app = await client.send(new ListInferenceProfilesCommand({ typeEquals: "APPLICATION" }));
    expect(app.inferenceProfileSummaries?.map((p) => p.inferenceProfileId)).toEqual(["routing-haiku"]);
  });

  it("paginates with the SDK's paginator over several pages, in order, without repeats", async () => {
    ep.seedCatalog("us-west-2", many(7));
    const pages: string[][] = [];
    const client = bedrockControl(ep.url, "us-west-2");
    for await (const page of paginateListInferenceProfiles({ client, pageSize: 3 }, { typeEquals: "SYSTEM_DEFINED" })) {
      pages.push((page.inferenceProfileSummaries ?? []).map((p) => p.inferenceProfileId!));
    }
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual(many(7).inferenceProfiles!.map((p) => p.inferenceProfileId));
    expect(ep.calls.map((c) => [c.operation, c.status])).toEqual(Array(3).fill(["ListInferenceProfiles", 200]));
  });

  it("without maxResults a page holds 100 profiles", async () => {
    ep.seedCatalog("ca-central-1", many(150));
    const client = bedrockControl(ep.url, "ca-central-1");
    const first = await client.send(new ListInferenceProfilesCommand({}));
    expect(first.inferenceProfileSummaries).toHaveLength(100);
    const second = await client.send(new ListInferenceProfilesCommand({ nextToken: first.nextToken }));
    expect(second.inferenceProfileSummaries).toHaveLength(50);
    expect(second.nextToken).toBeUndefined();
  });

  it.each<[string, { maxResults?: number; nextToken?: string }, RegExp]>([
    ["maxResults 0", { maxResults: 0 }, /Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1$/],
    ["maxResults 1001", { maxResults: 1001 }, /Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000$/],
    ["a made-up nextToken", { nextToken: "not-a-token" }, /pagination token is invalid/],
  ])("answers %s with a ValidationException", async (_label, input, message) => {
    const err = await caught(() => bedrockControl(ep.url).send(new ListInferenceProfilesCommand(input)));
    expect([err.name, err.$metadata?.httpStatusCode]).toEqual(["ValidationException", 400]);
    expect(err.message).toMatch(message);
  });

  it("gets one profile by ID or ARN; an unknown one is a 404 ResourceNotFoundException", async () => {
    const client = bedrockControl(ep.url);
    const byId = await client.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: `global.${HAIKU}` }));
    expect(byId.inferenceProfileArn).toBe(`arn:aws:bedrock:us-east-1:123456789012:inference-profile/global.${HAIKU}`);
    const byArn = await client.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: byId.inferenceProfileArn }));
    expect(byArn.inferenceProfileId).toBe(`global.${HAIKU}`);
    const err = await caught(() => client.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: `eu.${HAIKU}` })));
    expect([err.name, err.$metadata?.httpStatusCode, err.message]).toEqual([
      "ResourceNotFoundException",
      404,
      `The inference profile eu.${HAIKU} does not exist in us-east-1.`,
    ]);
  });

  it.each(["__proto__", "constructor", "toString", "hasOwnProperty"])("%s is an unknown model and profile", async (name) => {
    const client = bedrockControl(ep.url);
    for (const send of [
      () => client.send(new GetFoundationModelCommand({ modelIdentifier: name })),
      () => client.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: name })),
    ]) {
      expect((await caught(send)).name).toBe("ResourceNotFoundException");
    }
  });
});

describe("seeding", () => {
  it("seedCatalog replaces the lists it is given and keeps the others, so a second sync sees changes", async () => {
    ep.seedCatalog("eu-central-1", { foundationModels: [{ modelId: HAIKU }, { modelId: OPUS }], inferenceProfiles: [{ inferenceProfileId: `eu.${HAIKU}` }] });
    ep.seedCatalog("eu-central-1", { foundationModels: [{ modelId: HAIKU, modelLifecycle: { status: "LEGACY" } }, { modelId: NOVA }] });
    const client = bedrockControl(ep.url, "eu-central-1");
    const models = await client.send(new ListFoundationModelsCommand({}));
    expect(models.modelSummaries?.map((m) => [m.modelId, m.modelLifecycle?.status])).toEqual([
      [HAIKU, "LEGACY"],
      [NOVA, "ACTIVE"],
    ]);
    const profiles = await client.send(new ListInferenceProfilesCommand({}));
    expect(profiles.inferenceProfileSummaries?.map((p: InferenceProfileSummary) => p.inferenceProfileId)).toEqual([`eu.${HAIKU}`]);
  });

  it("loads the bedrock section from a scenario file", async () => {
    const file = join(tempDir("catalog"), "s.json");
    writeFileSync(file, JSON.stringify({ bedrock: { "eu-west-3": { foundationModels: [{ modelId: HAIKU }] } } }));
    const other = await startLocalEndpoint({ scenario: file });
    try {
      const out = await bedrockControl(other.url, "eu-west-3").send(new ListFoundationModelsCommand({}));
      expect(out.modelSummaries?.map((m) => m.modelArn)).toEqual([`arn:aws:bedrock:eu-west-3::foundation-model/${HAIKU}`]);
    } finally {
      await other.close();
    }
  });

  it.each<[string, unknown, string]>([
    ["a region key that is no region", { bedrock: { "us-east": {} } }, '$.bedrock["us-east"]'],
    ["a misspelt field", { bedrock: { "us-east-1": { foundationModel: [] } } }, '$.bedrock["us-east-1"].foundationModel'],
    ["an unknown lifecycle", { bedrock: { "us-east-1": { foundationModels: [{ modelId: "m", modelLifecycle: { status: "EOL" } }] } } }, '$.bedrock["us-east-1"].foundationModels[0].modelLifecycle.status'],
    ["a bad lifecycle time", { bedrock: { "us-east-1": { foundationModels: [{ modelId: "m", modelLifecycle: { status: "LEGACY", legacyTime: "soon" } }] } } }, '$.bedrock["us-east-1"].foundationModels[0].modelLifecycle.legacyTime'],
    ["a duplicate model", { bedrock: { "us-east-1": { foundationModels: [{ modelId: "m" }, { modelId: "m" }] } } }, '$.bedrock["us-east-1"].foundationModels'],
    ["destinations on a global profile", { bedrock: { "us-east-1": { inferenceProfiles: [{ inferenceProfileId: "global.m", destinationRegions: ["us-east-1"] }] } } }, '$.bedrock["us-east-1"].inferenceProfiles[0].destinationRegions'],
    ["an application profile without its model", { bedrock: { "us-east-1": { inferenceProfiles: [{ inferenceProfileId: "p", type: "APPLICATION" }] } } }, '$.bedrock["us-east-1"].inferenceProfiles[0].modelId'],
    ["an unknown API fault", { apiFaults: [{ operation: "ListModels", fault: "access-denied" }] }, "$.apiFaults[0].operation"],
  ])("refuses %s with its JSON path", (_label, value, path) => {
    const error = scenarioError(() => parseScenario(value, "s.json"));
    expect(error.jsonPath).toBe(path);
  });

  it("seedCatalog() checks its input the same way", () => {
    expect(() => ep.seedCatalog("us-east-1", { foundationModels: [{ modelId: "" }] })).toThrow(ScenarioError);
    expect(() => ep.seedCatalog("__proto__", {})).toThrow(/seedCatalog\(\) region: \$: must be an AWS region name/);
  });
});

describe("scripted failures for the sync's failure paths", () => {
  it("denies one API in one region with IAM's message naming the action; other regions and APIs still answer", async () => {
    ep.seedCatalog("eu-west-1", { inferenceProfiles: [{ inferenceProfileId: `eu.${HAIKU}` }] });
    ep.injectApiFault({ operation: "ListInferenceProfiles", region: "eu-west-1", fault: "access-denied" });
    const denied = await caught(() => bedrockControl(ep.url, "eu-west-1").send(new ListInferenceProfilesCommand({ typeEquals: "SYSTEM_DEFINED" })));
    expect([denied.name, denied.$metadata?.httpStatusCode]).toEqual(["AccessDeniedException", 403]);
    expect(denied.message).toBe(
      "User: arn:aws:iam::123456789012:user/local is not authorized to perform: bedrock:ListInferenceProfiles because no identity-based policy allows the bedrock:ListInferenceProfiles action",
    );
    await expect(bedrockControl(ep.url, "eu-west-1").send(new ListFoundationModelsCommand({}))).resolves.toBeDefined();
    await expect(bedrockControl(ep.url, "us-east-1").send(new ListInferenceProfilesCommand({}))).resolves.toBeDefined();
    ep.reset();
    await expect(bedrockControl(ep.url, "eu-west-1").send(new ListInferenceProfilesCommand({}))).resolves.toBeDefined();
  });

  it("names the resource for Get operations, stops after `times`, and throttles on request", async () => {
    ep.injectApiFault({ operation: "GetFoundationModel", fault: "access-denied", times: 1 });
    ep.injectApiFault({ operation: "ListFoundationModels", fault: "throttle", times: 1 });
    const client = bedrockControl(ep.url);
    const denied = await caught(() => client.send(new GetFoundationModelCommand({ modelIdentifier: HAIKU })));
    expect(denied.message).toBe(
      `User: arn:aws:iam::123456789012:user/local is not authorized to perform: bedrock:GetFoundationModel on resource: arn:aws:bedrock:us-east-1::foundation-model/${HAIKU} because no identity-based policy allows the bedrock:GetFoundationModel action`,
    );
    await expect(client.send(new GetFoundationModelCommand({ modelIdentifier: HAIKU }))).resolves.toBeDefined();
    const throttled = await caught(() => client.send(new ListFoundationModelsCommand({})));
    expect([throttled.name, throttled.$metadata?.httpStatusCode]).toEqual(["ThrottlingException", 429]);
    // With its default retries the SDK rides out one throttle, as it would against AWS.
    ep.injectApiFault({ operation: "ListFoundationModels", fault: "throttle", times: 1 });
    await expect(bedrockControl(ep.url, "us-east-1", { maxAttempts: 3 }).send(new ListFoundationModelsCommand({}))).resolves.toBeDefined();
  });

  it("denies Service Quotas calls in the awsJson shape, naming servicequotas:ListServiceQuotas", async () => {
    ep.injectApiFault({ operation: "ListServiceQuotas", region: "us-east-1", fault: "access-denied" });
    const err = await caught(() => serviceQuotas(ep.url).send(new ListServiceQuotasCommand({ ServiceCode: "bedrock" })));
    expect([err.name, err.$metadata?.httpStatusCode]).toEqual(["AccessDeniedException", 403]);
    expect(err.message).toBe(
      "User: arn:aws:iam::123456789012:user/local is not authorized to perform: servicequotas:ListServiceQuotas because no identity-based policy allows the servicequotas:ListServiceQuotas action",
    );
  });

  it("a region where Bedrock is not offered resets the connection of every bedrock call (control plane and runtime)", async () => {
    const control = await caught(() => bedrockControl(ep.url, "ap-southeast-7").send(new ListFoundationModelsCommand({})));
    // No HTTP answer at all (outside jest's realm the error also carries code ECONNRESET).
    expect(control.message).toMatch(/socket hang up/);
    expect(control.$metadata?.httpStatusCode).toBeUndefined();
    const runtime = await caught(() =>
      bedrock(ep.url, "ap-southeast-7").send(new ConverseCommand({ modelId: `apac.${HAIKU}`, messages: userMessage("x") })),
    );
    expect(runtime.message).toMatch(/NGHTTP2_REFUSED_STREAM/);
    expect(runtime.$metadata?.httpStatusCode).toBeUndefined();
    expect(ep.calls.map((c) => [c.service, c.region, c.status, c.errorType])).toEqual([
      ["bedrock", "ap-southeast-7", 0, "ECONNRESET"],
      ["bedrock-runtime", "ap-southeast-7", 0, "ECONNRESET"],
    ]);
    // The endpoint itself is fine: the same runtime client reaches another region.
    await expect(bedrockControl(ep.url, "us-east-1").send(new ListFoundationModelsCommand({}))).resolves.toBeDefined();
  });
});

describe("ListServiceQuotas for the catalog sync", () => {
  const quotas = Array.from({ length: 23 }, (_, i) => ({
    code: `L-${(0xa0000000 + i).toString(16).toUpperCase()}`,
    // Live names are inconsistent ("Cross-region" / "Cross-Region", "V1"): served exactly as seeded.
    name: `${i % 2 ? "Cross-Region" : "Cross-region"} model inference tokens per minute for Model ${i} V1`,
    value: 1000 * i,
  }));

  it("pages with the SDK's paginator (MaxResults/NextToken) and serves names and codes as seeded", async () => {
    ep.seedQuotas("us-east-2", quotas);
    const pages: Array<Array<[string, string, number]>> = [];
    for await (const page of paginateListServiceQuotas({ client: serviceQuotas(ep.url, "us-east-2"), pageSize: 10 }, { ServiceCode: "bedrock" })) {
      pages.push((page.Quotas ?? []).map((q) => [q.QuotaCode!, q.QuotaName!, q.Value!]));
    }
    expect(pages.map((p) => p.length)).toEqual([10, 10, 3]);
    expect(pages.flat()).toEqual(quotas.map((q) => [q.code, q.name, q.value]));
    const one = await serviceQuotas(ep.url, "us-east-2").send(new GetServiceQuotaCommand({ ServiceCode: "bedrock", QuotaCode: quotas[5].code }));
    expect(one.Quota?.QuotaName).toBe(quotas[5].name);
  });

  it("refuses a NextToken it never issued with InvalidPaginationTokenException", async () => {
    const err = await caught(() => serviceQuotas(ep.url).send(new ListServiceQuotasCommand({ ServiceCode: "bedrock", NextToken: "forged" })));
    expect(err.name).toBe("InvalidPaginationTokenException");
  });
});
