import { z } from "zod";
import { quote } from "../problems";
import { alarmsSchema } from "./alarm-config";
import { appConfigSchema } from "./appconfig-config";
import { backendSchema } from "./backend-config";
import { budgetSchema } from "./budget-config";
import { costAttributionSchema } from "./cost-config";
import { evaluationSettingsSchema } from "./evaluation-config";
import { nameSchema, routeNameSchema } from "./environment-names";
import { encryptionSchema } from "./encryption-config";
import { guardrailSchema } from "./guardrail-config";
import { invocationLoggingSchema } from "./invocation-logging-config";
import { catalogSettingsSchema, modelSchema, regionName } from "./model-config";
import { networkSchema } from "./network-config";
import { observabilitySchema } from "./observability-config";
import { organizationGuardSchema } from "./organization-guard-config";
import { iamPrincipalArn } from "./principal-arn";
import { privateEndpointsSchema } from "./private-endpoints-config";
import { quotaStoreSchema } from "./quota-store-config";
import { routeSchema } from "./route-config";
import { issue } from "./schema-issue";
import { workloadSchema } from "./workload-config";

// The schema of config/<env>.json, one section per file beside this one. Strict objects everywhere: a misspelled key is
// an error, not a silent default. Custom issues carry `params.fix`, the fix validation prints. Validation parses
// section by section (and routes, workloads, models, regions and tags entry by entry; core/validation/draft.ts), so
// one malformed part never hides the problems of another.

const ACCOUNT_ID = /^\d{12}$/;
const accountSchema = z
  .string()
  .superRefine((v, ctx) => {
    if (!ACCOUNT_ID.test(v)) issue(ctx, `${quote(v)} must be a 12-digit AWS account ID`, "write all 12 digits as a string, leading zeros included (aws sts get-caller-identity --query Account)");
  })
  .meta({ pattern: ACCOUNT_ID.source });

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

/** `smoke`: who runs the post-apply smoke test. */
export const smokeSchema = z.strictObject({ principals: z.array(iamPrincipalArn).default([]) });

/** The file `config/<env>.json`. */
export const environmentSchema = z.strictObject({
  /** Where editors find this file's JSON Schema, e.g. "../schemas/environment.schema.json"; synth ignores it. Default: none. */
  $schema: z.string().optional(),
  /** Environment name; stacks are `bedrock-<name>-<region>` and `bedrock-<name>-account`. Must match the file name. */
  name: nameSchema,
  /** 12-digit AWS account ID; applies with other credentials fail (`allowed_account_ids`). */
  account: accountSchema,
  regions: z.array(regionName).min(1).meta({ examples: [["us-east-1"]] }),
  /**
   * Default tags on every resource. Default: none (environment and managed-by tags are always added). After
   * validation a null-prototype object: look keys up with Object.hasOwn.
   */
  tags: z.record(z.string(), z.string()).default({}),
  models: z.array(modelSchema).min(1).meta({ examples: [[{ id: "amazon.nova-lite-v1:0" }]] }),
  /** Task -> route; after validation a null-prototype object (any task name is an ordinary key). */
  routes: z.record(routeNameSchema, routeSchema),
  /** Workload name -> workload; after validation a null-prototype object. Default: none. */
  workloads: z.record(nameSchema, workloadSchema).default({}),
  /** Guardrail name -> guardrail every region stack creates and publishes; after validation a null-prototype object. Default: none. */
  guardrails: z.record(nameSchema, guardrailSchema).default({}),
  alarms: alarmsSchema.default(() => alarmsSchema.parse({})),
  budget: budgetSchema,
  appConfig: appConfigSchema.default(() => appConfigSchema.parse({})),
  /** CloudWatch namespace for client metrics (EMF). Default: BedrockRouting. */
  metricsNamespace,
  /** The routing dashboard, client-side route alarms and saved queries over the client's logs. Default: all on, no log groups. */
  observability: observabilitySchema.default(() => observabilitySchema.parse({})),
  /** CI principals that get the smoke policy attached. Default: none (attach the output policy ARN yourself). */
  smoke: smokeSchema.default({ principals: [] }),
  backend: backendSchema.optional(),
  /** How synth treats the catalog snapshot. Default: a region's snapshot older than 30 days is a warning. */
  catalog: catalogSettingsSchema.default({ maxAgeDays: 30 }),
  /** The organization-wide API-key guard. Default: off. */
  organizationGuard: organizationGuardSchema.default(() => organizationGuardSchema.parse({})),
  /** Cost per workload: application inference profiles, workload budgets, the cost allocation tag, CUR 2.0 (docs/cost.md). Default: off. */
  costAttribution: costAttributionSchema.default(() => costAttributionSchema.parse({})),
  /** How the toggle judges evaluation evidence for --canary and --promote. Default: a passing report at most 7 days old. */
  evaluation: evaluationSettingsSchema.default({ maxAgeDays: 7 }),
  /**
   * Region -> its VPC, subnets and security groups, shared by every feature that needs a VPC (private endpoints); after
   * validation a null-prototype object. Default: none.
   */
  network: networkSchema.default({}),
  /** Interface VPC endpoints and the aws:SourceVpce condition. Default: off. */
  privateEndpoints: privateEndpointsSchema.default(() => privateEndpointsSchema.parse({})),
  /** Bedrock model invocation logging per region. Default: off. */
  invocationLogging: invocationLoggingSchema.default(() => invocationLoggingSchema.parse({})),
  /** Customer managed KMS keys. Default: AWS managed keys. */
  encryption: encryptionSchema.default(() => encryptionSchema.parse({})),
  /** An ElastiCache Serverless (Valkey) cache per region for the routers' shared quota view. Default: off. */
  quotaStore: quotaStoreSchema.default(() => quotaStoreSchema.parse({})),
});

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
export type CostAttributionConfig = EnvironmentConfig["costAttribution"];
export type WorkloadBudgetConfig = NonNullable<WorkloadConfig["budget"]>;
export type NetworkConfig = EnvironmentConfig["network"];

/** Who budget alerts email: `budget.emails`, else the alarm emails. */
export function budgetEmails(config: EnvironmentConfig): string[] {
  return [...(config.budget.emails ?? config.alarms.emails)];
}

/** Who a workload's budget alerts email: its own `budget.emails`, else the environment's budget emails. */
export function workloadBudgetEmails(config: EnvironmentConfig, budget: WorkloadBudgetConfig): string[] {
  return [...(budget.emails ?? budgetEmails(config))];
}

/** The spend-rate threshold of a workload: its own, else `alarms.spendUsdPerHour`. */
export function spendThresholdOf(config: EnvironmentConfig, workload: WorkloadConfig): number {
  return workload.spendUsdPerHour ?? config.alarms.spendUsdPerHour;
}
