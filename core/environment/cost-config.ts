import { z } from "zod";
import { bucketNameBreach, MAX_S3_KEY_BYTES } from "../aws";
import { quote } from "../problems";
import { budgetAlertsSchema, monthlyUsdSchema } from "./budget-config";
import { emailSchema } from "./alarm-config";
import { regionName } from "./model-config";
import { issue } from "./schema-issue";

/** The default cost allocation tag key carrying a workload's name. */
export const DEFAULT_WORKLOAD_TAG_KEY = "workload";

/**
 * AWS's default "Inference profiles per account" quota, per Region (adjustable):
 * https://docs.aws.amazon.com/general/latest/gr/bedrock.html#limits_bedrock.
 */
export const DEFAULT_PROFILES_PER_REGION_QUOTA = 1000;

/**
 * `costAttribution.export`: a CUR 2.0 export (AWS Data Exports) with IAM-principal allocation data, delivered to a bucket
 * the team owns (its bucket policy must let bcm-data-exports.amazonaws.com write: docs/cost.md).
 */
const curExportSchema = z.strictObject({
  /** Name of an existing S3 bucket. */
  bucket: z.string().superRefine((v, ctx) => {
    const breach = bucketNameBreach(v);
    if (breach) issue(ctx, `${quote(v)} ${breach}`, "use the name of an existing S3 bucket");
  }),
  /** Key prefix of the delivered files. Default: `bedrock-cur`. */
  prefix: z
    .string()
    .superRefine((v, ctx) => {
      if (v === "" || v.startsWith("/") || v.endsWith("/") || v.includes("//")) issue(ctx, `${quote(v)} must be a non-empty key prefix without leading, trailing or doubled "/"`, 'e.g. "bedrock-cur"');
      else if (new TextEncoder().encode(v).length > MAX_S3_KEY_BYTES - 200) issue(ctx, `is ${new TextEncoder().encode(v).length} bytes; S3 keys have at most ${MAX_S3_KEY_BYTES} and the export's own path needs room`, "shorten it");
    })
    .default("bedrock-cur"),
  /** The bucket's region. Default: us-east-1. */
  bucketRegion: regionName.default("us-east-1"),
  /** Line items per hour or per day. Default: DAILY. */
  granularity: z.enum(["HOURLY", "DAILY"]).default("DAILY"),
});

/** `costAttribution`: cost per workload (docs/cost.md). */
export const costAttributionSchema = z.strictObject({
  /**
   * The opt-in: each region stack creates an application inference profile per workload and model it uses, tagged with
   * the workload; workload IAM invokes only through its own profiles; the routing document carries them. Default: false.
   */
  enabled: z.boolean().default(false),
  /** Cost allocation tag key carrying the workload's name (profiles, roles, budgets). Default: `workload`. */
  tagKey: z.string().default(DEFAULT_WORKLOAD_TAG_KEY),
  /**
   * The account stack activates `tagKey` as a cost allocation tag (aws_ce_cost_allocation_tag). Turn it off in a member
   * account of an AWS Organization: only the management account can activate tags. Default: true.
   */
  activateTag: z.boolean().default(true),
  /** The account's applied "Inference profiles per account" quota in each region. Default: 1000 (AWS's default). */
  profilesPerRegionQuota: z.number().int().positive().default(DEFAULT_PROFILES_PER_REGION_QUOTA),
  /** A CUR 2.0 export with IAM-principal allocation data. Default: none. */
  export: curExportSchema.optional(),
});

/** `workloads.<name>.budget`: a monthly budget on the workload's cost allocation tag (needs costAttribution.enabled). */
export const workloadBudgetSchema = z.strictObject({
  /** Monthly limit in USD: cents at most. */
  monthlyUsd: monthlyUsdSchema,
  /** Up to 5 alerts. Default: actual 80% and 100%, forecasted 100%. */
  alerts: budgetAlertsSchema,
  /** Up to 10 emails per alert. Default: the environment's budget emails (budget.emails, else alarms.emails). */
  emails: z.array(emailSchema).max(10, "AWS Budgets allows at most 10 email subscribers per notification").optional(),
});

/** Estimated USD per hour a workload may spend in a region before its spend-rate alarm fires. */
export const spendUsdPerHourSchema = z
  .number()
  .positive()
  .max(1e6, "is more than a million USD an hour: check the amount (USD per hour, per region)");
