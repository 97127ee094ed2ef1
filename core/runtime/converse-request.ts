import type { ContentBlock, ConverseRequest, Message, SystemContentBlock, ToolChoice, ToolConfiguration } from "@aws-sdk/client-bedrock-runtime";
import type { DocumentType } from "@smithy/types";
import type { RouteEntry, RouteThinking } from "./routing-document";

/** What a caller asks for: the conversation, never the model (the route picks it). */
export interface ConversationInput {
  readonly messages: readonly Message[];
  readonly system?: readonly SystemContentBlock[];
  /** Key-value pairs Bedrock writes to invocation logs (≤16 pairs). Default: none. */
  readonly requestMetadata?: Readonly<Record<string, string>>;
  /**
   * Tools the model may call (Converse toolConfig). A forced choice (`any`, or naming a tool) must be the route's
   * (routes.<task>.toolChoice), where synth checks every candidate accepts it; the client refuses one the route does not
   * declare. Default: no tools.
   */
  readonly toolConfig?: ToolConfiguration;
}

/** Largest maxTokens a smoke probe sends: probes cost tokens and quota, so they stay tiny. */
export const PROBE_MAX_TOKENS = 16;

/** The fixed smoke prompt; short so each probe reserves only a few input tokens. */
export const PROBE_CONVERSATION: ConversationInput = {
  messages: [{ role: "user", content: [{ text: "Reply with the single word: pong" } as ContentBlock] }],
  requestMetadata: { purpose: "smoke-test" },
};

/** What of a route shapes its requests. */
export type RequestShape = Pick<RouteEntry, "maxTokens" | "temperature" | "serviceTier" | "guardrail" | "topP" | "thinking" | "toolChoice">;

/** Geography prefixes of system inference-profile IDs (core/aws/geography.ts keeps the full list with sources). */
const PROFILE_PREFIX = /^(us|eu|apac|jp|au|us-gov|global)$/;

/**
 * The model provider an invoke ID names (`us.anthropic.claude-…` and `anthropic.claude-…` -> `anthropic`), for
 * provider-specific request fields. An application-profile ARN is opaque (its ID names no provider): "".
 */
export function providerOf(invokeId: string): string {
  const id = invokeId.slice(invokeId.lastIndexOf("/") + 1);
  const [first, second] = id.split(".");
  if (second === undefined) return "";
  return PROFILE_PREFIX.test(first) ? second : first;
}

/**
 * The provider's field for the route's thinking, sent in `additionalModelRequestFields`: Anthropic's `thinking`
 * (`{type, budget_tokens}`, https://platform.claude.com/docs/en/build-with-claude/extended-thinking) and Amazon Nova's
 * `reasoningConfig` (`disabled`/`enabled`, https://docs.aws.amazon.com/nova/latest/nova2-userguide/extended-thinking.html;
 * `adaptive` maps to enabled at the model's own effort). Other providers get none: validation warns about such a route.
 */
export function thinkingFields(invokeId: string, thinking: RouteThinking | undefined): Record<string, DocumentType> | undefined {
  if (!thinking) return undefined;
  const provider = providerOf(invokeId);
  if (provider === "anthropic") return { thinking: thinking.type === "enabled" ? { type: "enabled", budget_tokens: thinking.budgetTokens ?? 0 } : { type: thinking.type } };
  if (provider === "amazon") return { reasoningConfig: { type: thinking.type === "disabled" ? "disabled" : "enabled" } };
  return undefined;
}

/** The tool configuration a call sends: the caller's tools with the route's forced choice, when it declares one. */
function toolConfigOf(route: RequestShape, input: ConversationInput): ToolConfiguration | undefined {
  const config = input.toolConfig;
  if (!config) return undefined;
  if (route.toolChoice !== "any" || config.toolChoice) return config;
  return { ...config, toolChoice: { any: {} } as ToolChoice };
}

/**
 * Builds the Converse/ConverseStream request for one route target. The single place requests are made (invariant 4):
 * the router and the smoke probe both call it. `maxTokens` is always set (an unset value reserves the model maximum
 * against the TPM quota); temperature, topP, thinking and a forced tool choice only when the route sets them (models
 * differ in which they accept: catalog/overlay.json requestConstraints, checked by synth and the toggle). The
 * route's service tier and guardrail go on every request of the route: workload IAM allows only the declared tier
 * (`bedrock:ServiceTier`) and, on a guarded route's models, only calls that carry the guardrail
 * (`bedrock:GuardrailIdentifier`), so a request without them would be refused.
 */
export function buildConverseRequest(invokeId: string, route: RequestShape, input: ConversationInput, options: { maxTokensCap?: number } = {}): ConverseRequest {
  const maxTokens = Math.min(route.maxTokens, options.maxTokensCap ?? Number.POSITIVE_INFINITY);
  if (!Number.isInteger(maxTokens) || maxTokens < 1) throw new Error(`maxTokens must be a positive integer for ${invokeId}, got ${route.maxTokens}`);
  if (input.messages.length === 0) throw new Error("a conversation needs at least one message");
  const thinking = thinkingFields(invokeId, route.thinking);
  const tools = toolConfigOf(route, input);
  return {
    modelId: invokeId,
    messages: input.messages.map((m) => ({ role: m.role, content: m.content })),
    ...(input.system?.length ? { system: [...input.system] } : {}),
    inferenceConfig: { maxTokens, ...(route.temperature === undefined ? {} : { temperature: route.temperature }), ...(route.topP === undefined ? {} : { topP: route.topP }) },
    ...(thinking ? { additionalModelRequestFields: thinking } : {}),
    ...(tools ? { toolConfig: tools } : {}),
    ...(input.requestMetadata ? { requestMetadata: { ...input.requestMetadata } } : {}),
    ...(route.serviceTier ? { serviceTier: { type: route.serviceTier } } : {}),
    ...(route.guardrail ? { guardrailConfig: { guardrailIdentifier: route.guardrail.identifier, guardrailVersion: route.guardrail.version } } : {}),
  };
}

/** Rough input-token count (chars / 4) for reservation figures before a response reports the real one. */
export function estimateInputTokens(input: ConversationInput): number {
  const text = [...input.messages.flatMap((m) => m.content ?? []), ...(input.system ?? [])]
    .map((b) => ("text" in b && typeof b.text === "string" ? b.text : ""))
    .join("");
  return Math.ceil(text.length / 4);
}
