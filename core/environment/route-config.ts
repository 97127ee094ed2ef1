import { z } from "zod";
import { MAX_FALLBACKS, routeCanarySchema, routeEntrySchema } from "../runtime";
import { routeAlarmsSchema } from "./alarm-config";
import { modelId } from "./model-config";

/**
 * TimeToFirstToken p90 (ms) a streaming route alarms above when it sets no `timeToFirstTokenP90Ms`: several times what
 * Claude and Nova models typically take for a prompt of a few thousand tokens, so it flags a degraded model or an
 * oversized prompt rather than ordinary variance.
 */
export const DEFAULT_TTFT_P90_MS = 5000;

/**
 * `routes.<task>`: which model serves a task and the request limits. Derived from the routing document's route
 * (core/runtime/routing-document.ts), so maxTokens, temperature, serviceTier and the canary's share are declared once;
 * here model IDs are checked for form, the guardrail is named (the document carries where it is), and the fields only
 * the baseline reads are added.
 */
export const routeSchema = routeEntrySchema.extend({
  /** Foundation-model ID of the primary model. */
  primary: modelId,
  /** Foundation-model IDs tried in order on capacity errors. Default: none. */
  fallbacks: z.array(modelId).max(MAX_FALLBACKS, `at most ${MAX_FALLBACKS} fallbacks keep worst-case latency bounded`).default([]),
  /** Name of a guardrail in `guardrails` applied to every request; the route's workloads cannot invoke its models without it. Default: none. */
  guardrail: z.string().min(1).optional(),
  /**
   * A new model taking `percent` of the route's traffic (docs/operations.md, "Upgrading a route's model"): IAM grants it
   * to the route's workloads, its alarms join the rollback alarm, and the baseline routing document carries it.
   * Default: none.
   */
  canary: routeCanarySchema.extend({ model: modelId }).optional(),
  /** Typical input tokens per request, used only for quota math in smoke reports. Default: 1000. */
  inputTokensEstimate: z.number().int().positive().max(10_000_000, "is beyond any model's context window").default(1000),
  /** The route's clients call ConverseStream: its models get a TimeToFirstToken alarm. Default: false. */
  streaming: z.boolean().default(false),
  /** p90 TimeToFirstToken in ms above which the models of this streaming route alarm. Default: DEFAULT_TTFT_P90_MS (streaming routes only). */
  timeToFirstTokenP90Ms: z.number().positive().optional(),
  /** Thresholds of this route's fallback-rate and failure-rate alarms (docs/observability.md). Default: those under `alarms`. */
  alarms: routeAlarmsSchema.optional(),
});
