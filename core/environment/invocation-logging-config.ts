import { z } from "zod";

/** Payload kinds Bedrock can deliver with each invocation log (PutModelInvocationLoggingConfiguration's *DataDeliveryEnabled). */
export const PAYLOAD_KINDS = ["text", "image", "embedding", "video"] as const;

/**
 * `invocationLogging.payloads`: the explicit opt-in to log prompts and answers. Off, Bedrock logs metadata only.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_LoggingConfig.html
 */
export const payloadLoggingSchema = z.strictObject({
  /** Deliver payloads with the logs. Default: false (metadata only). */
  enabled: z.boolean().default(false),
  /** Which payloads: text (prompts and answers), image, embedding, video. Default: ["text"]. */
  kinds: z.array(z.enum(PAYLOAD_KINDS)).min(1).default(["text"]),
  /** Days the destinations keep logs while payloads are delivered; required with enabled (no default on purpose). */
  retentionDays: z.number().int().positive().optional(),
});

/** `invocationLogging`: Bedrock model invocation logging in every region of the environment. */
export const invocationLoggingSchema = z.strictObject({
  /** Provision the region's logging configuration and its destinations. Default: false. */
  enabled: z.boolean().default(false),
  /** Where logs go: "cloudwatch" (a log group) and/or "s3" (a bucket). Default: ["cloudwatch"]. */
  destinations: z.array(z.enum(["cloudwatch", "s3"])).min(1).max(2).default(["cloudwatch"]),
  /** Days the destinations keep metadata-only logs (a CloudWatch Logs retention value). Default: 365. */
  retentionDays: z.number().int().positive().default(365),
  payloads: payloadLoggingSchema.default(() => payloadLoggingSchema.parse({})),
  /**
   * Notify the alarm topic when anyone puts or deletes the region's logging configuration (an EventBridge rule on the
   * CloudTrail management events; needs a trail logging management events in the region). Default: true.
   */
  alertOnChange: z.boolean().default(true),
});

export type InvocationLoggingConfig = z.infer<typeof invocationLoggingSchema>;

/** Days the destinations keep logs: the payload retention while payloads are delivered, else `retentionDays`. */
export function effectiveRetentionDays(c: InvocationLoggingConfig): number {
  return c.payloads.enabled && c.payloads.retentionDays !== undefined ? c.payloads.retentionDays : c.retentionDays;
}
