import type { ContentBlock, ConverseResponse, Message, TokenUsage } from "@aws-sdk/client-bedrock-runtime";

// The SDK deserializer does not validate (a 200 body missing required members comes back as-is), so the client checks
// what it hands to callers, once, for Converse and assembled streams alike: the router and the smoke probe both run it.

export { GUARDRAIL_INTERVENED } from "../core/runtime";

/** A 200 response that is not a usable answer; core classifies it as `malformed-response` (not retried). */
export class MalformedResponse extends Error {
  constructor(readonly missing: readonly string[]) {
    super(`the response lacks ${missing.join(", ")}`);
    this.name = "MalformedResponse";
  }
}

/** Token usage with finite, non-negative counts. */
export interface CheckedUsage extends TokenUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly totalTokens: number;
}

/** What every accepted answer has. */
export interface CheckedReply {
  readonly message: Message;
  readonly stopReason: string;
  readonly usage: CheckedUsage;
  /** The service tier that served it, as the response echoes it (`serviceTier.type`); absent when it does not. */
  readonly serviceTier?: string;
}

/** The parts of an answer, however they arrived (a Converse body or an assembled stream). */
export interface ReplyParts {
  readonly message?: unknown;
  readonly stopReason?: unknown;
  readonly usage?: unknown;
  /** `serviceTier` of the response (Converse) or of the stream's metadata event. */
  readonly serviceTier?: unknown;
}

/** Where each part lives, for the message naming what is missing. */
export interface PartNames {
  readonly message: string;
  readonly stopReason: string;
  readonly usage: string;
}

const CONVERSE_PARTS: PartNames = { message: "output.message", stopReason: "stopReason", usage: "usage" };

/**
 * Accepts an answer with an assistant message whose content is a list, a non-empty stop reason (any string: Bedrock
 * adds stop reasons before SDK releases know them) and token usage; throws MalformedResponse naming everything missing.
 */
export function checkReply(parts: ReplyParts, where: PartNames = CONVERSE_PARTS): CheckedReply {
  const missing: string[] = [];
  const message = isRecord(parts.message) && Array.isArray(parts.message.content) ? (parts.message as unknown as Message) : undefined;
  if (!message) missing.push(where.message);
  const stopReason = typeof parts.stopReason === "string" && parts.stopReason !== "" ? parts.stopReason : undefined;
  if (!stopReason) missing.push(where.stopReason);
  const usage = checkedUsage(parts.usage);
  if (!usage) missing.push(where.usage);
  if (missing.length) throw new MalformedResponse(missing);
  // Optional: an answer without it (or with a tier name this client does not know) is still an answer.
  const tier = isRecord(parts.serviceTier) && typeof parts.serviceTier.type === "string" && parts.serviceTier.type !== "" ? parts.serviceTier.type.slice(0, 64) : undefined;
  return { message: message!, stopReason: stopReason!, usage: usage!, ...(tier ? { serviceTier: tier } : {}) };
}

/** A Converse response, checked: the parts every caller relies on, typed as present. */
export type CheckedConverseResponse = ConverseResponse & { readonly output: { readonly message: Message }; readonly stopReason: string; readonly usage: CheckedUsage };

/** Checks a Converse response; returns the SDK's object (typed as checked) and the reply's parts. */
export function checkConverseResponse(response: ConverseResponse): { readonly response: CheckedConverseResponse; readonly reply: CheckedReply } {
  const r: unknown = response;
  const body = isRecord(r) ? r : {};
  const output = isRecord(body.output) ? body.output : {};
  const reply = checkReply({ message: output.message, stopReason: body.stopReason, usage: body.usage, serviceTier: body.serviceTier });
  return { response: Object.assign(response, { usage: reply.usage, stopReason: reply.stopReason }) as CheckedConverseResponse, reply };
}

/** The text blocks of a message, joined (tool-use and other blocks contribute nothing). */
export function replyText(message: Message): string {
  return (message.content ?? []).map((b: ContentBlock) => (isRecord(b) && typeof b.text === "string" ? b.text : "")).join("");
}

function checkedUsage(u: unknown): CheckedUsage | undefined {
  if (!isRecord(u)) return undefined;
  const n = (v: unknown) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : undefined);
  const inputTokens = n(u.inputTokens);
  const outputTokens = n(u.outputTokens);
  if (inputTokens === undefined || outputTokens === undefined) return undefined;
  return { ...(u as unknown as TokenUsage), inputTokens, outputTokens, totalTokens: n(u.totalTokens) ?? inputTokens + outputTokens };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
