import { isBareModelId, modelIdOf } from "../core/aws";
import type { BedrockCatalog } from "./bedrock-catalog";
import type { CallRecord } from "./call-log";
import { EVENT_STREAM_CONTENT_TYPE, eventFrame, exceptionFrame } from "./event-stream";
import {
  type FaultBook,
  type FaultRule,
  type StreamExceptionType,
  faultError,
  onDemandNotSupportedMessage,
} from "./faults";
import type { GuardrailBook, GuardrailIntervention } from "./guardrails";
import type { QuotaMode } from "./quota-mode";
import { type ConstraintBook, constraintRefusal } from "./request-constraints";
import type { AnswerBook, ScriptedAnswer } from "./scripted-answers";
import type { Identity } from "./sts";
import { delay, isRecord, jsonError, jsonReply, requestId, type WireReply, type WireRequest } from "./wire";

/** Length of the canned answer when maxTokens does not cut it short. */
export const NATURAL_OUTPUT_TOKENS = 8;
const WORD = "pong";

/** Runtime knobs read on every call, so `configure()` applies to the next request. */
export interface BedrockSettings {
  /** Bare foundation-model IDs that may be invoked on demand (everything else needs a profile). */
  onDemandModelIds: ReadonlySet<string>;
  /** Latency added to every Converse/ConverseStream call, ms. */
  latencyMs: number;
  /**
   * Service tiers a model accepts, by foundation-model ID or invoke ID; a request naming another tier gets the
   * ValidationException Bedrock gives. Models not listed accept every tier but `reserved`.
   */
  serviceTiers: ReadonlyMap<string, ReadonlySet<string>>;
  /** Echo the requested tier in the response (Converse `serviceTier`, the stream's metadata event). */
  echoServiceTier: boolean;
  /** Per-model quotas, latency model and outages (local/quota-mode.ts); undefined: every call is served. */
  quotaMode?: QuotaMode;
  /** Scripted answers per model (local/scripted-answers.ts); undefined or no match: the canned answer. */
  answers?: AnswerBook;
  /** What each model refuses in a request (local/request-constraints.ts); a model not listed accepts everything. */
  requestConstraints: ConstraintBook;
}

/** ServiceTierType values Converse knows. */
const SERVICE_TIER_TYPES = new Set(["priority", "default", "flex", "reserved"]);

export interface BedrockCall {
  req: WireRequest;
  region: string;
  caller: Identity;
  record: CallRecord;
  /** Aborted when the client goes away or the endpoint closes. */
  signal: AbortSignal;
}

const ROUTE = /^\/model\/([^/]+)\/(converse|converse-stream)$/;

interface ParsedRequest {
  inputTokens: number;
  maxTokens?: number;
}

/** A Converse/ConverseStream request as read off the wire (the call log already has its fields). */
interface ConverseRequestOnWire {
  /** The ID served: the one sent, or the invoke ID an application inference profile copies. */
  modelId: string;
  /** The ID the caller sent. */
  sent: string;
  streaming: boolean;
  body: unknown;
  tier: unknown;
  guardrailConfig?: Record<string, unknown>;
}

/** An application inference profile's ARN (what a workload sends with cost attribution). */
const APPLICATION_PROFILE = /^arn:[\w-]+:bedrock:[a-z0-9-]+:\d{12}:application-inference-profile\/[a-z0-9]+$/;

/**
 * Route, model ID and body of one call, recorded in the call log; or the reply Bedrock gives a malformed one. A model ID
 * that is an application inference profile's ARN is served as the invoke ID the profile copies, as Bedrock does; an ARN
 * the region does not have is refused like an unknown model ID.
 */
function readRequest(call: BedrockCall, catalog?: BedrockCatalog): ConverseRequestOnWire | { reply: WireReply } {
  const { req, record } = call;
  const m = req.method === "POST" ? ROUTE.exec(req.path) : null;
  if (!m) return { reply: jsonError(404, "UnknownOperationException", { message: `No local route for ${req.method} ${req.path}` }) };
  const streaming = m[2] === "converse-stream";
  let modelId: string;
  try {
    modelId = decodeURIComponent(m[1]);
  } catch {
    return { reply: jsonError(400, "ValidationException", { message: "Malformed model identifier in path." }) };
  }
  record.operation = streaming ? "ConverseStream" : "Converse";
  record.modelId = modelId;
  const sent = modelId;
  if (APPLICATION_PROFILE.test(modelId)) {
    const copies = catalog?.resolveApplicationProfile(call.region, modelId);
    // Bedrock's wording for an identifier it does not know (reported against the real service by third parties).
    if (copies === undefined) return { reply: jsonError(400, "ValidationException", { message: "The provided model identifier is invalid." }) };
    record.servedAs = modelId = copies;
  }
  let body: unknown;
  try {
    body = req.body.length ? JSON.parse(req.body.toString("utf8")) : {};
  } catch {
    return { reply: jsonError(400, "SerializationException", { message: "Request body is not valid JSON." }) };
  }
  const inference = isRecord(body) && isRecord(body.inferenceConfig) ? body.inferenceConfig : {};
  if (typeof inference.maxTokens === "number") record.maxTokens = inference.maxTokens;
  const tier = isRecord(body) && isRecord(body.serviceTier) ? body.serviceTier.type : undefined;
  if (typeof tier === "string") record.serviceTier = tier;
  const guardrailConfig = isRecord(body) && isRecord(body.guardrailConfig) ? body.guardrailConfig : undefined;
  if (guardrailConfig && typeof guardrailConfig.guardrailIdentifier === "string") record.guardrail = `${guardrailConfig.guardrailIdentifier}:${String(guardrailConfig.guardrailVersion)}`;
  return { modelId, sent, streaming, body, tier, ...(guardrailConfig ? { guardrailConfig } : {}) };
}

/** What Bedrock's own validation leaves: the request's numbers and the guardrail's verdict. */
interface Validated {
  parsed: ParsedRequest;
  intervention: GuardrailIntervention;
  /** The guardrail's message replacing the prompt or the answer. */
  blocked: string;
}

/** Bedrock's checks, in its order: on-demand ID, request shape, service tier, the model's request constraints, guardrail. */
function bedrockValidation(call: BedrockCall, r: ConverseRequestOnWire, settings: BedrockSettings, guardrails: GuardrailBook): Validated | { reply: WireReply } {
  if (isBareModelId(r.modelId) && !settings.onDemandModelIds.has(r.modelId)) return { reply: jsonError(400, "ValidationException", { message: onDemandNotSupportedMessage(r.modelId) }) };
  const parsed = validate(r.body);
  if (typeof parsed === "string") return { reply: jsonError(400, "ValidationException", { message: parsed }) };
  const tierProblem = serviceTierProblem(r.tier, r.modelId, settings);
  if (tierProblem) return { reply: jsonError(400, "ValidationException", { message: tierProblem }) };
  const refused = constraintRefusal(r.modelId, r.body as Record<string, unknown>, settings.requestConstraints);
  if (refused) return { reply: jsonError(400, "ValidationException", { message: refused }) };
  if (!r.guardrailConfig) return { parsed, intervention: "none", blocked: "" };
  const found = guardrails.resolve(call.region, r.guardrailConfig.guardrailIdentifier, r.guardrailConfig.guardrailVersion);
  if ("error" in found) return { reply: jsonError(400, "ValidationException", { message: found.error }) };
  const intervention = guardrails.take(call.region, found.guardrail, r.modelId);
  call.record.guardrailIntervened = intervention !== "none";
  return { parsed, intervention, blocked: intervention === "input" ? found.guardrail.blockedInputMessaging : found.guardrail.blockedOutputsMessaging };
}

/**
 * Quota mode decides after Bedrock's own validation: a refused request reserves nothing, and a prompt the guardrail
 * blocks never reaches the model. Returns the answer's length and stop reason, or the refusal.
 */
async function quotaOutcome(call: BedrockCall, r: ConverseRequestOnWire, v: Validated, settings: BedrockSettings): Promise<{ outputTokens: number; stopReason: string } | { reply: WireReply }> {
  const outputTokens = Math.min(v.parsed.maxTokens ?? NATURAL_OUTPUT_TOKENS, NATURAL_OUTPUT_TOKENS);
  const natural = { outputTokens, stopReason: outputTokens < NATURAL_OUTPUT_TOKENS ? "max_tokens" : "end_turn" };
  const admission = v.intervention === "input" ? undefined : settings.quotaMode?.admit(r.modelId, call.region, v.parsed);
  if (!admission) return natural;
  call.record.quota = admission.kind;
  if (admission.kind !== "admitted") {
    const ctx = { modelId: r.modelId, region: call.region, streaming: r.streaming, callerArn: call.caller.arn };
    // The same replies as the scripted `throttle` and `server-error` faults.
    const error =
      admission.kind === "outage"
        ? faultError({ modelId: r.modelId, fault: "server-error", status: admission.status }, ctx)!
        : faultError({ modelId: r.modelId, fault: "throttle", ...(admission.limit === "requests" ? { message: "Too many requests, please wait before trying again." } : {}) }, ctx)!;
    return { reply: jsonError(error.status, error.errorType, error.body) };
  }
  call.record.reservedTokens = admission.reservedTokens;
  const begun = Date.now();
  await delay(admission.delayMs, call.signal);
  // A client that went away is charged for the share of the answer generated by then.
  const fraction = call.signal.aborted && admission.delayMs > 0 ? (Date.now() - begun) / admission.delayMs : 1;
  call.record.chargedTokens = admission.settle(fraction);
  return { outputTokens: admission.outputTokens, stopReason: admission.truncated ? "max_tokens" : "end_turn" };
}

/** The answer itself: a ConverseResponse, or the event stream of one. */
function answer(call: BedrockCall, r: ConverseRequestOnWire, v: Validated, out: { outputTokens: number; stopReason: string }, o: { malformed: boolean; started: number; echoServiceTier: boolean; scripted?: ScriptedAnswer }): WireReply {
  const { started, scripted } = o;
  // A blocked prompt never reaches the model (no output tokens); a blocked answer was generated, then replaced.
  const outputTokens = v.intervention === "input" ? 0 : out.outputTokens;
  const stopReason = v.intervention !== "none" ? "guardrail_intervened" : out.stopReason;
  const inputTokens = scripted?.inputTokens ?? v.parsed.inputTokens;
  const usage = { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
  // The tier that served the request is echoed, as Bedrock does when one was named (switchable: whether it always does is UNCONFIRMED).
  const echoed = typeof r.tier === "string" && o.echoServiceTier ? { serviceTier: { type: r.tier } } : {};
  const text = v.intervention !== "none" ? v.blocked : scripted ? scripted.text : Array(outputTokens).fill(WORD).join(" ");
  if (o.malformed) {
    // Valid JSON, 200, but not a ConverseResponse: the SDK passes it through untouched, the client must notice.
    return r.streaming
      ? streamReply(frames([["messageStart", { role: "assistant" }], ["metadata", {}]], call.signal))
      : jsonReply(200, { stopReason, metrics: { latencyMs: Date.now() - started } });
  }
  if (!r.streaming) return jsonReply(200, { output: { message: { role: "assistant", content: [{ text }] } }, stopReason, usage, metrics: { latencyMs: Date.now() - started }, ...echoed });
  const events: Array<[string, unknown]> = [["messageStart", { role: "assistant" }]];
  if (v.intervention !== "none" || scripted) events.push(["contentBlockDelta", { delta: { text }, contentBlockIndex: 0 }]);
  else for (let i = 0; i < outputTokens; i++) events.push(["contentBlockDelta", { delta: { text: i === 0 ? WORD : ` ${WORD}` }, contentBlockIndex: 0 }]);
  events.push(["contentBlockStop", { contentBlockIndex: 0 }], ["messageStop", { stopReason }]);
  events.push(["metadata", { usage, metrics: { latencyMs: Date.now() - started }, ...echoed }]);
  return streamReply(frames(events, call.signal));
}

/**
 * bedrock-runtime (restJson1): Converse and ConverseStream. A call through an application inference profile is served
 * as the invoke ID the profile copies (its quota, tiers and answers; fault scripts match either ID).
 */
export async function handleBedrockRuntime(call: BedrockCall, faults: FaultBook, settings: BedrockSettings, guardrails: GuardrailBook, catalog?: BedrockCatalog): Promise<WireReply> {
  const started = Date.now();
  const request = readRequest(call, catalog);
  if ("reply" in request) return request.reply;
  // Scripts run before Bedrock's own validation so a script aimed at any ID (even a bare one) always fires.
  const match = faults.take(request.sent === request.modelId ? request.modelId : [request.sent, request.modelId], call.region, request.streaming);
  await delay(settings.latencyMs + match.latencyMs, call.signal);
  if (match.rule) {
    call.record.fault = match.rule.fault;
    const scripted = scriptedReply(match.rule, call, request.modelId, request.streaming);
    if (scripted) return scripted;
  }
  const validated = bedrockValidation(call, request, settings, guardrails);
  if ("reply" in validated) return validated.reply;
  const out = await quotaOutcome(call, request, validated, settings);
  if ("reply" in out) return out.reply;
  // A scripted answer replaces the canned one; a prompt the guardrail blocks never reaches it.
  const scripted = validated.intervention === "input" ? undefined : settings.answers?.take(request.modelId, call.region, request.body);
  if (scripted) await delay(scripted.latencyMs, call.signal);
  const served = scripted ? { outputTokens: scripted.outputTokens, stopReason: scripted.stopReason } : out;
  return answer(call, request, validated, served, { malformed: match.rule?.fault === "malformed", started, echoServiceTier: settings.echoServiceTier, ...(scripted ? { scripted } : {}) });
}

/**
 * The ValidationException message for a tier Bedrock refuses: an unknown value, `reserved` without a reservation, or a
 * tier the scenario says the model does not offer. Wordings as reported against the real service by third parties
 * (UNCONFIRMED: "service tier provided is invalid", "Reservation not found.", "... service tier is not supported ...").
 */
function serviceTierProblem(tier: unknown, modelId: string, settings: BedrockSettings): string | undefined {
  if (tier === undefined) return undefined;
  if (typeof tier !== "string" || !SERVICE_TIER_TYPES.has(tier)) return "The service tier provided is invalid.";
  const supported = settings.serviceTiers.get(modelId) ?? settings.serviceTiers.get(modelIdOf(modelId));
  if (supported ? !supported.has(tier) : tier === "reserved") return tier === "reserved" ? "Reservation not found." : `The requested service tier is not supported for model ${modelIdOf(modelId)}.`;
  return undefined;
}

/** Replies for faults that preempt the normal answer; undefined means "answer normally" (malformed, latency). */
function scriptedReply(rule: FaultRule, call: BedrockCall, modelId: string, streaming: boolean): WireReply | undefined {
  if (rule.fault === "hang") return { kind: "hang" };
  if (rule.fault === "stream-exception") {
    const type: StreamExceptionType = rule.exceptionType ?? "modelStreamErrorException";
    const payload: Record<string, unknown> = { message: rule.message ?? STREAM_EXCEPTION_MESSAGES[type] };
    if (type === "modelStreamErrorException") Object.assign(payload, { originalStatusCode: 500, originalMessage: "upstream model error" });
    return streamReply(
      frames(
        [
          ["messageStart", { role: "assistant" }],
          ...Array.from({ length: rule.deltasBefore ?? 1 }, (_, i): [string, unknown] => ["contentBlockDelta", { delta: { text: i === 0 ? WORD : ` ${WORD}` }, contentBlockIndex: 0 }]),
        ],
        call.signal,
        exceptionFrame(type, payload),
      ),
    );
  }
  const error = faultError(rule, { modelId, region: call.region, streaming, callerArn: call.caller.arn });
  return error ? jsonError(error.status, error.errorType, error.body) : undefined;
}

const STREAM_EXCEPTION_MESSAGES: Record<StreamExceptionType, string> = {
  modelStreamErrorException: "The model encountered an error while streaming the response. Try your request again.",
  throttlingException: "Too many tokens, please wait before trying again.",
  internalServerException: "The server encountered an internal error while processing the request.",
  serviceUnavailableException: "Bedrock is unable to process your request.",
  validationException: "The model returned an invalid response.",
};

function streamReply(frameSource: AsyncIterable<Uint8Array>): WireReply {
  return {
    kind: "stream",
    status: 200,
    headers: { "content-type": EVENT_STREAM_CONTENT_TYPE, "x-amzn-requestid": requestId() },
    frames: frameSource,
  };
}

/** Yields between frames so each arrives as its own DATA write, like a model producing tokens. */
async function* frames(events: Array<[string, unknown]>, signal: AbortSignal, trailer?: Uint8Array): AsyncGenerator<Uint8Array> {
  for (const [type, payload] of events) {
    if (signal.aborted) return;
    yield eventFrame(type, payload);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (trailer && !signal.aborted) yield trailer;
}

function textChars(blocks: unknown): number {
  if (!Array.isArray(blocks)) return 0;
  let n = 0;
  for (const b of blocks) if (isRecord(b) && typeof b.text === "string") n += b.text.length;
  return n;
}

/** The checks Bedrock applies that matter to callers here; returns the error message or the numbers needed. */
function validate(body: unknown): ParsedRequest | string {
  if (!isRecord(body)) return "Malformed input request, please reformat your input and try again.";
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0 || !isRecord(messages[0]) || messages[0].role !== "user") {
    return "A conversation must start with a user message. Try again with a conversation that starts with a user message.";
  }
  // Bedrock's wording for consecutive turns of one role (seen from Converse in every SDK's bug reports, e.g.
  // https://github.com/langchain-ai/langchain-aws/issues/130).
  for (let i = 1; i < messages.length; i++) {
    if (isRecord(messages[i]) && isRecord(messages[i - 1]) && (messages[i] as { role?: unknown }).role === (messages[i - 1] as { role?: unknown }).role)
      return "A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.";
  }
  const inference = isRecord(body.inferenceConfig) ? body.inferenceConfig : {};
  const maxTokens = inference.maxTokens;
  if (maxTokens !== undefined && (typeof maxTokens !== "number" || !Number.isInteger(maxTokens) || maxTokens < 1)) {
    return (
      `1 validation error detected: Value '${String(maxTokens)}' at 'inferenceConfig.maxTokens' failed to satisfy ` +
      "constraint: Member must have value greater than or equal to 1"
    );
  }
  let chars = textChars(body.system);
  for (const msg of messages) if (isRecord(msg)) chars += textChars(msg.content);
  return { inputTokens: Math.ceil(chars / 4), ...(typeof maxTokens === "number" ? { maxTokens } : {}) };
}
