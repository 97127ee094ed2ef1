import Ajv from "ajv-draft-04";
import fc from "fast-check";
import type { BaselinePlan, GuardrailRefs } from "../../../core/environment";
import { buildRoutingDocument, MAX_VALIDATOR_BYTES, routingJsonSchema, routingValidator } from "../../../core/routing";
import { routingDocumentSchema } from "../../../core/runtime";
import { largeEnvironment } from "../../../scripts/large-environment";
import { appliedGuardrails, HAIKU, NOVA, planOf, SONNET } from "../../fixtures";
import { propertyRuns } from "../../property-runs";
import { legacyRoutingJsonSchema } from "./legacy-routing-json-schema";
import { FRESH, routingPlan } from "./routing-environment";

// The AppConfig validator is generated from the routing document's zod schema. It is proven equivalent to the
// hand-written validator it replaced (kept as the oracle in legacy-routing-json-schema.ts): both judge thousands of
// mutated documents alike, per region, with and without the applied guardrails.

const ajv = () => new Ajv({ allErrors: false, strict: false });
type Doc = any;
const copy = (d: unknown): Doc => JSON.parse(JSON.stringify(d));

/** Values a mutation writes: every provisioned ID, an unprovisioned one, and values of the wrong kind. */
function mutation(plan: BaselinePlan, region: string, refs: GuardrailRefs): fc.Arbitrary<(d: Doc) => void> {
  const ids = [...Object.keys(plan.invocations[region]), "anthropic.claude-opus-4-6-v1", "", 5, null];
  const tasks = [...Object.keys(plan.config.routes), "unknown-task"];
  const id = fc.constantFrom(...ids);
  const task = fc.constantFrom(...tasks);
  const invokeIds = Object.values(plan.invocations[region]).map((i) => i.invokeId);
  const guardrail = fc.oneof(
    fc.constant(undefined),
    fc.record({
      name: fc.constantFrom("safety", "other", ""),
      identifier: fc.constantFrom(...Object.values(refs).map((r) => r.arn), `arn:aws:bedrock:${region}:111111111111:guardrail/abc123`, "not-an-arn"),
      version: fc.constantFrom("1", "2", "DRAFT", "0"),
    }),
  );
  const route = (t: string, d: Doc) => (d.routes && typeof d.routes[t] === "object" && d.routes[t] !== null ? d.routes[t] : undefined);
  const model = (m: string, d: Doc) => (d.models && typeof d.models[m] === "object" && d.models[m] !== null ? d.models[m] : {});
  const onRoute = (f: (r: Doc, v: any) => void, v: fc.Arbitrary<any>) =>
    fc.tuple(task, v).map(([t, value]) => (d: Doc) => {
      const r = route(t, d);
      if (r) f(r, value);
    });
  return fc.oneof(
    onRoute((r, v) => (r.primary = v), id),
    onRoute((r, v) => (r.fallbacks = v), fc.array(id, { maxLength: 3 })),
    onRoute((r, v) => (r.maxTokens = v), fc.constantFrom(0, 1, -1, 1.5, "10", 999, 1000, 1001, 4096, 5000, 5001, 64000, 64001, 200000, 2 ** 53 - 1)),
    onRoute((r, v) => (v === undefined ? delete r.temperature : (r.temperature = v)), fc.constantFrom(undefined, -0.1, 0, 0.5, 1, 1.01, "0.2")),
    onRoute((r, v) => (v === undefined ? delete r.serviceTier : (r.serviceTier = v)), fc.constantFrom(undefined, "priority", "default", "flex", "reserved", 1)),
    onRoute((r, v) => (v === undefined ? delete r.guardrail : (r.guardrail = v)), guardrail),
    onRoute((r, v) => (v === undefined ? delete r.canary : (r.canary = v)), fc.option(fc.record({ model: id, percent: fc.constantFrom(0, 1, 50, 99, 100, 12.5, "5") }, { requiredKeys: ["model"] }), { nil: undefined })),
    onRoute((r, k) => delete r[k], fc.constantFrom("primary", "fallbacks", "maxTokens")),
    onRoute((r, k) => (r[k] = 1), fc.constantFrom("weight", "region")),
    task.map((t) => (d: Doc) => d.routes && delete d.routes[t]),
    fc.constant((d: Doc) => d.routes && (d.routes["new-task"] = { primary: HAIKU.modelId, fallbacks: [], maxTokens: 10 })),
    fc.tuple(fc.constantFrom(...Object.keys(plan.invocations[region])), fc.constantFrom(...invokeIds, HAIKU.modelId, "")).map(([m, v]) => (d: Doc) => (model(m, d).invokeId = v)),
    fc.tuple(fc.constantFrom(...Object.keys(plan.invocations[region])), fc.constantFrom(true, false, "yes")).map(([m, v]) => (d: Doc) => (model(m, d).enabled = v)),
    fc
      .tuple(fc.constantFrom(...Object.keys(plan.invocations[region])), fc.constantFrom<unknown>(undefined, { tokensPerMinute: 0 }, { tokensPerMinute: 5, requestsPerMinute: 2, outputBurndown: 5 }, { tokensPerMinute: -1 }, { tokensPerMinute: 1.5 }, { requestsPerMinute: 3 }, { tokensPerMinute: 1, outputBurndown: 0 }, { tokensPerMinute: 1, extra: 1 }, "2M"))
      .map(([m, q]) => (d: Doc) => (q === undefined ? delete model(m, d).quota : (model(m, d).quota = q))),
    fc
      .tuple(fc.constantFrom(...Object.keys(plan.invocations[region])), fc.constantFrom<unknown>(undefined, { inputPer1k: 0.001, outputPer1k: 0.005 }, { inputPer1k: 0, outputPer1k: 0, cacheReadPer1k: 0.0001, cacheWritePer1k: 0.00125 }, { inputPer1k: -1, outputPer1k: 1 }, { inputPer1k: 1 }, { inputPer1k: 1, outputPer1k: 1, currency: "EUR" }, "cheap"))
      .map(([m, p]) => (d: Doc) => (p === undefined ? delete model(m, d).price : (model(m, d).price = p))),
    fc.constantFrom(...Object.keys(plan.invocations[region])).map((m) => (d: Doc) => d.models && delete d.models[m]),
    fc.constant((d: Doc) => d.models && (d.models["anthropic.claude-opus-4-6-v1"] = { invokeId: "us.anthropic.claude-opus-4-6-v1", enabled: true })),
    fc.constantFrom<[string, unknown]>(["environment", "prod"], ["region", "eu-west-1"], ["schemaVersion", 2], ["extra", 1], ["routes", []], ["models", null], ["workloads", {}]).map(([k, v]) => (d: Doc) => (d[k] = v)),
  );
}

describe("the generated AppConfig validator judges every document as the hand-written one did", () => {
  const plan = routingPlan();
  const cases = plan.config.regions.flatMap((region) => [
    [region, "the stack's applied guardrails", appliedGuardrails(plan, region)] as const,
    [region, "guardrails checked for form (the toggle's local check)", undefined] as const,
  ]);

  it.each(cases)("%s, %s", (region, _what, refs) => {
    const legacy = ajv().compile(legacyRoutingJsonSchema(plan, region, refs));
    const generated = ajv().compile(routingJsonSchema(plan, region, refs));
    const deployed = ajv().compile(JSON.parse(routingValidator(plan, region).content(refs)));
    const base = copy(buildRoutingDocument(plan, region, refs ?? appliedGuardrails(plan, region)));
    let accepted = 0;
    let runs = 0;
    fc.assert(
      fc.property(fc.array(mutation(plan, region, refs ?? appliedGuardrails(plan, region)), { minLength: 0, maxLength: 4 }), (mutations) => {
        const doc = copy(base);
        for (const m of mutations) m(doc);
        const verdict = legacy(doc);
        runs++;
        if (verdict) accepted++;
        expect(generated(doc)).toBe(verdict);
        expect(deployed(doc)).toBe(verdict);
      }),
      { numRuns: propertyRuns(400, 1500), seed: 17 },
    );
    // The property proves something only if both verdicts occur often.
    expect(accepted / runs).toBeGreaterThan(0.1);
    expect(accepted / runs).toBeLessThan(0.9);
  });

  it("differs only where the routing document's own schema (what the client parses) is stricter", () => {
    const region = plan.config.regions[0];
    const refs = appliedGuardrails(plan, region);
    const legacy = ajv().compile(legacyRoutingJsonSchema(plan, region));
    const generated = ajv().compile(routingJsonSchema(plan, region));
    const base = copy(buildRoutingDocument(plan, region, refs));
    const cases: Array<[string, (d: Doc) => void]> = [
      ["maxTokens beyond the largest safe integer", (d) => (d.routes.fresh.maxTokens = 2 ** 53)],
      ["a guardrail ARN longer than 2,048 characters", (d) => (d.routes.guarded.guardrail.identifier = `arn:aws:bedrock:${region}:111111111111:guardrail/${"a".repeat(2100)}`)],
    ];
    for (const [, mutate] of cases) {
      const doc = copy(base);
      mutate(doc);
      expect(legacy(doc)).toBe(true);
      expect(generated(doc)).toBe(false);
      expect(routingDocumentSchema.safeParse(doc).success).toBe(false);
    }
  });

  it("is the exact validator wherever that fits, and smaller than the hand-written one", () => {
    for (const region of plan.config.regions) {
      const refs = appliedGuardrails(plan, region);
      const v = routingValidator(plan, region);
      expect(v.unrestrictedRoutes).toEqual([]);
      expect(v.content(refs)).toBe(JSON.stringify(routingJsonSchema(plan, region, refs)));
      expect(v.bytes).toBeLessThan(JSON.stringify(legacyRoutingJsonSchema(plan, region, refs)).length);
    }
  });
});

describe("the validator of a large organisation fits AppConfig's 32 KB", () => {
  const validate = (plan: BaselinePlan, region: string) => ajv().compile(JSON.parse(routingValidator(plan, region).content()));

  it("200 routes sharing 20 model line-ups over 30 models: every route keeps its own candidates", () => {
    const plan = planOf(largeEnvironment({ routes: 200, models: 30, candidates: "shared" }));
    const v = routingValidator(plan, "us-east-1");
    expect(v.bytes).toBeLessThanOrEqual(MAX_VALIDATOR_BYTES);
    expect(v.unrestrictedRoutes).toEqual([]);
    // The hand-written validator wrote every route out in full: several times over the limit.
    expect(JSON.stringify(legacyRoutingJsonSchema(plan, "us-east-1")).length).toBeGreaterThan(4 * MAX_VALIDATOR_BYTES);
  });

  it("200 routes each with a list of its own: the lists that fit stay, the rest name any model of the region", () => {
    const plan = planOf(largeEnvironment({ routes: 200, models: 30, candidates: "distinct" }));
    const region = "us-east-1";
    const v = routingValidator(plan, region);
    expect(v.bytes).toBeLessThanOrEqual(MAX_VALIDATOR_BYTES);
    expect(v.bytes).toBe(Buffer.byteLength(v.content()));
    const unrestricted = new Set(v.unrestrictedRoutes);
    expect(unrestricted.size).toBeGreaterThan(0);
    expect(unrestricted.size).toBeLessThan(200);
    const check = validate(plan, region);
    const base = copy(buildRoutingDocument(plan, region));
    expect(check(base)).toBe(true);
    const ids = Object.keys(plan.invocations[region]);
    for (const task of Object.keys(plan.config.routes)) {
      const outside = ids.find((id) => !plan.config.routes[task].fallbacks.includes(id) && id !== plan.config.routes[task].primary && id !== plan.config.routes[task].canary?.model)!;
      const doc = copy(base);
      doc.routes[task].primary = outside;
      expect(check(doc)).toBe(unrestricted.has(task));
      // A model the region does not provision is refused on every route, restricted or not.
      doc.routes[task].primary = "anthropic.claude-opus-4-6-v1";
      expect(check(doc)).toBe(false);
    }
    // Every model and route is still required (as a count): removing one is refused.
    const noRoute = copy(base);
    delete noRoute.routes[Object.keys(plan.config.routes)[0]];
    expect(check(noRoute)).toBe(false);
    const noModel = copy(base);
    delete noModel.models[ids[0]];
    expect(check(noModel)).toBe(false);
  });

  it("refuses the environment only when not even the region's model list fits", () => {
    const plan = planOf(largeEnvironment({ routes: 200, models: 30, candidates: "distinct" }));
    const v = routingValidator(plan, "us-east-1");
    // Giving way loses no more lists than needed: restoring the next one would not fit.
    expect(v.unrestrictedRoutes.length).toBeLessThan(Object.keys(plan.config.routes).length);
  });
});

describe("narrowing a route", () => {
  const plan = routingPlan();
  const region = "us-east-1";
  const refs = appliedGuardrails(plan, region);
  const check = ajv().compile(JSON.parse(routingValidator(plan, region).content(refs)));
  const base = () => copy(buildRoutingDocument(plan, region, refs));

  it.each<[string, (d: Doc) => void, boolean]>([
    ["the baseline document", () => {}, true],
    ["a route of a model with no known output limit keeps any maxTokens", (d) => (d.routes.fresh.maxTokens = 10_000_000), true],
    ["a canary moved to another candidate of the route", (d) => (d.routes.summarization.canary = { model: NOVA.modelId, percent: 5 }), true],
    ["a primary outside the route's candidates", (d) => (d.routes.chat.primary = NOVA.modelId), false],
    ["a canary IAM does not grant the route", (d) => (d.routes.summarization.canary = { model: SONNET.modelId, percent: 5 }), false],
    ["a tier on a route that has none", (d) => (d.routes.chat.serviceTier = "priority"), false],
    ["another tier than the route's", (d) => (d.routes.bulk.serviceTier = "priority"), false],
    ["a route's tier removed", (d) => delete d.routes.bulk.serviceTier, false],
    ["a guardrail on an unguarded route", (d) => (d.routes.chat.guardrail = d.routes.guarded.guardrail), false],
    ["a route's guardrail removed", (d) => delete d.routes.guarded.guardrail, false],
    ["another guardrail version", (d) => (d.routes.guarded.guardrail.version = "2"), false],
    ["a fallback listed twice", (d) => (d.routes.summarization.fallbacks = [NOVA.modelId, NOVA.modelId]), false],
    ["maxTokens above the smallest candidate limit", (d) => (d.routes.digest.maxTokens = 5001), false],
    ["a model not provisioned as a fallback", (d) => (d.routes.fresh.fallbacks = ["anthropic.claude-opus-4-6-v1"]), false],
    ["a fresh model's primary moved to a provisioned model of another route", (d) => (d.routes.fresh.primary = HAIKU.modelId), false],
  ])("%s: %s", (_name, mutate, valid) => {
    const doc = base();
    mutate(doc);
    expect(check(doc)).toBe(valid);
  });

  it("routes alike share one definition", () => {
    const schema: any = routingJsonSchema(plan, region);
    // summarization and digest name the same two models and pin nothing else: one class, written once.
    expect(schema.properties.routes.properties.summarization).toEqual({ $ref: "#/definitions/r1" });
    expect(schema.properties.routes.properties.digest).toEqual({ $ref: "#/definitions/r1" });
    expect(Object.keys(schema.definitions).filter((k) => /^r\d+$/.test(k))).toEqual(["r1"]);
    // A route with a model of unknown output limit pins no maximum.
    expect(JSON.stringify(schema.properties.routes.properties.fresh)).not.toContain("maximum");
    expect(routeCandidatesOf(schema, "fresh")).toEqual([FRESH]);
  });
});

/** The candidate list a route's definition names. */
function routeCandidatesOf(schema: any, task: string): string[] {
  const name = schema.properties.routes.properties[task].properties.primary.$ref.split("/").pop();
  return schema.definitions[name].enum;
}
