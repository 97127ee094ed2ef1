import type { BaselinePlan, GuardrailRefs } from "../../../core/environment";
import { GUARDRAIL_ARN_PATTERN, GUARDRAIL_VERSION_PATTERN, routeCandidates } from "../../../core/environment";
import { CANARY_PERCENT_MAX, CANARY_PERCENT_MIN, ROUTING_SCHEMA_VERSION } from "../../../core/runtime";

// The hand-written AppConfig validator the baseline deployed before it was generated from the routing document's zod
// schema (core/routing/routing-validator.ts), kept verbatim as the oracle the generated one is proven equivalent to
// (routing-validator.test.ts). Not product code: nothing outside that test imports it.

/**
 * The AppConfig JSON_SCHEMA validator (draft-04, AppConfig's dialect) for one region. It enumerates exactly what the
 * stack's IAM grants: each route may only name its configured candidates (as primary, fallback or canary, with a
 * canary's share in CANARY_PERCENT_MIN..MAX), each model keeps its invoke ID, maxTokens
 * stays within every candidate's output limit, and a route keeps its service tier and guardrail (IAM allows exactly
 * those). AppConfig then refuses a toggle the baseline never provisioned. With `guardrails` (the stack's references)
 * a guarded route's identifier and version are pinned to them; without (the toggle's local check, before it knows the
 * applied values) they are checked for form only, and AppConfig's own validator pins them.
 */
export function legacyRoutingJsonSchema(plan: BaselinePlan, region: string, guardrails?: GuardrailRefs): Record<string, unknown> {
  const invocations = plan.invocations[region];
  const modelIds = Object.keys(invocations);
  const enumOf = (values: readonly (string | number)[]) => ({ enum: [...values] });
  return {
    $schema: "http://json-schema.org/draft-04/schema#",
    title: `Bedrock routing document for ${plan.config.name} in ${region}`,
    type: "object",
    additionalProperties: false,
    required: ["schemaVersion", "environment", "region", "models", "routes"],
    // Shared by every model entry, so the validator stays small (AppConfig caps it at 32 KB).
    definitions: { quota: QUOTA_JSON_SCHEMA, price: PRICE_JSON_SCHEMA },
    properties: {
      schemaVersion: enumOf([ROUTING_SCHEMA_VERSION]),
      environment: enumOf([plan.config.name]),
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
              properties: { invokeId: enumOf([invocations[id].invokeId]), enabled: { type: "boolean" }, quota: { $ref: "#/definitions/quota" }, price: { $ref: "#/definitions/price" } },
            },
          ]),
        ),
      },
      routes: {
        type: "object",
        additionalProperties: false,
        required: Object.keys(plan.config.routes),
        properties: Object.fromEntries(
          Object.keys(plan.config.routes).map((task) => {
            const candidates = routeCandidates(plan, task);
            const r = plan.config.routes[task];
            return [
              task,
              {
                type: "object",
                additionalProperties: false,
                required: ["primary", "fallbacks", "maxTokens", ...(r.serviceTier ? ["serviceTier"] : []), ...(r.guardrail ? ["guardrail"] : [])],
                properties: {
                  primary: enumOf(candidates),
                  fallbacks: { type: "array", maxItems: 2, uniqueItems: true, items: enumOf(candidates) },
                  maxTokens: { type: "integer", minimum: 1, ...maximumOf(candidates.map((id) => plan.specs[id].maxOutputTokens)) },
                  temperature: { type: "number", minimum: 0, maximum: 1 },
                  ...(r.serviceTier ? { serviceTier: enumOf([r.serviceTier]) } : {}),
                  ...(r.guardrail ? { guardrail: guardrailSchema(r.guardrail, guardrails) } : {}),
                  canary: {
                    type: "object",
                    additionalProperties: false,
                    required: ["model", "percent"],
                    properties: { model: enumOf(candidates), percent: { type: "integer", minimum: CANARY_PERCENT_MIN, maximum: CANARY_PERCENT_MAX } },
                  },
                },
              },
            ];
          }),
        ),
      },
    },
  };
}

/** A guarded route's guardrail: its name, and the applied identifier and version (pinned when known, else by form). */
function guardrailSchema(name: string, refs: GuardrailRefs | undefined): Record<string, unknown> {
  const ref = refs && Object.hasOwn(refs, name) ? refs[name] : undefined;
  return {
    type: "object",
    additionalProperties: false,
    required: ["name", "identifier", "version"],
    properties: {
      name: { enum: [name] },
      identifier: ref ? { enum: [ref.arn] } : { type: "string", pattern: GUARDRAIL_ARN_PATTERN },
      version: ref ? { enum: [ref.version] } : { type: "string", pattern: GUARDRAIL_VERSION_PATTERN },
    },
  };
}

/** `models.<id>.quota` in draft-04: the same bounds as the core schema (modelQuotaSchema). */
const QUOTA_JSON_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["tokensPerMinute"],
  properties: {
    tokensPerMinute: { type: "integer", minimum: 0 },
    requestsPerMinute: { type: "integer", minimum: 0 },
    outputBurndown: { type: "number", minimum: 0, exclusiveMinimum: true, maximum: 100 },
  },
} as const;

/** `models.<id>.price` (added with cost attribution): USD per 1,000 tokens, never negative (tokenPriceSchema). */
const PRICE_JSON_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["inputPer1k", "outputPer1k"],
  properties: {
    inputPer1k: { type: "number", minimum: 0 },
    outputPer1k: { type: "number", minimum: 0 },
    cacheReadPer1k: { type: "number", minimum: 0 },
    cacheWritePer1k: { type: "number", minimum: 0 },
  },
} as const;

/** The smallest known output limit of a route's candidates; none when no candidate's limit is known. */
function maximumOf(limits: readonly (number | undefined)[]): { maximum?: number } {
  const known = limits.filter((l): l is number => l !== undefined);
  return known.length ? { maximum: Math.min(...known) } : {};
}

