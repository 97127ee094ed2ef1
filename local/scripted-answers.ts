import { modelIdOf } from "../core/aws";
import { isRecord } from "./wire";

/**
 * Scripted answers of the stand-in's models, so an evaluation can be tested over the wire: per model (and region),
 * matched by request metadata and/or a marker in the request's text, a rule answers with its text, stop reason
 * (`refusal`, `content_filtered`, ...), token counts and latency. Rules run in order, like the fault book; the first
 * match wins and `times` counts its uses. Without a match the canned "pong" answer stays. The request's text is read
 * only to match markers: it is never logged or stored.
 */

/** One scripted answer. */
export interface AnswerRule {
  /** modelId as the client sends it, or its foundation-model ID, or `*`. Default `*`. */
  modelId?: string;
  /** Signing region. Default: every region. */
  region?: string;
  /** Pairs the request's requestMetadata must carry (all of them). Default: none required. */
  requestMetadata?: Record<string, string>;
  /** Text the request must contain (system prompt and messages). Default: none required. */
  promptContains?: string;
  /** The answer's text. */
  text: string;
  /** Default `end_turn` (or `max_tokens` when the request's maxTokens cuts the text). */
  stopReason?: string;
  /** Output tokens reported. Default: a token per 4 characters of the text, at least 1. */
  outputTokens?: number;
  /** Input tokens reported. Default: a token per 4 characters of the request's text. */
  inputTokens?: number;
  /** Added before answering, ms. Default 0. */
  latencyMs?: number;
  /** Matching calls the rule answers. Default: unlimited. */
  times?: number;
}

/** The answer a call gets from a rule, cut to the request's maxTokens like a model would be. */
export interface ScriptedAnswer {
  readonly text: string;
  readonly stopReason: string;
  readonly outputTokens: number;
  readonly inputTokens?: number;
  readonly latencyMs: number;
}

/** The text of a Converse request body (system blocks and message content blocks). */
function requestText(body: Record<string, unknown>): string {
  const texts: string[] = [];
  const collect = (blocks: unknown) => {
    if (Array.isArray(blocks)) for (const b of blocks) if (isRecord(b) && typeof b.text === "string") texts.push(b.text);
  };
  collect(body.system);
  if (Array.isArray(body.messages)) for (const m of body.messages) if (isRecord(m)) collect(m.content);
  return texts.join("\n");
}

function metadataMatches(body: Record<string, unknown>, wanted: Record<string, string> | undefined): boolean {
  if (!wanted) return true;
  const meta = isRecord(body.requestMetadata) ? body.requestMetadata : {};
  return Object.entries(wanted).every(([k, v]) => Object.hasOwn(meta, k) && meta[k] === v);
}

export class AnswerBook {
  private rules: Array<{ rule: AnswerRule; remaining: number }> = [];

  script(rule: AnswerRule): void {
    this.rules.push({ rule: { ...rule }, remaining: rule.times ?? Number.POSITIVE_INFINITY });
  }

  /** The scripted answer for a call, consuming one use of its rule; undefined when no rule matches. */
  take(modelId: string, region: string, body: unknown): ScriptedAnswer | undefined {
    if (!isRecord(body)) return undefined;
    let text: string | undefined;
    const entry = this.rules.find(({ rule: r, remaining }) => {
      if (remaining <= 0) return false;
      if (r.modelId !== undefined && r.modelId !== "*" && r.modelId !== modelId && r.modelId !== modelIdOf(modelId)) return false;
      if ((r.region !== undefined && r.region !== region) || !metadataMatches(body, r.requestMetadata)) return false;
      return r.promptContains === undefined || (text ??= requestText(body)).includes(r.promptContains);
    });
    if (!entry) return undefined;
    entry.remaining -= 1;
    const r = entry.rule;
    const inference = isRecord(body.inferenceConfig) ? body.inferenceConfig : {};
    const maxTokens = typeof inference.maxTokens === "number" ? inference.maxTokens : Number.POSITIVE_INFINITY;
    const natural = r.outputTokens ?? Math.max(1, Math.ceil(r.text.length / 4));
    // A model stops at maxTokens: the text is cut in proportion and the stop reason says so.
    const cut = natural > maxTokens;
    return {
      text: cut ? r.text.slice(0, Math.floor((r.text.length * maxTokens) / natural)) : r.text,
      stopReason: cut ? "max_tokens" : (r.stopReason ?? "end_turn"),
      outputTokens: cut ? maxTokens : natural,
      ...(r.inputTokens === undefined ? {} : { inputTokens: r.inputTokens }),
      latencyMs: r.latencyMs ?? 0,
    };
  }

  /** Drops every rule. */
  reset(): void {
    this.rules = [];
  }
}
