import { ANSWERED_OUTCOMES, countsForRouteRates, DEFAULT_METRICS_NAMESPACE, FAILED_OUTCOMES, type MetricView, type Outcome, QUOTA_STORE_METRIC, ROUTING_LOG_FIELDS, ROUTING_METRIC_UNITS, type RoutingMetricName, viewsOf } from "../core/runtime";
import type { Variant } from "./canary-split";
import type { StoreEvent } from "./store-health";

/**
 * One CloudWatch Embedded Metric Format record per routed call, in the vocabulary core/runtime/routing-metrics.ts
 * declares (the baseline's routing dashboard, alarms and saved queries read the same names). Dimensions stay
 * low-cardinality (task, model, outcome, fell back, variant: every combination is a custom metric, billed per metric,
 * https://aws.amazon.com/cloudwatch/pricing/), grouped in a few metric directives that each carry only the metrics
 * their readers need; the service tier, the guardrail and the causes are log fields. A guarded route's calls count
 * interventions (GuardrailIntervened, 1 or 0, so Sum is the count and Average the rate), and every call that reached
 * routing counts Fallbacks and Failures the same way. A call that reported usage of a priced model carries its
 * estimated cost (EstimatedCostUsd) per Workload and per Workload and Model (per Model when the router names no
 * workload): what the spend-rate alarm and the dashboard's cost rows read (docs/cost.md). The record never carries
 * prompts, system text or model output.
 */

/** Where records go (client/emf-sinks.ts: stdout in AWS Lambda, the CloudWatch agent when configured, else stderr). */
export type MetricsSink = (record: EmfRecord) => void;

export type { Outcome } from "../core/runtime";

export interface CallMetrics {
  readonly task: string;
  /** Foundation-model ID that served (or last failed); "none" when no model was called. */
  readonly model: string;
  readonly outcome: Outcome;
  /** `primary` or `canary`: the route order the call took (a dimension of the `variant` view; absent when no route was resolved). */
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
  /**
   * Why an answered call fell back: the classification cause of the last failed attempt before the one that served,
   * or `passed-over` when no attempt failed (the first candidates' breakers were open or their quota estimates had no
   * room). A log field; absent when the call did not fall back.
   */
  readonly fallbackCause?: string;
  readonly streaming: boolean;
  /** The workload the application runs as (the router's `workload` option): a log field, and a dimension of the cost view. */
  readonly workload?: string;
  /** Tokens read from / written to the prompt cache, when the response reports them (priced, not recorded). */
  readonly cacheReadInputTokens?: number;
  readonly cacheWriteInputTokens?: number;
  /** Estimated USD of the call (tokens x the model's price from the routing document); absent when no price is known. */
  readonly estimatedCostUsd?: number;
  /**
   * The service tier: the one the response says served the call, else the one the route requested (the response may
   * not echo it); absent when neither names one (Standard). A log field.
   */
  readonly serviceTier?: string;
  /** The route's guardrail (its name in the environment file), when it has one. A log field. */
  readonly guardrail?: string;
  /** Guarded routes' answered calls: the answer ended with stopReason guardrail_intervened. */
  readonly guardrailIntervened?: boolean;
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

export const DEFAULT_NAMESPACE = DEFAULT_METRICS_NAMESPACE;
/** The dimension sets of the record's first directive (the original one). */
export const DIMENSIONS: ReadonlyArray<readonly string[]> = viewsOf("success", false)[0].dimensions;

type Directive = { readonly Namespace: string; readonly Dimensions: ReadonlyArray<readonly string[]>; readonly Metrics: ReadonlyArray<{ Name: string; Unit: string }> };

/** The directive of each view, namespace and set of metrics present (built once per shape, not per call). */
const directiveCache = new Map<string, Directive>();
function directive(namespace: string, view: MetricView, present: ReadonlySet<RoutingMetricName>): Directive | undefined {
  const names = view.metrics.filter((n) => present.has(n));
  if (names.length === 0) return undefined;
  const key = `${namespace}\u0000${view.name}\u0000${names.join(",")}`;
  let d = directiveCache.get(key);
  if (!d) {
    d = { Namespace: namespace, Dimensions: view.dimensions, Metrics: names.map((n) => ({ Name: n, Unit: ROUTING_METRIC_UNITS[n] })) };
    // Bounded by the few namespaces a process uses x 4 views x the metric subsets a record can have.
    directiveCache.set(key, d);
  }
  return d;
}

function metricValues(m: CallMetrics): Partial<Record<RoutingMetricName, number>> {
  const values: Partial<Record<RoutingMetricName, number>> = { LatencyMs: m.latencyMs, Attempts: m.attempts, ReservedTokens: m.reservedTokens };
  if (m.timeToFirstTokenMs !== undefined) values.TimeToFirstTokenMs = m.timeToFirstTokenMs;
  if (m.inputTokens !== undefined) values.InputTokens = m.inputTokens;
  if (m.outputTokens !== undefined) values.OutputTokens = m.outputTokens;
  if (m.guardrailIntervened !== undefined) values.GuardrailIntervened = m.guardrailIntervened ? 1 : 0;
  if (m.estimatedCostUsd !== undefined) values.EstimatedCostUsd = m.estimatedCostUsd;
  values.Calls = 1;
  // Answered calls of a routed call count refusals (0 or 1): the refusal rate per model and variant.
  if (m.variant !== undefined && ANSWERED_OUTCOMES.includes(m.outcome)) values.Refusals = m.outcome === "refused" ? 1 : 0;
  if (countsForRouteRates(m.outcome)) {
    values.Fallbacks = m.fellBack ? 1 : 0;
    values.Failures = FAILED_OUTCOMES.includes(m.outcome) ? 1 : 0;
  }
  return values;
}

export function emfRecord(namespace: string, m: CallMetrics, timestamp: number): EmfRecord {
  const values = metricValues(m);
  const present = new Set(Object.keys(values) as RoutingMetricName[]);
  const directives = viewsOf(m.outcome, m.variant !== undefined, m.workload !== undefined).flatMap((v) => directive(namespace, v, present) ?? []);
  return {
    _aws: { Timestamp: timestamp, CloudWatchMetrics: directives },
    Task: m.task,
    Model: m.model,
    Outcome: m.outcome,
    FellBack: m.fellBack ? "true" : "false",
    ...(m.variant ? { Variant: m.variant } : {}),
    ...(m.workload ? { Workload: m.workload } : {}),
    Streaming: m.streaming,
    ...(m.cause ? { Cause: m.cause } : {}),
    ...(m.fallbackCause ? { FallbackCause: m.fallbackCause } : {}),
    ...(m.serviceTier ? { ServiceTier: m.serviceTier } : {}),
    ...(m.guardrail ? { Guardrail: m.guardrail } : {}),
    ...(m.refusalFallback ? { [ROUTING_LOG_FIELDS.refusalFallback]: m.refusalFallback } : {}),
    ...(m.refusedBy ? { [ROUTING_LOG_FIELDS.refusedBy]: m.refusedBy } : {}),
    ...values,
  };
}

/**
 * One record when the quota store degrades or comes back (client/store-health.ts), never per call: metric
 * `QuotaStoreDegraded` (1 on degradation, 0 on recovery; alarm on its Maximum) with the router's Region as dimension,
 * and as log fields the event, the store (redacted), the cause and a message.
 */
export function storeEventRecord(namespace: string, region: string, e: StoreEvent, timestamp: number): EmfRecord {
  return {
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [[QUOTA_STORE_METRIC.regionDimension]], Metrics: [{ Name: QUOTA_STORE_METRIC.name, Unit: "Count" }] }],
    },
    [QUOTA_STORE_METRIC.regionDimension]: region,
    QuotaStore: e.kind,
    Store: e.store,
    ...(e.cause ? { Cause: e.cause } : {}),
    ...(e.degradedMs !== undefined ? { DegradedMs: Math.round(e.degradedMs) } : {}),
    Message: e.message,
    [QUOTA_STORE_METRIC.name]: e.kind === "degraded" ? 1 : 0,
  };
}
