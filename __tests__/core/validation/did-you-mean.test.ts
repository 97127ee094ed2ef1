import { nonModelId } from "../../../core/aws";
import { closest, editDistance } from "../../../core/problems";
import { checkEnvironment } from "../../../core/validation";
import { CATALOG, HAIKU, NOVA, NOVA_PRO, TODAY } from "../../fixtures";
import { baseEnvironment } from "./rules/rule-table";

// "Did you mean" wherever a newcomer mistypes the environment file: unknown keys at any depth (one mechanism: the
// section reader's, fed the keys the schema allows where the unknown key sits, inside unions and values parsed whole
// included), a model ID a letter off, and a profile ID or ARN where a foundation-model ID belongs.

function problemsOf(edit: (env: any) => void) {
  const env = baseEnvironment();
  edit(env);
  return checkEnvironment(env, { catalog: CATALOG, today: TODAY, expectedName: "team" }).problems;
}

describe("an unknown key anywhere in the environment file names the key it was meant as", () => {
  const cases: Array<[string, (env: any) => void, string, string, string]> = [
    ["a route's maxToken", (e) => (e.routes.chat.maxToken = 10), "routes.chat", "maxToken", "maxTokens"],
    ["a route's temprature", (e) => (e.routes.chat.temprature = 0.2), "routes.chat", "temprature", "temperature"],
    ["a role's assumedByService", (e) => (e.workloads.assistant.role = { assumedByService: ["lambda.amazonaws.com"] }), "workloads.assistant.role", "assumedByService", "assumedByServices"],
    ["a workload's route", (e) => { e.workloads.batch.route = e.workloads.batch.routes; delete e.workloads.batch.routes; }, "workloads.batch", "route", "routes"],
    ["a top-level key", (e) => (e.worklaods = {}), "", "worklaods", "workloads"],
    ["a canary's precent", (e) => (e.routes.chat.canary = { model: NOVA.modelId, precent: 10 }), "routes.chat.canary", "precent", "percent"],
    ["two letters swapped (emials)", (e) => { e.alarms.emials = e.alarms.emails; delete e.alarms.emails; }, "alarms", "emials", "emails"],
    ["a route's alarms", (e) => (e.routes.chat.alarms = { fallbackRatePrecent: 5 }), "routes.chat.alarms", "fallbackRatePrecent", "fallbackRatePercent"],
    ["the budget's scope", (e) => (e.budget.scope = { tagKee: "team", tagValue: "a" }), "budget.scope", "tagKee", "tagKey"],
    ["a model's facts", (e) => e.models.push({ id: "example.new-model-v1:0", facts: { geographies: ["us"], outputBurndwon: 1 } }), "models[2].facts", "outputBurndwon", "outputBurndown"],
    ["the S3 backend's keyprefix", (e) => (e.backend = { s3: { bucket: "team-state", region: "us-east-1", keyprefix: "x" } }), "backend.s3", "keyprefix", "keyPrefix"],
    ["smoke's principal", (e) => (e.smoke.principal = []), "smoke", "principal", "principals"],
  ];
  it.each(cases)("%s", (_name, edit, path, key, meant) => {
    const found = problemsOf(edit).filter((p) => p.message === `unknown key "${key}"`);
    expect(found).toEqual([expect.objectContaining({ path, fix: `did you mean "${meant}"?` })]);
  });

  it("an unknown key nothing is close to lists the keys allowed there", () => {
    const [p] = problemsOf((e) => (e.routes.chat.zzzzzzzz = 1)).filter((x) => x.message === 'unknown key "zzzzzzzz"');
    expect(p.path).toBe("routes.chat");
    expect(p.fix).toMatch(/^remove it \(keys: .*maxTokens.*temperature/);
  });
});

describe("a model ID that is not a foundation-model ID", () => {
  it("a one-letter typo in models names the catalog's model", () => {
    const ps = problemsOf((e) => (e.models[1].id = "amazon.nova-lit-v1:0"));
    expect(ps).toContainEqual(expect.objectContaining({ path: "models[1].id", fix: expect.stringMatching(/^did you mean amazon\.nova-lite-v1:0\? Otherwise/) }));
    // The routes naming the real ID are not told to use the typo.
    for (const p of ps.filter((x) => x.path.startsWith("routes."))) expect(p.fix).not.toContain("amazon.nova-lit-v1:0 (models");
  });

  it("a one-letter typo in a route names the declared model (amazon.nova-pr-v1:0)", () => {
    const ps = problemsOf((e) => { e.models[1].id = NOVA_PRO.modelId; e.routes.chat.fallbacks = [NOVA_PRO.modelId]; e.routes.summarize.primary = "amazon.nova-pr-v1:0"; });
    expect(ps).toEqual([{ path: "routes.summarize.primary", message: "amazon.nova-pr-v1:0 is not declared in models", fix: `did you mean ${NOVA_PRO.modelId} (models[1])? Otherwise add {"id": "amazon.nova-pr-v1:0"} to models` }]);
  });

  it("a route naming a model far from every declared one gets no guess", () => {
    const [p] = problemsOf((e) => (e.routes.summarize.fallbacks = ["meta.llama3-70b-instruct-v1:0"])).filter((x) => x.path === "routes.summarize.fallbacks[0]");
    expect(p.fix).toBe('add {"id": "meta.llama3-70b-instruct-v1:0"} to models or pick a declared model');
  });

  const profileCases: Array<[string, string, RegExp]> = [
    ["a geographic profile ID", "us.amazon.nova-lite-v1:0", /^use "amazon\.nova-lite-v1:0" .*"geography": "us"/],
    ["a global profile ID", "global.anthropic.claude-haiku-4-5-20251001-v1:0", /^use "anthropic\.claude-haiku-4-5-20251001-v1:0" with "inference": "global"/],
    ["a profile ARN", "arn:aws:bedrock:us-east-1:111111111111:inference-profile/eu.amazon.nova-lite-v1:0", /^use "amazon\.nova-lite-v1:0" .*"geography": "eu"/],
    ["a foundation-model ARN", "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0", /^use "amazon\.nova-lite-v1:0"$/],
    ["an application profile ARN", "arn:aws:bedrock:us-east-1:111111111111:application-inference-profile/a1b2c3", /get-inference-profile/],
  ];
  it.each(profileCases)("%s in models is told the foundation-model ID", (_name, id, fix) => {
    const ps = problemsOf((e) => (e.models[1].id = id)).filter((p) => p.path === "models[1].id");
    expect(ps).toEqual([expect.objectContaining({ message: expect.stringMatching(/, not (a foundation-model ID|its ID)$/), fix: expect.stringMatching(fix) })]);
  });

  it("a profile ID in a route is told the foundation-model ID (us.amazon.nova-pro-v1:0)", () => {
    const ps = problemsOf((e) => (e.routes.summarize.primary = "us.amazon.nova-pro-v1:0"));
    expect(ps).toContainEqual(expect.objectContaining({ path: "routes.summarize.primary", message: "us.amazon.nova-pro-v1:0 is an inference profile ID, not a foundation-model ID", fix: expect.stringMatching(/^use "amazon\.nova-pro-v1:0"/) }));
  });

  it("a bare model ID, whatever its provider, is not taken for a profile", () => {
    for (const id of [HAIKU.modelId, NOVA.modelId, "us-west.example-v1:0", "useful.model-v1:0", "apac-ai.model-v1"]) expect(nonModelId(id)).toBeUndefined();
  });
});

describe("edit distance", () => {
  it.each([
    ["emails", "emials", 1],
    ["maxTokens", "maxToken", 1],
    ["temperature", "temprature", 1],
    ["abc", "cba", 2],
    ["", "abc", 3],
    ["same", "same", 0],
  ])("%s -> %s is %i", (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });

  it("closest ranks by distance, then alphabetically, and keeps only those within reach", () => {
    expect(closest("routs", ["routes", "roles", "route", "regions"])).toEqual(["route", "routes", "roles"]);
    expect(closest("zzzz", ["routes"])).toEqual([]);
  });
});
