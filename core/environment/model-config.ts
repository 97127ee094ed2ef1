import { z } from "zod";
import { AWS_REGIONS, closestRegions, GEOGRAPHIES, isKnownRegion, QUOTA_CODE_MESSAGE, QUOTA_CODE_PATTERN } from "../aws";
import { charCount, quote } from "../problems";
import { ROUTE_SERVICE_TIERS, tokenPriceSchema } from "../runtime";
import { requestConstraintValuesSchema } from "../catalog";
import { modelIdMistake } from "./model-id-mistake";
import { issue } from "./schema-issue";

/** A region of AWS_REGIONS; the fix names the closest known ones. */
export const regionName = z
  .string()
  .superRefine((v, ctx) => {
    if (!isKnownRegion(v)) issue(ctx, `${quote(v)} is not an AWS region`, `use one of ${closestRegions(v).join(", ")} (every known region: AWS_REGIONS in core/aws/geography.ts)`);
  })
  .meta({ enum: [...AWS_REGIONS.keys()] });

const MODEL_ID_FORM = /^[a-z0-9][a-z0-9.:-]*$/;

/**
 * The form of a Bedrock foundation-model ID (`provider.model-name-v1:0`): lowercase letters, digits and . : -, at most
 * 128 characters (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_GetFoundationModel.html). Whether the
 * catalog knows it is checked later; this keeps every message that names a model ID short and printable.
 */
export const modelId = z
  .string()
  .superRefine((v, ctx) => {
    const mistake = v.length <= 2048 ? modelIdMistake(v) : undefined;
    if (v.length === 0) issue(ctx, "is empty", "use a foundation-model ID such as amazon.nova-lite-v1:0");
    else if (mistake) issue(ctx, mistake.message, mistake.fix);
    else if (v.length > 128) issue(ctx, `is ${charCount(v)} characters; Bedrock model IDs have at most 128`, "use a foundation-model ID of the catalog (catalog/snapshot.json)");
    else if (!MODEL_ID_FORM.test(v)) issue(ctx, `${quote(v)} is not a foundation-model ID (lowercase letters, digits and . : -)`, "use a foundation-model ID of the catalog (catalog/snapshot.json)");
  })
  .meta({ pattern: MODEL_ID_FORM.source, maxLength: 128, examples: ["amazon.nova-lite-v1:0"] });

const quotaCode = z.string().regex(QUOTA_CODE_PATTERN, QUOTA_CODE_MESSAGE);

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
  /**
   * Tokens-per-minute quota codes per way of invoking, and the model's tokens-per-day quota code (`tpd`). Default: none
   * (smoke then searches by name).
   */
  quotaCodes: z.strictObject({ geo: quotaCode.optional(), global: quotaCode.optional(), "on-demand": quotaCode.optional(), tpd: quotaCode.optional() }).default({}),
  /** Billed through AWS Marketplace. Default: true unless the ID starts with `amazon.`. */
  marketplace: z.boolean().optional(),
  /** Service tiers the model accepts (its model card). Default: unknown (a route's tier is then not checked). */
  serviceTiers: z.array(z.enum(ROUTE_SERVICE_TIERS)).min(1).optional(),
  /** On-demand price in USD per 1,000 tokens, for the client's cost estimate. Default: unknown (no estimate for the model). */
  price: tokenPriceSchema.optional(),
  /**
   * What the model accepts in a request (temperature, topP, thinking, forced tool use, Converse), as
   * catalog/overlay.json's requestConstraints without the sources; used where the overlay has none. Default: unknown.
   */
  requestConstraints: requestConstraintValuesSchema.optional(),
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
