import { z } from "zod";
import { GEOGRAPHIES, REGION_PATTERN } from "./geography";

// The schema of config/<env>.json. Strict objects everywhere: a misspelled key is an error, not a silent default.

const name = z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, "must be lowercase letters, digits and dashes, starting with a letter");
const email = z.string().regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, "is not an email address");
const iamPrincipalArn = z
  .string()
  .regex(/^arn:aws(-us-gov)?:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/, "is not an IAM role or user ARN");

const quotaCode = z.string().regex(/^L-[0-9A-F]{8}$/, "is not a Service Quotas code (L-XXXXXXXX)");

/**
 * Facts of a model the catalog snapshot does not know yet (launched after the last `npm run catalog:sync`), checked
 * like catalog entries and used only where the catalog has nothing (core/model-resolution.ts). Default: none.
 */
const modelFacts = z.strictObject({
  /** Model name, also what its Service Quotas entries are searched by, e.g. "Claude Opus 6". Default: the ID. */
  name: z.string().min(1).max(100).optional(),
  /** Geographies (profile prefixes: us, eu, apac, jp, au, us-gov, global) whose system inference profile exists. Default: none. */
  geographies: z.array(z.enum(GEOGRAPHIES as [string, ...string[]])).default([]),
  /** Regions where the bare ID may be invoked on demand. Default: none. */
  onDemandRegions: z.array(z.string().regex(REGION_PATTERN, "is not an AWS region name")).default([]),
  /** Largest maxTokens the model accepts (its model card). */
  maxOutputTokens: z.number().int().positive().optional(),
  /** Quota tokens charged per output token (5 for Claude 4-class models). */
  outputBurndown: z.number().min(1).optional(),
  /** Tokens-per-minute quota codes per way of invoking. Default: none (smoke then searches by name). */
  quotaCodes: z.strictObject({ geo: quotaCode.optional(), global: quotaCode.optional(), "on-demand": quotaCode.optional() }).default({}),
  /** Billed through AWS Marketplace. Default: true unless the ID starts with `amazon.`. */
  marketplace: z.boolean().optional(),
  /** Where the facts come from (model card URL). */
  source: z.string().min(1).optional(),
});

/** One model the environment provisions. */
const model = z.strictObject({
  /** Foundation-model ID from the catalog (or one declared with `facts`). */
  id: z.string().min(1),
  /** How it is invoked. Default: `geo` (the region's geographic inference profile). */
  inference: z.enum(["geo", "global", "on-demand"]).default("geo"),
  /** Pin a geography for `geo` (e.g. `apac` instead of `jp` in Tokyo). Default: the most specific the model has. */
  geography: z.enum(GEOGRAPHIES.filter((g) => g !== "global") as [string, ...string[]]).optional(),
  /** A disabled model is not provisioned (no IAM, alarms or routing entry). Default: true. */
  enabled: z.boolean().default(true),
  facts: modelFacts.optional(),
});

/** One task type: which model serves it and the request limits. */
const route = z.strictObject({
  /** Foundation-model ID of the primary model. */
  primary: z.string().min(1),
  /** Foundation-model IDs tried in order on capacity errors. Default: none. */
  fallbacks: z.array(z.string().min(1)).max(2, "at most 2 fallbacks keep worst-case latency bounded").default([]),
  /** Output-token cap per request; also what Bedrock reserves against the TPM quota. Required. */
  maxTokens: z.number().int().positive(),
  /** Sampling temperature 0-1. Default: the model's. */
  temperature: z.number().min(0).max(1).optional(),
  /** Typical input tokens per request, used only for quota math in smoke reports. Default: 1000. */
  inputTokensEstimate: z.number().int().positive().default(1000),
});

/** Who runs application code and which routes it may use. */
const workload = z
  .strictObject({
    routes: z.array(z.string().min(1)).min(1),
    /** Existing IAM roles/users that get the policy attached. */
    principals: z.array(iamPrincipalArn).default([]),
    /** Create a role for the workload, trusted by these services and/or principals. */
    role: z
      .strictObject({
        assumedByServices: z.array(z.string().regex(/^[a-z0-9.-]+\.amazonaws\.com$/, "is not a service principal")).default([]),
        assumedByPrincipals: z.array(iamPrincipalArn).default([]),
      })
      .optional(),
  });

const alarms = z.strictObject({
  /** Emails subscribed to the stack's SNS topic (each must confirm). Default: none. */
  emails: z.array(email).default([]),
  /** Alarm period. Default: 300 s. */
  periodSeconds: z.number().int().refine((s) => s % 60 === 0 && s >= 60, "must be a multiple of 60, at least 60").default(300),
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
});

const budgetAlert = z.strictObject({
  /** Percent of the monthly limit. */
  percent: z.number().positive().max(1000),
  /** `actual` spend or `forecasted` month-end spend. Default: actual. */
  type: z.enum(["actual", "forecasted"]).default("actual"),
});

const budget = z.strictObject({
  monthlyUsd: z.number().positive(),
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
    .union([z.literal("account"), z.strictObject({ tagKey: z.string().min(1), tagValue: z.string().min(1) })])
    .default("account"),
});

const predefinedStrategy = z.enum([
  "AppConfig.AllAtOnce",
  "AppConfig.Linear20PercentEvery6Minutes",
  "AppConfig.Canary10Percent20Minutes",
  "AppConfig.Linear50PercentEvery30Seconds",
]);

const appConfig = z.strictObject({
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

const backend = z.strictObject({
  s3: z.strictObject({
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "is not an S3 bucket name"),
    /** State key prefix; each stack appends `/<stack>.tfstate`. Default: `bedrock-baseline`. */
    keyPrefix: z.string().default("bedrock-baseline"),
    region: z.string().regex(REGION_PATTERN, "is not an AWS region"),
    /** Native S3 locking (Terraform >= 1.10). Default: true. */
    useLockfile: z.boolean().default(true),
  }),
});

/** The file `config/<env>.json`. */
export const environmentSchema = z.strictObject({
  /** Environment name; stacks are `bedrock-<name>-<region>` and `bedrock-<name>-account`. Must match the file name. */
  name,
  /** 12-digit AWS account ID; applies with other credentials fail (`allowed_account_ids`). */
  account: z.string().regex(/^\d{12}$/, "must be a 12-digit AWS account ID"),
  regions: z.array(z.string().regex(REGION_PATTERN, "is not an AWS region name")).min(1),
  /** Default tags on every resource. Default: none (environment and managed-by tags are always added). */
  tags: z.record(z.string(), z.string()).default({}),
  models: z.array(model).min(1),
  routes: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/, "must be lowercase letters, digits and dashes"), route),
  workloads: z.record(name, workload).default({}),
  alarms: alarms.default(() => alarms.parse({})),
  budget,
  appConfig: appConfig.default(() => appConfig.parse({})),
  /** CloudWatch namespace for client metrics (EMF). Default: BedrockRouting. */
  metricsNamespace: z.string().regex(/^[A-Za-z0-9._/#:-]{1,255}$/).refine((n) => !n.startsWith("AWS/"), "AWS/ is reserved").default("BedrockRouting"),
  /** CI principals that get the smoke policy attached. Default: none (attach the output policy ARN yourself). */
  smoke: z.strictObject({ principals: z.array(iamPrincipalArn).default([]) }).default({ principals: [] }),
  backend: backend.optional(),
  /** How synth treats the catalog snapshot. Default: a region's snapshot older than 30 days is a warning. */
  catalog: z.strictObject({ maxAgeDays: z.number().int().positive().default(30) }).default({ maxAgeDays: 30 }),
});

/** A parsed environment file with defaults applied (not yet checked against the catalog). */
export type EnvironmentConfig = z.infer<typeof environmentSchema>;
export type ModelConfig = EnvironmentConfig["models"][number];
export type ModelFacts = NonNullable<ModelConfig["facts"]>;
export type RouteConfig = EnvironmentConfig["routes"][string];
export type WorkloadConfig = EnvironmentConfig["workloads"][string];
export type AlarmConfig = EnvironmentConfig["alarms"];
export type BudgetConfig = EnvironmentConfig["budget"];
export type AppConfigSettings = EnvironmentConfig["appConfig"];

/** Who budget alerts email: `budget.emails`, else the alarm emails. */
export function budgetEmails(config: EnvironmentConfig): string[] {
  return [...(config.budget.emails ?? config.alarms.emails)];
}
