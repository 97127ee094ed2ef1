import dev from "../../fixtures/environments/dev.json";
import { validateEnvironment, type ValidationOptions } from "../../../core/validation";
import { names } from "../../../core/aws";
import { formatProblem, UserInputError } from "../../../core/problems";
import { CATALOG, catalogWith, geoTpmQuota, HAIKU, NOVA, rawConfig, TODAY } from "../../fixtures";

const FILE = "config/dev.json";
/** Nova Lite's output limit as the overlay records it (the AWS card's 5,000; the file says why not 10,000). */
const NOVA_LITE_LIMIT = CATALOG.overlay.models[NOVA.modelId].maxOutputTokens!.value;

type Json = Record<string, any>;
const clone = (): Json => JSON.parse(JSON.stringify(dev));

function problemsOf(doc: unknown, options: Partial<ValidationOptions> = {}): { path: string; message: string; line: string }[] {
  try {
    validateEnvironment(doc, FILE, { today: TODAY, expectedName: "dev", catalog: CATALOG, ...options });
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
  ["unknown key in a section", (d) => (d.alarms.throtles = 3), "alarms", /unknown key "throtles"/],
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
  ["maxTokens above a fallback's limit", (d) => (d.routes.summarization.maxTokens = 20000), "routes.summarization.maxTokens", new RegExp(`20000 exceeds the output limit of amazon\\.nova-lite-v1:0 \\(${NOVA_LITE_LIMIT}\\)`)],
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
  // AWS limits checked before apply
  ["tag key over 128 characters", (d) => (d.tags["k".repeat(129)] = "v"), 'tags["' + "k".repeat(60) + '"… (129 characters)]', /tag key is 129 characters; AWS allows 128/],
  ["tag value over 256 characters", (d) => (d.tags.team = "v".repeat(257)), "tags.team", /tag value is 257 characters; AWS allows 256/],
  ["tag key with the reserved aws: prefix", (d) => (d.tags["AWS:owner"] = "me"), 'tags["AWS:owner"]', /aws: are reserved/],
  ["tag key with a character AWS refuses", (d) => (d.tags["cost#center"] = "x"), 'tags["cost#center"]', /may contain only letters, digits, spaces/],
  ["tag the baseline sets itself", (d) => (d.tags.Environment = "dev"), "tags.Environment", /the baseline sets the environment tag itself/],
  ["tag keys differing only in case", (d) => (d.tags.Team = "x"), "tags.Team", /differs from the tag "team" only in case/],
  ["more than 48 tags", (d) => Object.assign(d.tags, Object.fromEntries(Array.from({ length: 47 }, (_, i) => [`t${i}`, "x"]))), "tags", /49 tags plus the baseline's 2 exceed AWS's 50/],
  ["a tag named __proto__ (cdktf drops it)", (d) => (d.tags = JSON.parse('{"__proto__": "x"}')), "tags.__proto__", /cdktf cannot write a tag named __proto__/],
  ["alarm window over one day", (d) => Object.assign(d.alarms, { periodSeconds: 3600, evaluationPeriods: 25 }), "alarms.evaluationPeriods", /25 periods of 3600 s is 90000 s; CloudWatch evaluates at most 86400 s/],
  ["region that does not exist", (d) => (d.regions = ["us-east-7"]), "regions[0]", /"us-east-7" is not an AWS region/],
  ["regions of two partitions", (d) => (d.regions = ["us-east-1", "us-gov-west-1"]), "regions[1]", /aws-us-gov partition, us-east-1 in aws; an account belongs to one/],
  ["absurd budget", (d) => (d.budget.monthlyUsd = 5e10), "budget.monthlyUsd", /50000000000 USD a month is more than 1,000,000,000/],
  ["budget in fractions of a cent", (d) => (d.budget.monthlyUsd = 10.005), "budget.monthlyUsd", /10.005 has more than 2 decimal places/],
  ["budget overflowing to Infinity", (d) => (d.budget.monthlyUsd = Infinity), "budget.monthlyUsd", /too large a number/],
  ["budget scope tag key with aws:", (d) => (d.budget.scope = { tagKey: "aws:createdBy", tagValue: "x" }), "budget.scope.tagKey", /reserved/],
  ["a workload named like the smoke policy", (d) => (d.workloads.smoke = { routes: ["chat"], principals: ["arn:aws:iam::111111111111:role/x"] }), "workloads.smoke", /the policy of workload smoke would be named bedrock-dev-smoke, like the smoke policy/],
  ["a trust policy over 2,048 characters", (d) => (d.workloads["support-bot"].role.assumedByPrincipals = Array.from({ length: 60 }, (_, i) => `arn:aws:iam::111111111111:role/assumer-${i}`)), "workloads.support-bot.role", /trust policy would be \d+ characters; IAM allows 2048/],
  ["a principal in another partition", (d) => (d.smoke.principals = ["arn:aws-us-gov:iam::111111111111:role/ci"]), "smoke.principals[0]", /aws-us-gov partition; the environment's regions are in aws/],
  ["an IAM role name over 64 characters in an ARN", (d) => (d.smoke.principals = [`arn:aws:iam::111111111111:role/${"r".repeat(65)}`]), "smoke.principals[0]", /the role name is 65 characters; IAM allows 64/],
  ["a model ID with control characters", (d) => (d.models[1].id = "amazon.nova\u001b[31m"), "models[1].id", /"amazon.nova\\u001b\[31m" is not a foundation-model ID/],
  ["S3 bucket with a reserved prefix", (d) => (d.backend = { s3: { bucket: "xn--state", region: "us-east-1" } }), "backend.s3.bucket", /reserved prefix xn--/],
  ["S3 bucket like an IP address", (d) => (d.backend = { s3: { bucket: "192.168.1.1", region: "us-east-1" } }), "backend.s3.bucket", /IP address/],
  ["state key prefix with a leading slash", (d) => (d.backend = { s3: { bucket: "state", region: "us-east-1", keyPrefix: "/x" } }), "backend.s3.keyPrefix", /leading, trailing or doubled/],
  ["backend region that does not exist", (d) => (d.backend = { s3: { bucket: "state", region: "eu-west-9" } }), "backend.s3.region", /"eu-west-9" is not an AWS region/],
  ["metrics namespace starting with a colon", (d) => (d.metricsNamespace = ":x"), "metricsNamespace", /not starting with :/],
  // duplicates: every list, reported with the path of the repeat
  ["the same alarm email twice", (d) => (d.alarms.emails = ["a@example.com", "a@example.com"]), "alarms.emails[1]", /address "a@example.com" is listed twice \(first at \[0\]\)/],
  ["alarm emails differing only in case", (d) => (d.alarms.emails = ["a@example.com", "A@Example.com"]), "alarms.emails[1]", /is the same address as \[0\]/],
  ["the same budget email twice", (d) => (d.budget.emails = ["f@example.com", "f@example.com"]), "budget.emails[1]", /listed twice/],
  ["the same principal twice", (d) => d.workloads["ticket-triage"].principals.push("arn:aws:iam::111111111111:role/ticket-triage"), "workloads.ticket-triage.principals[1]", /listed twice/],
  ["one role under two paths", (d) => d.workloads["ticket-triage"].principals.push("arn:aws:iam::111111111111:role/team/Ticket-Triage"), "workloads.ticket-triage.principals[1]", /same principal as \[0\].*unique per account, ignoring case and path/],
  ["the same smoke principal twice", (d) => d.smoke.principals.push(d.smoke.principals[0]), "smoke.principals[1]", /listed twice/],
  ["the same service twice", (d) => (d.workloads["support-bot"].role.assumedByServices = ["lambda.amazonaws.com", "lambda.amazonaws.com"]), "workloads.support-bot.role.assumedByServices[1]", /listed twice/],
  ["the same assuming principal twice", (d) => (d.workloads["support-bot"].role.assumedByPrincipals = ["arn:aws:iam::111111111111:role/a", "arn:aws:iam::111111111111:role/a"]), "workloads.support-bot.role.assumedByPrincipals[1]", /listed twice/],
  ["the same route twice in a workload", (d) => d.workloads["support-bot"].routes.push("chat"), "workloads.support-bot.routes[2]", /route "chat" is listed twice/],
  ["the same budget alert twice", (d) => (d.budget.alerts = [{ percent: 80 }, { percent: 80, type: "actual" }]), "budget.alerts[1]", /alert "actual 80%" is listed twice/],
  // names: each rule on its own, with a fix that is itself valid
  ["name over 31 characters", (d) => (d.name = "a".repeat(32)), "name", /^is 32 characters; at most 31$/],
  ["name with capitals", (d) => (d.name = "Dev"), "name", /must start with a lowercase letter \(starts with "D"\)/],
  ["workload named __proto__", (d) => (d.workloads = JSON.parse('{"__proto__": {"routes": ["chat"], "principals": ["arn:aws:iam::111111111111:role/x"]}}')), "workloads.__proto__", /must start with a lowercase letter/],
  ["workload routing to toString", (d) => d.workloads["support-bot"].routes.push("toString"), "workloads.support-bot.routes[2]", /unknown route "toString"/],
  ["bad backend bucket", (d) => (d.backend = { s3: { bucket: "Bad_Bucket", region: "us-east-1" } }), "backend.s3.bucket", /"Bad_Bucket" may contain only lowercase letters, digits, dots and hyphens/],
  // throttling seen coming and the organization guard
  ["TTFT threshold on a route that does not stream", (d) => (d.routes.summarization.timeToFirstTokenP90Ms = 2000), "routes.summarization.timeToFirstTokenP90Ms", /only applies to a streaming route/],
  ["streaming not a boolean", (d) => (d.routes.chat.streaming = "yes"), "routes.chat.streaming", /must be a boolean, not "yes"/],
  ["TTFT threshold zero", (d) => (d.routes.chat.timeToFirstTokenP90Ms = 0), "routes.chat.timeToFirstTokenP90Ms", /> 0/],
  ["quota usage share of 0%", (d) => (d.alarms.quotaUsagePercent = 0), "alarms.quotaUsagePercent", /> 0/],
  ["quota usage share above 100%", (d) => (d.alarms.quotaUsagePercent = 120), "alarms.quotaUsagePercent", /<= 100/],
  ["unknown organizationGuard key", (d) => (d.organizationGuard = { enable: true }), "organizationGuard", /unknown key "enable".*/],
  ["organizationGuard switch not a boolean", (d) => (d.organizationGuard = { enabled: "true" }), "organizationGuard.enabled", /must be a boolean/],
  ["guard targets without managementAccount", (d) => (d.organizationGuard = { enabled: true, targets: ["ou-ab12-cdef3456"] }), "organizationGuard.targets", /attached only when the account stack creates the policy/],
  ["guard target that is no root, OU or account", (d) => (d.organizationGuard = { enabled: true, managementAccount: true, targets: ["arn:aws:organizations::111111111111:ou/o-x/ou-ab12-cdef3456"] }), "organizationGuard.targets[0]", /is not an organization root, OU or account ID/],
  ["guard target twice", (d) => (d.organizationGuard = { enabled: true, managementAccount: true, targets: ["r-ab12", "r-ab12"] }), "organizationGuard.targets[1]", /target "r-ab12" is listed twice/],
  // service tiers per route: every candidate must accept the tier, per the catalog
  ["a tier a fallback does not support", (d) => (d.routes.classification.serviceTier = "flex"), "routes.classification.serviceTier", /anthropic\.claude-haiku-4-5-20251001-v1:0 does not support the flex tier \(catalog\/overlay\.json serviceTiers: default\)/],
  ["a tier the primary does not support", (d) => (d.routes.chat.serviceTier = "priority"), "routes.chat.serviceTier", /does not support the priority tier/],
  ["an unknown tier", (d) => (d.routes.chat.serviceTier = "turbo"), "routes.chat.serviceTier", /must be one of "priority", "default", "flex" \(got "turbo"\)/],
  ["the reserved tier (capacity the baseline does not manage)", (d) => (d.routes.chat.serviceTier = "reserved"), "routes.chat.serviceTier", /must be one of "priority", "default", "flex"/],
  ["declared facts with an unknown tier", (d) => d.models.push({ id: "amazon.nova-x-v1:0", facts: { geographies: ["us"], serviceTiers: ["fast"] } }), "models[2].facts.serviceTiers[0]", /must be one of/],
  // guardrails per route
  ["a route naming an undeclared guardrail", (d) => ((d.guardrails = { safety: SAFE }), (d.routes.chat.guardrail = "safty")), "routes.chat.guardrail", /unknown guardrail "safty"/],
  ["a guardrail with no policy", (d) => ((d.guardrails = { empty: {} }), (d.routes.chat.guardrail = "empty")), "guardrails.empty", /configures no policy; CreateGuardrail needs at least one/],
  ["a guardrail name with capitals", (d) => (d.guardrails = { Safety: SAFE }), "guardrails.Safety", /lowercase/],
  ["a content filter listed twice", (d) => (d.guardrails = { safety: { contentFilters: [SAFE.contentFilters[0], SAFE.contentFilters[0]] } }), "guardrails.safety.contentFilters[1]", /content filter "HATE" is listed twice/],
  ["a prompt-attack filter on answers", (d) => (d.guardrails = { safety: { contentFilters: [{ type: "PROMPT_ATTACK", inputStrength: "HIGH", outputStrength: "HIGH" }] } }), "guardrails.safety.contentFilters[0].outputStrength", /PROMPT_ATTACK filters prompts only/],
  ["a filter that filters nothing", (d) => (d.guardrails = { safety: { contentFilters: [{ type: "HATE", inputStrength: "NONE" }] } }), "guardrails.safety.contentFilters[0]", /NONE both ways/],
  ["an unknown filter strength", (d) => (d.guardrails = { safety: { contentFilters: [{ type: "HATE", inputStrength: "EXTREME" }] } }), "guardrails.safety.contentFilters[0].inputStrength", /must be one of "NONE", "LOW", "MEDIUM", "HIGH"/],
  ["an unknown PII type", (d) => (d.guardrails = { safety: { sensitiveInformation: { piiEntities: [{ type: "SSN" }] } } }), "guardrails.safety.sensitiveInformation.piiEntities[0].type", /must be one of/],
  ["more than 30 denied topics", (d) => (d.guardrails = { safety: { deniedTopics: Array.from({ length: 31 }, (_, i) => ({ name: `t${i}`, definition: "x" })) } }), "guardrails.safety.deniedTopics", /at most 30/],
  ["a topic name with a character AWS refuses", (d) => (d.guardrails = { safety: { deniedTopics: [{ name: "money/advice", definition: "x" }] } }), "guardrails.safety.deniedTopics[0].name", /may contain only letters, digits, spaces/],
  ["a topic with 6 examples", (d) => (d.guardrails = { safety: { deniedTopics: [{ name: "money", definition: "x", examples: ["a", "b", "c", "d", "e", "f"] }] } }), "guardrails.safety.deniedTopics[0].examples", /at most 5/],
  ["a blocked message over 500 characters", (d) => (d.guardrails = { safety: { ...SAFE, blockedInputMessaging: "x".repeat(501) } }), "guardrails.safety.blockedInputMessaging", /at most 500/],
  ["more than 10 regexes", (d) => (d.guardrails = { safety: { sensitiveInformation: { regexes: Array.from({ length: 11 }, (_, i) => ({ name: `r${i}`, pattern: "\\d+" })) } } }), "guardrails.safety.sensitiveInformation.regexes", /at most 10/],
  ["an unknown guardrail key", (d) => (d.guardrails = { safety: { ...SAFE, wordFilters: [] } }), "guardrails.safety", /unknown key "wordFilters"/],
  // IAM cannot require a guardrail of one route's calls only
  ["one workload using a model through a guarded and an unguarded route", (d) => ((d.guardrails = { safety: SAFE }), (d.routes.chat.guardrail = "safety")), "workloads.support-bot.routes", /uses anthropic\.claude-haiku-4-5-20251001-v1:0 through guarded route\(s\) "chat" \(guardrail "safety"\) and unguarded route\(s\) "summarization"/],
  ["a principal whose two workloads disagree about a model's guardrail", (d) => ((d.guardrails = { safety: SAFE }), (d.routes.classification.guardrail = "safety"), d.workloads["support-bot"].principals = ["arn:aws:iam::111111111111:role/ticket-triage"]), "workloads.support-bot.principals[0]", /also gets the policy of workload ticket-triage, which refuses calls to .* without guardrail "safety"/],
  ["a smoke principal that also gets a guarded workload's policy", (d) => ((d.guardrails = { safety: SAFE }), (d.routes.classification.guardrail = "safety"), d.smoke.principals.push("arn:aws:iam::111111111111:role/ticket-triage")), "smoke.principals[1]", /the smoke policy's unguarded calls/],
];

/** A guardrail with one content filter (the smallest valid one). */
const SAFE = { contentFilters: [{ type: "HATE", inputStrength: "HIGH" }] };

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

  it("a malformed section hides nothing: the well-formed parts are still checked", () => {
    const doc = clone();
    doc.alarms = { periodSeconds: "x", emails: "not a list", evaluationPeriods: 2 };
    doc.routes.chat.maxTokens = 200000;
    doc.routes.classification = { primary: 7 };
    doc.workloads["ticket-triage"].principals = ["nope"];
    doc.workloads["support-bot"].routes = ["chat", "nope"];
    doc.budget.monthlyUsd = -1;
    doc.tags["aws:x"] = "y";
    doc.regions.push("us-east-9");
    const lines = problemsOf(doc).map((p) => `${p.path}: ${p.message}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        'alarms.periodSeconds: must be a number, not "x"',
        'alarms.emails: must be an array, not "not a list"',
        expect.stringMatching(/^routes\.chat\.maxTokens: 200000 exceeds/),
        "routes.classification.primary: must be a string, not 7",
        "routes.classification.maxTokens: is required",
        expect.stringMatching(/^workloads\.ticket-triage\.principals\[0\]: "nope" is not an IAM role or user ARN/),
        'workloads.support-bot.routes[1]: unknown route "nope"',
        "budget.monthlyUsd: must be > 0 (got -1)",
        expect.stringMatching(/^tags\["aws:x"\]: tag keys starting with aws: are reserved/),
        expect.stringMatching(/^regions\[1\]: "us-east-9" is not an AWS region/),
      ]),
    );
    // The malformed route is named once, not again as "unknown" where a workload uses it.
    expect(lines.filter((l) => l.includes('unknown route "classification"'))).toEqual([]);
  });

  it("echoed values are escaped and shortened: a 20 MB value gives a short line", () => {
    const doc = clone();
    doc.account = "\u001b[31m\n" + "9".repeat(20_000_000);
    doc.workloads["support-bot"].routes = ["x\r\ny".repeat(1000)];
    const problems = problemsOf(doc);
    expect(problems.map((p) => p.path)).toEqual(expect.arrayContaining(["account", "workloads.support-bot.routes[0]"]));
    for (const p of problems) {
      expect(p.line.length).toBeLessThan(400);
      expect(p.line).not.toMatch(/[\u0000-\u001f]/);
    }
    expect(problems.find((p) => p.path === "account")!.line).toContain('"\\u001b[31m\\n999');
    expect(problems.find((p) => p.path === "account")!.line).toContain("(20000006 characters)");
  });

  it("keys are quoted in paths: a key with a newline or ANSI escape stays on its line", () => {
    const doc = clone();
    doc.tags["a\nb\u001b[0m"] = "x";
    const tag = problemsOf(doc).find((p) => p.path.startsWith("tags"))!;
    expect(tag.path).toBe('tags["a\\nb\\u001b[0m"]');
  });

  it("a file name that is not a valid environment name is fixed by renaming the file, not by copying it into name", () => {
    for (const [file, name, fix] of [
      ["Dev", "dev", / -> rename the file to dev\.json/],
      ["Dev", "Dev", / -> rename the file to dev\.json/],
      ["my_env", "my-env", / -> rename the file to my-env\.json/],
    ] as const) {
      const doc = clone();
      doc.name = name;
      const problems = problemsOf(doc, { expectedName: file });
      const fileProblem = problems.find((p) => p.path === "")!;
      expect(fileProblem.message).toMatch(new RegExp(`^the file name "${file}" is not a valid environment name`));
      expect(fileProblem.line).toMatch(fix);
      // Never advice to set an invalid name.
      for (const p of problems) expect(p.line).not.toContain(`"name": "${file}"`);
    }
  });

  it("route and workload names that are Object.prototype members are ordinary names", () => {
    const doc = clone();
    doc.routes.constructor = doc.routes.chat;
    doc.routes.valueof = doc.routes.chat;
    doc.workloads.constructor = { routes: ["constructor", "valueof"], principals: ["arn:aws:iam::111111111111:role/x"] };
    const plan = validateEnvironment(doc, FILE, { today: TODAY, expectedName: "dev", catalog: CATALOG });
    expect(Object.keys(plan.config.routes)).toEqual(["summarization", "classification", "chat", "constructor", "valueof"]);
    expect(Object.hasOwn(plan.config.workloads, "toString")).toBe(false);
    expect(plan.config.workloads[String("constructor")].routes).toEqual(["constructor", "valueof"]);
  });

  it("a principal attached to more than 10 baseline policies warns; more than 20 fails", () => {
    const prodDoc = rawConfig("prod");
    const ci = prodDoc.smoke.principals[0];
    // Smoke's policy for prod's four regions takes two parts; doc-pipeline's and each one-route workload's one.
    prodDoc.workloads["doc-pipeline"].principals.push(ci);
    for (let i = 0; i < 7; i++) prodDoc.workloads[`w${i}`] = { routes: ["summarization"], principals: [ci] };
    expect(() => validateEnvironment(JSON.parse(JSON.stringify(prodDoc)), "config/prod.json", { today: TODAY, catalog: CATALOG })).not.toThrow(); // 10
    prodDoc.workloads.w7 = { routes: ["summarization"], principals: [ci] };
    const plan = validateEnvironment(JSON.parse(JSON.stringify(prodDoc)), "config/prod.json", { today: TODAY, catalog: CATALOG });
    expect(plan.warnings.map((w) => [w.path, w.message])).toEqual([["workloads.doc-pipeline.principals[1]", expect.stringMatching(/would get 11 baseline policies; IAM's default quota is 10/)]]);
    for (let i = 8; i < 18; i++) prodDoc.workloads[`w${i}`] = { routes: ["summarization"], principals: [ci] }; // 21
    expect(problemsOf(prodDoc, { expectedName: undefined }).map((p) => p.message)).toEqual([expect.stringMatching(/would get 21 baseline policies; IAM attaches at most 20/)]);
  });

  it("counts every part of a packed policy against a principal's managed-policies quota, and the regions do not multiply them", () => {
    const regions = ["us-east-1", "us-east-2", "us-west-2"];
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `amazon.nova-variant-${i}-v1:0`, regions: Object.fromEntries(regions.map((r) => [r, { geographies: ["us" as const] }])) }));
    const warnings = (n: number, rs: string[]) => {
      const doc = clone();
      doc.regions = rs;
      doc.models.push(...many(n).map((m) => ({ id: m.id })));
      return validateEnvironment(doc, FILE, { today: TODAY, catalog: catalogWith(many(n)) }).warnings.filter((w) => /baseline policies/.test(w.message));
    };
    // 42 models' smoke grants need several parts, in one region and in three alike (they were a policy set per region).
    expect(warnings(40, ["us-east-1"])).toEqual([]);
    expect(warnings(40, regions)).toEqual([]);
    // About twelve models a part: 140 models pass the default quota.
    expect(warnings(140, regions).map((w) => [w.path, w.message])).toEqual([["smoke.principals[0]", expect.stringMatching(/would get 1[1-9] baseline policies; IAM's default quota is 10/)]]);
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
    // Routes alike share one definition, so only their names add up: 500 of the longest allowed names do not fit.
    for (let i = 0; i < 500; i++) doc.routes[`task-${String(i).padStart(3, "0")}-${"x".repeat(55)}`] = { primary: HAIKU.modelId, fallbacks: [NOVA.modelId], maxTokens: 100 };
    expect(problemsOf(doc).map((p) => [p.path, p.message])).toEqual([["routes", expect.stringMatching(/^the routing JSON Schema for us-east-1 is \d+ bytes; AppConfig allows 32768$/)]]);
  });
  it("accepts a model set whose rollback members pass one composite rule: they go into parts", () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ id: `amazon.nova-variant-${i}-v1:0`, regions: { "us-east-1": { geographies: ["us" as const] } } }));
    const doc = clone();
    doc.models.push(...many.map((m) => ({ id: m.id })));
    // 124 rollback members (throttles and server errors of 62 models) go into parts of the rollback alarm; 62 models'
    // invoke grants are far beyond one managed policy's size, but they are packed into parts too: no problem.
    expect(problemsOf(doc, { catalog: catalogWith(many) })).toEqual([]);
  });
});

describe("environment validation: valid configs", () => {
  it("accepts the shipped dev config and applies defaults", () => {
    const env = validateEnvironment(clone(), FILE, { today: TODAY, expectedName: "dev", catalog: CATALOG });
    expect(env.config.alarms.periodSeconds).toBe(300);
    expect(env.config.appConfig.pollIntervalSeconds).toBe(45);
    expect(env.config.budget.scope).toBe("account");
    expect(Object.keys(env.invocations["us-east-1"]).sort()).toEqual([HAIKU.modelId, NOVA.modelId].sort());
  });

  it("warns, without failing, on a model the snapshot reports LEGACY, naming the replacement", () => {
    const legacy = { id: "amazon.nova-old-v1:0", name: "Nova Old", regions: { "us-east-1": { geographies: ["us" as const], lifecycle: "LEGACY", endOfLife: "2027-05-01" } }, quotas: { "us-east-1": [geoTpmQuota("Amazon Nova Old", "L-0000A001")] }, overlay: { maxOutputTokens: { value: 5000, source: ["https://example.com/card"] }, outputBurndown: { value: 1, source: ["https://example.com/card"] }, replacement: { value: NOVA.modelId, source: ["https://example.com/lifecycle"] } } };
    const doc = clone();
    doc.models.push({ id: legacy.id });
    const env = validateEnvironment(doc, FILE, { today: TODAY, catalog: catalogWith([legacy]) });
    expect(env.warnings).toHaveLength(1);
    expect(env.warnings[0]).toMatchObject({ path: "models[2].id", severity: "warning", fix: `move to ${NOVA.modelId}` });
    expect(env.warnings[0].message).toBe("amazon.nova-old-v1:0 is LEGACY in us-east-1 (catalog snapshot; end of life 2027-05-01)");
  });

  it("the same model becomes an error once its end-of-life date (from the API) passes", () => {
    const legacy = { id: "amazon.nova-old-v1:0", regions: { "us-east-1": { geographies: ["us" as const], lifecycle: "LEGACY", endOfLife: "2027-05-01" } } };
    const doc = clone();
    doc.models.push({ id: legacy.id });
    expect(problemsOf(doc, { today: "2027-05-01", catalog: catalogWith([legacy]) }).map((p) => [p.path, p.message])).toEqual([["models[2].id", "amazon.nova-old-v1:0 reached end of life on 2027-05-01; calls fail"]]);
  });

  it("defaults: streaming off, quota usage at 80%, organization guard off", () => {
    const env = validateEnvironment(clone(), FILE, { today: TODAY, catalog: CATALOG });
    expect(env.config.routes.summarization).toMatchObject({ streaming: false });
    expect(env.config.routes.summarization.timeToFirstTokenP90Ms).toBeUndefined();
    expect(env.config.alarms.quotaUsagePercent).toBe(80);
    expect(env.config.organizationGuard).toEqual({ enabled: false, managementAccount: false, targets: [] });
  });

  it("organization guard settings that have no effect are warnings", () => {
    const doc = clone();
    doc.organizationGuard = { enabled: false, managementAccount: true };
    expect(validateEnvironment(doc, FILE, { today: TODAY, catalog: CATALOG }).warnings).toEqual([
      expect.objectContaining({ path: "organizationGuard.enabled", message: "is false, so managementAccount and targets have no effect" }),
    ]);
    doc.organizationGuard = { enabled: true, managementAccount: true, targets: [doc.account, "ou-ab12-cdef3456"] };
    expect(validateEnvironment(doc, FILE, { today: TODAY, catalog: CATALOG }).warnings).toEqual([
      expect.objectContaining({ path: "organizationGuard.targets[0]", message: expect.stringMatching(/^111111111111 is the environment's own account; if it is the organization's management account, SCPs do not restrict it$/) }),
    ]);
  });

  it("a tier every candidate supports is accepted, and stays off the routes that name none", () => {
    const doc = clone();
    doc.routes.bulk = { primary: NOVA.modelId, maxTokens: 256, serviceTier: "flex" };
    doc.workloads["ticket-triage"].routes.push("bulk");
    const env = validateEnvironment(doc, FILE, { today: TODAY, catalog: CATALOG });
    expect(env.warnings).toEqual([]);
    expect(env.config.routes.bulk.serviceTier).toBe("flex");
    expect(env.config.routes.chat.serviceTier).toBeUndefined();
    expect(env.specs[NOVA.modelId].serviceTiers).toEqual(CATALOG.overlay.models[NOVA.modelId].serviceTiers!.value);
  });

  it("a tier on a model whose tiers no source gives is a warning, not an error; declared facts fill the gap", () => {
    const unknown = { id: "amazon.nova-new-v1:0", name: "Nova New", regions: { "us-east-1": { geographies: ["us" as const] } }, quotas: { "us-east-1": [geoTpmQuota("Amazon Nova New", "L-0000A002")] } };
    const doc = clone();
    doc.models.push({ id: unknown.id });
    doc.routes.bulk = { primary: unknown.id, maxTokens: 256, serviceTier: "flex" };
    const catalog = catalogWith([unknown]);
    expect(validateEnvironment(doc, FILE, { today: TODAY, catalog }).warnings).toEqual([
      expect.objectContaining({ path: "routes.bulk.serviceTier", message: "no service tiers are known for amazon.nova-new-v1:0, so the flex tier is not checked", severity: "warning" }),
    ]);
    // The model card says Standard only: declared in the file, the tier is checked (and the facts are in use).
    doc.models[2].facts = { serviceTiers: ["default"] };
    expect(problemsOf(doc, { catalog }).map((p) => [p.path, p.message])).toEqual([
      ["routes.bulk.serviceTier", "amazon.nova-new-v1:0 does not support the flex tier (catalog/overlay.json serviceTiers: default); Bedrock would refuse every flex request to it"],
    ]);
  });

  it("a declared guardrail no route uses is a warning; one a route uses is not", () => {
    const doc = clone();
    doc.guardrails = { safety: SAFE, spare: SAFE };
    doc.routes.classification.guardrail = "safety";
    const env = validateEnvironment(doc, FILE, { today: TODAY, catalog: CATALOG });
    expect(env.warnings.map((w) => [w.path, w.message])).toEqual([["guardrails.spare", "no route uses it, yet every region stack creates and publishes it"]]);
    expect(env.config.guardrails.safety).toEqual({
      blockedInputMessaging: "Sorry, this request cannot be processed.",
      blockedOutputsMessaging: "Sorry, the answer was withheld by a content policy.",
      contentFilters: [{ type: "HATE", inputStrength: "HIGH" }],
      deniedTopics: [],
      sensitiveInformation: { piiEntities: [], regexes: [] },
    });
  });

  it("two routes of one workload on one model with different guardrails are fine (the policy requires either)", () => {
    const doc = clone();
    doc.guardrails = { strict: SAFE, pii: { sensitiveInformation: { piiEntities: [{ type: "EMAIL", action: "ANONYMIZE" }] } } };
    doc.routes.chat.guardrail = "strict";
    doc.routes.summarization.guardrail = "pii";
    expect(validateEnvironment(doc, FILE, { today: TODAY, catalog: CATALOG }).warnings).toEqual([]);
  });

  it("a guardrail name that makes the AWS name longer than 50 characters is refused with the derived name", () => {
    const doc = clone();
    doc.name = "a-long-environment-n";
    doc.guardrails = { "a-long-guardrail-name-xyz": SAFE };
    doc.routes.classification.guardrail = "a-long-guardrail-name-xyz";
    expect(problemsOf(doc, { expectedName: undefined }).map((p) => [p.path, p.message])).toEqual([
      ["guardrails.a-long-guardrail-name-xyz", 'guardrail name "bedrock-a-long-environment-n-a-long-guardrail-name-xyz" is 54 characters; AWS allows 50'],
    ]);
  });

  it("does not provision disabled models", () => {
    const doc = clone();
    doc.models.push({ id: "amazon.nova-pro-v1:0", enabled: false });
    const env = validateEnvironment(doc, FILE, { today: TODAY, catalog: CATALOG });
    expect(env.invocations["us-east-1"]["amazon.nova-pro-v1:0"]).toBeUndefined();
  });
});
