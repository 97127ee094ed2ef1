import Ajv from "ajv-draft-04";
import { APPLY_TIME, profileArnOf } from "../../../core/environment";
import { buildManifest, buildRoutingDocument, MAX_VALIDATOR_BYTES, routingJsonSchema, routingValidator } from "../../../core/routing";
import { parseRoutingDocument, routingDocumentSchema } from "../../../core/runtime";
import { appliedProfiles } from "../../../environment-check/synthesized-policies";
import { largeEnvironment } from "../../../scripts/large-environment";
import { appliedGuardrails, costPlan, HAIKU, planOf, prodPlan } from "../../fixtures";

// With cost attribution the routing document carries each workload's routes and invoke ID per model (its application
// profile's ARN), and the AppConfig validator admits exactly the provisioned profiles.

const plan = costPlan();
const region = "us-east-1";
const guardrails = appliedGuardrails(plan, region);
const profiles = appliedProfiles(plan, region);
const compile = (schema: object) => new Ajv({ allErrors: false, strict: false }).compile(schema);
const doc = () => JSON.parse(JSON.stringify(buildRoutingDocument(plan, region, guardrails, profiles)));

describe("the routing document of an environment that attributes cost", () => {
  it("carries each workload's routes and its application profile per model; each model its price", () => {
    const d = doc();
    expect(Object.keys(d.workloads)).toEqual(["support-bot", "dev-assistant", "doc-pipeline"]);
    expect(d.workloads["dev-assistant"]).toEqual({
      routes: ["code-review", "agent-planning"],
      invokeIds: {
        "anthropic.claude-sonnet-4-5-20250929-v1:0": profileArnOf(profiles, "dev-assistant", "anthropic.claude-sonnet-4-5-20250929-v1:0"),
        "anthropic.claude-opus-4-5-20251101-v1:0": profileArnOf(profiles, "dev-assistant", "anthropic.claude-opus-4-5-20251101-v1:0"),
      },
    });
    expect(d.models[HAIKU.modelId].price).toEqual(plan.specs[HAIKU.modelId].price);
    expect(routingDocumentSchema.safeParse(d).success).toBe(true);
  });

  it("has no workloads section without cost attribution; the manifest's copy carries APPLY_TIME and the profiles' names", () => {
    expect(buildRoutingDocument(prodPlan(), region).workloads).toBeUndefined();
    const m = buildManifest(plan, region);
    expect(Object.values(m.routingDocument.workloads!["support-bot"].invokeIds)).toEqual([APPLY_TIME, APPLY_TIME, APPLY_TIME, APPLY_TIME]);
    expect(m.workloads["support-bot"].applicationProfiles![HAIKU.modelId]).toBe("bedrock-prod-support-bot-anthropic-claude-haiku-4-5-202-d2fa58ca");
  });

  it("the client's parser refuses a workload naming a route or model the document lacks", () => {
    const d = doc();
    d.workloads["support-bot"].routes.push("no-such-task");
    d.workloads["doc-pipeline"].invokeIds["vendor.unknown-v1:0"] = "arn:aws:bedrock:us-east-1:222222222222:application-inference-profile/x";
    expect(parseRoutingDocument(JSON.stringify(d))).toBe('workloads.support-bot.routes[3]: no-such-task is not in routes; workloads.doc-pipeline.invokeIds["vendor.unknown-v1:0"]: vendor.unknown-v1:0 is not in models');
  });
});

describe("the AppConfig validator admits exactly the provisioned profiles", () => {
  const exact = compile(routingJsonSchema(plan, region, guardrails, profiles));
  const byForm = compile(routingJsonSchema(plan, region, guardrails));
  const other = "arn:aws:bedrock:us-east-1:222222222222:application-inference-profile/zzzzzzzzzzzz";

  it.each<[string, (d: any) => void, boolean, boolean]>([
    ["the deployed document", () => undefined, true, true],
    ["another profile ARN for a workload's model", (d) => (d.workloads["support-bot"].invokeIds[HAIKU.modelId] = other), false, true],
    ["the system profile instead of the workload's own", (d) => (d.workloads["support-bot"].invokeIds[HAIKU.modelId] = HAIKU.invokeId), false, false],
    ["a workload's profile of a model dropped", (d) => delete d.workloads["support-bot"].invokeIds[HAIKU.modelId], false, false],
    ["a profile for a model the workload does not use", (d) => (d.workloads["dev-assistant"].invokeIds[HAIKU.modelId] = other), false, false],
    ["a workload added", (d) => (d.workloads.intruder = { routes: ["summarization"], invokeIds: {} }), false, false],
    ["a workload removed", (d) => delete d.workloads["doc-pipeline"], false, false],
    ["the workloads section removed", (d) => delete d.workloads, false, false],
    ["a workload given another route", (d) => d.workloads["doc-pipeline"].routes.push("code-review"), false, false],
    ["a negative price", (d) => (d.models[HAIKU.modelId].price = { inputPer1k: -1, outputPer1k: 0 }), false, false],
  ])("%s: exact %s, form only %s", (_name, mutate, exactVerdict, formVerdict) => {
    const d = doc();
    mutate(d);
    expect(exact(d)).toBe(exactVerdict);
    expect(byForm(d)).toBe(formVerdict);
  });

  it("refuses a workloads section where the environment attributes no cost", () => {
    const p = prodPlan();
    const d: any = buildRoutingDocument(p, region, appliedGuardrails(p, region));
    expect(compile(routingJsonSchema(p, region, appliedGuardrails(p, region)))(d)).toBe(true);
    d.workloads = { "support-bot": { routes: ["summarization"], invokeIds: {} } };
    expect(compile(routingJsonSchema(p, region, appliedGuardrails(p, region)))(d)).toBe(false);
  });

  it("the deployed validator pins the stack's references, fitting 32 KB", () => {
    const v = routingValidator(plan, region);
    expect(v.profilesByPattern).toBe(false);
    expect(v.bytes).toBeLessThanOrEqual(MAX_VALIDATOR_BYTES);
    expect(compile(JSON.parse(v.content(guardrails, profiles)))(doc())).toBe(true);
  });

  it("a large organisation whose pinned profiles do not fit checks them for form, and says so", () => {
    const raw = largeEnvironment({ routes: 60, models: 30, candidates: "shared" }) as any;
    raw.costAttribution = { enabled: true };
    const big = planOf(raw);
    const v = routingValidator(big, "us-east-1");
    expect(v.bytes).toBeLessThanOrEqual(MAX_VALIDATOR_BYTES);
    expect(v.profilesByPattern).toBe(true);
    const d = JSON.parse(JSON.stringify(buildRoutingDocument(big, "us-east-1", undefined, appliedProfiles(big, "us-east-1"))));
    const schema = JSON.parse(v.content(undefined, appliedProfiles(big, "us-east-1")));
    expect(compile(schema)(d)).toBe(true);
    // The ARN's form is written once; workloads calling the same models share their invoke IDs' schema.
    expect(schema.definitions.profileArn).toEqual({ type: "string", pattern: expect.any(String) });
    const invokeIds = Object.values(schema.properties.workloads.properties).map((w: any) => w.properties.invokeIds);
    const shared = invokeIds.filter((s: any) => s.$ref);
    expect(shared.length).toBeGreaterThan(1);
    expect(new Set(shared.map((s: any) => s.$ref)).size).toBeLessThan(shared.length);
    const other = Object.keys(d.workloads)[1];
    expect(compile(schema)({ ...d, workloads: { ...d.workloads, [other]: { ...d.workloads[other], invokeIds: { ...d.workloads[other].invokeIds, extra: "x" } } } })).toBe(false);
  });
});
