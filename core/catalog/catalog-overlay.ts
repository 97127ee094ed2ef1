import { z } from "zod";
import { MODEL_ID_PATTERN } from "./catalog-snapshot";
import { tokenPriceSchema } from "../runtime";
import { CONVERSE_SUPPORT, parameterRangeSchema, type RequestConstraints, thinkingFactsSchema } from "./request-constraints";

/*
 * The curated overlay (catalog/overlay.json): facts about a model that no API returns (maximum output tokens, output
 * burndown, prices, replacement, end of life when the API has no date, service tiers, Marketplace billing). Each fact
 * carries its sources (URLs of AWS docs or model cards; "third-party: …" where that is all there is) and, when it rests
 * on third-party material or conflicting sources only, an `unconfirmed` note saying why.
 */

const source = z
  .array(z.string().regex(/^(https:\/\/\S+|third-party: \S.*)$/, 'must be an https:// URL or "third-party: <what>"'))
  .min(1, "every fact needs a source");

/** A curated fact: the value, where it comes from, and (when not confirmed by AWS) why not. */
function fact<T extends z.ZodType>(value: T) {
  return z.strictObject({ value, source, unconfirmed: z.string().min(1).optional() });
}

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD");

/** Service tiers as Converse `serviceTier.type` names them (https://docs.aws.amazon.com/bedrock/latest/userguide/service-tiers-inference.html). */
export const SERVICE_TIERS = ["default", "priority", "flex", "reserved"] as const;

const overlayModel = z.strictObject({
  /** For models no snapshot region lists (retired ones): the name to show. Default: the snapshot's model name. */
  name: z.string().min(1).optional(),
  /** Largest `maxTokens` the model accepts. */
  maxOutputTokens: fact(z.number().int().positive()).optional(),
  /**
   * Quota tokens charged per output token: 5 for Claude 4-class models, 1 otherwise
   * (https://docs.aws.amazon.com/bedrock/latest/userguide/quotas.html).
   */
  outputBurndown: fact(z.number().min(1)).optional(),
  /** On-demand price in USD per 1,000 tokens (cache reads and writes where known) and the way of invoking it is quoted for. */
  price: fact(tokenPriceSchema.extend({ basis: z.enum(["geo", "global", "on-demand"]) })).optional(),
  /** Foundation-model ID to move to when this one is legacy or retired. */
  replacement: fact(z.string().regex(MODEL_ID_PATTERN, "is not a Bedrock model ID")).optional(),
  /** Last day the model answers, where the API gives no date (or no longer lists the model). */
  endOfLife: fact(date).optional(),
  serviceTiers: fact(z.array(z.enum(SERVICE_TIERS)).min(1)).optional(),
  /** `marketplace`: billed through AWS Marketplace, the first call starts an account-wide subscription. */
  billing: fact(z.enum(["marketplace", "aws"])).optional(),
  /** The model name its Service Quotas entries use, when it differs from the API's model name. */
  quotaName: fact(z.string().min(1)).optional(),
  /** What the model accepts in a request, each constraint a fact of its own (core/catalog/request-constraints.ts). */
  requestConstraints: z
    .strictObject({
      converse: fact(z.enum(CONVERSE_SUPPORT)).optional(),
      temperature: fact(parameterRangeSchema).optional(),
      topP: fact(parameterRangeSchema).optional(),
      temperatureWithTopP: fact(z.boolean()).optional(),
      thinking: fact(thinkingFactsSchema).optional(),
      forcedToolUse: fact(z.boolean()).optional(),
    })
    .optional(),
});

export const catalogOverlaySchema = z.strictObject({
  $comment: z.string().optional(),
  overlayVersion: z.literal(1),
  /** Foundation-model ID -> curated facts. */
  models: z.record(z.string().regex(MODEL_ID_PATTERN, "is not a Bedrock model ID"), overlayModel),
});

/** catalog/overlay.json: curated facts per foundation-model ID. */
export type CatalogOverlay = z.infer<typeof catalogOverlaySchema>;
/** The curated facts of one model; every one optional, each with its sources. */
export type OverlayModel = CatalogOverlay["models"][string];

/** The plain values of a model's curated request constraints (sources dropped); undefined when it has none. */
export function curatedConstraints(model: OverlayModel | undefined): RequestConstraints | undefined {
  const facts = model?.requestConstraints;
  if (!facts) return undefined;
  const values: Record<string, unknown> = {};
  for (const [k, f] of Object.entries(facts)) if (f) values[k] = (f as { value: unknown }).value;
  return values as RequestConstraints;
}
