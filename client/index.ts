/**
 * Public entry of the routing client package (`@bedrock-access-baseline/routing-client`): the router, its error and
 * defaults, and the pieces of core/ an application uses beside it (routing-document schema, request builder, error
 * classification, quota math). Everything else in client/ is internal to the package.
 */
export { createRouter, ROUTER_DEFAULTS, RoutingError } from "./router";
export type { Candidate, DocumentStatus, Variant, RoutedResult, RoutedStream, RouteRequest, Router, RouterOptions, StreamResult } from "./router";
export type { RouterCause } from "./routing-error";
export type { MeterProviderLike, TelemetryOption, TracerProviderLike } from "./router-options";
export type { PollResult, RoutingProfileRef } from "./routing-source";
export { DEFAULT_BACKOFF, type BackoffOptions } from "./backoff";
export { DEFAULT_BREAKER, type BreakerOptions, type BreakerState, type BreakerView } from "./circuit-breaker";
export { QUOTA_ESTIMATE_DEFAULTS, type QuotaEstimateOptions, type QuotaSource, type QuotaView, type SharedQuotaView } from "./quota-estimate";
export { QUOTA_STORE_DEFAULTS, type QuotaStoreClient, type QuotaStoreOptions } from "./quota-store";
export type { QuotaStoreStatus, StoreState } from "./store-health";
export type { Clock } from "./clock";
export { DEFAULT_NAMESPACE, type CallMetrics, type EmfRecord, type MetricsSink, type Outcome } from "./metrics";
export type { CallOutcome } from "./outcome-report";
export { defaultMetricsSink, EMF_ENVIRONMENT, stderrSink, stdoutSink } from "./emf-sinks";
export { cloudWatchAgentSink, type AgentSink, type AgentSinkOptions } from "./emf-agent-sink";
export { GUARDRAIL_INTERVENED } from "./response-check";
export { canaryBucket } from "./canary-split";
export {
  CANARY_PERCENT_MAX,
  CANARY_PERCENT_MIN,
  parseRoutingDocument,
  ROUTE_SERVICE_TIERS,
  ROUTING_SCHEMA_VERSION,
  routingDocumentSchema,
  type ModelQuota,
  type RouteCanary,
  type RouteEntry,
  type RouteGuardrail,
  type RouteServiceTier,
  type RouteThinking,
  type RouteToolChoice,
  type RoutingDocument,
  type ThinkingType,
} from "../core/runtime";
export { isRefusal, REFUSAL_STOP_REASONS } from "../core/runtime";
export { buildConverseRequest, estimateInputTokens, type ConversationInput } from "../core/runtime";
export { classifyError, type Classification, type ErrorCategory, type ErrorContext, type ErrorLike } from "../core/runtime";
export { chargedTokens, reservedTokens, worstCaseCharge } from "../core/runtime";
export { estimateCostUsd, tokenPriceSchema, type PricedUsage, type TokenPrice, type WorkloadEntry } from "../core/runtime";
