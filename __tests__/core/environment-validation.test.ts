import dev from "../../config/dev.json";
import { CATALOG, ModelSpec } from "../../core/catalog";
import { validateEnvironment } from "../../core/environment-validation";
import { names } from "../../core/names";
import { formatProblem, UserInputError } from "../../core/problem";
import { HAIKU, NOVA, TODAY } from "../fixtures";

const FILE = "config/dev.json";

type Json = Record<string, any>;
const clone = (): Json => JSON.parse(JSON.stringify(dev));

function problemsOf(doc: unknown, options = {}): { path: string; message: string; line: string }[] {
  try {
    validateEnvironment(doc, FILE, { today: TODAY, expectedName: "dev", ...options });
  } catch (e) {
    expect(e).toBeInstanceOf(UserInputError);
    return (e as UserInputError).problems.map((p) => ({ path: p.path, message: p.message, line: formatProblem(FILE, p) }));
  }
  return [];
}

// Each case: a mutation of the shipped dev config, the JSON path the problem must name, and what the message must say.
const cases: Array<[string, (d: Json) => void, string, RegExp]> = [
  ["account too short", (d) => (d.account = "12345"), "account", /12-digit/],
  ["account with letters", (d) => (d.account = "12345678901a"), "account", /12-digit/],
  ["missing account", (d) => delete d.account, "account", /is required/],
  ["bad region name", (d) => (d.regions = ["us-east-1", "mars-1"]), "regions[1]", /not an AWS region/],
  ["duplicate region", (d) => (d.regions = ["us-east-1", "us-east-1"]), "regions[1]", /region "us-east-1" is listed twice/],
  ["no regions", (d) => (d.regions = []), "regions", /at least 1/],
  ["unknown top-level key", (d) => (d.regoins = ["us-east-1"]), "", /unknown key "regoins"/],
  ["unknown model", (d) => (d.models[1].id = "amazon.nova-lite-v9:0"), "models[1].id", /unknown model amazon\.nova-lite-v9:0/],
  ["duplicate model", (d) => d.models.push({ id: HAIKU.modelId }), "models[2].id", /duplicate model/],
  ["bad inference kind", (d) => (d.models[0].inference = "cross-region"), "models[0].inference", /"geo", "global", "on-demand"/],
  ["on-demand where unsupported", (d) => (d.models[0].inference = "on-demand"), "models[0].inference", new RegExp(`${HAIKU.modelId.replace(/\./g, "\\.")} cannot be invoked on demand.*us-east-1`)],
  ["no profile in the region's geography", (d) => (d.models.push({ id: "anthropic.claude-opus-4-5-20251101-v1:0" }), (d.regions = ["ap-south-1"])), "models[2].inference", /no inference profile in the geography of ap-south-1/],
  ["geography that does not fit the region", (d) => (d.models[0].geography = "eu"), "models[0].geography", /"eu" does not fit us-east-1/],
  ["geography with global inference", (d) => Object.assign(d.models[0], { inference: "global", geography: "us" }), "models[0].geography", /only applies to inference "geo"/],
  ["global where the model has none", (d) => (d.models[1].inference = "global"), "models[1].inference", /amazon\.nova-lite-v1:0 has no global inference profile/],
  ["end-of-life model", (d) => d.models.push({ id: "anthropic.claude-sonnet-4-20250514-v1:0" }), "models[2].id", /reached end of life on 2026-10-14/],
  ["maxTokens missing", (d) => delete d.routes.chat.maxTokens, "routes.chat.maxTokens", /is required/],
  ["maxTokens zero", (d) => (d.routes.chat.maxTokens = 0), "routes.chat.maxTokens", /> 0/],
  ["maxTokens fractional", (d) => (d.routes.chat.maxTokens = 10.5), "routes.chat.maxTokens", /integer/],
  ["maxTokens above the primary's limit", (d) => (d.routes.chat.maxTokens = 200000), "routes.chat.maxTokens", /200000 exceeds the output limit of anthropic\.claude-haiku-4-5-20251001-v1:0 \(64000\)/],
  ["maxTokens above a fallback's limit", (d) => (d.routes.summarization.maxTokens = 20000), "routes.summarization.maxTokens", /20000 exceeds the output limit of amazon\.nova-lite-v1:0 \(10000\)/],
  ["fallback equal to primary", (d) => (d.routes.chat.fallbacks = [HAIKU.modelId]), "routes.chat.fallbacks[0]", /is the primary/],
  ["fallback listed twice", (d) => (d.routes.chat.fallbacks = [NOVA.modelId, NOVA.modelId]), "routes.chat.fallbacks[1]", /listed twice/],
  ["unknown fallback", (d) => (d.routes.chat.fallbacks = ["amazon.nova-pro-v1:0"]), "routes.chat.fallbacks[0]", /amazon\.nova-pro-v1:0 is not declared in models/],
  ["unknown primary", (d) => (d.routes.chat.primary = "anthropic.claude-sonnet-4-6"), "routes.chat.primary", /not declared in models/],
  ["route to a disabled model", (d) => (d.models[1].enabled = false), "routes.summarization.fallbacks[0]", /amazon\.nova-lite-v1:0 is disabled \(models\[1\]\.enabled is false\)/],
  ["too many fallbacks", (d) => (d.routes.chat.fallbacks = [NOVA.modelId, "a", "b"]), "routes.chat.fallbacks", /at most 2/],
  ["temperature above 1", (d) => (d.routes.chat.temperature = 1.5), "routes.chat.temperature", /<= 1/],
  ["route name with capitals", (d) => (d.routes.Chat = d.routes.chat), "routes.Chat", /lowercase/],
  ["no routes", (d) => ((d.routes = {}), (d.workloads = {})), "routes", /no routes declared/],
  ["workload with unknown route", (d) => (d.workloads["support-bot"].routes = ["chat", "translation"]), 'workloads.support-bot.routes[1]', /unknown route "translation"/],
  ["workload without principals or role", (d) => (d.workloads["ticket-triage"].principals = []), "workloads.ticket-triage", /neither principals nor role/],
  ["role nobody can assume", (d) => (d.workloads["support-bot"].role = {}), "workloads.support-bot.role", /nobody can assume/],
  ["malformed principal ARN", (d) => (d.workloads["ticket-triage"].principals = ["ticket-triage"]), "workloads.ticket-triage.principals[0]", /not an IAM role or user ARN/],
  ["malformed alarm email", (d) => (d.alarms.emails = ["oncall-at-example.com"]), "alarms.emails[0]", /not an email address/],
  ["alarm period not a minute multiple", (d) => (d.alarms.periodSeconds = 90), "alarms.periodSeconds", /multiple of 60/],
  ["negative budget", (d) => (d.budget.monthlyUsd = -5), "budget.monthlyUsd", /> 0/],
  ["missing budget", (d) => delete d.budget, "budget", /is required/],
  ["too many budget alerts", (d) => (d.budget.alerts = [50, 60, 70, 80, 90, 100].map((percent) => ({ percent }))), "budget.alerts", /at most 5/],
  ["bad budget alert type", (d) => (d.budget.alerts = [{ percent: 80, type: "predicted" }]), "budget.alerts[0].type", /"actual", "forecasted"/],
  ["unknown deployment strategy", (d) => (d.appConfig.deploymentStrategy = "AppConfig.Fast"), "appConfig.deploymentStrategy", /.+/],
  ["poll interval below AppConfig's minimum", (d) => (d.appConfig.pollIntervalSeconds = 5), "appConfig.pollIntervalSeconds", />= 15/],
  ["name differs from file name", (d) => (d.name = "staging"), "name", /"staging" does not match the file name "dev"/],
  ["reserved metrics namespace", (d) => (d.metricsNamespace = "AWS/Bedrock"), "metricsNamespace", /reserved/],
  ["principal in another account", (d) => (d.smoke.principals = ["arn:aws:iam::999999999999:role/ci"]), "smoke.principals[0]", /account 999999999999, not 111111111111/],
  ["more than 10 default budget emails", (d) => (d.alarms.emails = Array.from({ length: 11 }, (_, i) => `a${i}@example.com`)), "alarms.emails", /11 addresses; AWS Budgets allows 10/],
  ["bad backend bucket", (d) => (d.backend = { s3: { bucket: "Bad_Bucket", region: "us-east-1" } }), "backend.s3.bucket", /"Bad_Bucket" may contain only lowercase letters, digits, dots and hyphens/],
];

describe("environment validation: invalid configs", () => {
  it("the corpus is large enough to matter", () => expect(cases.length).toBeGreaterThanOrEqual(30));

  it.each(cases)("%s", (_name, mutate, path, message) => {
    const doc = clone();
    mutate(doc);
    const problems = problemsOf(doc);
    const match = problems.find((p) => p.path === path && message.test(p.message));
    expect({ problems: problems.map((p) => p.line), found: !!match }).toEqual(expect.objectContaining({ found: true }));
    // Every line names the file and the path and says what to do.
    for (const p of problems) expect(p.line).toMatch(new RegExp(`^${FILE}(: \\S.*)?: .+ -> .+$`));
  });

  it("reports every problem at once", () => {
    const doc = clone();
    doc.routes.chat.maxTokens = 200000;
    doc.routes.summarization.fallbacks = [HAIKU.modelId];
    doc.workloads["support-bot"].routes = ["nope"];
    expect(problemsOf(doc).map((p) => p.path)).toEqual(
      expect.arrayContaining(["routes.chat.maxTokens", "routes.summarization.fallbacks[0]", "workloads.support-bot.routes[0]"]),
    );
  });
});

describe("environment validation: AWS name limits", () => {
  it("flags exactly the IAM role names over 64 characters (rollback role and workload roles)", () => {
    const longEnv = "environment-with-a-long-name-x"; // 30 characters, within the schema's 31
    const doc = clone();
    doc.name = longEnv;
    doc.workloads["reporting-pipeline-x"] = { routes: ["chat"], role: { assumedByServices: ["lambda.amazonaws.com"] } };
    // Derived from the names alone: which roles this environment would create, and which exceed 64 characters.
    const tooLong = [
      ["name", names.rollbackRole(longEnv, "us-east-1")],
      ["workloads.support-bot", names.workloadRole(longEnv, "us-east-1", "support-bot")],
      ["workloads.reporting-pipeline-x", names.workloadRole(longEnv, "us-east-1", "reporting-pipeline-x")],
    ].filter(([, n]) => n.length > 64);
    expect(tooLong.map(([p]) => p)).toEqual(["name", "workloads.reporting-pipeline-x"]);
    const problems = problemsOf(doc, { expectedName: undefined });
    expect(problems.map((p) => [p.path, p.message])).toEqual(tooLong.map(([path, n]) => [path, `IAM role name "${n}" is ${n.length} characters; AWS allows 64`]));
  });

  it("refuses a routing JSON Schema over AppConfig's 32 KB validator limit", () => {
    const doc = clone();
    for (let i = 0; i < 120; i++) doc.routes[`task-with-a-fairly-long-name-${i}`] = { primary: HAIKU.modelId, fallbacks: [NOVA.modelId], maxTokens: 100 };
    expect(problemsOf(doc).map((p) => [p.path, p.message])).toEqual([["routes", expect.stringMatching(/^the routing JSON Schema for us-east-1 is \d+ bytes; AppConfig allows 32768$/)]]);
  });
  it("refuses a model set whose composite rollback alarm CloudWatch would reject", () => {
    const nova = CATALOG.find((m) => m.id === NOVA.modelId)!;
    const many: ModelSpec[] = Array.from({ length: 60 }, (_, i) => ({ ...nova, id: `amazon.nova-variant-${i}-v1:0` }));
    const doc = clone();
    doc.models.push(...many.map((m) => ({ id: m.id })));
    expect(problemsOf(doc, { catalog: [...CATALOG, ...many] }).map((p) => [p.path, p.message])).toEqual([
      ["models", "the rollback alarm for us-east-1 would watch 124 alarms; CloudWatch allows 100"],
      ["models", expect.stringMatching(/^the rollback alarm rule for us-east-1 would be \d+ characters; CloudWatch allows 10240$/)],
      // 62 models' invoke grants are also far beyond IAM's managed-policy size.
      ["models", expect.stringMatching(/^the smoke policy in us-east-1 would be about \d+ characters; IAM allows 6144$/)],
    ]);
  });
});

describe("environment validation: valid configs", () => {
  it("accepts the shipped dev config and applies defaults", () => {
    const env = validateEnvironment(clone(), FILE, { today: TODAY, expectedName: "dev" });
    expect(env.config.alarms.periodSeconds).toBe(300);
    expect(env.config.appConfig.pollIntervalSeconds).toBe(45);
    expect(env.config.budget.scope).toBe("account");
    expect(Object.keys(env.invocations["us-east-1"]).sort()).toEqual([HAIKU.modelId, NOVA.modelId].sort());
  });

  it("warns, without failing, on a legacy model", () => {
    const legacy: ModelSpec = { ...CATALOG.find((m) => m.id === NOVA.modelId)!, id: "amazon.nova-old-v1:0", lifecycle: { legacyFrom: "2026-11-01", endOfLife: "2027-05-01" } };
    const doc = clone();
    doc.models.push({ id: legacy.id });
    const env = validateEnvironment(doc, FILE, { today: TODAY, catalog: [...CATALOG, legacy] });
    expect(env.warnings).toHaveLength(1);
    expect(env.warnings[0]).toMatchObject({ path: "models[2].id", severity: "warning" });
    expect(env.warnings[0].message).toContain("legacy since 2026-11-01");
  });

  it("the same model becomes an error once its end-of-life date passes", () => {
    const legacy: ModelSpec = { ...CATALOG.find((m) => m.id === NOVA.modelId)!, id: "amazon.nova-old-v1:0", lifecycle: { legacyFrom: "2026-11-01", endOfLife: "2027-05-01" } };
    const doc = clone();
    doc.models.push({ id: legacy.id });
    expect(problemsOf(doc, { today: "2027-05-01", catalog: [...CATALOG, legacy] }).map((p) => p.path)).toEqual(["models[2].id"]);
  });

  it("does not provision disabled models", () => {
    const doc = clone();
    doc.models.push({ id: "amazon.nova-pro-v1:0", enabled: false });
    const env = validateEnvironment(doc, FILE, { today: TODAY });
    expect(env.invocations["us-east-1"]["amazon.nova-pro-v1:0"]).toBeUndefined();
  });
});
