import { z } from "zod";
import { jsonPath } from "./problem";

/** Current routing-document format; bump when a reader must change. */
export const ROUTING_SCHEMA_VERSION = 1;

/**
 * The applied quota of one model in the document's region, as the catalog snapshot read it from Service Quotas. The
 * client uses it to route a request to a candidate with room before the primary answers 429 (bedrock.md §6: input +
 * maxTokens is reserved at request start, input + output × burndown charged at the end).
 */
export const modelQuotaSchema = z.strictObject({
  /** Applied tokens-per-minute quota (0 is a real value: new accounts may start there). */
  tokensPerMinute: z.number().int().nonnegative(),
  /** Applied requests-per-minute quota; default not known (not enforced by the client). */
  requestsPerMinute: z.number().int().nonnegative().optional(),
  /** Quota tokens charged per output token; default 1. */
  outputBurndown: z.number().positive().max(100).optional(),
});

const modelEntry = z.strictObject({
  /** The ID the client sends (profile ID, or bare ID for on-demand). */
  invokeId: z.string().min(1),
  /** Toggled off by the platform team; routes skip it. */
  enabled: z.boolean(),
  /** Applied quota; default unknown (the client learns from throttles). Optional so documents without it stay valid. */
  quota: modelQuotaSchema.optional(),
});

const routeEntry = z.strictObject({
  /** Foundation-model ID (a key of `models`). */
  primary: z.string().min(1),
  fallbacks: z.array(z.string().min(1)).max(2),
  maxTokens: z.number().int().positive(),
  temperature: z.number().min(0).max(1).optional(),
});

/**
 * The routing document deployed to AppConfig, read by the client and smoke, changed by the toggle. Models are keyed by
 * foundation-model ID and carry the invoke ID beside it, since profile IDs and ARNs are opaque to readers.
 */
export const routingDocumentSchema = z
  .strictObject({
    schemaVersion: z.literal(ROUTING_SCHEMA_VERSION),
    environment: z.string().min(1),
    region: z.string().min(1),
    models: z.record(z.string(), modelEntry),
    routes: z.record(z.string(), routeEntry),
  })
  .superRefine((doc, ctx) => {
    for (const [task, r] of Object.entries(doc.routes)) {
      [r.primary, ...r.fallbacks].forEach((id, i) => {
        if (!doc.models[id])
          ctx.addIssue({ code: "custom", path: ["routes", task, i === 0 ? "primary" : "fallbacks", ...(i === 0 ? [] : [i - 1])], message: `${id} is not in models` });
      });
      if (r.fallbacks.includes(r.primary)) ctx.addIssue({ code: "custom", path: ["routes", task, "fallbacks"], message: "repeats the primary" });
    }
  });

/** A routing document. */
export type RoutingDocument = z.infer<typeof routingDocumentSchema>;
export type RouteEntry = RoutingDocument["routes"][string];
/** A model's applied quota as the routing document carries it. */
export type ModelQuota = z.infer<typeof modelQuotaSchema>;

/** Parses and validates a routing document; returns the document or a one-line reason. */
export function parseRoutingDocument(text: string): RoutingDocument | string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return `not JSON: ${(e as Error).message}`;
  }
  const r = routingDocumentSchema.safeParse(raw);
  if (r.success) return r.data;
  return r.error.issues.map((i) => `${jsonPath(i.path) || "(document)"}: ${i.message}`).join("; ");
}
