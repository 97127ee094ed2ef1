import { StopReason } from "@aws-sdk/client-bedrock-runtime";
import type { TokenUsage } from "./check-result";

// The SDK deserializer does not validate (toolchain.md §8): a 200 body missing required members comes back as-is. A probe
// passes only with reply text, a stop reason the SDK knows and token usage.

const STOP_REASONS: ReadonlySet<string> = new Set(Object.values(StopReason));

/** Raised for a 200 response that is not a usable ConverseResponse; core classifies it as `malformed-response`. */
export class MalformedResponse extends Error {
  constructor(missing: readonly string[]) {
    super(`the response lacks ${missing.join(", ")}`);
    this.name = "MalformedResponse";
  }
}

/** What a passing probe reports. */
export interface ProbeReply {
  readonly text: string;
  readonly stopReason: string;
  readonly usage: TokenUsage;
}

/** The parts of a reply, however they arrived (Converse body or assembled stream). */
export interface ReplyParts {
  readonly text?: string;
  readonly stopReason?: unknown;
  readonly usage?: unknown;
}

/** Validates the parts; throws MalformedResponse naming everything missing. */
export function checkReply(parts: ReplyParts, where: { text: string; stopReason: string; usage: string }): ProbeReply {
  const missing: string[] = [];
  if (!parts.text) missing.push(where.text);
  const stopReason = typeof parts.stopReason === "string" && STOP_REASONS.has(parts.stopReason) ? parts.stopReason : undefined;
  if (!stopReason) missing.push(parts.stopReason === undefined ? where.stopReason : `a known ${where.stopReason} (got ${JSON.stringify(parts.stopReason)})`);
  const usage = tokenUsage(parts.usage);
  if (!usage) missing.push(where.usage);
  if (missing.length) throw new MalformedResponse(missing);
  return { text: parts.text!, stopReason: stopReason!, usage: usage! };
}

/** Reads a ConverseResponse (typed by the SDK, but unchecked). */
export function readConverseResponse(res: unknown): ProbeReply {
  const r = isRecord(res) ? res : {};
  const message = isRecord(r.output) && isRecord(r.output.message) ? r.output.message : {};
  const content = Array.isArray(message.content) ? message.content : [];
  const text = content.map((b: unknown) => (isRecord(b) && typeof b.text === "string" ? b.text : "")).join("");
  return checkReply({ text, stopReason: r.stopReason, usage: r.usage }, { text: "output.message text", stopReason: "stopReason", usage: "usage" });
}

function tokenUsage(u: unknown): TokenUsage | undefined {
  if (!isRecord(u)) return undefined;
  const n = (v: unknown) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : undefined);
  const input = n(u.inputTokens);
  const output = n(u.outputTokens);
  if (input === undefined || output === undefined) return undefined;
  return { input, output, total: n(u.totalTokens) ?? input + output };
}

/** At most 40 characters of the reply, on one line: the only model output smoke ever prints or stores. */
export function replySample(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= 40 ? flat : `${flat.slice(0, 39)}…`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
