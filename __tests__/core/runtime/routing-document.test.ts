import Ajv from "ajv-draft-04";
import { routingDocumentSchema } from "../../../core/runtime";
import { buildRoutingDocument, routingJsonSchema } from "../../../core/routing";
import { routeCandidates } from "../../../core/environment";
import { appliedGuardrails, devPlan, HAIKU, NOVA, prodPlan } from "../../fixtures";

const envs = [devPlan(), prodPlan()];

function validatorFor(env: (typeof envs)[number], region: string) {
  return new Ajv({ allErrors: true, strict: false }).compile(routingJsonSchema(env, region));
}

describe("routing document", () => {
  it.each(envs.flatMap((e) => e.config.regions.map((r) => [e.config.name, r, e] as const)))("%s %s: the built document passes both the core schema and the AppConfig JSON Schema", (_n, region, env) => {
    // As deployed: the guardrails' applied ARN and version in the document and pinned by the validator.
    const applied = appliedGuardrails(env, region);
    const doc = buildRoutingDocument(env, region, applied);
    expect(routingDocumentSchema.safeParse(doc).success).toBe(true);
    expect(new Ajv({ allErrors: true, strict: false }).compile(routingJsonSchema(env, region, applied))(doc)).toBe(true);
    // The form-only validator (the toggle's local check) accepts it too.
    const validate = validatorFor(env, region);
    expect(validate(doc)).toBe(true);
    // Every route target carries the invoke ID of this region's invocation.
    for (const [id, m] of Object.entries(doc.models)) expect(m.invokeId).toBe(env.invocations[region][id].invokeId);
  });

  it("carries each model's applied quota and burndown when the catalog snapshot read one, nothing otherwise", () => {
    const env = envs[0];
    const region = env.config.regions[0];
    const spec = env.specs[HAIKU.modelId];
    const applied = spec.quotas[region]?.tpm?.applied;
    expect(applied).toBeDefined();
    const doc = buildRoutingDocument(env, region);
    expect(doc.models[HAIKU.modelId].quota).toEqual({
      tokensPerMinute: applied,
      ...(spec.quotas[region]?.rpm?.applied !== undefined ? { requestsPerMinute: spec.quotas[region]!.rpm!.applied } : {}),
      outputBurndown: spec.outputBurndown,
    });
    // A snapshot without the applied value (quota code known, value not read): no quota entry, and still valid.
    const unread = { ...env, specs: { ...env.specs, [HAIKU.modelId]: { ...spec, quotas: { [region]: { tpm: { code: "L-58BE175A" } } } } } };
    const without = buildRoutingDocument(unread, region);
    // The price is the catalog overlay's, whatever the snapshot read.
    expect(without.models[HAIKU.modelId]).toEqual({ invokeId: HAIKU.invokeId, enabled: true, price: { ...spec.price! } });
    expect(routingDocumentSchema.safeParse(without).success).toBe(true);
    expect(validatorFor(env, region)(without)).toBe(true);
  });

  it("routes name only their configured candidates", () => {
    const env = envs[0];
    expect(routeCandidates(env, "summarization")).toEqual([HAIKU.modelId, NOVA.modelId]);
    expect(routeCandidates(env, "chat")).toEqual([HAIKU.modelId]);
  });

  describe("the AppConfig validator refuses what the baseline never provisioned", () => {
    const env = envs[0];
    const validate = validatorFor(env, "us-east-1");
    const base = () => JSON.parse(JSON.stringify(buildRoutingDocument(env, "us-east-1")));

    it.each<[string, (d: any) => void]>([
      ["a primary outside the route's candidates", (d) => (d.routes.chat.primary = NOVA.modelId)],
      ["a model that is not provisioned", (d) => (d.models["anthropic.claude-opus-4-6-v1"] = { invokeId: "us.anthropic.claude-opus-4-6-v1", enabled: true })],
      ["a different invoke ID (bare model ID)", (d) => (d.models[HAIKU.modelId].invokeId = HAIKU.modelId)],
      ["maxTokens above the smallest candidate limit", (d) => (d.routes.summarization.maxTokens = 20000)],
      ["a missing maxTokens", (d) => delete d.routes.chat.maxTokens],
      ["a removed route", (d) => delete d.routes.chat],
      ["another environment's document", (d) => (d.environment = "prod")],
      ["a fallback outside the route", (d) => (d.routes.chat.fallbacks = [NOVA.modelId])],
    ])("%s", (_name, mutate) => {
      const doc = base();
      mutate(doc);
      expect(validate(doc)).toBe(false);
    });

    it.each<[string, (d: any) => void]>([
      ["disabling a model", (d) => (d.models[NOVA.modelId].enabled = false)],
      ["swapping primary and fallback", (d) => ((d.routes.summarization.primary = NOVA.modelId), (d.routes.summarization.fallbacks = [HAIKU.modelId]))],
      ["lowering maxTokens", (d) => (d.routes.chat.maxTokens = 256)],
    ])("but accepts %s", (_name, mutate) => {
      const doc = base();
      mutate(doc);
      expect(validate(doc)).toBe(true);
    });
  });

  describe("a model's optional applied quota", () => {
    const env = envs[0];
    const validate = validatorFor(env, "us-east-1");
    const base = () => JSON.parse(JSON.stringify(buildRoutingDocument(env, "us-east-1")));

    it.each<[string, unknown]>([
      ["tokens per minute only", { tokensPerMinute: 2_000_000 }],
      ["every field", { tokensPerMinute: 2_000_000, requestsPerMinute: 2000, outputBurndown: 5 }],
      ["an applied value of 0 (new accounts)", { tokensPerMinute: 0 }],
    ])("both schemas accept %s", (_name, quota) => {
      const doc = base();
      doc.models[HAIKU.modelId].quota = quota;
      expect(routingDocumentSchema.safeParse(doc).success).toBe(true);
      expect(validate(doc)).toBe(true);
    });

    it.each<[string, unknown]>([
      ["a negative TPM", { tokensPerMinute: -1 }],
      ["a fractional TPM", { tokensPerMinute: 1.5 }],
      ["no TPM", { requestsPerMinute: 10 }],
      ["a zero burndown", { tokensPerMinute: 10, outputBurndown: 0 }],
      ["an unknown field", { tokensPerMinute: 10, tokensPerDay: 5 }],
      ["a string", "2M"],
    ])("both schemas refuse %s", (_name, quota) => {
      const doc = base();
      doc.models[HAIKU.modelId].quota = quota;
      expect(routingDocumentSchema.safeParse(doc).success).toBe(false);
      expect(validate(doc)).toBe(false);
    });
  });

  it("the core schema rejects a route naming a model missing from models", () => {
    const doc = JSON.parse(JSON.stringify(buildRoutingDocument(envs[0], "us-east-1")));
    delete doc.models[NOVA.modelId];
    const r = routingDocumentSchema.safeParse(doc);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join("."))).toEqual(expect.arrayContaining(["routes.summarization.fallbacks.0", "routes.classification.primary"]));
  });

  it("the validator fits AppConfig's 32 KB limit for the prod example", () => {
    for (const region of envs[1].config.regions) expect(JSON.stringify(routingJsonSchema(envs[1], region)).length).toBeLessThan(32768);
  });
});
