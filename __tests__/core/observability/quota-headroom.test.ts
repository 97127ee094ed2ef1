import { regionAlarms, ttftThresholds, tpmQuotaCodes } from "../../../core/observability";
import { RESERVATION_WARNING_SHARE } from "../../../core/validation/rules/route-quota-share";
import { catalogWith, devPlan, geoTpmQuota, HAIKU, NOVA, planOf, prodPlan, rawConfig, variant } from "../../fixtures";

// Figures come from the shipped snapshot (Haiku 4.5 geo TPM applied 2,000,000 in us-east-1) and the overlay (Haiku 4.5
// burndown 5, Nova Lite 1), and the reservation rule: input + maxTokens × burndown at worst
// (https://docs.aws.amazon.com/bedrock/latest/userguide/quotas.html).
const APPLIED = 2_000_000;
const HAIKU_BURNDOWN = 5;

const reservationWarnings = (plan: ReturnType<typeof devPlan>) => plan.warnings.filter((w) => w.path.endsWith(".maxTokens"));

describe("reservation warning at synth", () => {
  it("the shipped environments have none (and no other quota warning)", () => {
    expect(devPlan().warnings).toEqual([]);
    expect(prodPlan().warnings).toEqual([]);
  });

  it("a route whose worst case is over 10% of the applied quota: the share and how many such requests fit at once", () => {
    const plan = variant("dev", (c) => (c.routes.chat.maxTokens = 64000));
    const charge = 1000 + 64000 * HAIKU_BURNDOWN; // 321,000: 16.05%
    expect(reservationWarnings(plan)).toEqual([
      {
        path: "routes.chat.maxTokens",
        message: `a worst-case request to ${HAIKU.modelId} (input estimate 1,000 + maxTokens 64,000 × output burndown 5 = 321,000 tokens) is 16.1% of its applied tokens-per-minute quota in us-east-1 (2,000,000 per the catalog snapshot): the quota admits only ${Math.floor(APPLIED / charge)} such requests at once`,
        fix: "lower maxTokens to what the task needs, or request an increase of L-58BE175A and run npm run catalog:sync -- --regions us-east-1",
        severity: "warning",
      },
    ]);
  });

  it(`exactly ${RESERVATION_WARNING_SHARE * 100}% is not a warning, one token more is`, () => {
    // 1000 + maxTokens × 5 = 200,000 (10% of 2,000,000) at maxTokens 39,800.
    expect(reservationWarnings(variant("dev", (c) => (c.routes.chat.maxTokens = 39800)))).toEqual([]);
    expect(reservationWarnings(variant("dev", (c) => (c.routes.chat.maxTokens = 39801)))).toEqual([
      expect.objectContaining({ path: "routes.chat.maxTokens", message: expect.stringContaining("the quota admits only 9 such requests at once") }),
    ]);
  });

  it("counts the input estimate and checks fallbacks with their own burndown", () => {
    // summarization: Haiku (burndown 5) with Nova Lite (burndown 1) as fallback; 150,000 input tokens + 4,000 output.
    const plan = variant("dev", (c) => {
      c.routes.summarization.inputTokensEstimate = 150_000;
      c.routes.summarization.maxTokens = 4000;
    });
    expect(reservationWarnings(plan)).toEqual([]); // 170,000 (8.5%) and 154,000 (7.7%) tokens
    const bigger = variant("dev", (c) => {
      c.routes.summarization.inputTokensEstimate = 200_000;
      c.routes.summarization.maxTokens = 4000;
    });
    expect(reservationWarnings(bigger).map((w) => w.message)).toEqual([
      expect.stringContaining(`${HAIKU.modelId} (input estimate 200,000 + maxTokens 4,000 × output burndown 5 = 220,000 tokens) is 11% of`),
      expect.stringContaining(`${NOVA.modelId} (input estimate 200,000 + maxTokens 4,000 × output burndown 1 = 204,000 tokens) is 10.2% of`),
    ]);
  });

  it("names the worst region and the others over the threshold", () => {
    const quota = (value: number) => [geoTpmQuota("Amazon Nova Test", "L-0000B001", value)];
    const catalog = catalogWith([{ id: "amazon.nova-test-v1:0", name: "Nova Test", regions: { "us-east-1": { geographies: ["us"] }, "us-west-2": { geographies: ["us"] } }, quotas: { "us-east-1": quota(80_000), "us-west-2": quota(50_000) } }]);
    const raw = rawConfig("dev");
    raw.regions = ["us-east-1", "us-west-2"];
    raw.models.push({ id: "amazon.nova-test-v1:0" });
    raw.routes.test = { primary: "amazon.nova-test-v1:0", maxTokens: 9000 }; // 10,000 tokens at worst (burndown 1)
    const w = reservationWarnings(planOf(raw, { catalog }));
    expect(w).toEqual([
      expect.objectContaining({
        path: "routes.test.maxTokens",
        message: expect.stringMatching(/= 10,000 tokens\) is 20% of its applied tokens-per-minute quota in us-west-2 \(50,000 per the catalog snapshot\): the quota admits only 5 such requests at once \(also over 10% in us-east-1\)$/),
        fix: expect.stringContaining("--regions us-east-1,us-west-2"),
      }),
    ]);
  });

  it("no warning where the applied value is unknown (quota code declared, never synced)", () => {
    const raw = rawConfig("dev");
    raw.models.push({ id: "anthropic.claude-opus-6", facts: { geographies: ["us"], maxOutputTokens: 128000, outputBurndown: 5, quotaCodes: { geo: "L-0A0B0C0D" } } });
    raw.routes.huge = { primary: "anthropic.claude-opus-6", maxTokens: 128000 };
    const plan = planOf(raw);
    expect(plan.specs["anthropic.claude-opus-6"].quotas["us-east-1"]).toEqual({ tpm: { code: "L-0A0B0C0D" } });
    expect(reservationWarnings(plan)).toEqual([]);
  });

  it("an applied quota of 0 is its own warning: every call throttles", () => {
    const catalog = catalogWith([{ id: "amazon.nova-zero-v1:0", name: "Nova Zero", regions: { "us-east-1": { geographies: ["us"] } }, quotas: { "us-east-1": [geoTpmQuota("Amazon Nova Zero", "L-0000C000", 0)] } }]);
    const raw = rawConfig("dev");
    raw.models.push({ id: "amazon.nova-zero-v1:0" });
    const plan = planOf(raw, { catalog });
    expect(plan.warnings).toEqual([
      {
        path: "models[2]",
        message: "the applied tokens-per-minute quota of amazon.nova-zero-v1:0 in us-east-1 is 0 per the catalog snapshot: every call is throttled until AWS raises it",
        fix: expect.stringMatching(/^request an increase of L-0000C000 .*npm run catalog:sync -- --regions us-east-1$/),
        severity: "warning",
      },
    ]);
  });
});

describe("quota codes and alarm counts", () => {
  it("a model without a TPM quota code: one warning naming the sync and the fact to declare, and no alarm counted", () => {
    const plan = variant("dev", (c) => {
      c.models.push({ id: "anthropic.claude-opus-4-8", inference: "geo" });
      c.routes.deep = { primary: "anthropic.claude-opus-4-8", maxTokens: 4096 };
    });
    expect(plan.warnings).toEqual([
      // Opus 4.8's Converse support is unconfirmed in catalog/overlay.json (rule route-request-parameters).
      expect.objectContaining({ path: "models[2].id", message: expect.stringContaining("whether Converse serves anthropic.claude-opus-4-8 is unconfirmed") }),
      {
        path: "models[2]",
        message: "no tokens-per-minute quota code is known for anthropic.claude-opus-4-8 (inference geo) in us-east-1: no quota-usage alarm there (its threshold would be a guess)",
        fix: "run npm run catalog:sync -- --regions us-east-1 (it reads the codes from Service Quotas), or declare models[2].facts.quotaCodes.geo",
        severity: "warning",
      },
    ]);
    expect(tpmQuotaCodes(plan, "us-east-1")).toEqual(new Map([[HAIKU.modelId, "L-58BE175A"], [NOVA.modelId, "L-7C42E72A"], ["anthropic.claude-opus-4-8", undefined]]));
    // 3 models × 5 kinds, 2 quota-usage alarms, 1 TTFT alarm (dev's streaming chat route uses Haiku).
    expect(regionAlarms(plan, "us-east-1").filter((a) => a.watches === "model")).toHaveLength(3 * 5 + 2 + 1);
  });

  it("TTFT thresholds: per model, the strictest streaming route using it, default 5000 ms", () => {
    expect(ttftThresholds(devPlan())).toEqual(new Map([[HAIKU.modelId, { thresholdMs: 5000, routes: ["chat"] }]]));
    const prod = ttftThresholds(prodPlan());
    // code-review (Sonnet, fallback Opus) streams at 4000 ms; agent-planning (Opus, fallback Sonnet) and customer-chat
    // (Sonnet) at the default.
    expect(prod).toEqual(
      new Map([
        ["anthropic.claude-sonnet-4-5-20250929-v1:0", { thresholdMs: 4000, routes: ["code-review", "agent-planning", "customer-chat"] }],
        ["anthropic.claude-opus-4-5-20251101-v1:0", { thresholdMs: 4000, routes: ["code-review", "agent-planning"] }],
      ]),
    );
  });
});
