import { isRefusal } from "./refusal";

/*
 * The vocabulary of the routing client's CloudWatch Embedded Metric Format records
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html),
 * declared once: the client writes its records from it (client/metrics.ts), and the baseline's routing dashboard, its
 * client-side alarms and its saved Logs Insights queries (core/observability) read the same names, so they cannot
 * drift apart. Every dimension is low-cardinality (task, model, outcome, variant): each combination is a custom metric,
 * billed per metric (https://aws.amazon.com/cloudwatch/pricing/). Never prompts, system text or model output.
 */

/** The namespace client metrics go to unless the environment's `metricsNamespace` (and the router's option) says otherwise. */
export const DEFAULT_METRICS_NAMESPACE = "BedrockRouting";

/**
 * How a routed call ended; the `Outcome` dimension. Answered: `success`, `guardrail` (a guardrail blocked the prompt or
 * the answer: the result is its blocked message), `refused` (the model declined, a refusal stop reason). Failed: the
 * error categories of core/runtime/error-classification.ts. Neither: `caller` (a malformed request refused before any
 * wire call) and `cancelled` (the caller stopped reading a stream).
 */
export const CALL_OUTCOMES = ["success", "guardrail", "refused", "capacity", "configuration", "access", "marketplace-pending", "model", "caller", "cancelled"] as const;
/** A value of the `Outcome` dimension. */
export type Outcome = (typeof CALL_OUTCOMES)[number];

/** Outcomes of a call the route failed to serve: every candidate exhausted for capacity, or an error no fallback helps. */
export const FAILED_OUTCOMES: readonly Outcome[] = ["capacity", "configuration", "access", "marketplace-pending", "model"];

/**
 * The stop reason of an answer a guardrail blocked (the prompt or the answer): an answer (the guardrail's blocked
 * message), not an error, so it is neither retried nor fallen back from.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#API_runtime_Converse_ResponseSyntax
 */
export const GUARDRAIL_INTERVENED = "guardrail_intervened";

/** The outcome of an answered call, by its stop reason. */
export function answeredOutcome(stopReason: string | undefined): Outcome {
  if (stopReason === GUARDRAIL_INTERVENED) return "guardrail";
  if (stopReason !== undefined && isRefusal(stopReason)) return "refused";
  return "success";
}

/**
 * Whether a call counts in its route's fallback and failure rates: every call the router tried to serve. A caller's
 * malformed request and a stream the caller cancelled say nothing about the route.
 */
export function countsForRouteRates(outcome: Outcome): boolean {
  return outcome !== "caller" && outcome !== "cancelled";
}

/** The metrics of a call record and their CloudWatch units. */
export const ROUTING_METRIC_UNITS = {
  /** End to end, as the application saw it: retries, backoffs and fallbacks included. */
  LatencyMs: "Milliseconds",
  /** Streams only: from the call to the first content event. */
  TimeToFirstTokenMs: "Milliseconds",
  InputTokens: "Count",
  OutputTokens: "Count",
  /** Input estimate + maxTokens: what the call reserved of the quota. */
  ReservedTokens: "Count",
  /** Wire calls the router made for the call. */
  Attempts: "Count",
  /** Guarded routes' answered calls: 1 when a guardrail intervened, else 0. */
  GuardrailIntervened: "Count",
  /** Always 1: Sum is the number of calls. */
  Calls: "Count",
  /** 1 when a model other than the first of the call's order served (or last failed), else 0: Average is the fallback rate. */
  Fallbacks: "Count",
  /** 1 when the route could not serve the call (a FAILED_OUTCOMES outcome), else 0: Average is the failure rate. */
  Failures: "Count",
  /** Estimated USD of the call (tokens x the model's price from the routing document, core/runtime/cost-estimate.ts); priced calls only. */
  EstimatedCostUsd: "None",
  /** Answered calls: 1 when the model declined (outcome `refused`), else 0: Average is the refusal rate. */
  Refusals: "Count",
} as const;
/** A metric name of a call record. */
export type RoutingMetricName = keyof typeof ROUTING_METRIC_UNITS;

/** Dimension (and log field) names of a call record. */
export const ROUTING_DIMENSIONS = { task: "Task", model: "Model", outcome: "Outcome", fellBack: "FellBack", variant: "Variant", workload: "Workload" } as const;

/** Log fields of a call record that are neither dimensions nor metrics (what the saved queries read besides them). */
export const ROUTING_LOG_FIELDS = {
  workload: "Workload",
  cause: "Cause",
  fallbackCause: "FallbackCause",
  streaming: "Streaming",
  serviceTier: "ServiceTier",
  guardrail: "Guardrail",
  /** `tried` on a refusal a route's `onRefusal: fallback` followed, `served` on the answer after it. */
  refusalFallback: "RefusalFallback",
  /** On a `served` record: the model whose refusal the call fell back from. */
  refusedBy: "RefusedBy",
} as const;

/** One EMF metric directive: the dimension sets some of a record's metrics are aggregated by. */
export interface MetricView {
  /** What the view is for, in docs and tests. */
  readonly name: string;
  readonly dimensions: ReadonlyArray<readonly string[]>;
  /** The metrics it carries (those present on the record). */
  readonly metrics: readonly RoutingMetricName[];
}

const D = ROUTING_DIMENSIONS;

/**
 * The record's views. `call` is the client's original directive, unchanged (dashboards and alarms teams built on it keep
 * working); the others are what the routing dashboard and the client-side alarms read, each with only the metrics it
 * needs, so a task costs about 20 custom metrics beyond `call`'s: `route` per task (latency, tokens, attempts and the
 * fallback and failure rates), `distribution` one count per model and per outcome of the task, `variant` the canary's
 * calls beside the primary's, `refusals` the answered calls' refusals per model (and variant).
 */
export const METRIC_VIEWS = {
  call: { name: "call", dimensions: [[D.task, D.model, D.outcome, D.fellBack]], metrics: ["LatencyMs", "TimeToFirstTokenMs", "InputTokens", "OutputTokens", "ReservedTokens", "Attempts", "GuardrailIntervened"] },
  route: { name: "route", dimensions: [[D.task]], metrics: ["LatencyMs", "TimeToFirstTokenMs", "InputTokens", "OutputTokens", "Attempts", "Fallbacks", "Failures"] },
  distribution: { name: "distribution", dimensions: [[D.task, D.model], [D.task, D.outcome]], metrics: ["Calls"] },
  variant: { name: "variant", dimensions: [[D.task, D.variant]], metrics: ["LatencyMs", "Fallbacks", "Failures"] },
  /** Estimated spend per workload (the spend-rate alarm) and per workload and model (the dashboard's cost rows): docs/cost.md. */
  cost: { name: "cost", dimensions: [[D.workload], [D.workload, D.model]], metrics: ["EstimatedCostUsd"] },
  /** Estimated spend per model, for a router that names no workload. */
  costByModel: { name: "cost-by-model", dimensions: [[D.model]], metrics: ["EstimatedCostUsd"] },
  /** Per model (the refusal-rate alarm) and per model and variant (the dashboard): answered calls only. */
  refusals: { name: "refusals", dimensions: [[D.model], [D.model, D.variant]], metrics: ["Refusals"] },
} as const satisfies Record<string, MetricView>;

/** Outcomes of a call that answered (the model or a guardrail): what the refusal rate is a share of. */
export const ANSWERED_OUTCOMES: readonly Outcome[] = ["success", "guardrail", "refused"];

/**
 * The views a record of this outcome belongs to: every record is counted (`call`, `distribution`); a caller's
 * malformed request stays out of the route's latency and rates (it never reached a model), and only a record with a
 * variant can be split by it. Its estimated cost, when it has one, goes per workload, or per model without a workload.
 */
export function viewsOf(outcome: Outcome, hasVariant: boolean, hasWorkload = false): MetricView[] {
  const routed = outcome !== "caller";
  const answered = hasVariant && ANSWERED_OUTCOMES.includes(outcome);
  return [
    METRIC_VIEWS.call,
    ...(routed ? [METRIC_VIEWS.route] : []),
    METRIC_VIEWS.distribution,
    ...(routed && hasVariant ? [METRIC_VIEWS.variant] : []),
    ...(answered ? [METRIC_VIEWS.refusals] : []),
    hasWorkload ? METRIC_VIEWS.cost : METRIC_VIEWS.costByModel,
  ];
}

/**
 * The quota store's record (client/metrics.ts, storeEventRecord): one per degradation (value 1) and per recovery (0),
 * never per call, with the router's region as its one dimension. Its Sum over a period counts degradations, which the
 * baseline's quota-store alarm reads (core/observability/quota-store-alarm.ts).
 */
export const QUOTA_STORE_METRIC = { name: "QuotaStoreDegraded", regionDimension: "Region" } as const;

/**
 * What an application reports about a call it made (router.reportOutcome, client/outcome-report.ts): a record of its
 * own, never text. `TaskSuccess` is 1 or 0 (Average: the success rate), `QualityScore` its optional 0-1 score; by task,
 * serving model and variant, what the canary-quality alarm compares and the dashboard draws.
 */
export const OUTCOME_REPORT = {
  success: "TaskSuccess",
  score: "QualityScore",
  units: { TaskSuccess: "Count", QualityScore: "None" },
  dimensions: [[D.task, D.model, D.variant]],
} as const;
