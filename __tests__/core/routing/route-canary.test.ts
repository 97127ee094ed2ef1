import Ajv from "ajv-draft-04";
import { routeCandidates, workloadInvocations } from "../../../core/environment";
import { validateEnvironment } from "../../../core/validation";
import { buildManifest, buildRoutingDocument, routingJsonSchema } from "../../../core/routing";
import { formatProblem, UserInputError } from "../../../core/problems";
import { parseRoutingDocument, routingDocumentSchema } from "../../../core/runtime";
import { CATALOG, HAIKU, NOVA, prodPlan, rawConfig, SONNET, TODAY, variant } from "../../fixtures";

// A route's canary, from the environment file through the plan to the routing document and its validator.

const REGION = "us-east-1";
/** dev with Sonnet declared and canaried on the chat route (Sonnet is no candidate of any dev route otherwise). */
const withCanary = () =>
  variant("dev", (c) => {
    c.models.push({ id: SONNET.modelId });
    c.routes.chat.canary = { model: SONNET.modelId, percent: 20 };
  });

function problemLines(edit: (c: any) => void): string[] {
  const c = rawConfig("dev");
  edit(c);
  try {
    validateEnvironment(c, "config/dev.json", { today: TODAY, expectedName: "dev", catalog: CATALOG });
  } catch (e) {
    expect(e).toBeInstanceOf(UserInputError);
    return (e as UserInputError).problems.map((p) => formatProblem("config/dev.json", p));
  }
  return [];
}

describe("routes.<task>.canary in the environment file", () => {
  it("makes the canary one of the route's candidates, so IAM grants it to the route's workloads", () => {
    const plan = withCanary();
    expect(routeCandidates(plan, "chat")).toEqual([HAIKU.modelId, SONNET.modelId]);
    expect(workloadInvocations(plan, REGION, "support-bot").map((i) => i.modelId)).toContain(SONNET.modelId);
    // A workload that does not use the route is not granted the canary.
    expect(workloadInvocations(plan, REGION, "ticket-triage").map((i) => i.modelId)).not.toContain(SONNET.modelId);
    expect(buildManifest(plan, REGION).routes.chat.invokeIds).toEqual([HAIKU.invokeId, SONNET.invokeId]);
  });

  it("a canary that is also a fallback is one candidate, listed once", () => {
    const plan = variant("dev", (c) => (c.routes.summarization.canary = { model: NOVA.modelId, percent: 5 }));
    expect(routeCandidates(plan, "summarization")).toEqual([HAIKU.modelId, NOVA.modelId]);
  });

  it.each<[string, (c: any) => void, RegExp]>([
    ["an undeclared model", (c) => (c.routes.chat.canary = { model: SONNET.modelId, percent: 10 }), /^config\/dev\.json: routes\.chat\.canary\.model: anthropic\.claude-sonnet-4-5-20250929-v1:0 is not declared in models -> add/],
    [
      "a disabled model",
      (c) => (c.models.push({ id: SONNET.modelId, enabled: false }), (c.routes.chat.canary = { model: SONNET.modelId, percent: 10 })),
      /^config\/dev\.json: routes\.chat\.canary\.model: anthropic\.claude-sonnet-4-5-20250929-v1:0 is disabled \(models\[2\]\.enabled is false\) -> /,
    ],
    ["the primary", (c) => (c.routes.chat.canary = { model: HAIKU.modelId, percent: 10 }), /^config\/dev\.json: routes\.chat\.canary\.model: canary .* is the primary -> canary a different model/],
    ["a percent of 0", (c) => (c.routes.chat.canary = { model: NOVA.modelId, percent: 0 }), /^config\/dev\.json: routes\.chat\.canary\.percent: .*>= ?1/],
    ["a percent of 100", (c) => (c.routes.chat.canary = { model: NOVA.modelId, percent: 100 }), /^config\/dev\.json: routes\.chat\.canary\.percent: .*<= ?99/],
    ["a fractional percent", (c) => (c.routes.chat.canary = { model: NOVA.modelId, percent: 2.5 }), /^config\/dev\.json: routes\.chat\.canary\.percent: .*integer/],
    ["a missing percent", (c) => (c.routes.chat.canary = { model: NOVA.modelId }), /^config\/dev\.json: routes\.chat\.canary\.percent: is required/],
    ["an unknown key", (c) => (c.routes.chat.canary = { model: NOVA.modelId, percent: 5, share: 5 }), /^config\/dev\.json: routes\.chat\.canary: unknown key "share"/],
  ])("refuses %s with one line naming the path and a fix", (_name, edit, line) => {
    const lines = problemLines(edit);
    expect(lines.some((l) => line.test(l))).toBe(true);
    expect(lines.every((l) => l.includes(" -> "))).toBe(true);
  });

  it("checks maxTokens against the canary's output limit like any candidate's", () => {
    const limit = CATALOG.overlay.models[NOVA.modelId].maxOutputTokens!.value;
    expect(CATALOG.overlay.models[HAIKU.modelId].maxOutputTokens!.value).toBeGreaterThan(limit);
    const lines = problemLines((c) => {
      c.routes.chat.maxTokens = limit + 1;
      c.routes.chat.canary = { model: NOVA.modelId, percent: 5 };
    });
    expect(lines).toContain(`config/dev.json: routes.chat.maxTokens: ${limit + 1} exceeds the output limit of ${NOVA.modelId} (${limit}) -> set maxTokens to at most ${limit}`);
  });

  it("reports a canary problem together with the file's other problems", () => {
    const lines = problemLines((c) => {
      c.routes.chat.canary = { model: HAIKU.modelId, percent: 100 };
      c.alarms.periodSeconds = "300";
    });
    expect(lines.filter((l) => l.includes("routes.chat.canary")).length).toBeGreaterThanOrEqual(1);
    expect(lines.some((l) => l.includes("alarms.periodSeconds"))).toBe(true);
  });

  it("the shipped prod file canaries a model on a route, and the baseline document carries it", () => {
    const plan = prodPlan();
    const canaried = Object.entries(plan.config.routes).filter(([, r]) => r.canary);
    expect(canaried.length).toBeGreaterThan(0);
    for (const region of plan.config.regions) {
      const doc = buildRoutingDocument(plan, region);
      for (const [task, r] of canaried) expect(doc.routes[task].canary).toEqual(r.canary);
    }
  });
});

describe("a canary in the routing document and its JSON Schema validator", () => {
  const plan = withCanary();
  const validate = new Ajv({ allErrors: true, strict: false }).compile(routingJsonSchema(plan, REGION));
  const base = () => JSON.parse(JSON.stringify(buildRoutingDocument(plan, REGION)));

  it("the baseline document carries the canary and both schemas accept it", () => {
    const doc = base();
    expect(doc.routes.chat.canary).toEqual({ model: SONNET.modelId, percent: 20 });
    expect(doc.models[SONNET.modelId]).toMatchObject({ invokeId: SONNET.invokeId, enabled: true });
    expect(routingDocumentSchema.safeParse(doc).success).toBe(true);
    expect(validate(doc)).toBe(true);
  });

  it.each<[string, (d: any) => void]>([
    ["no canary", (d) => delete d.routes.chat.canary],
    ["a canary of another candidate of the route (a fallback)", (d) => (d.routes.summarization.canary = { model: NOVA.modelId, percent: 50 })],
    ["the lowest share", (d) => (d.routes.chat.canary.percent = 1)],
    ["the highest share", (d) => (d.routes.chat.canary.percent = 99)],
  ])("both accept %s", (_name, mutate) => {
    const doc = base();
    mutate(doc);
    expect(routingDocumentSchema.safeParse(doc).success).toBe(true);
    expect(validate(doc)).toBe(true);
  });

  it.each<[string, (d: any) => void]>([
    // Sonnet is provisioned in the region (chat's canary) but IAM grants it only to chat's workloads.
    ["a canary to a model IAM does not grant the route", (d) => (d.routes.classification.canary = { model: SONNET.modelId, percent: 10 })],
    ["a canary to a model nobody provisioned", (d) => (d.routes.chat.canary.model = "anthropic.claude-opus-4-6-v1")],
    ["a share of 0", (d) => (d.routes.chat.canary.percent = 0)],
    ["a share of 100", (d) => (d.routes.chat.canary.percent = 100)],
    ["a fractional share", (d) => (d.routes.chat.canary.percent = 12.5)],
    ["a share as a string", (d) => (d.routes.chat.canary.percent = "20")],
    ["a canary without a share", (d) => delete d.routes.chat.canary.percent],
    ["an unknown canary field", (d) => (d.routes.chat.canary.weight = 3)],
  ])("the AppConfig validator refuses %s", (_name, mutate) => {
    const doc = base();
    mutate(doc);
    expect(validate(doc)).toBe(false);
  });

  it.each<[string, (d: any) => void, string]>([
    ["a canary equal to the primary", (d) => (d.routes.chat.canary.model = HAIKU.modelId), "routes.chat.canary.model: is the primary"],
    ["a canary missing from models", (d) => (d.routes.chat.canary.model = "anthropic.claude-opus-4-6-v1"), "routes.chat.canary.model: anthropic.claude-opus-4-6-v1 is not in models"],
    ["a share of 100", (d) => (d.routes.chat.canary.percent = 100), "routes.chat.canary.percent"],
  ])("the core schema (client, smoke, toggle) refuses %s", (_name, mutate, reason) => {
    const doc = base();
    mutate(doc);
    const parsed = parseRoutingDocument(JSON.stringify(doc));
    expect(typeof parsed).toBe("string");
    expect(parsed).toContain(reason);
  });
});
