import { modelIdOf } from "../core/aws";
import { type ConstraintViolation, type RequestConstraints, type RequestParameters, requestViolations } from "../core/catalog";
import type { ThinkingType } from "../core/runtime";
import { isRecord } from "./wire";

/*
 * The stand-in's models refuse what the catalog says each refuses (core/catalog/request-constraints.ts, the judge synth
 * and the toggle use), with the ValidationException Bedrock gives, so a route the catalog would refuse fails over the
 * wire exactly as it would in an account. Constraints come per model (foundation-model or invoke ID) from the scenario's
 * `requestConstraints`, `configure()`, or seedFromManifests (the catalog's, as synth wrote them into the manifests).
 * Models without constraints accept everything, as before.
 */

/** Model -> its request constraints, looked up by the ID sent, then its foundation-model ID. */
export type ConstraintBook = ReadonlyMap<string, RequestConstraints>;

/** `The model returned the following errors: …` is how Bedrock relays a model provider's 400 (seen for Claude on Bedrock). */
const relayed = (text: string) => `The model returned the following errors: ${text}`;

/**
 * Bedrock's message for each refusal. The temperature/top_p pair, the thinking types and the forced tool choice are
 * worded as Anthropic's API and Bedrock answer them in public reports (e.g.
 * https://github.com/aws-samples/bedrock-access-gateway/issues/191,
 * https://platform.claude.com/docs/en/models/opus-5-5/whats-new-opus-5-5); the range wordings are UNCONFIRMED.
 */
function messageOf(v: ConstraintViolation, params: RequestParameters, provider: string): string {
  switch (v.code) {
    case "converse-unsupported":
      return "This action doesn't support the model that you provided. Try again with a supported text or chat model.";
    case "temperature-unset":
      return relayed("`temperature` is deprecated for this model.");
    case "topP-unset":
      return relayed("`top_p` is deprecated for this model.");
    case "temperature-range":
      return relayed(v.message.includes("thinking") ? "`temperature` may only be set to 1 when thinking is enabled." : `\`temperature\`: ${params.temperature} is not supported for this model.`);
    case "topP-range":
      return relayed(v.message.includes("thinking") ? "`top_p` must be greater than or equal to 0.95 or unset when thinking is enabled." : `\`top_p\`: ${params.topP} is not supported for this model.`);
    case "temperature-with-top-p":
      return relayed("`temperature` and `top_p` cannot both be specified for this model. Please use only one.");
    case "thinking-always-on":
    case "thinking-type":
      return relayed(`"thinking.type.${params.thinking?.type}" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.`);
    case "thinking-none":
      return `Malformed input request: #: extraneous key [${provider === "amazon" ? "reasoningConfig" : "thinking"}] is not permitted, please reformat your input and try again.`;
    case "thinking-budget":
      return relayed("`max_tokens` must be greater than `thinking.budget_tokens`.");
    default:
      return relayed("Thinking may not be enabled when tool_choice forces tool use.");
  }
}

/** What a Converse request body sends that a constraint judges (Anthropic `thinking`, Nova `reasoningConfig`). */
export function requestParametersOf(body: Record<string, unknown>): RequestParameters {
  const inference = isRecord(body.inferenceConfig) ? body.inferenceConfig : {};
  const fields = isRecord(body.additionalModelRequestFields) ? body.additionalModelRequestFields : {};
  const number = (v: unknown) => (typeof v === "number" ? v : undefined);
  let thinking: RequestParameters["thinking"];
  if (isRecord(fields.thinking) && typeof fields.thinking.type === "string") {
    const budget = number(fields.thinking.budget_tokens);
    thinking = { type: fields.thinking.type as ThinkingType, ...(budget === undefined ? {} : { budgetTokens: budget }) };
  } else if (isRecord(fields.reasoningConfig)) thinking = { type: fields.reasoningConfig.type === "disabled" ? "disabled" : "adaptive" };
  const choice = isRecord(body.toolConfig) && isRecord(body.toolConfig.toolChoice) ? Object.keys(body.toolConfig.toolChoice)[0] : undefined;
  return {
    maxTokens: number(inference.maxTokens),
    temperature: number(inference.temperature),
    topP: number(inference.topP),
    ...(thinking ? { thinking } : {}),
    ...(choice === "any" || choice === "tool" || choice === "auto" ? { toolChoice: choice } : {}),
  };
}

/** The ValidationException message for a request the model refuses, or undefined when it fits (or has no constraints). */
export function constraintRefusal(modelId: string, body: Record<string, unknown>, book: ConstraintBook): string | undefined {
  const constraints = book.get(modelId) ?? book.get(modelIdOf(modelId));
  if (!constraints) return undefined;
  const params = requestParametersOf(body);
  const violation = requestViolations(modelIdOf(modelId), params, constraints).find((v) => v.severity !== "warning");
  return violation && messageOf(violation, params, modelIdOf(modelId).split(".")[0]);
}
