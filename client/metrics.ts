import type { Variant } from "./canary-split";

/**
 * One CloudWatch Embedded Metric Format record per routed call. Dimensions stay low-cardinality (task, model, outcome,
 * fellBack: every combination is a custom metric, billed per metric, https://aws.amazon.com/cloudwatch/pricing/); the variant (primary/canary), the service tier and the guardrail are log fields beside
 * them (the model dimension already tells a canary's calls apart), and a guarded route's calls
 * count interventions (GuardrailIntervened, 1 or 0, so Sum is the count and Average the rate). A priced call also
 * carries its estimated cost (EstimatedCostUsd) in a second directive, per Workload and per Workload and Model (per
 * Model when the router names no workload): what the spend-rate alarm and the dashboard's spend rows read
 * (docs/cost.md). The record never carries prompts, system text or model output.
 */

/** Where records go (client/emf-sinks.ts: stdout in AWS Lambda, the CloudWatch agent when configured, else stderr). */
export type MetricsSink = (record: EmfRecord) => void;

/** How a routed call ended; bounded set, used as the `Outcome` dimension. */
export type Outcome = "success" | "configuration" | "access" | "marketplace-pending" | "capacity" | "model" | "caller" | "cancelled";

export interface CallMetrics {
  readonly task: string;
  /** Foundation-model ID that served (or last failed); "none" when no model was called. */
  readonly model: string;
  readonly outcome: Outcome;
  /** `primary` or `canary`: the route order the call took (a log field; absent when no route was resolved). */
  readonly variant?: Variant;
  readonly fellBack: boolean;
  readonly latencyMs: number;
  readonly attempts: number;
  readonly reservedTokens: number;
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  /** Streams only. */
  readonly timeToFirstTokenMs?: number;
  /** Classification cause of a failure (a log field, not a dimension). */
  readonly cause?: string;
  readonly streaming: boolean;
  /**
   * The service tier: the one the response says served the call, else the one the route requested (the response may
   * not echo it); absent when neither names one (Standard). A log field.
   */
  readonly serviceTier?: string;
  /** The route's guardrail (its name in the environment file), when it has one. A log field. */
  readonly guardrail?: string;
  /** Guarded routes' answered calls: the answer ended with stopReason guardrail_intervened. */
  readonly guardrailIntervened?: boolean;
  /** The workload the router runs as (createRouter `workload`): a dimension of the cost metric, and a log field. */
  readonly workload?: string;
  /** Tokens read from / written to the prompt cache, when the response reports them (priced, not recorded). */
  readonly cacheReadInputTokens?: number;
  readonly cacheWriteInputTokens?: number;
  /** Estimated USD of the call (tokens x the model's price from the routing document); absent when no price is known. */
  readonly estimatedCostUsd?: number;
}

export interface EmfRecord {
  readonly _aws: {
    readonly Timestamp: number;
    readonly CloudWatchMetrics: ReadonlyArray<{
      readonly Namespace: string;
      readonly Dimensions: ReadonlyArray<readonly string[]>;
      readonly Metrics: ReadonlyArray<{ readonly Name: string; readonly Unit: string }>;
    }>;
  };
  readonly [field: string]: unknown;
}

export const DEFAULT_NAMESPACE = "BedrockRouting";
export const DIMENSIONS: ReadonlyArray<readonly string[]> = [["Task", "Model", "Outcome", "FellBack"]];
/** The cost metric's dimension sets: per workload (the spend-rate alarm) and per workload and model (the dashboard). */
export const COST_DIMENSIONS: ReadonlyArray<readonly string[]> = [["Workload"], ["Workload", "Model"]];
/** The cost metric's dimension set when the router names no workload. */
export const COST_DIMENSIONS_WITHOUT_WORKLOAD: ReadonlyArray<readonly string[]> = [["Model"]];
/** The estimated cost metric (core/observability/cost-alarms.ts reads it by this name). */
export const ESTIMATED_COST = { Name: "EstimatedCostUsd", Unit: "None" } as const;

const UNITS = {
  LatencyMs: "Milliseconds",
  TimeToFirstTokenMs: "Milliseconds",
  InputTokens: "Count",
  OutputTokens: "Count",
  ReservedTokens: "Count",
  Attempts: "Count",
  GuardrailIntervened: "Count",
} as const;
type MetricName = keyof typeof UNITS;

/** The metric directive for each set of metrics present (built once per shape, not per call). */
const directiveCache = new Map<string, ReadonlyArray<{ Name: string; Unit: string }>>();
function directive(names: readonly MetricName[]): ReadonlyArray<{ Name: string; Unit: string }> {
  const key = names.join(",");
  let d = directiveCache.get(key);
  if (!d) {
    d = names.map((n) => ({ Name: n, Unit: UNITS[n] }));
    directiveCache.set(key, d);
  }
  return d;
}

export function emfRecord(namespace: string, m: CallMetrics, timestamp: number): EmfRecord {
  const values: Partial<Record<MetricName, number>> = {
    LatencyMs: m.latencyMs,
    Attempts: m.attempts,
    ReservedTokens: m.reservedTokens,
  };
  if (m.timeToFirstTokenMs !== undefined) values.TimeToFirstTokenMs = m.timeToFirstTokenMs;
  if (m.inputTokens !== undefined) values.InputTokens = m.inputTokens;
  if (m.outputTokens !== undefined) values.OutputTokens = m.outputTokens;
  if (m.guardrailIntervened !== undefined) values.GuardrailIntervened = m.guardrailIntervened ? 1 : 0;
  const cost = m.estimatedCostUsd === undefined ? [] : [{ Namespace: namespace, Dimensions: m.workload ? COST_DIMENSIONS : COST_DIMENSIONS_WITHOUT_WORKLOAD, Metrics: [ESTIMATED_COST] }];
  return {
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [{ Namespace: namespace, Dimensions: DIMENSIONS, Metrics: directive(Object.keys(values) as MetricName[]) }, ...cost],
    },
    Task: m.task,
    Model: m.model,
    Outcome: m.outcome,
    FellBack: m.fellBack ? "true" : "false",
    ...(m.variant ? { Variant: m.variant } : {}),
    Streaming: m.streaming,
    ...(m.cause ? { Cause: m.cause } : {}),
    ...(m.serviceTier ? { ServiceTier: m.serviceTier } : {}),
    ...(m.guardrail ? { Guardrail: m.guardrail } : {}),
    ...(m.workload ? { Workload: m.workload } : {}),
    ...values,
    ...(m.estimatedCostUsd === undefined ? {} : { [ESTIMATED_COST.Name]: m.estimatedCostUsd }),
  };
}
