import { z } from "zod";
import { displayText } from "../problems";
import { jsonPath } from "../problems";
import { quotaStoreLocationSchema } from "./quota-store-location";
import { tokenPriceSchema } from "./cost-estimate";

/** Current routing-document format; bump when a reader must change. */
export const ROUTING_SCHEMA_VERSION = 1;

/**
 * The applied quota of one model in the document's region, as the catalog snapshot read it from Service Quotas. The
 * client uses it to route a request to a candidate with room before the primary answers 429 (input + maxTokens is
 * reserved at request start, input + output × burndown charged at the end:
 * https://docs.aws.amazon.com/bedrock/latest/userguide/quotas.html).
 */
export const modelQuotaSchema = z.strictObject({
  /** Applied tokens-per-minute quota (0 is a real value: new accounts may start there). */
  tokensPerMinute: z.number().int().nonnegative(),
  /** Applied requests-per-minute quota; default not known (not enforced by the client). */
  requestsPerMinute: z.number().int().nonnegative().optional(),
  /** Quota tokens charged per output token; default 1. */
  outputBurndown: z.number().positive().max(100).optional(),
});

/** One model of a routing document: the ID the client sends, whether it may be used, and its applied quota. */
export const modelEntrySchema = z.strictObject({
  /** The ID the client sends (profile ID, or bare ID for on-demand). */
  invokeId: z.string().min(1),
  /** Toggled off by the platform team; routes skip it. */
  enabled: z.boolean(),
  /** Applied quota; default unknown (the client learns from throttles). Optional so documents without it stay valid. */
  quota: modelQuotaSchema.optional(),
  /** On-demand price per 1,000 tokens, for the client's estimated cost per call; default unknown (no estimate). */
  price: tokenPriceSchema.optional(),
});

/**
 * One workload of a document that attributes cost per workload (docs/cost.md): the routes it may use and, per model,
 * the invoke ID its calls must use (its own application inference profile's ARN), which its IAM alone allows.
 */
export const workloadEntrySchema = z.strictObject({
  /** Tasks the workload may call (keys of `routes`). */
  routes: z.array(z.string().min(1)),
  /** Foundation-model ID (a key of `models`) -> the invoke ID the workload sends instead of the model's. */
  invokeIds: z.record(z.string(), z.string().min(1)),
});

/**
 * The service tiers a route may request, as Converse `serviceTier.type` names them (Standard is `default`; `reserved`
 * needs a capacity reservation the baseline does not manage).
 * https://docs.aws.amazon.com/bedrock/latest/userguide/service-tiers-inference.html
 */
export const ROUTE_SERVICE_TIERS = ["priority", "default", "flex"] as const;
/** A tier a route may request. */
export type RouteServiceTier = (typeof ROUTE_SERVICE_TIERS)[number];

/**
 * The guardrail a route's requests carry (`guardrailConfig`). Identifier and version exist only once the stack is
 * applied; the client sends them as they are and Bedrock judges them (a missing guardrail is a ValidationException).
 */
const routeGuardrail = z.strictObject({
  /** The guardrail's name in the environment file (for metrics and reports). */
  name: z.string().min(1).max(64),
  /** Guardrail ARN (what the IAM condition bedrock:GuardrailIdentifier compares) or ID. */
  identifier: z.string().min(1).max(2048),
  /** Published version, e.g. "1". Bounded loosely: the stack's copy holds Terraform references until apply. */
  version: z.string().min(1).max(256),
});

/**
 * A canary's share of a route's requests, in whole percent: at least one request in a hundred (a smaller share would
 * not show in a five-minute alarm period), never all of them (that is a primary switch: `--promote`).
 */
export const CANARY_PERCENT_MIN = 1;
export const CANARY_PERCENT_MAX = 99;

/** Most fallbacks a route lists: each one adds a whole attempt to a call's worst-case latency. */
export const MAX_FALLBACKS = 2;

/** Longest latency budget (deadlineMs, maxQueueMs) a route may set: an hour; a call held longer is no longer awaited by anyone. */
export const MAX_ROUTE_BUDGET_MS = 3_600_000;

/** A new model taking a share of a route's traffic, rolled out by AppConfig under the rollback alarm (docs/operations.md). */
export const routeCanarySchema = z.strictObject({
  /** Foundation-model ID (a key of `models`), not the route's primary. */
  model: z.string().min(1),
  /** Whole percent of the route's requests that try the canary first (CANARY_PERCENT_MIN..CANARY_PERCENT_MAX). */
  percent: z.number().int().min(CANARY_PERCENT_MIN).max(CANARY_PERCENT_MAX),
});

/**
 * Anthropic's `thinking.type` values (https://platform.claude.com/docs/en/build-with-claude/extended-thinking): `disabled`
 * turns thinking off, `adaptive` lets the model decide how much to think, `enabled` thinks within `budgetTokens`. Models
 * differ in which they accept (catalog/overlay.json requestConstraints.thinking).
 */
export const THINKING_TYPES = ["disabled", "adaptive", "enabled"] as const;
/** A `thinking.type` value. */
export type ThinkingType = (typeof THINKING_TYPES)[number];

/** Smallest thinking budget Anthropic accepts (`budget_tokens` at least 1,024; the extended-thinking page above). */
export const MIN_THINKING_BUDGET = 1024;

/** Whether the route's models think, sent as the provider's thinking field (core/runtime/converse-request.ts). */
export const routeThinkingSchema = z
  .strictObject({
    /** `disabled`, `adaptive` or `enabled` (with budgetTokens). */
    type: z.enum(THINKING_TYPES),
    /** Thinking tokens for `enabled` (at least MIN_THINKING_BUDGET, below the route's maxTokens); only with `enabled`. */
    budgetTokens: z.number().int().min(MIN_THINKING_BUDGET).optional(),
  })
  .superRefine((t, ctx) => {
    if (t.type === "enabled" && t.budgetTokens === undefined) ctx.addIssue({ code: "custom", path: ["budgetTokens"], message: `is required with type "enabled" (at least ${MIN_THINKING_BUDGET})` });
    if (t.type !== "enabled" && t.budgetTokens !== undefined) ctx.addIssue({ code: "custom", path: ["budgetTokens"], message: `only applies to type "enabled"` });
  });
/** A route's thinking setting. */
export type RouteThinking = z.infer<typeof routeThinkingSchema>;

/**
 * What a route's calls may ask of tools (Converse `toolConfig.toolChoice`): `auto` (the model decides; the default),
 * `any` (some tool must be called) or `tool` (the tool the caller names must be called). `any` and `tool` force tool use,
 * which some models refuse (catalog/overlay.json requestConstraints.forcedToolUse), so a forced choice is declared here
 * where synth can check it, never only in application code.
 */
export const TOOL_CHOICES = ["auto", "any", "tool"] as const;
/** A route's tool choice. */
export type RouteToolChoice = (typeof TOOL_CHOICES)[number];

/** What a route does with an answer in which the model declined (a refusal stop reason, core/runtime/refusal.ts). */
export const REFUSAL_ACTIONS = ["return", "fallback"] as const;

/**
 * One route of a routing document. Every field is declared here once: the environment file's route
 * (core/environment/route-config.ts) derives from it, and the AppConfig validator is generated from it
 * (core/routing/routing-validator.ts).
 */
export const routeEntrySchema = z.strictObject({
  /** Foundation-model ID (a key of `models`). */
  primary: z.string().min(1),
  /** Foundation-model IDs tried in order on capacity errors. */
  fallbacks: z.array(z.string().min(1)).max(MAX_FALLBACKS),
  /** Output-token cap per request; also what Bedrock reserves against the TPM quota at request start. */
  maxTokens: z.number().int().positive(),
  /** Sampling temperature (Converse inferenceConfig.temperature, 0-1). Default: the model's. */
  temperature: z.number().min(0).max(1).optional(),
  /** Nucleus sampling (Converse inferenceConfig.topP, 0-1). Default: the model's. */
  topP: z.number().min(0).max(1).optional(),
  /** Thinking on or off, sent as the provider's field (Anthropic `thinking`, Amazon Nova `reasoningConfig`). Default: the model's. */
  thinking: routeThinkingSchema.optional(),
  /** `auto`, `any` or `tool` (Converse toolConfig.toolChoice of calls that send tools). Default: `auto`. */
  toolChoice: z.enum(TOOL_CHOICES).optional(),
  /** A refused answer: `return` it (refused: true), or `fallback` to the next candidate once. Default: `return`. */
  onRefusal: z.enum(REFUSAL_ACTIONS).optional(),
  /** Sent as `serviceTier: {type}` on every request of the route. Default: none sent (Bedrock serves Standard). */
  serviceTier: z.enum(ROUTE_SERVICE_TIERS).optional(),
  /** Sent as `guardrailConfig` on every request of the route. Default: no guardrail. */
  guardrail: routeGuardrail.optional(),
  /** Sent `percent` of the route's requests first (then primary, fallbacks). Default: none. */
  canary: routeCanarySchema.optional(),
  /**
   * The longest a call of the route may take end to end, retries, fallbacks and waits included (ms); a caller's
   * shorter `deadlineMs` still wins. Default: the router's deadline (120 000 ms unless the application sets another).
   */
  deadlineMs: z.number().int().min(1).max(MAX_ROUTE_BUDGET_MS).optional(),
  /**
   * The longest a call may wait in total for capacity, quota room or a cooling model (ms): a call that would wait longer
   * fails at once with category capacity and cause `queue-budget-exceeded`. Default: as long as the deadline allows.
   */
  maxQueueMs: z.number().int().min(0).max(MAX_ROUTE_BUDGET_MS).optional(),
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
    models: z.record(z.string(), modelEntrySchema),
    routes: z.record(z.string(), routeEntrySchema),
    /** Workload -> its routes and invoke IDs, when the environment attributes cost per workload. Default: none. */
    workloads: z.record(z.string(), workloadEntrySchema).optional(),
    /** Where the region's routers share their quota view (core/runtime/quota-store-location.ts). Default: none. */
    quotaStore: quotaStoreLocationSchema.optional(),
  })
  .superRefine((doc, ctx) => {
    for (const [w, entry] of Object.entries(doc.workloads ?? {})) {
      entry.routes.forEach((task, i) => {
        if (!Object.hasOwn(doc.routes, task)) ctx.addIssue({ code: "custom", path: ["workloads", w, "routes", i], message: `${displayText(task, 120)} is not in routes` });
      });
      for (const id of Object.keys(entry.invokeIds))
        if (!Object.hasOwn(doc.models, id)) ctx.addIssue({ code: "custom", path: ["workloads", w, "invokeIds", id], message: `${displayText(id, 120)} is not in models` });
    }
    for (const [task, r] of Object.entries(doc.routes)) {
      [r.primary, ...r.fallbacks].forEach((id, i) => {
        // Own properties only: `constructor` or `toString` must not resolve to Object.prototype's members.
        if (!Object.hasOwn(doc.models, id))
          ctx.addIssue({ code: "custom", path: ["routes", task, i === 0 ? "primary" : "fallbacks", ...(i === 0 ? [] : [i - 1])], message: `${displayText(id, 120)} is not in models` });
      });
      if (r.fallbacks.includes(r.primary)) ctx.addIssue({ code: "custom", path: ["routes", task, "fallbacks"], message: "repeats the primary" });
      if (r.canary && !Object.hasOwn(doc.models, r.canary.model)) ctx.addIssue({ code: "custom", path: ["routes", task, "canary", "model"], message: `${displayText(r.canary.model, 120)} is not in models` });
      if (r.canary?.model === r.primary) ctx.addIssue({ code: "custom", path: ["routes", task, "canary", "model"], message: "is the primary" });
      // Anthropic: max_tokens must be greater than budget_tokens (the thinking budget is part of the output).
      if (r.thinking?.budgetTokens !== undefined && r.thinking.budgetTokens >= r.maxTokens) ctx.addIssue({ code: "custom", path: ["routes", task, "thinking", "budgetTokens"], message: `must be below maxTokens (${r.maxTokens})` });
    }
  });

/** A routing document. */
export type RoutingDocument = z.infer<typeof routingDocumentSchema>;
export type RouteEntry = RoutingDocument["routes"][string];
export type RouteGuardrail = NonNullable<RouteEntry["guardrail"]>;
/** A route's canary: a model and its whole-percent share of the route's requests. */
export type RouteCanary = NonNullable<RouteEntry["canary"]>;
/** A model's applied quota as the routing document carries it. */
export type ModelQuota = z.infer<typeof modelQuotaSchema>;

export type ModelEntry = RoutingDocument["models"][string];
/** A workload of a document that attributes cost: its routes and its invoke ID per model. */
export type WorkloadEntry = NonNullable<RoutingDocument["workloads"]>[string];

/** The model entry for a foundation-model ID, own properties only (`toString` is not a model). */
export function modelOf(doc: Pick<RoutingDocument, "models">, modelId: string): ModelEntry | undefined {
  return Object.hasOwn(doc.models, modelId) ? doc.models[modelId] : undefined;
}

/** The route for a task, own properties only (`constructor` is a task only when the document names it). */
export function routeOf(doc: Pick<RoutingDocument, "routes">, task: string): RouteEntry | undefined {
  return Object.hasOwn(doc.routes, task) ? doc.routes[task] : undefined;
}

/** Issues named in a one-line reason; the rest are counted. */
const MAX_REASONS = 5;

/**
 * Names that cannot be carried safely as keys of plain objects (assigning `__proto__` replaces the prototype), so
 * they are refused rather than silently dropped, which is what zod's record does with them.
 */
const RESERVED_KEYS: readonly string[] = ["__proto__"];

/** `models["__proto__"]: ...` for every reserved key of the document's models and routes. */
function reservedKeyIssues(raw: unknown): string[] {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return [];
  const issues: string[] = [];
  for (const section of ["models", "routes", "workloads"] as const) {
    const value = Object.hasOwn(raw, section) ? (raw as Record<string, unknown>)[section] : undefined;
    if (typeof value !== "object" || value === null) continue;
    for (const key of RESERVED_KEYS) if (Object.hasOwn(value, key)) issues.push(`${jsonPath([section, key])}: "${key}" cannot be a name (reserved by JavaScript); rename it`);
  }
  return issues;
}

/** `a; b; c (and 7 more problems)` on one line. */
function oneLineReason(issues: readonly string[]): string {
  const shown = issues.slice(0, MAX_REASONS).join("; ");
  return issues.length > MAX_REASONS ? `${shown} (and ${issues.length - MAX_REASONS} more problems)` : shown;
}

/**
 * Parses and validates a routing document; returns the document or a one-line reason (every name it quotes escaped
 * and bounded). Never throws, whatever the text.
 */
export function parseRoutingDocument(text: string): RoutingDocument | string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return `not JSON: ${displayText(e instanceof Error ? e.message : String(e), 160)}`;
  }
  try {
    const reserved = reservedKeyIssues(raw);
    const r = routingDocumentSchema.safeParse(raw);
    const issues = [...reserved, ...(r.success ? [] : r.error.issues.map((i) => `${displayText(jsonPath(i.path), 160) || "(document)"}: ${i.message}`))];
    if (issues.length === 0 && r.success) return r.data;
    return oneLineReason(issues);
  } catch (e) {
    // A schema bug must not take the reader down: the document is refused and the last good one stays in use.
    return `cannot be validated: ${displayText(e instanceof Error ? e.message : String(e), 160)}`;
  }
}
