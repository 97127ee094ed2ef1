import type { Variant } from "./canary-split";

/**
 * One CloudWatch Embedded Metric Format record per routed call (two when a refusal falls back: the refused answer and the
 * next candidate's). Dimensions stay low-cardinality (task, model, outcome,
 * fellBack: every combination is a custom metric, billed per metric, https://aws.amazon.com/cloudwatch/pricing/); the variant (primary/canary), the service tier and the guardrail are log fields beside
 * them (the model dimension already tells a canary's calls apart), and a guarded route's calls
 * count interventions (GuardrailIntervened, 1 or 0, so Sum is the count and Average the rate). The record never
 * carries prompts, system text or model output.
 */

/** Where records go (client/emf-sinks.ts: stdout in AWS Lambda, the CloudWatch agent when configured, else stderr). */
export type MetricsSink = (record: EmfRecord) => void;

/**
 * How a routed call ended; bounded set, used as the `Outcome` dimension. `refused`: the model answered with a refusal
 * stop reason (core/runtime/refusal.ts): an answer, never counted as a success.
 */
export type Outcome = "success" | "refused" | "configuration" | "access" | "marketplace-pending" | "capacity" | "model" | "caller" | "cancelled";

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
  /** Answered calls: whether the answer was a refusal (the `Refusals` metric, per model and variant). Absent: no answer. */
  readonly refused?: boolean;
  /**
   * A route with `onRefusal: fallback`: `tried` on the refused answer a fallback followed, `served` on the answer the
   * next candidate gave after it (a log field).
   */
  readonly refusalFallback?: "tried" | "served";
  /** On a `served` record: the model whose refusal the call fell back from (a log field). */
  readonly refusedBy?: string;
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
/**
 * The `Refusals` metric (1 refused, 0 answered; Average is the refusal rate, SampleCount the answered calls): per model,
 * which the refusal-rate alarm watches, and per model and variant, which the dashboard draws. A directive of its own, so
 * the call metrics above keep their dimensions and count (every set of dimensions is a metric of its own).
 */
export const REFUSAL_DIMENSIONS: ReadonlyArray<readonly string[]> = [["Model"], ["Model", "Variant"]];
export const REFUSALS_METRIC = "Refusals";

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

const REFUSAL_DIRECTIVE = [{ Name: REFUSALS_METRIC, Unit: "Count" }] as const;

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
  const directives: Array<EmfRecord["_aws"]["CloudWatchMetrics"][number]> = [{ Namespace: namespace, Dimensions: DIMENSIONS, Metrics: directive(Object.keys(values) as MetricName[]) }];
  if (m.refused !== undefined) directives.push({ Namespace: namespace, Dimensions: REFUSAL_DIMENSIONS, Metrics: REFUSAL_DIRECTIVE });
  return {
    _aws: { Timestamp: timestamp, CloudWatchMetrics: directives },
    Task: m.task,
    Model: m.model,
    Outcome: m.outcome,
    FellBack: m.fellBack ? "true" : "false",
    // A refusal directive needs the Variant dimension on every answered call; a call outside any route has none.
    ...(m.variant || m.refused !== undefined ? { Variant: m.variant ?? "primary" } : {}),
    ...(m.refused !== undefined ? { [REFUSALS_METRIC]: m.refused ? 1 : 0 } : {}),
    ...(m.refusalFallback ? { RefusalFallback: m.refusalFallback } : {}),
    ...(m.refusedBy ? { RefusedBy: m.refusedBy } : {}),
    Streaming: m.streaming,
    ...(m.cause ? { Cause: m.cause } : {}),
    ...(m.serviceTier ? { ServiceTier: m.serviceTier } : {}),
    ...(m.guardrail ? { Guardrail: m.guardrail } : {}),
    ...values,
  };
}
