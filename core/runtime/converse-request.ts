import type { ContentBlock, ConverseRequest, Message, SystemContentBlock } from "@aws-sdk/client-bedrock-runtime";
import type { RouteEntry } from "./routing-document";

/** What a caller asks for: the conversation, never the model (the route picks it). */
export interface ConversationInput {
  readonly messages: readonly Message[];
  readonly system?: readonly SystemContentBlock[];
  /** Key-value pairs Bedrock writes to invocation logs (≤16 pairs). Default: none. */
  readonly requestMetadata?: Readonly<Record<string, string>>;
}

/** Largest maxTokens a smoke probe sends: probes cost tokens and quota, so they stay tiny. */
export const PROBE_MAX_TOKENS = 16;

/** The fixed smoke prompt; short so each probe reserves only a few input tokens. */
export const PROBE_CONVERSATION: ConversationInput = {
  messages: [{ role: "user", content: [{ text: "Reply with the single word: pong" } as ContentBlock] }],
  requestMetadata: { purpose: "smoke-test" },
};

/** What of a route shapes its requests. */
export type RequestShape = Pick<RouteEntry, "maxTokens" | "temperature" | "serviceTier" | "guardrail">;

/**
 * Builds the Converse/ConverseStream request for one route target. The single place requests are made (invariant 4):
 * the router and the smoke probe both call it. `maxTokens` is always set (an unset value reserves the model maximum
 * against the TPM quota); temperature only when the route sets it (Sonnet 4.5+ rejects temperature with topP). The
 * route's service tier and guardrail go on every request of the route: workload IAM allows only the declared tier
 * (`bedrock:ServiceTier`) and, on a guarded route's models, only calls that carry the guardrail
 * (`bedrock:GuardrailIdentifier`), so a request without them would be refused.
 */
export function buildConverseRequest(invokeId: string, route: RequestShape, input: ConversationInput, options: { maxTokensCap?: number } = {}): ConverseRequest {
  const maxTokens = Math.min(route.maxTokens, options.maxTokensCap ?? Number.POSITIVE_INFINITY);
  if (!Number.isInteger(maxTokens) || maxTokens < 1) throw new Error(`maxTokens must be a positive integer for ${invokeId}, got ${route.maxTokens}`);
  if (input.messages.length === 0) throw new Error("a conversation needs at least one message");
  return {
    modelId: invokeId,
    messages: input.messages.map((m) => ({ role: m.role, content: m.content })),
    ...(input.system?.length ? { system: [...input.system] } : {}),
    inferenceConfig: { maxTokens, ...(route.temperature === undefined ? {} : { temperature: route.temperature }) },
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
