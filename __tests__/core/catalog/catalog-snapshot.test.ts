import fc from "fast-check";
import { changeSummary, snapshotChanges, type CatalogSnapshot, catalogSnapshotSchema, parseDailyQuotaName, parseFoundationModelArn, regionFactsFrom, type RegionListings, snapshotJson, parseQuotaName, quotaModelKey } from "../../../core/catalog";

const READ = { on: "2026-11-30", endpoint: "https://example.test" };
const HAIKU = "anthropic.claude-haiku-4-5-20251001-v1:0";
const SONNET = "anthropic.claude-sonnet-4-5-20250929-v1:0";

const listings = (over: Partial<RegionListings> = {}): RegionListings => ({
  models: [
    { modelId: HAIKU, modelName: "Claude Haiku 4.5", providerName: "Anthropic", inferenceTypesSupported: ["INFERENCE_PROFILE"], responseStreamingSupported: true, modelLifecycle: { status: "ACTIVE" } },
    { modelId: SONNET, modelName: "Claude Sonnet 4.5", providerName: "Anthropic", inferenceTypesSupported: ["INFERENCE_PROFILE"], responseStreamingSupported: true, modelLifecycle: { status: "LEGACY", legacyTime: new Date("2026-11-01T00:00:00Z"), endOfLifeTime: "2027-05-01T00:00:00Z" } },
    { modelId: "amazon.nova-lite-v1:0", modelName: "Nova Lite", providerName: "Amazon", inferenceTypesSupported: ["ON_DEMAND", "INFERENCE_PROFILE", "ON_DEMAND"], responseStreamingSupported: true },
  ],
  profiles: [
    { inferenceProfileId: `us.${HAIKU}`, status: "ACTIVE", models: ["us-west-2", "us-east-1", "us-east-2"].map((r) => ({ modelArn: `arn:aws:bedrock:${r}::foundation-model/${HAIKU}` })) },
    { inferenceProfileId: `global.${HAIKU}`, status: "ACTIVE", models: [{ modelArn: `arn:aws:bedrock:::foundation-model/${HAIKU}` }] },
  ],
  quotas: [],
  ...over,
});

describe("quota names", () => {
  it.each<[string, ReturnType<typeof parseQuotaName>]>([
    ["Cross-region model inference tokens per minute for Anthropic Claude Haiku 4.5", { kind: "geo", metric: "tpm", modelKey: "anthropic claude haiku 4.5", modelKeyWithoutProvider: "claude haiku 4.5" }],
    ["Global cross-region model inference requests per minute for Anthropic Claude Haiku 4.5", { kind: "global", metric: "rpm", modelKey: "anthropic claude haiku 4.5", modelKeyWithoutProvider: "claude haiku 4.5" }],
    ["On-demand model inference tokens per minute for Amazon Nova Lite", { kind: "on-demand", metric: "tpm", modelKey: "amazon nova lite", modelKeyWithoutProvider: "nova lite" }],
    ["Cross-Region InvokeModel tokens per minute for Claude Sonnet 4.5 V1", { kind: "geo", metric: "tpm", modelKey: "claude sonnet 4.5", modelKeyWithoutProvider: "sonnet 4.5" }],
    ["Cross region model inference tokens per minute for Anthropic Claude 3.5 Sonnet V2", { kind: "geo", metric: "tpm", modelKey: "anthropic claude 3.5 sonnet v2", modelKeyWithoutProvider: "claude 3.5 sonnet v2" }],
    ["Model invocation max tokens per day for Anthropic Claude Haiku 4.5 (doubled for cross-region calls)", undefined],
    ["Cross-Region Cross-Model Max Tokens Per Day", undefined],
    ["Provisioned Throughput Model Units", undefined],
  ])("%s", (name, parts) => expect(parseQuotaName(name)).toEqual(parts));

  it.each<[string, ReturnType<typeof parseDailyQuotaName>]>([
    ["Model invocation max tokens per day for Anthropic Claude Haiku 4.5", { scope: "model", modelKey: "anthropic claude haiku 4.5", modelKeyWithoutProvider: "claude haiku 4.5" }],
    ["Model invocation max tokens per day for Claude Sonnet 4.5 V1", { scope: "model", modelKey: "claude sonnet 4.5", modelKeyWithoutProvider: "sonnet 4.5" }],
    ["Cross-Model Max Tokens Per Day", { scope: "account" }],
    ["cross-model  max tokens per day", { scope: "account" }],
    ["Cross-Region Cross-Model Max Tokens Per Day", undefined],
    ["Cross-region model inference tokens per minute for Anthropic Claude Haiku 4.5", undefined],
  ])("daily: %s", (name, parts) => expect(parseDailyQuotaName(name)).toEqual(parts));

  it("model keys drop the provider and a V1 suffix, nothing else", () => {
    expect(quotaModelKey("Claude Haiku 4.5", "Anthropic")).toBe("claude haiku 4.5");
    expect(quotaModelKey("Anthropic Claude Sonnet 4.5 V1", "Anthropic")).toBe("claude sonnet 4.5");
    expect(quotaModelKey("Nova 2 Lite", "Amazon")).toBe("nova 2 lite");
    expect(quotaModelKey("Claude 3.5 Sonnet v2", "Anthropic")).toBe("claude 3.5 sonnet v2");
  });
});

describe("regionFactsFrom (listings -> snapshot facts)", () => {
  it("keeps lifecycle, inference types (sorted, deduplicated), streaming and the API of each fact", () => {
    const r = regionFactsFrom(listings(), READ);
    expect(r.read).toEqual(READ);
    expect(r.models[SONNET]).toEqual({
      name: "Claude Sonnet 4.5",
      provider: "Anthropic",
      lifecycle: { status: "LEGACY", legacySince: "2026-11-01", endOfLife: "2027-05-01" },
      inferenceTypes: ["INFERENCE_PROFILE"],
      streaming: true,
      source: "bedrock:ListFoundationModels",
    });
    expect(r.models["amazon.nova-lite-v1:0"].inferenceTypes).toEqual(["INFERENCE_PROFILE", "ON_DEMAND"]);
    expect(r.models["amazon.nova-lite-v1:0"].lifecycle).toEqual({ status: "ACTIVE" });
  });

  it("profiles: the model from their ARNs, destinations sorted, region-less ARN as *", () => {
    const r = regionFactsFrom(listings(), READ);
    expect(r.profiles[`us.${HAIKU}`]).toEqual({ modelId: HAIKU, status: "ACTIVE", routesTo: ["us-east-1", "us-east-2", "us-west-2"], source: "bedrock:ListInferenceProfiles" });
    expect(r.profiles[`global.${HAIKU}`].routesTo).toEqual(["*"]);
    expect(parseFoundationModelArn(`arn:aws-us-gov:bedrock:us-gov-west-1::foundation-model/${HAIKU}`)).toEqual({ region: "us-gov-west-1", modelId: HAIKU });
  });

  it("quotas are matched to models by name, per way of invoking and metric; daily token quotas per model and for the account", () => {
    const q = (QuotaCode: string, QuotaName: string, Value = 1000) => ({ QuotaCode, QuotaName, Value });
    const r = regionFactsFrom(
      listings({
        quotas: [
          q("L-58BE175A", "Cross-region model inference tokens per minute for Anthropic Claude Haiku 4.5", 5_000_000),
          q("L-CCA5DF70", "Cross-region model inference requests per minute for Anthropic Claude Haiku 4.5"),
          q("L-9A11C666", "Global cross-region model inference tokens per minute for Anthropic Claude Haiku 4.5"),
          q("L-F4DDD3EB", "Cross-Region InvokeModel tokens per minute for Claude Sonnet 4.5 V1"),
          q("L-8EA73537", "Cross-region model inference tokens per minute for Anthropic Claude Sonnet 4.5 V1 1M Context Length"),
          q("L-6120CF2D", "Model invocation max tokens per day for Anthropic Claude Haiku 4.5", 7_200_000_000),
          q("L-6120CF2E", "Model invocation max tokens per day for Anthropic Claude Sonnet 4.5 V1 1M Context Length"),
          q("L-AB12CD34", "Cross-Model Max Tokens Per Day", 9_000_000_000),
          q("L-70423BF8", "On-demand model inference tokens per minute for Amazon Nova Lite"),
          q("L-00000001", "On-demand model inference tokens per minute for Meta Llama 9"), // no such model listed
        ],
      }),
      READ,
    );
    expect(r.quotas[HAIKU]).toEqual({
      geo: {
        tpm: { code: "L-58BE175A", name: "Cross-region model inference tokens per minute for Anthropic Claude Haiku 4.5", value: 5_000_000, source: "servicequotas:ListServiceQuotas" },
        rpm: { code: "L-CCA5DF70", name: "Cross-region model inference requests per minute for Anthropic Claude Haiku 4.5", value: 1000, source: "servicequotas:ListServiceQuotas" },
      },
      global: { tpm: expect.objectContaining({ code: "L-9A11C666" }) },
      // One per model, whatever the way of invoking (https://docs.aws.amazon.com/bedrock/latest/userguide/quotas-runtime.html).
      tpd: { code: "L-6120CF2D", name: "Model invocation max tokens per day for Anthropic Claude Haiku 4.5", value: 7_200_000_000, source: "servicequotas:ListServiceQuotas" },
    });
    expect(r.quotas[SONNET]).toEqual({ geo: { tpm: expect.objectContaining({ code: "L-F4DDD3EB" }) } }); // not the 1M-context variants
    expect(r.accountQuotas).toEqual({ crossModelTpd: { code: "L-AB12CD34", name: "Cross-Model Max Tokens Per Day", value: 9_000_000_000, source: "servicequotas:ListServiceQuotas" } });
    expect(r.quotas["amazon.nova-lite-v1:0"]).toEqual({ "on-demand": { tpm: expect.objectContaining({ code: "L-70423BF8" }) } });
    expect(Object.keys(r.quotas).sort()).toEqual(["amazon.nova-lite-v1:0", HAIKU, SONNET].sort());
  });

  it("a name the overlay gives matches quotas worded differently; a name two models share matches neither", () => {
    const sonnet37 = "anthropic.claude-3-7-sonnet-20250219-v1:0";
    const quotas = [{ QuotaCode: "L-6E888CC2", QuotaName: "Cross-region model inference tokens per minute for Anthropic Claude Sonnet 3.7 V1", Value: 1 }];
    const base = listings({ models: [{ modelId: sonnet37, modelName: "Claude 3.7 Sonnet", providerName: "Anthropic" }], quotas });
    expect(regionFactsFrom(base, READ).quotas[sonnet37]).toBeUndefined();
    expect(regionFactsFrom(base, READ, new Map([[sonnet37, "Claude Sonnet 3.7"]])).quotas[sonnet37]?.geo?.tpm?.code).toBe("L-6E888CC2");
    const twins = listings({
      models: [
        { modelId: "x.one-v1:0", modelName: "Twin", providerName: "X" },
        { modelId: "x.two-v1:0", modelName: "Twin", providerName: "X" },
      ],
      quotas: [{ QuotaCode: "L-11111111", QuotaName: "On-demand model inference tokens per minute for X Twin", Value: 1 }],
    });
    expect(Object.keys(regionFactsFrom(twins, READ).quotas)).toEqual([]);
  });

  it("IDs are data: odd or prototype-named IDs never reach Object.prototype, and non-IDs are dropped", () => {
    const r = regionFactsFrom(
      listings({
        models: [{ modelId: "__proto__" }, { modelId: 'bad"id.x' }, { modelId: "a.constructor", modelName: "Proto" }],
        profiles: [{ inferenceProfileId: "__proto__", models: [] }, { inferenceProfileId: "us.a.constructor", models: [{ modelArn: "arn:aws:bedrock:us-east-1::foundation-model/a.constructor" }] }],
        quotas: [{ QuotaCode: "L-22222222", QuotaName: "On-demand model inference tokens per minute for Proto", Value: 3 }],
      }),
      READ,
    );
    expect(Object.keys(r.models)).toEqual(["a.constructor"]);
    expect(Object.keys(r.profiles)).toEqual(["us.a.constructor"]);
    expect(Object.keys(r.quotas)).toEqual(["a.constructor"]);
    expect(({} as any).status).toBeUndefined();
    expect(catalogSnapshotSchema.safeParse({ snapshotVersion: 1, origin: { live: true, description: "x" }, regions: { "us-east-1": r } }).success).toBe(true);
  });
});

describe("snapshot JSON is stable", () => {
  const snapshotOf = (l: RegionListings): CatalogSnapshot => ({ snapshotVersion: 1, origin: { live: true, description: "test" }, regions: { "us-east-1": regionFactsFrom(l, READ) } });

  it("the same facts in any listing order serialize to the same bytes, keys sorted", () => {
    const l = listings();
    fc.assert(
      fc.property(fc.shuffledSubarray(l.models as any[], { minLength: l.models.length }), fc.shuffledSubarray(l.profiles as any[], { minLength: l.profiles.length }), (models, profiles) => {
        expect(snapshotJson(snapshotOf({ ...l, models, profiles }))).toBe(snapshotJson(snapshotOf(l)));
      }),
    );
    const text = snapshotJson(snapshotOf(l));
    expect(text.endsWith("}\n")).toBe(true);
    expect(text.indexOf('"origin"')).toBeLessThan(text.indexOf('"regions"'));
    expect(text.indexOf('"regions"')).toBeLessThan(text.indexOf('"snapshotVersion"'));
  });
});

describe("change summary", () => {
  const region = (l: RegionListings, on = READ.on) => regionFactsFrom(l, { ...READ, on });
  const snap = (regions: CatalogSnapshot["regions"]): CatalogSnapshot => ({ snapshotVersion: 1, origin: { live: true, description: "t" }, regions });

  it("models added and gone, lifecycle changes, profiles added and removed, quota codes and applied values", () => {
    const q = (QuotaCode: string, Value: number) => ({ QuotaCode, QuotaName: "Cross-region model inference tokens per minute for Anthropic Claude Haiku 4.5", Value });
    const before = listings({ quotas: [q("L-58BE175A", 1000)] });
    const after = listings({
      models: [
        { ...before.models[0] },
        { ...before.models[1], modelLifecycle: { status: "ACTIVE" } },
        { modelId: "anthropic.claude-opus-6", modelName: "Claude Opus 6", providerName: "Anthropic" },
      ],
      profiles: [before.profiles[0], { inferenceProfileId: "us.anthropic.claude-opus-6", models: [] }],
      quotas: [q("L-AAAAAAAA", 2000)],
    });
    const prev = snap({ "us-east-1": region(before), "us-west-2": region(before) });
    const next = snap({ "us-east-1": region(after), "us-west-2": region(after), "eu-west-1": region(after) });
    const changes = snapshotChanges(prev, next, ["us-west-2", "us-east-1", "eu-west-1"]);
    expect(changeSummary(changes)).toEqual([
      "+ region (first sync) (eu-west-1)",
      "- model amazon.nova-lite-v1:0 (us-east-1, us-west-2)", // by model ID within a region
      "+ model anthropic.claude-opus-6 (us-east-1, us-west-2)",
      `~ lifecycle ${SONNET} LEGACY -> ACTIVE (us-east-1, us-west-2)`,
      `- profile global.${HAIKU} (us-east-1, us-west-2)`,
      "+ profile us.anthropic.claude-opus-6 (us-east-1, us-west-2)",
      `~ quota ${HAIKU} geo TPM code L-58BE175A -> L-AAAAAAAA, applied 1,000 -> 2,000 (us-east-1, us-west-2)`,
    ]);
  });

  it("daily token quotas: a model's tokens per day and the account's cross-model quota, added and changed", () => {
    const daily = (code: string, value: number) => ({ QuotaCode: code, QuotaName: "Model invocation max tokens per day for Anthropic Claude Haiku 4.5", Value: value });
    const cross = (value: number) => ({ QuotaCode: "L-AB12CD34", QuotaName: "Cross-Model Max Tokens Per Day", Value: value });
    const prev = snap({ "us-east-1": region(listings({ quotas: [daily("L-6120CF2D", 100)] })) });
    const next = snap({ "us-east-1": region(listings({ quotas: [daily("L-6120CF2D", 200), cross(900)] })) });
    expect(changeSummary(snapshotChanges(prev, next, ["us-east-1"]))).toEqual([`~ quota ${HAIKU} TPD applied 100 -> 200 (us-east-1)`, "+ quota (account) cross-model TPD L-AB12CD34 (applied 900) (us-east-1)"]);
  });

  it("no previous snapshot: every region is new; same facts a day later: no changes", () => {
    const next = snap({ "us-east-1": region(listings()) });
    expect(changeSummary(snapshotChanges(undefined, next, ["us-east-1"]))).toEqual(["+ region (first sync) (us-east-1)"]);
    expect(snapshotChanges(next, snap({ "us-east-1": region(listings(), "2026-12-01") }), ["us-east-1"])).toEqual([]);
  });
});
