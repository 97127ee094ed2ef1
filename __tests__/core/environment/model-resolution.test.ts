import type { Catalog } from "../../../core/catalog";
import { validateEnvironment } from "../../../core/validation";
import Ajv from "ajv-draft-04";
import { buildManifest, buildRoutingDocument, routingJsonSchema } from "../../../core/routing";
import { ASSUMED_BURNDOWN, modelInputOf, resolveModels, environmentSchema } from "../../../core/environment";
import { UserInputError } from "../../../core/problems";
import { CATALOG, catalogWith, geoTpmQuota, HAIKU, NOVA, planOf, rawConfig, TODAY } from "../../fixtures";
import { resources, synthAccount, synthRegion } from "../../modules/fixtures";

const OPUS_6 = "anthropic.claude-opus-6"; // a model no catalog file knows
const devWith = (edit: (c: any) => void) => {
  const c = rawConfig("dev");
  edit(c);
  return c;
};
/** Every problem (errors and warnings) validation reports for a raw config. */
function problems(raw: unknown, catalog: Catalog = CATALOG, today = TODAY): Array<{ path: string; message: string; fix: string; severity?: string }> {
  try {
    return [...validateEnvironment(raw, "config/dev.json", { catalog, today }).warnings];
  } catch (e) {
    if (!(e instanceof UserInputError)) throw e;
    return [...e.problems];
  }
}
const resolve = (raw: unknown, catalog = CATALOG, today = TODAY) => resolveModels(modelInputOf(environmentSchema.parse(raw)), catalog, today);

describe("a model the snapshot does not know yet (declared in the environment file)", () => {
  const declared = devWith((c) => {
    c.models.push({
      id: OPUS_6,
      facts: { name: "Claude Opus 6", geographies: ["us", "global"], maxOutputTokens: 100000, outputBurndown: 5, quotaCodes: { geo: "L-0A0B0C0D" }, source: "https://example.com/opus-6-card" },
    });
    c.routes.reasoning = { primary: OPUS_6, fallbacks: [HAIKU.modelId], maxTokens: 32000 };
    c.workloads["support-bot"].routes.push("reasoning");
  });

  it("is a warning that names catalog:sync, not an error", () => {
    expect(problems(declared)).toEqual([
      {
        path: "models[2].id",
        message: `${OPUS_6} is not in the catalog snapshot for us-east-1; using the facts declared in models[2].facts`,
        fix: "run npm run catalog:sync -- --regions us-east-1 once the account lists it",
        severity: "warning",
      },
    ]);
  });

  it("is used everywhere a catalog model is: IAM, alarms, preflight, routing schema, manifest", () => {
    const plan = planOf(declared);
    expect(plan.invocations["us-east-1"][OPUS_6]).toMatchObject({ kind: "geo", invokeId: `us.${OPUS_6}` });
    const { json } = synthRegion(plan);
    const policy = Object.values<any>(resources(synthAccount(plan).json, "aws_iam_policy")).find((p) => p.name === "bedrock-dev-support-bot");
    expect(policy.policy).toContain(`inference-profile/us.${OPUS_6}`);
    // What the policy grants is checked at plan time by the region stack (applied first), on its routing document.
    const hosted = Object.values<any>(resources(json, "aws_appconfig_hosted_configuration_version"))[0];
    expect(hosted.lifecycle.precondition.some((p: any) => p.condition.includes(`"us.${OPUS_6}"`))).toBe(true);
    const alarms = Object.values<any>(resources(json, "aws_cloudwatch_metric_alarm")).filter((a) => a.dimensions?.ModelId === `us.${OPUS_6}`);
    // The five kinds of every model, and quota usage on the declared quota code (read at plan time).
    expect(alarms.map((a) => a.alarm_name).sort()).toEqual(["client-errors", "latency-p99", "legacy-invocations", "quota-usage", "server-errors", "throttles"].map((k) => `bedrock-dev-${k}-us.${OPUS_6}`));
    expect(Object.values<any>(json.data?.aws_servicequotas_service_quota ?? {}).map((q) => q.quota_code)).toContain("L-0A0B0C0D");
    // The AppConfig validator provisions the declared model and bounds the route by Haiku's lower limit.
    const validate = new Ajv({ strict: false }).compile(routingJsonSchema(plan, "us-east-1"));
    const doc = JSON.parse(JSON.stringify(buildRoutingDocument(plan, "us-east-1")));
    expect(validate(doc)).toBe(true);
    expect(validate({ ...doc, models: { ...doc.models, [OPUS_6]: undefined } })).toBe(false);
    expect(validate({ ...doc, routes: { ...doc.routes, reasoning: { ...doc.routes.reasoning, maxTokens: 64000 } } })).toBe(true);
    expect(validate({ ...doc, routes: { ...doc.routes, reasoning: { ...doc.routes.reasoning, maxTokens: 64001 } } })).toBe(false);
    expect(buildManifest(plan, "us-east-1").models[OPUS_6]).toEqual({
      invokeId: `us.${OPUS_6}`,
      kind: "geo",
      profileArn: `arn:aws:bedrock:us-east-1:111111111111:inference-profile/us.${OPUS_6}`,
      marketplace: true,
      maxOutputTokens: 100000,
      tpmQuotaCode: "L-0A0B0C0D",
      quotaName: "Claude Opus 6",
      outputBurndown: 5,
    });
  });

  it("declared facts are checked like catalog entries", () => {
    const bad = (facts: unknown) => devWith((c) => c.models.push({ id: OPUS_6, facts }));
    expect(problems(bad({ geographies: ["mars"] })).map((p) => p.path)).toEqual(["models[2].facts.geographies[0]"]);
    expect(problems(bad({ quotaCodes: { geo: "L-123" } })).map((p) => p.path)).toEqual(["models[2].facts.quotaCodes.geo"]);
    expect(problems(bad({ maxOutputTokens: 0 })).map((p) => p.path)).toEqual(["models[2].facts.maxOutputTokens"]);
    // Profiles it does not have fail like a catalog model's.
    expect(problems(bad({ geographies: ["eu"], maxOutputTokens: 1000, outputBurndown: 1 }))).toEqual([
      expect.objectContaining({ path: "models[2].inference", message: expect.stringMatching(/^anthropic\.claude-opus-6 has no inference profile in the geography of us-east-1 \(us; models\[\]\.facts profiles: eu\)$/) }),
    ]);
    // The schema refuses such an ID; resolveModels refuses it too for callers that skip the schema.
    const weird = devWith((c) => c.models.push({ id: 'opus"6', facts: { geographies: ["us"] } }));
    expect(problems(weird)).toEqual([expect.objectContaining({ path: "models[2].id", message: expect.stringContaining("is not a foundation-model ID") })]);
    const direct = resolveModels({ account: "111111111111", regions: ["us-east-1"], models: [{ id: "opus6", inference: "geo", enabled: true, facts: { geographies: ["us"], onDemandRegions: [], quotaCodes: {} } }] }, CATALOG, TODAY);
    expect(direct.problems).toEqual([expect.objectContaining({ path: "models[0].id", message: "opus6 is not a foundation-model ID" })]);
  });

  it("without facts it stays an unknown model, with the sync and the facts as the fixes", () => {
    const p = problems(devWith((c) => c.models.push({ id: "anthropic.claude-opus-4-9" })));
    expect(p).toEqual([
      {
        path: "models[2].id",
        message: "unknown model anthropic.claude-opus-4-9: not in the catalog snapshot",
        // Typos first (a letter off), then the rest of the family, at most four.
        fix: expect.stringMatching(/^did you mean anthropic\.claude-opus-4-7 or anthropic\.claude-opus-4-8 or anthropic\.claude-opus-\S+ or anthropic\.claude-opus-\S+\? Otherwise if it launched since the last sync, npm run catalog:sync -- --regions us-east-1, or declare its facts in models\[2\]\.facts/),
      },
    ]);
  });

  it("facts the catalog makes redundant are reported as unused", () => {
    const p = problems(devWith((c) => (c.models[0].facts = { geographies: ["us"] })));
    expect(p).toEqual([{ path: "models[0].facts", message: `not used: the catalog has ${HAIKU.modelId} in every region of the environment`, fix: "remove facts", severity: "warning" }]);
  });
});

describe("lifecycle and staleness", () => {
  it("an end-of-life date from the overlay is an error naming the replacement (Claude 3 Haiku, 2026-09-10)", () => {
    expect(problems(devWith((c) => c.models.push({ id: "anthropic.claude-3-haiku-20240307-v1:0" })))).toEqual([
      { path: "models[2].id", message: "anthropic.claude-3-haiku-20240307-v1:0 reached end of life on 2026-09-10; calls fail", fix: `move to ${HAIKU.modelId}` },
    ]);
  });

  it("a LEGACY status from the snapshot warns per model, listing its regions", () => {
    const quota = [geoTpmQuota("Amazon Nova Old", "L-0000A001")];
    const catalog = catalogWith([
      { id: "amazon.nova-old-v1:0", name: "Nova Old", regions: { "us-east-1": { geographies: ["us"], lifecycle: "LEGACY" }, "us-west-2": { geographies: ["us"], lifecycle: "LEGACY" } }, quotas: { "us-east-1": quota, "us-west-2": quota } },
    ]);
    const p = problems(devWith((c) => ((c.regions = ["us-east-1", "us-west-2"]), c.models.push({ id: "amazon.nova-old-v1:0" }))), catalog);
    expect(p).toEqual([
      { path: "models[2].id", message: "amazon.nova-old-v1:0 is LEGACY in us-east-1, us-west-2 (catalog snapshot; end of life not announced)", fix: "move to a current model (catalog/overlay.json records no replacement)", severity: "warning" },
    ]);
  });

  const readOn = (on: string, ...regions: string[]): Catalog => ({
    ...CATALOG,
    snapshot: { ...CATALOG.snapshot, regions: { ...CATALOG.snapshot.regions, ...Object.fromEntries(regions.map((r) => [r, { ...CATALOG.snapshot.regions[r], read: { ...CATALOG.snapshot.regions[r].read, on } }])) } },
  });

  it("a snapshot older than catalog.maxAgeDays (default 30) warns and names the refresh command for those regions", () => {
    const prod = rawConfig("prod");
    const catalog = readOn("2026-10-01", "us-east-1", "eu-west-1");
    expect(problems(prod, catalog, "2026-10-31")).toEqual([]); // 30 days old: not older than 30
    const p = problems(prod, catalog, "2026-11-01");
    expect(p).toEqual([
      {
        path: "regions",
        message: "the catalog snapshot of us-east-1, eu-west-1 was read on 2026-10-01, more than 30 days ago (catalog.maxAgeDays): models, profiles and lifecycle may have changed",
        fix: "run npm run catalog:sync -- --regions us-east-1,eu-west-1",
        severity: "warning",
      },
    ]);
    expect(problems({ ...prod, catalog: { maxAgeDays: 60 } }, catalog, "2026-11-01")).toEqual([]);
  });
});

describe("regions and profiles from the snapshot", () => {
  it("a region the snapshot has never read is an error naming the sync for it", () => {
    expect(problems(devWith((c) => (c.regions = ["ca-central-1"])))).toEqual([
      { path: "regions[0]", message: "the catalog snapshot has no facts for ca-central-1", fix: "run npm run catalog:sync -- --regions ca-central-1 (or declare the facts of each model in models[].facts)" },
    ]);
  });

  it("a model the snapshot does not list in one of the regions is an error naming that region", () => {
    const catalog = catalogWith([{ id: "amazon.nova-east-v1:0", regions: { "us-east-1": { geographies: ["us"] } } }]);
    const p = problems(devWith((c) => ((c.regions = ["us-east-1", "eu-west-1"]), c.models.push({ id: "amazon.nova-east-v1:0" }))), catalog);
    expect(p).toEqual([
      expect.objectContaining({ path: "models[2].id", message: expect.stringMatching(/^amazon\.nova-east-v1:0 is not offered in eu-west-1 according to the catalog snapshot \(read \d{4}-\d{2}-\d{2}\)$/) }),
    ]);
  });

  it.each<[string, string, string, RegExp | undefined]>([
    // Late-2026 corrections (sources in catalog/seed.json): no apac. profile for Sonnet 4.5 / 4.6; Opus 4.6 has apac.,
    // jp. and au.
    ["Sonnet 4.5 in Mumbai", "anthropic.claude-sonnet-4-5-20250929-v1:0", "ap-south-1", /has no inference profile in the geography of ap-south-1 \(apac; catalog snapshot profiles: global\)/],
    ["Sonnet 4.6 in Mumbai", "anthropic.claude-sonnet-4-6", "ap-south-1", /has no inference profile in the geography of ap-south-1/],
    ["Sonnet 4.6 in Tokyo", "anthropic.claude-sonnet-4-6", "ap-northeast-1", undefined],
    ["Opus 4.6 in Mumbai", "anthropic.claude-opus-4-6-v1", "ap-south-1", undefined],
    ["Opus 4.6 in Sydney", "anthropic.claude-opus-4-6-v1", "ap-southeast-2", undefined],
    ["Opus 4.8 in Frankfurt", "anthropic.claude-opus-4-8", "eu-central-1", undefined],
  ])("%s", (_label, id, region, error) => {
    const raw = { name: "t", account: "123456789012", regions: [region], models: [{ id }], routes: { r: { primary: id, maxTokens: 100 } }, budget: { monthlyUsd: 1 }, alarms: { emails: ["a@example.com"] } };
    const p = problems(raw).filter((x) => x.severity !== "warning");
    if (error) expect(p).toEqual([expect.objectContaining({ path: "models[0].inference", message: expect.stringMatching(error), fix: `use inference "global" or drop ${region}` })]);
    else expect(p).toEqual([]);
  });

  it("quota codes per region and way of invoking come from the snapshot", () => {
    const plan = planOf(rawConfig("prod"));
    const m = buildManifest(plan, "us-east-1").models;
    expect(m[HAIKU.modelId].tpmQuotaCode).toBe("L-58BE175A"); // geo
    expect(m["anthropic.claude-opus-4-5-20251101-v1:0"].tpmQuotaCode).toBe("L-3ABF6ACC"); // global
    expect(plan.specs[HAIKU.modelId].quotas["us-east-1"]).toEqual({ tpm: { code: "L-58BE175A", applied: 2000000 }, rpm: { code: "L-CCA5DF70", applied: 10000 } });
    const onDemand = planOf(devWith((c) => (c.models[1].inference = "on-demand")));
    expect(buildManifest(onDemand, "us-east-1").models[NOVA.modelId].tpmQuotaCode).toBe("L-70423BF8");
  });
});

describe("a model synced but not curated (no overlay entry)", () => {
  const catalog = catalogWith([{ id: "amazon.nova-9-v1:0", name: "Nova 9", regions: { "us-east-1": { geographies: ["us"] } }, quotas: { "us-east-1": [geoTpmQuota("Amazon Nova 9", "L-0000A009", 100_000_000)] }, overlay: null }]);
  const raw = devWith((c) => {
    c.models.push({ id: "amazon.nova-9-v1:0" });
    c.routes.nine = { primary: "amazon.nova-9-v1:0", maxTokens: 300000 };
  });

  it("is usable, with one warning saying what is not checked and what is assumed", () => {
    expect(problems(raw, catalog)).toEqual([
      {
        path: "models[2].id",
        message: `no output limit or output burndown known for amazon.nova-9-v1:0 (catalog/overlay.json): route maxTokens are not checked against its limit; quota figures assume burndown ${ASSUMED_BURNDOWN}`,
        fix: "add maxOutputTokens and outputBurndown with a source to catalog/overlay.json, or declare models[2].facts",
        severity: "warning",
      },
    ]);
    const plan = validateEnvironment(raw, "t.json", { catalog, today: TODAY });
    expect(plan.specs["amazon.nova-9-v1:0"]).toMatchObject({ outputBurndown: ASSUMED_BURNDOWN, displayName: "Nova 9", quotaName: "Nova 9", marketplace: false });
    expect(buildManifest(plan, "us-east-1").models["amazon.nova-9-v1:0"].maxOutputTokens).toBeUndefined();
    // No output limit known: the AppConfig validator bounds maxTokens by nothing but its type.
    const doc = JSON.parse(JSON.stringify(buildRoutingDocument(plan, "us-east-1")));
    doc.routes.nine.maxTokens = 10_000_000;
    expect(new Ajv({ strict: false }).compile(routingJsonSchema(plan, "us-east-1"))(doc)).toBe(true);
  });

  it("declared facts fill the curated gaps without being reported unused", () => {
    const withFacts = devWith((c) => {
      c.models.push({ id: "amazon.nova-9-v1:0", facts: { maxOutputTokens: 8000, outputBurndown: 1 } });
      c.routes.nine = { primary: "amazon.nova-9-v1:0", maxTokens: 9000 };
    });
    expect(problems(withFacts, catalog)).toEqual([{ path: "routes.nine.maxTokens", message: "9000 exceeds the output limit of amazon.nova-9-v1:0 (8000)", fix: "set maxTokens to at most 8000" }]);
  });
});

describe("resolveModels (the interface validation calls)", () => {
  it("returns specs and invocations only for enabled models that resolve in every region", () => {
    const r = resolve(devWith((c) => ((c.regions = ["us-east-1", "eu-west-1"]), c.models.push({ id: "amazon.nova-pro-v1:0", enabled: false }))));
    expect(r.problems).toEqual([]);
    expect(Object.keys(r.specs).sort()).toEqual([HAIKU.modelId, NOVA.modelId].sort());
    expect(Object.keys(r.invocations)).toEqual(["us-east-1", "eu-west-1"]);
    expect(r.invocations["eu-west-1"][NOVA.modelId].invokeId).toBe(`eu.${NOVA.modelId}`);
  });

  it("works on what parsed: malformed entries are skipped (reported elsewhere), no account means no invocations", () => {
    const r = resolveModels({ regions: ["us-east-1"], models: [undefined, { id: "amazon.nova-9-v1:0", inference: "geo", enabled: true }, { id: HAIKU.modelId, inference: "geo", enabled: true }] }, CATALOG, TODAY);
    expect(r.problems.map((p) => p.path)).toEqual(["models[1].id"]);
    expect(Object.keys(r.specs)).toEqual([HAIKU.modelId]);
    expect(r.invocations).toEqual({ "us-east-1": {} });
  });

  it("treats IDs as data: an ID named like an Object.prototype property is just unknown", () => {
    const m = (id: string) => ({ id, inference: "geo" as const, enabled: true });
    const r = resolveModels({ account: "111111111111", regions: ["us-east-1"], models: [m("__proto__"), m("constructor"), m("hasOwnProperty")] }, CATALOG, TODAY);
    expect(r.problems.map((p) => p.message)).toEqual(["__proto__", "constructor", "hasOwnProperty"].map((id) => `unknown model ${id}: not in the catalog snapshot`));
  });
});
