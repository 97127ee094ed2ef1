import { applyToggle, documentValidator, resolveModel, routesWithoutEnabledModel, ToggleRefused, versionLabel, VERSION_LABEL_MAX } from "../../toggle/change";
import { validateEnvironment } from "../../core/validation";
import { appliedGuardrails, CATALOG, HAIKU, MICRO, NOVA, prodPlan, rawConfig, TODAY } from "../fixtures";
import { testDocument } from "../client/fixtures";
import { buildRoutingDocument } from "../../core/routing";

function refusal(fn: () => unknown): ToggleRefused {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ToggleRefused);
    return e as ToggleRefused;
  }
  throw new Error("expected a refusal");
}

describe("applyToggle", () => {
  it("accepts a foundation-model ID or an invoke ID", () => {
    const doc = testDocument();
    expect(resolveModel(doc, NOVA.modelId)).toBe(NOVA.modelId);
    expect(resolveModel(doc, NOVA.invokeId)).toBe(NOVA.modelId);
    expect(resolveModel(doc, "amazon.titan-text-express-v1")).toBeUndefined();
  });

  it("disable flips only that model and leaves the input untouched", () => {
    const doc = testDocument();
    const before = JSON.stringify(doc);
    const r = applyToggle(doc, { kind: "disable", model: MICRO.invokeId });
    expect(r).toMatchObject({ changed: true, modelId: MICRO.modelId, summary: `disable ${MICRO.modelId}` });
    expect(r.document.models[MICRO.modelId].enabled).toBe(false);
    const others = Object.keys(doc.models).filter((m) => m !== MICRO.modelId);
    for (const m of others) expect(r.document.models[m]).toEqual(doc.models[m]);
    expect(r.document.routes).toEqual(doc.routes);
    expect(JSON.stringify(doc)).toBe(before);
  });

  it("refuses to leave a route without an enabled model, naming the route", () => {
    // "chat" routes to haiku alone.
    const e = refusal(() => applyToggle(testDocument(), { kind: "disable", model: HAIKU.modelId }));
    expect(e.message).toContain('"chat"');
    expect(e.message).not.toContain('"summarization"');
    expect(routesWithoutEnabledModel(testDocument((d) => (d.models[NOVA.modelId].enabled = false)))).toEqual(["classification"]);
  });

  it("refuses a model the document does not list (never provisioned)", () => {
    const e = refusal(() => applyToggle(testDocument(), { kind: "enable", model: "anthropic.claude-opus-4-6-v1" }));
    expect(e.message).toMatch(/anthropic\.claude-opus-4-6-v1 is not a model of the deployed routing document/);
  });

  it("reports no change when the document already says so", () => {
    const r = applyToggle(testDocument(), { kind: "enable", model: NOVA.modelId });
    expect(r.changed).toBe(false);
    const d = testDocument();
    expect(applyToggle(d, { kind: "primary", task: "summarization", model: d.routes.summarization.primary }).changed).toBe(false);
  });

  it("--primary makes a fallback primary and moves the old primary to the front of the fallbacks", () => {
    const doc = testDocument();
    const second = applyToggle(doc, { kind: "primary", task: "summarization", model: MICRO.invokeId }).document.routes.summarization;
    expect(second).toMatchObject({ primary: MICRO.modelId, fallbacks: [HAIKU.modelId, NOVA.modelId], maxTokens: doc.routes.summarization.maxTokens });
    const first = applyToggle(doc, { kind: "primary", task: "summarization", model: NOVA.modelId }).document.routes.summarization;
    expect(first).toMatchObject({ primary: NOVA.modelId, fallbacks: [HAIKU.modelId, MICRO.modelId] });
  });

  it("--primary refuses a model outside the route's candidates, a disabled one, and an unknown task", () => {
    expect(refusal(() => applyToggle(testDocument(), { kind: "primary", task: "chat", model: NOVA.modelId })).message).toMatch(/not a candidate of route "chat"/);
    expect(refusal(() => applyToggle(testDocument((d) => (d.models[NOVA.modelId].enabled = false)), { kind: "primary", task: "pair", model: NOVA.modelId })).message).toMatch(/disabled; enable it first/);
    expect(refusal(() => applyToggle(testDocument(), { kind: "primary", task: "translation", model: NOVA.modelId })).message).toMatch(/unknown task "translation"/);
  });
});

describe("documentValidator (core schema + the environment's JSON Schema)", () => {
  it("compiles the generated validator without printing anything to the operator", () => {
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      documentValidator(prodPlan(), "us-east-1");
      expect([...warn.mock.calls, ...log.mock.calls]).toEqual([]);
    } finally {
      warn.mockRestore();
      log.mockRestore();
    }
  });

  const raw = rawConfig("dev");
  const env = validateEnvironment(raw, "config/dev.json", { today: TODAY, catalog: CATALOG });
  const region = env.config.regions[0];
  const check = documentValidator(env, region);
  const baseline = () => buildRoutingDocument(env, region);

  it("accepts the baseline document and a toggled one", () => {
    expect(check(baseline())).toEqual([]);
    const [model] = Object.keys(baseline().models);
    const d = baseline();
    d.models[model].enabled = false;
    expect(check(d)).toEqual([]);
  });

  it("refuses a model the environment never provisioned, even when the core schema is satisfied", () => {
    const d = baseline();
    d.models["anthropic.claude-opus-4-6-v1"] = { invokeId: "global.anthropic.claude-opus-4-6-v1", enabled: true };
    const problems = check(d);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^models: .*anthropic\.claude-opus-4-6-v1.*\[environment JSON Schema\]$/);
  });

  it("refuses a changed invoke ID, a primary outside the configured candidates and a too-large maxTokens", () => {
    const d = baseline();
    const [model] = Object.keys(d.models);
    d.models[model].invokeId = `eu.${model}`;
    const chat = d.routes.chat;
    chat.maxTokens = 10_000_000;
    const outsider = Object.keys(d.models).find((m) => m !== chat.primary && !chat.fallbacks.includes(m))!;
    d.routes.chat = { ...chat, primary: outsider, fallbacks: [] };
    const problems = check(d);
    expect(problems.some((p) => p.startsWith("routes.chat.primary") && p.includes("allowed:"))).toBe(true);
    expect(problems.some((p) => p.startsWith(`models["${model}"].invokeId`) || p.startsWith(`models.${model}`))).toBe(true);
    expect(problems.some((p) => p.startsWith("routes.chat.maxTokens"))).toBe(true);
  });

  it("reports core-schema problems too (dangling model reference)", () => {
    const d = baseline();
    d.routes.chat.primary = "amazon.titan-text-express-v1";
    expect(check(d).some((p) => p === "routes.chat.primary: amazon.titan-text-express-v1 is not in models")).toBe(true);
  });
});

describe("versionLabel", () => {
  it("keeps the summary and reason, ASCII only, cut to the API limit", () => {
    expect(versionLabel("disable m", "quota burn")).toBe("toggle: disable m: quota burn");
    const long = versionLabel(`disable ${NOVA.modelId}`, "incident 4711 – throttling storm in us-east-1 during the quarterly batch run");
    expect(long.length).toBe(VERSION_LABEL_MAX);
    expect(long).toMatch(/^toggle: disable amazon\.nova-lite-v1:0: incident 4711 \? thrott\.\.\.$/);
    expect(long.endsWith("...")).toBe(true);
    expect(long).toMatch(/^[\x20-\x7e]+$/);
  });
});

describe("toggles keep a route's tier and guardrail (prod, as deployed)", () => {
  const plan = prodPlan();
  const region = "eu-west-1";
  const deployed = () => buildRoutingDocument(plan, region, appliedGuardrails(plan, region));
  const check = documentValidator(plan, region);

  it("switching the flex route's primary keeps its tier, and the guarded route keeps its guardrail", () => {
    const r = applyToggle(deployed(), { kind: "primary", task: "bulk-extraction", model: "amazon.nova-micro-v1:0" });
    expect(r.document.routes["bulk-extraction"]).toMatchObject({ primary: "amazon.nova-micro-v1:0", serviceTier: "flex" });
    expect(check(r.document)).toEqual([]);
    expect(r.document.routes["customer-chat"].guardrail).toEqual(deployed().routes["customer-chat"].guardrail);
  });

  it("the local check refuses a document that drops a route's tier or guardrail (IAM allows exactly those), or a malformed guardrail version", () => {
    const d = deployed();
    delete d.routes["bulk-extraction"].serviceTier;
    d.routes["customer-chat"].guardrail!.version = "DRAFT";
    const problems = check(d);
    expect(problems.some((p) => p.startsWith("routes.bulk-extraction") && p.includes("serviceTier"))).toBe(true);
    expect(problems.some((p) => p.startsWith("routes.customer-chat.guardrail.version"))).toBe(true);
  });
});
