/**
 * Stop reasons of an answer in which the model declined: a successful response, not an error. Claude 5-family models
 * decline with `stop_reason: "refusal"` on Anthropic's API
 * (https://platform.claude.com/docs/en/test-and-evaluate/strengthen-guardrails/handle-streaming-refusals); which stop
 * reason Converse reports for it, `refusal` or `content_filtered`
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#API_runtime_Converse_ResponseSyntax),
 * is UNCONFIRMED until a live run shows it, so both count as a refusal. A guardrail's intervention
 * (`guardrail_intervened`) is not one: it stays the guardrail's answer.
 */
export const REFUSAL_STOP_REASONS: readonly string[] = ["refusal", "content_filtered"];

/** True when a response's stop reason says the model declined to answer. */
export function isRefusal(stopReason: string): boolean {
  return REFUSAL_STOP_REASONS.includes(stopReason);
}
