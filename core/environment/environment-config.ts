import { z } from "zod";
import { bucketNameBreach, MAX_BUDGET_USD, MAX_EMAIL_LENGTH, MAX_IAM_PATH, MAX_IAM_PRINCIPAL_NAME, MAX_S3_KEY_BYTES } from "../aws";
import { closestRegions, GEOGRAPHIES, isKnownRegion } from "../aws";
import { guardrailSchema } from "./guardrail-config";
import { charCount, quote } from "../problems";
import { CANARY_PERCENT_MAX, CANARY_PERCENT_MIN, ROUTE_SERVICE_TIERS } from "../runtime";

// The schema of config/<env>.json. Strict objects everywhere: a misspelled key is an error, not a silent default.
// Custom issues carry `params.fix`, the fix validation prints. Validation parses section by section (and routes,
// workloads, models, regions and tags entry by entry), so one malformed part never hides the problems of another.

type Ctx = z.core.$RefinementCtx<string> | z.core.$RefinementCtx<number>;
const issue = (ctx: Ctx, message: string, fix: string) => ctx.addIssue({ code: "custom", message, params: { fix } });

/** Longest environment or workload name: it is part of every stack, role, policy, topic and alarm name. */
export const MAX_NAME_LENGTH = 31;
/** Longest route (task) name: it is a routing-document key and a metric dimension. */
export const MAX_ROUTE_NAME_LENGTH = 64;

/** A lowercase-dash name close to `value` (what a fix suggests), or undefined when nothing sensible remains. */
export function suggestName(value: string, max: number): string | undefined {
  const s = value.slice(0, 4 * max).toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^[^a-z]+/, "").slice(0, max).replace(/-+$/, "");
  return s ? s : undefined;
}

/**
 * Why `value` is not a valid name of the given kind, one entry per broken rule (empty when valid): lowercase letters,
 * digits and dashes, starting with a letter, at most `max` characters.
 */
export function nameBreaches(value: string, max: number): Array<{ message: string; fix: string }> {
  const out: Array<{ message: string; fix: string }> = [];
  const suggestion = suggestName(value, max);
  const use = suggestion && suggestion !== value ? `use ${quote(suggestion)}` : "rename it";
  if (value.length === 0) return [{ message: "is empty", fix: "give it a name of lowercase letters, digits and dashes" }];
  const first = String.fromCodePoint(value.codePointAt(0)!);
  if (!/^[a-z]$/.test(first)) out.push({ message: `must start with a lowercase letter (starts with ${quote(first)})`, fix: use });
  const bad = /[^a-z0-9-]/u.exec(value.slice(first.length))?.[0];
  if (bad !== undefined) out.push({ message: `may contain only lowercase letters, digits and dashes (found ${quote(bad)})`, fix: use });
  const length = charCount(value);
  if (length > max) out.push({ message: `is ${length} characters; at most ${max}`, fix: suggestion ? `shorten it, e.g. ${quote(suggestion)}` : "shorten it" });
  return out;
}

const nameOf = (max: number) =>
  z.string().superRefine((v, ctx) => {
    for (const b of nameBreaches(v, max)) issue(ctx, b.message, b.fix);
  });
const name = nameOf(MAX_NAME_LENGTH);
const email = z.string().superRefine((v, ctx) => {
  if (v.length > MAX_EMAIL_LENGTH) issue(ctx, `is ${v.length} characters; an email address has at most ${MAX_EMAIL_LENGTH}`, "use a shorter address");
  else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) issue(ctx, `${quote(v)} is not an email address`, "write it as name@domain.tld");
});

/** `arn:aws:iam::123456789012:role/path/name` (or `:user/`): account, kind, path and name; undefined if not one. */
export function parsePrincipalArn(arn: string): { partition: string; account: string; kind: "role" | "user"; path: string; name: string } | undefined {
  const m = /^arn:(aws|aws-us-gov):iam::(\d{12}):(role|user)(\/(?:[\w+=,.@-]+\/)*)([\w+=,.@-]+)$/.exec(arn);
  return m ? { partition: m[1], account: m[2], kind: m[3] as "role" | "user", path: m[4], name: m[5] } : undefined;
}

/** IAM identity of a principal ARN: role and user names are unique per account whatever their path, ignoring case. */
export function principalIdentity(arn: string): string {
  const p = parsePrincipalArn(arn);
  return p ? `${p.account}:${p.kind}:${p.name.toLowerCase()}` : arn;
}

const iamPrincipalArn = z.string().superRefine((v, ctx) => {
  const p = parsePrincipalArn(v);
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_Role.html: names 1-64 characters, paths 1-512.
  if (!p) issue(ctx, `${quote(v)} is not an IAM role or user ARN`, "use arn:aws:iam::<account>:role/<name> (or :user/<name>)");
  else if (p.name.length > MAX_IAM_PRINCIPAL_NAME) issue(ctx, `the ${p.kind} name is ${p.name.length} characters; IAM allows ${MAX_IAM_PRINCIPAL_NAME}`, "check the ARN");
  else if (p.path.length > MAX_IAM_PATH) issue(ctx, `the path is ${p.path.length} characters; IAM allows ${MAX_IAM_PATH}`, "check the ARN");
});

/** A region of AWS_REGIONS; the fix names the closest known ones. */
export const regionName = z.string().superRefine((v, ctx) => {
  if (!isKnownRegion(v)) issue(ctx, `${quote(v)} is not an AWS region`, `use one of ${closestRegions(v).join(", ")} (every known region: AWS_REGIONS in core/aws/geography.ts)`);
});

/**
 * The form of a Bedrock foundation-model ID (`provider.model-name-v1:0`): lowercase letters, digits and . : -, at most
 * 128 characters (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_GetFoundationModel.html). Whether the
 * catalog knows it is checked later; this keeps every message that names a model ID short and printable.
 */
const modelId = z.string().superRefine((v, ctx) => {
  if (v.length === 0) issue(ctx, "is empty", "use a foundation-model ID such as amazon.nova-lite-v1:0");
  else if (v.length > 128) issue(ctx, `is ${charCount(v)} characters; Bedrock model IDs have at most 128`, "use a foundation-model ID of the catalog (catalog/snapshot.json)");
  else if (!/^[a-z0-9][a-z0-9.:-]*$/.test(v)) issue(ctx, `${quote(v)} is not a foundation-model ID (lowercase letters, digits and . : -)`, "use a foundation-model ID of the catalog (catalog/snapshot.json)");
});

const quotaCode = z.string().regex(/^L-[0-9A-F]{8}$/, "is not a Service Quotas code (L-XXXXXXXX)");

/**
 * Facts of a model the catalog snapshot does not know yet (launched after the last `npm run catalog:sync`), checked
 * like catalog entries and used only where the catalog has nothing (core/environment/model-resolution.ts). Default: none.
 */
const modelFacts = z.strictObject({
  /** Model name, also what its Service Quotas entries are searched by, e.g. "Claude Opus 6". Default: the ID. */
  name: z.string().min(1).max(100).optional(),
  /** Geographies (profile prefixes: us, eu, apac, jp, au, us-gov, global) whose system inference profile exists. Default: none. */
  geographies: z.array(z.enum(GEOGRAPHIES as [string, ...string[]])).default([]),
  /** Regions where the bare ID may be invoked on demand. Default: none. */
  onDemandRegions: z.array(regionName).default([]),
  /** Largest maxTokens the model accepts (its model card). */
  maxOutputTokens: z.number().int().positive().optional(),
  /** Quota tokens charged per output token (5 for Claude 4-class models). */
  outputBurndown: z.number().min(1).optional(),
  /** Tokens-per-minute quota codes per way of invoking. Default: none (smoke then searches by name). */
  quotaCodes: z.strictObject({ geo: quotaCode.optional(), global: quotaCode.optional(), "on-demand": quotaCode.optional() }).default({}),
  /** Billed through AWS Marketplace. Default: true unless the ID starts with `amazon.`. */
  marketplace: z.boolean().optional(),
  /** Service tiers the model accepts (its model card). Default: unknown (a route's tier is then not checked). */
  serviceTiers: z.array(z.enum(ROUTE_SERVICE_TIERS)).min(1).optional(),
  /** Where the facts come from (model card URL). */
  source: z.string().min(1).optional(),
});

/** `catalog`: how synth treats the catalog snapshot. */
export const catalogSettingsSchema = z.strictObject({
  /** A region's snapshot read more than this many days ago is a warning naming catalog:sync. Default: 30. */
  maxAgeDays: z.number().int().positive().default(30),
});

/** One model the environment provisions. */
export const modelSchema = z.strictObject({
  /** Foundation-model ID from the catalog (or one declared with `facts`). */
  id: modelId,
  /** How it is invoked. Default: `geo` (the region's geographic inference profile). */
  inference: z.enum(["geo", "global", "on-demand"]).default("geo"),
  /** Pin a geography for `geo` (e.g. `apac` instead of `jp` in Tokyo). Default: the most specific the model has. */
  geography: z.enum(GEOGRAPHIES.filter((g) => g !== "global") as [string, ...string[]]).optional(),
  /** A disabled model is not provisioned (no IAM, alarms or routing entry). Default: true. */
  enabled: z.boolean().default(true),
  facts: modelFacts.optional(),
});

/**
 * TimeToFirstToken p90 (ms) a streaming route alarms above when it sets no `timeToFirstTokenP90Ms`: several times what
 * Claude and Nova models typically take for a prompt of a few thousand tokens, so it flags a degraded model or an
 * oversized prompt rather than ordinary variance.
 */
export const DEFAULT_TTFT_P90_MS = 5000;

/** One task type: which model serves it and the request limits. */
export const routeSchema = z.strictObject({
  /** Foundation-model ID of the primary model. */
  primary: modelId,
  /** Foundation-model IDs tried in order on capacity errors. Default: none. */
  fallbacks: z.array(modelId).max(2, "at most 2 fallbacks keep worst-case latency bounded").default([]),
  /** Output-token cap per request; also what Bedrock reserves against the TPM quota. Required. */
  maxTokens: z.number().int().positive(),
  /** Sampling temperature 0-1. Default: the model's. */
  temperature: z.number().min(0).max(1).optional(),
  /** Typical input tokens per request, used only for quota math in smoke reports. Default: 1000. */
  inputTokensEstimate: z.number().int().positive().max(10_000_000, "is beyond any model's context window").default(1000),
  /** The route's clients call ConverseStream: its models get a TimeToFirstToken alarm. Default: false. */
  streaming: z.boolean().default(false),
  /** p90 TimeToFirstToken in ms above which the models of this streaming route alarm. Default: DEFAULT_TTFT_P90_MS (streaming routes only). */
  timeToFirstTokenP90Ms: z.number().positive().optional(),
  /**
   * Service tier sent on every request (`priority`, `default` or `flex`); every candidate must support it and the
   * route's workloads may request only the tiers their routes declare. Default: none (Bedrock serves Standard).
   */
  serviceTier: z.enum(ROUTE_SERVICE_TIERS).optional(),
  /** Name of a guardrail in `guardrails` applied to every request; the route's workloads cannot invoke its models without it. Default: none. */
  guardrail: z.string().min(1).optional(),
  /**
   * A new model taking `percent` of the route's traffic (docs/operations.md, "Upgrading a route's model"): IAM grants it
   * to the route's workloads, its alarms join the rollback alarm, and the baseline routing document carries it.
   * Default: none.
   */
  canary: z
    .strictObject({
      /** Foundation-model ID of an enabled model of `models`, not the primary. */
      model: modelId,
      /** Whole percent of the route's requests sent to it first (CANARY_PERCENT_MIN..CANARY_PERCENT_MAX). */
      percent: z.number().int().min(CANARY_PERCENT_MIN).max(CANARY_PERCENT_MAX),
    })
    .optional(),
});

/** Who runs application code and which routes it may use. */
export const workloadSchema = z
  .strictObject({
    routes: z.array(z.string().min(1)).min(1),
    /** Existing IAM roles/users that get the policy attached. */
    principals: z.array(iamPrincipalArn).default([]),
    /** Create a role for the workload, trusted by these services and/or principals. */
    role: z
      .strictObject({
        assumedByServices: z
          .array(
            z.string().superRefine((v, ctx) => {
              if (v.length > 128 || !/^[a-z0-9.-]+\.amazonaws\.com$/.test(v)) issue(ctx, `${quote(v)} is not a service principal`, "use e.g. lambda.amazonaws.com or ecs-tasks.amazonaws.com");
            }),
          )
          .default([]),
        assumedByPrincipals: z.array(iamPrincipalArn).default([]),
      })
      .optional(),
  });

export const alarmsSchema = z.strictObject({
  /** Emails subscribed to the stack's SNS topic (each must confirm). Default: none. */
  emails: z.array(email).default([]),
  /** Alarm period. Default: 300 s. */
  periodSeconds: z.number().int().refine((s) => s % 60 === 0 && s >= 60, "must be a multiple of 60, at least 60").max(86400).default(300),
  /** Consecutive breaching periods. Default: 1. */
  evaluationPeriods: z.number().int().positive().default(1),
  /** Sum of InvocationThrottles per period above which to alarm. Default: 10. */
  throttles: z.number().nonnegative().default(10),
  /** Sum of InvocationServerErrors per period. Default: 5. */
  serverErrors: z.number().nonnegative().default(5),
  /** Sum of InvocationClientErrors per period. Default: 20. */
  clientErrors: z.number().nonnegative().default(20),
  /** p99 InvocationLatency in ms. Default: 60000. */
  latencyP99Ms: z.number().positive().default(60000),
  /** Sum of LegacyModelInvocations per period. Default: 0 (any call to a legacy model alarms). */
  legacyInvocations: z.number().nonnegative().default(0),
  /**
   * Percent of a model's applied tokens-per-minute quota (read at plan time) that its EstimatedTPMQuotaUsage may reach
   * in a minute before the quota-usage alarm fires. Default: 80.
   */
  quotaUsagePercent: z.number().positive().max(100).default(80),
});

const budgetAlert = z.strictObject({
  /** Percent of the monthly limit. */
  percent: z.number().positive().max(1000),
  /** `actual` spend or `forecasted` month-end spend. Default: actual. */
  type: z.enum(["actual", "forecasted"]).default("actual"),
});

export const budgetSchema = z.strictObject({
  /** Monthly limit in USD: cents at most, at most 1e9 (aws-limits.ts). */
  monthlyUsd: z
    .number()
    .positive()
    .superRefine((v, ctx) => {
      if (v > MAX_BUDGET_USD) issue(ctx, `${v} USD a month is more than ${"1,000,000,000"}`, "check the amount (it is per month, in USD)");
      else if (Number(v.toFixed(2)) !== v) issue(ctx, `${v} has more than 2 decimal places`, `round it to cents, e.g. ${Math.max(0.01, Number(v.toFixed(2)))}`);
    }),
  /** Up to 5 alerts (AWS limit per budget). Default: actual 80% and 100%, forecasted 100%. */
  alerts: z
    .array(budgetAlert)
    .min(1)
    .max(5, "AWS Budgets allows at most 5 notifications per budget")
    .default([
      { percent: 80, type: "actual" },
      { percent: 100, type: "actual" },
      { percent: 100, type: "forecasted" },
    ]),
  /** Up to 10 emails per alert (AWS limit). Default: the alarm emails. */
  emails: z.array(email).max(10, "AWS Budgets allows at most 10 email subscribers per notification").optional(),
  /**
   * What the budget counts. `account` (default): all spend in the account, right for a dedicated Bedrock account because
   * Marketplace-billed models (Claude) are not under the "Amazon Bedrock" service. `{tag}`: spend carrying an activated
   * cost-allocation tag.
   */
  scope: z
    .union([z.literal("account"), z.strictObject({ tagKey: z.string().min(1), tagValue: z.string() })])
    .default("account"),
});

const predefinedStrategy = z.enum([
  "AppConfig.AllAtOnce",
  "AppConfig.Linear20PercentEvery6Minutes",
  "AppConfig.Canary10Percent20Minutes",
  "AppConfig.Linear50PercentEvery30Seconds",
]);

export const appConfigSchema = z.strictObject({
  /** Strategy for routine routing changes: a predefined name or a custom one. Default: AppConfig.Linear20PercentEvery6Minutes. */
  deploymentStrategy: z
    .union([
      predefinedStrategy,
      z.strictObject({
        durationMinutes: z.number().int().min(0).max(1440),
        growthFactor: z.number().min(1).max(100),
        finalBakeMinutes: z.number().int().min(0).max(1440).default(10),
        growthType: z.enum(["LINEAR", "EXPONENTIAL"]).default("LINEAR"),
      }),
    ])
    .default("AppConfig.Linear20PercentEvery6Minutes"),
  /** How often clients poll for a new routing document. Default: 45 s (AppConfig minimum 15). */
  pollIntervalSeconds: z.number().int().min(15).max(86400).default(45),
});

export const backendSchema = z.strictObject({
  s3: z.strictObject({
    bucket: z.string().superRefine((v, ctx) => {
      const breach = bucketNameBreach(v);
      if (breach) issue(ctx, `${quote(v)} ${breach}`, "use the name of an existing S3 bucket");
    }),
    /** State key prefix; each stack appends `/<stack>.tfstate`. Default: `bedrock-baseline`. */
    keyPrefix: z
      .string()
      .superRefine((v, ctx) => {
        // The S3 backend refuses keys starting or ending with "/" or containing "//"
        // (https://developer.hashicorp.com/terraform/language/backend/s3); S3 keys are at most 1,024 bytes.
        if (v === "" || v.startsWith("/") || v.endsWith("/") || v.includes("//")) issue(ctx, `${quote(v)} must be a non-empty path without leading, trailing or doubled "/"`, "e.g. \"bedrock-baseline\"");
        else if (new TextEncoder().encode(v).length > MAX_S3_KEY_BYTES - 100) issue(ctx, `is ${new TextEncoder().encode(v).length} bytes; S3 keys have at most ${MAX_S3_KEY_BYTES} and the stack file name needs room`, "shorten it");
      })
      .default("bedrock-baseline"),
    region: regionName,
    /** Native S3 locking (Terraform >= 1.10). Default: true. */
    useLockfile: z.boolean().default(true),
  }),
});

const metricsNamespace = z
  .string()
  .superRefine((v, ctx) => {
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html: 1-255, not starting with
    // ":", and "AWS/" is reserved for AWS services.
    if (v.length === 0 || v.length > 255) issue(ctx, `is ${v.length} characters; CloudWatch allows 1 to 255`, "use a short namespace such as BedrockRouting");
    else if (!/^[A-Za-z0-9._/#:-]+$/.test(v) || v.startsWith(":")) issue(ctx, `${quote(v)} may contain only letters, digits and . _ / # : - (not starting with :)`, "use a namespace such as BedrockRouting");
    else if (v.startsWith("AWS/")) issue(ctx, "AWS/ is reserved for AWS services", "use your own prefix, e.g. BedrockRouting");
  })
  .default("BedrockRouting");

/**
 * An Organizations target an SCP can be attached to: the root (`r-…`), an organizational unit (`ou-…`) or an account
 * (https://docs.aws.amazon.com/organizations/latest/APIReference/API_AttachPolicy.html, TargetId).
 */
const organizationTarget = z.string().superRefine((v, ctx) => {
  if (!/^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|\d{12})$/.test(v))
    issue(ctx, `${quote(v)} is not an organization root, OU or account ID`, "use r-xxxx, ou-xxxx-xxxxxxxx or a 12-digit account ID (aws organizations list-roots / list-organizational-units-for-parent)");
});

/** `organizationGuard`: the service control policy that closes Bedrock API keys organization-wide. */
export const organizationGuardSchema = z.strictObject({
  /** The one switch: emit the SCP denying bearer-token use and long-term Bedrock key creation. Default: false. */
  enabled: z.boolean().default(false),
  /**
   * The environment's account manages the organization's SCPs (management account or delegated administrator): the
   * account stack creates the policy. Default: false (synth writes it to <outdir>/guards/ to hand to whoever does).
   */
  managementAccount: z.boolean().default(false),
  /** Roots, OUs or accounts to attach the created policy to (only with managementAccount). Default: none. */
  targets: z.array(organizationTarget).default([]),
});

export const smokeSchema = z.strictObject({ principals: z.array(iamPrincipalArn).default([]) });

/** The file `config/<env>.json`. */
export const environmentSchema = z.strictObject({
  /** Environment name; stacks are `bedrock-<name>-<region>` and `bedrock-<name>-account`. Must match the file name. */
  name,
  /** 12-digit AWS account ID; applies with other credentials fail (`allowed_account_ids`). */
  account: z.string().superRefine((v, ctx) => {
    if (!/^\d{12}$/.test(v)) issue(ctx, `${quote(v)} must be a 12-digit AWS account ID`, 'write all 12 digits as a string, leading zeros included (aws sts get-caller-identity --query Account)');
  }),
  regions: z.array(regionName).min(1),
  /**
   * Default tags on every resource. Default: none (environment and managed-by tags are always added). After
   * validation a null-prototype object: look keys up with Object.hasOwn.
   */
  tags: z.record(z.string(), z.string()).default({}),
  models: z.array(modelSchema).min(1),
  /** Task -> route; after validation a null-prototype object (any task name is an ordinary key). */
  routes: z.record(nameOf(MAX_ROUTE_NAME_LENGTH), routeSchema),
  /** Workload name -> workload; after validation a null-prototype object. Default: none. */
  workloads: z.record(name, workloadSchema).default({}),
  /** Guardrail name -> guardrail every region stack creates and publishes; after validation a null-prototype object. Default: none. */
  guardrails: z.record(name, guardrailSchema).default({}),
  alarms: alarmsSchema.default(() => alarmsSchema.parse({})),
  budget: budgetSchema,
  appConfig: appConfigSchema.default(() => appConfigSchema.parse({})),
  /** CloudWatch namespace for client metrics (EMF). Default: BedrockRouting. */
  metricsNamespace,
  /** CI principals that get the smoke policy attached. Default: none (attach the output policy ARN yourself). */
  smoke: smokeSchema.default({ principals: [] }),
  backend: backendSchema.optional(),
  /** How synth treats the catalog snapshot. Default: a region's snapshot older than 30 days is a warning. */
  catalog: catalogSettingsSchema.default({ maxAgeDays: 30 }),
  /** The organization-wide API-key guard. Default: off. */
  organizationGuard: organizationGuardSchema.default(() => organizationGuardSchema.parse({})),
});

/** The schemas of the top-level keys, as validation parses them one by one. */
export const FIELD_SCHEMAS = { name, account: environmentSchema.shape.account, regionName, metricsNamespace, routeName: nameOf(MAX_ROUTE_NAME_LENGTH) };

/** A parsed environment file with defaults applied (not yet checked against the catalog). */
export type EnvironmentConfig = z.infer<typeof environmentSchema>;
export type ModelConfig = EnvironmentConfig["models"][number];
export type ModelFacts = NonNullable<ModelConfig["facts"]>;
export type RouteConfig = EnvironmentConfig["routes"][string];
export type WorkloadConfig = EnvironmentConfig["workloads"][string];
export type { GuardrailConfig } from "./guardrail-config";
export type AlarmConfig = EnvironmentConfig["alarms"];
export type BudgetConfig = EnvironmentConfig["budget"];
export type AppConfigSettings = EnvironmentConfig["appConfig"];
export type OrganizationGuardConfig = EnvironmentConfig["organizationGuard"];

/** Who budget alerts email: `budget.emails`, else the alarm emails. */
export function budgetEmails(config: EnvironmentConfig): string[] {
  return [...(config.budget.emails ?? config.alarms.emails)];
}
