import { z } from "zod";
import type { Environment } from "./environment-validation";

/** Current routing-document format; bump when a reader must change. */
export const ROUTING_SCHEMA_VERSION = 1;

const modelEntry = z.strictObject({
  /** The ID the client sends (profile ID, or bare ID for on-demand). */
  invokeId: z.string().min(1),
  /** Toggled off by the platform team; routes skip it. */
  enabled: z.boolean(),
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

/** The document synth deploys for one region: every enabled model, every route as configured. */
export function buildRoutingDocument(env: Environment, region: string): RoutingDocument {
  const invocations = env.invocations[region];
  return {
    schemaVersion: ROUTING_SCHEMA_VERSION,
    environment: env.config.name,
    region,
    models: Object.fromEntries(Object.values(invocations).map((i) => [i.modelId, { invokeId: i.invokeId, enabled: true }])),
    routes: Object.fromEntries(
      Object.entries(env.config.routes).map(([task, r]) => [
        task,
        { primary: r.primary, fallbacks: [...r.fallbacks], maxTokens: r.maxTokens, ...(r.temperature === undefined ? {} : { temperature: r.temperature }) },
      ]),
    ),
  };
}

/** Models a route may use (primary and fallbacks as configured): what IAM grants the route's workloads. */
export function routeCandidates(env: Environment, task: string): string[] {
  const r = env.config.routes[task];
  return [r.primary, ...r.fallbacks];
}

/**
 * The AppConfig JSON_SCHEMA validator (draft-04, AppConfig's dialect) for one region. It enumerates exactly what the
 * stack's IAM grants: each route may only name its configured candidates, each model keeps its invoke ID, and maxTokens
 * stays within every candidate's output limit. AppConfig then refuses a toggle the baseline never provisioned.
 */
export function routingJsonSchema(env: Environment, region: string): Record<string, unknown> {
  const invocations = env.invocations[region];
  const modelIds = Object.keys(invocations);
  const enumOf = (values: readonly (string | number)[]) => ({ enum: [...values] });
  return {
    $schema: "http://json-schema.org/draft-04/schema#",
    title: `Bedrock routing document for ${env.config.name} in ${region}`,
    type: "object",
    additionalProperties: false,
    required: ["schemaVersion", "environment", "region", "models", "routes"],
    properties: {
      schemaVersion: enumOf([ROUTING_SCHEMA_VERSION]),
      environment: enumOf([env.config.name]),
      region: enumOf([region]),
      models: {
        type: "object",
        additionalProperties: false,
        required: modelIds,
        properties: Object.fromEntries(
          modelIds.map((id) => [
            id,
            {
              type: "object",
              additionalProperties: false,
              required: ["invokeId", "enabled"],
              properties: { invokeId: enumOf([invocations[id].invokeId]), enabled: { type: "boolean" } },
            },
          ]),
        ),
      },
      routes: {
        type: "object",
        additionalProperties: false,
        required: Object.keys(env.config.routes),
        properties: Object.fromEntries(
          Object.keys(env.config.routes).map((task) => {
            const candidates = routeCandidates(env, task);
            return [
              task,
              {
                type: "object",
                additionalProperties: false,
                required: ["primary", "fallbacks", "maxTokens"],
                properties: {
                  primary: enumOf(candidates),
                  fallbacks: { type: "array", maxItems: 2, uniqueItems: true, items: enumOf(candidates) },
                  maxTokens: { type: "integer", minimum: 1, maximum: Math.min(...candidates.map((id) => env.specs[id].maxOutputTokens)) },
                  temperature: { type: "number", minimum: 0, maximum: 1 },
                },
              },
            ];
          }),
        ),
      },
    },
  };
}

/** AppConfig limit on a JSON_SCHEMA validator's content (bytes). */
export const MAX_VALIDATOR_BYTES = 32768;

/** The validator content deployed for a region (validation checks it fits MAX_VALIDATOR_BYTES). */
export function routingValidatorContent(env: Environment, region: string): string {
  return JSON.stringify(routingJsonSchema(env, region));
}
