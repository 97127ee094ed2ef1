import type { TokenUsage } from "@aws-sdk/client-bedrock-runtime";
import type { RequestShape } from "../core/runtime";

/**
 * The OpenTelemetry GenAI semantic conventions the router's spans and metrics follow, pinned to one release:
 * v1.41.0, the last release of https://github.com/open-telemetry/semantic-conventions that holds the GenAI documents
 * (they moved to https://github.com/open-telemetry/semantic-conventions-genai afterwards). The conventions are still
 * "Development": names may change between releases, so they live here, in one file (docs/tracing.md says how to move).
 * Spans:   https://github.com/open-telemetry/semantic-conventions/blob/v1.41.0/docs/gen-ai/gen-ai-spans.md
 * Bedrock: https://github.com/open-telemetry/semantic-conventions/blob/v1.41.0/docs/gen-ai/aws-bedrock.md
 * Metrics: https://github.com/open-telemetry/semantic-conventions/blob/v1.41.0/docs/gen-ai/gen-ai-metrics.md
 * Never a prompt, system text or answer: the content attributes (gen_ai.input.messages, ...) are opt-in there and
 * never set here.
 */
export const GENAI_CONVENTIONS = {
  version: "1.41.0",
  schemaUrl: "https://opentelemetry.io/schemas/1.41.0",
} as const;

/** GenAI attribute names (v1.41.0). */
export const GENAI = {
  operationName: "gen_ai.operation.name",
  providerName: "gen_ai.provider.name",
  requestModel: "gen_ai.request.model",
  requestMaxTokens: "gen_ai.request.max_tokens",
  requestTemperature: "gen_ai.request.temperature",
  requestStream: "gen_ai.request.stream",
  responseModel: "gen_ai.response.model",
  responseFinishReasons: "gen_ai.response.finish_reasons",
  responseTimeToFirstChunk: "gen_ai.response.time_to_first_chunk",
  usageInputTokens: "gen_ai.usage.input_tokens",
  usageOutputTokens: "gen_ai.usage.output_tokens",
  usageCacheReadInputTokens: "gen_ai.usage.cache_read.input_tokens",
  usageCacheCreationInputTokens: "gen_ai.usage.cache_creation.input_tokens",
  tokenType: "gen_ai.token.type",
  bedrockGuardrailId: "aws.bedrock.guardrail.id",
  errorType: "error.type",
} as const;

/** Values the conventions define. */
export const GENAI_VALUES = { chat: "chat", awsBedrock: "aws.bedrock", input: "input", output: "output" } as const;

/** The router's own attributes (not part of the conventions; namespaced as the conventions ask of custom ones). */
export const ROUTING = {
  task: "bedrock_routing.task",
  variant: "bedrock_routing.variant",
  fellBack: "bedrock_routing.fell_back",
  /** Attempt spans: 1 for the first wire call of a routed call. */
  attempt: "bedrock_routing.attempt",
  /** Call spans: wire calls made. */
  attempts: "bedrock_routing.attempts",
  /** Call spans: the foundation-model ID that served. */
  servedBy: "bedrock_routing.served_by",
  serviceTier: "bedrock_routing.service_tier",
  guardrailIntervened: "bedrock_routing.guardrail_intervened",
  errorCategory: "bedrock_routing.error.category",
  errorCause: "bedrock_routing.error.cause",
} as const;

/** Metric instruments (v1.41.0), with the bucket boundaries the conventions recommend. */
export const GENAI_METRICS = {
  tokenUsage: { name: "gen_ai.client.token.usage", unit: "{token}", description: "Number of input and output tokens used.", buckets: [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864] },
  operationDuration: { name: "gen_ai.client.operation.duration", unit: "s", description: "GenAI operation duration.", buckets: [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92] },
} as const;

/** Attribute values: what OpenTelemetry's Attributes accept, without depending on its types. */
export type AttributeMap = Record<string, string | number | boolean | string[]>;

/** What every GenAI span and metric of one wire call to `invokeId` carries. */
export function requestAttributes(invokeId: string, route: RequestShape, streaming: boolean): AttributeMap {
  return {
    [GENAI.operationName]: GENAI_VALUES.chat,
    [GENAI.providerName]: GENAI_VALUES.awsBedrock,
    // The ID sent as Converse modelId: an inference profile for cross-region routes.
    [GENAI.requestModel]: invokeId,
    [GENAI.requestMaxTokens]: route.maxTokens,
    ...(route.temperature === undefined ? {} : { [GENAI.requestTemperature]: route.temperature }),
    // "If and only if the request is streaming" (the conventions leave it unset otherwise).
    ...(streaming ? { [GENAI.requestStream]: true } : {}),
    ...(route.guardrail ? { [GENAI.bedrockGuardrailId]: route.guardrail.identifier } : {}),
  };
}

/** What an answer adds: the foundation model that answered, why it stopped and the tokens it reports. */
export function answerAttributes(modelId: string, stopReason: string | undefined, usage: TokenUsage | undefined): AttributeMap {
  return {
    [GENAI.responseModel]: modelId,
    ...(stopReason ? { [GENAI.responseFinishReasons]: [stopReason] } : {}),
    ...usageAttributes(usage),
  };
}

/** Token counts as the conventions name them; cache figures only when Bedrock reports them. */
export function usageAttributes(usage: TokenUsage | undefined): AttributeMap {
  if (!usage) return {};
  const out: AttributeMap = {};
  if (typeof usage.inputTokens === "number") out[GENAI.usageInputTokens] = usage.inputTokens;
  if (typeof usage.outputTokens === "number") out[GENAI.usageOutputTokens] = usage.outputTokens;
  if (typeof usage.cacheReadInputTokens === "number") out[GENAI.usageCacheReadInputTokens] = usage.cacheReadInputTokens;
  if (typeof usage.cacheWriteInputTokens === "number") out[GENAI.usageCacheCreationInputTokens] = usage.cacheWriteInputTokens;
  return out;
}

/**
 * error.type for a failure: the exception name Bedrock or the SDK gave (ThrottlingException, TimeoutError), or, for
 * the router's own conditions (errorName RoutingError), the cause (deadline-exceeded, attempts-exhausted, ...):
 * low-cardinality either way, as the conventions ask.
 */
export function errorType(classification: { readonly errorName: string; readonly cause: string }): string {
  return classification.errorName === "RoutingError" ? classification.cause : classification.errorName;
}
