import { type BaselinePlan, routeCandidates } from "../environment";
import { own } from "../catalog";
import { applyTimeRefs, GUARDRAIL_ARN_PATTERN, GUARDRAIL_VERSION_PATTERN, type GuardrailRefs } from "../environment";
import { CANARY_PERCENT_MAX, CANARY_PERCENT_MIN, type ModelQuota, ROUTING_SCHEMA_VERSION, type RouteEntry, type RoutingDocument } from "../runtime";

// What AppConfig gets for one region of a plan: the baseline routing document and its JSON Schema validator.

/**
 * The document synth deploys for one region: every enabled model, every route as configured. `guardrails` are the
 * region stack's guardrails (Terraform references in the stack); without them a guarded route carries APPLY_TIME
 * (the manifest's copy, written before anything exists).
 */
export function buildRoutingDocument(plan: BaselinePlan, region: string, guardrails: GuardrailRefs = applyTimeRefs(Object.keys(plan.config.guardrails))): RoutingDocument {
  const invocations = plan.invocations[region];
  return {
    schemaVersion: ROUTING_SCHEMA_VERSION,
    environment: plan.config.name,
    region,
    models: Object.fromEntries(Object.values(invocations).map((i) => [i.modelId, { invokeId: i.invokeId, enabled: true, ...appliedQuota(plan, i.modelId, region) }])),
    routes: Object.fromEntries(
      Object.entries(plan.config.routes).map(([task, r]) => [
        task,
        {
          primary: r.primary,
          fallbacks: [...r.fallbacks],
          maxTokens: r.maxTokens,
          ...(r.temperature === undefined ? {} : { temperature: r.temperature }),
          ...(r.serviceTier ? { serviceTier: r.serviceTier } : {}),
          ...(r.guardrail ? { guardrail: routeGuardrail(r.guardrail, guardrails) } : {}),
          ...(r.canary ? { canary: { model: r.canary.model, percent: r.canary.percent } } : {}),
        } satisfies RouteEntry,
      ]),
    ),
  };
}

function routeGuardrail(name: string, refs: GuardrailRefs): NonNullable<RouteEntry["guardrail"]> {
  if (!Object.hasOwn(refs, name)) throw new Error(`no reference for guardrail ${name}`);
  return { name, identifier: refs[name].arn, version: refs[name].version };
}

/**
 * The model's applied quota in `region` when the catalog snapshot read one (Service Quotas values are doubles; the
 * document carries whole tokens), with the spec's burndown; nothing otherwise, and the client learns from throttles.
 */
function appliedQuota(plan: BaselinePlan, modelId: string, region: string): { quota?: ModelQuota } {
  const spec = own(plan.specs, modelId);
  const q = spec && own(spec.quotas, region);
  const tpm = q?.tpm?.applied;
  if (spec === undefined || tpm === undefined || !(tpm >= 0)) return {};
  const rpm = q?.rpm?.applied;
  return {
    quota: {
      tokensPerMinute: Math.floor(tpm),
      ...(rpm !== undefined && rpm >= 0 ? { requestsPerMinute: Math.floor(rpm) } : {}),
      outputBurndown: spec.outputBurndown,
    },
  };
}

/**
 * The AppConfig JSON_SCHEMA validator (draft-04, AppConfig's dialect) for one region. It enumerates exactly what the
 * stack's IAM grants: each route may only name its configured candidates (as primary, fallback or canary, with a
 * canary's share in CANARY_PERCENT_MIN..MAX), each model keeps its invoke ID, maxTokens
 * stays within every candidate's output limit, and a route keeps its service tier and guardrail (IAM allows exactly
 * those). AppConfig then refuses a toggle the baseline never provisioned. With `guardrails` (the stack's references)
 * a guarded route's identifier and version are pinned to them; without (the toggle's local check, before it knows the
 * applied values) they are checked for form only, and AppConfig's own validator pins them.
 */
export function routingJsonSchema(plan: BaselinePlan, region: string, guardrails?: GuardrailRefs): Record<string, unknown> {
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
    definitions: { quota: QUOTA_JSON_SCHEMA },
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
              properties: { invokeId: enumOf([invocations[id].invokeId]), enabled: { type: "boolean" }, quota: { $ref: "#/definitions/quota" } },
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

/** The smallest known output limit of a route's candidates; none when no candidate's limit is known. */
function maximumOf(limits: readonly (number | undefined)[]): { maximum?: number } {
  const known = limits.filter((l): l is number => l !== undefined);
  return known.length ? { maximum: Math.min(...known) } : {};
}

/** AppConfig limit on a JSON_SCHEMA validator's content (bytes). */
export const MAX_VALIDATOR_BYTES = 32768;

/** The validator content deployed for a region (validation checks it fits MAX_VALIDATOR_BYTES with refs of real size). */
export function routingValidatorContent(plan: BaselinePlan, region: string, guardrails?: GuardrailRefs): string {
  return JSON.stringify(routingJsonSchema(plan, region, guardrails));
}
