import type { ContentBlock, Message, SystemContentBlock } from "@aws-sdk/client-bedrock-runtime";
import { closest, type Problem, quote, quoteList } from "../problems";
import { MODEL_ID_PATTERN } from "../catalog";
import { compilePattern, compileSchema, MAX_PATTERN_CHARS, REGEX_FLAGS } from "./answer-checks";
import { CASE_EXPECTATIONS, CHECK_TYPES, type CheckType, type GoldenCase, type GoldenCheck, linePath } from "./golden-set";
import { JUDGE_DEFAULT_THRESHOLD, JUDGE_SCORE_MAX, JUDGE_SCORE_MIN } from "./judge";

// One line of a golden set, read field by field so that every problem of the line is reported, each with its fix.

/** Case IDs: they go into Converse requestMetadata values and report names. */
const CASE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const CASE_KEYS = ["id", "prompt", "messages", "system", "checks", "hard", "expect", "description"] as const;
const COMMON_CHECK_KEYS = ["type", "hard", "name"];
const CHECK_KEYS: Record<CheckType, readonly string[]> = {
  contains: ["value", "ignoreCase"],
  "not-contains": ["value", "ignoreCase"],
  regex: ["pattern", "flags"],
  "json-schema": ["schema"],
  "max-chars": ["value"],
  judge: ["rubric", "model", "threshold"],
};
/** Longest prompt, system prompt or rubric, in characters. */
const MAX_TEXT_CHARS = 200_000;
const MAX_MESSAGES = 100;
const MAX_CHECKS = 50;

/** Collects the problems of one line, each naming its field. */
class LineReader {
  readonly problems: Problem[] = [];
  constructor(readonly line: number) {}

  add(field: string, message: string, fix: string): void {
    this.problems.push({ path: linePath(this.line, field), message, fix });
  }

  /** Unknown keys of an object, each with a "did you mean" when one is close. */
  unknownKeys(obj: Record<string, unknown>, allowed: readonly string[], prefix: string): void {
    for (const key of Object.keys(obj)) {
      if (allowed.includes(key)) continue;
      const near = closest(key, allowed, { max: 1 });
      this.add(prefix + key, "is not a known field", near.length ? `did you mean ${quote(near[0])}?` : `use only ${quoteList(allowed)}`);
    }
  }

  text(obj: Record<string, unknown>, key: string, field: string, required: boolean, max = MAX_TEXT_CHARS): string | undefined {
    const v = obj[key];
    if (v === undefined) {
      if (required) this.add(field, "is missing", `add ${quote(key)} with text`);
      return undefined;
    }
    if (typeof v !== "string" || v.trim() === "") return void this.add(field, `is ${typeof v === "string" ? "empty" : quote(v)}`, "give it non-empty text");
    if (v.length > max) return void this.add(field, `is ${v.length} characters; at most ${max}`, "shorten it");
    return v;
  }

  flag(obj: Record<string, unknown>, key: string, field: string): boolean {
    const v = obj[key];
    if (v === undefined) return false;
    if (typeof v !== "boolean") this.add(field, `is ${quote(v)}`, "write true or false");
    return v === true;
  }

  integer(obj: Record<string, unknown>, key: string, field: string, min: number, max: number): number | undefined {
    const v = obj[key];
    if (v === undefined) return undefined;
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) return void this.add(field, `is ${quote(v)}`, `use a whole number from ${min} to ${max}`);
    return v;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Converse messages with text content only, starting and ending with the user and alternating roles. */
function readMessages(r: LineReader, raw: unknown): Message[] | undefined {
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_MESSAGES)
    return void r.add("messages", Array.isArray(raw) ? `has ${raw.length} messages` : `is ${quote(raw)}`, `give 1 to ${MAX_MESSAGES} Converse messages, e.g. [{"role": "user", "content": [{"text": "..."}]}]`);
  const before = r.problems.length;
  const out: Message[] = [];
  raw.forEach((m, i) => {
    const field = `messages[${i}]`;
    if (!isObject(m)) return r.add(field, `is ${quote(m)}`, 'write {"role": "user", "content": [{"text": "..."}]}');
    r.unknownKeys(m, ["role", "content"], `${field}.`);
    const expected = i % 2 === 0 ? "user" : "assistant";
    if (m.role !== expected) r.add(`${field}.role`, `is ${quote(m.role)}`, `use ${quote(expected)}: a conversation starts with the user and alternates`);
    const content = m.content;
    if (!Array.isArray(content) || content.length === 0) return r.add(`${field}.content`, `is ${quote(content)}`, 'give a list of text blocks, e.g. [{"text": "..."}]');
    const blocks: ContentBlock[] = [];
    content.forEach((b, j) => {
      const ok = isObject(b) && Object.keys(b).length === 1 && typeof b.text === "string" && b.text.trim() !== "";
      if (!ok) r.add(`${field}.content[${j}]`, "is not a text block", 'write {"text": "..."} (golden sets carry text only: images, documents and tools are not supported)');
      else blocks.push({ text: b.text as string });
    });
    out.push({ role: expected, content: blocks });
  });
  if (raw.length % 2 === 0) r.add(`messages[${raw.length - 1}]`, "is the assistant's", "end the conversation with a user message: the model answers it");
  return r.problems.length === before ? out : undefined;
}

function readCheckFields(r: LineReader, c: Record<string, unknown>, type: CheckType, field: string): Record<string, unknown> | undefined {
  const f = (k: string) => `${field}.${k}`;
  switch (type) {
    case "contains":
    case "not-contains": {
      const value = r.text(c, "value", f("value"), true);
      return value === undefined ? undefined : { value, ignoreCase: r.flag(c, "ignoreCase", f("ignoreCase")) };
    }
    case "regex": {
      const pattern = r.text(c, "pattern", f("pattern"), true, MAX_PATTERN_CHARS);
      const flags = c.flags === undefined ? "" : c.flags;
      if (typeof flags !== "string" || [...flags].some((x) => !REGEX_FLAGS.includes(x)) || new Set(flags).size !== flags.length)
        return void r.add(f("flags"), `is ${quote(flags)}`, `use any of ${[...REGEX_FLAGS].join(", ")}, each once`);
      if (pattern === undefined) return undefined;
      const re = compilePattern(pattern, flags);
      return re instanceof RegExp ? { pattern, flags } : void r.add(f("pattern"), `is not a valid regular expression (${re.error})`, "fix the pattern (JavaScript syntax)");
    }
    case "json-schema": {
      if (!isObject(c.schema)) return void r.add(f("schema"), c.schema === undefined ? "is missing" : `is ${quote(c.schema)}`, 'give a JSON Schema (draft-07) object, e.g. {"type": "object", "required": ["answer"]}');
      const compiled = compileSchema(c.schema);
      return "error" in compiled ? void r.add(f("schema"), `is not a usable JSON Schema (${compiled.error})`, "fix the schema (draft-07; unknown keywords are refused)") : { schema: c.schema };
    }
    case "max-chars": {
      if (c.value === undefined) return void r.add(f("value"), "is missing", "give the most characters the answer may have");
      const value = r.integer(c, "value", f("value"), 1, 1_000_000);
      return value === undefined ? undefined : { value };
    }
    case "judge": {
      const rubric = r.text(c, "rubric", f("rubric"), true, 4000);
      const model = c.model;
      if (model !== undefined && (typeof model !== "string" || !MODEL_ID_PATTERN.test(model)))
        return void r.add(f("model"), `is ${quote(model)}`, "name a foundation-model ID the environment provisions, e.g. anthropic.claude-haiku-4-5-20251001-v1:0");
      const threshold = r.integer(c, "threshold", f("threshold"), JUDGE_SCORE_MIN, JUDGE_SCORE_MAX) ?? JUDGE_DEFAULT_THRESHOLD;
      return rubric === undefined ? undefined : { rubric, ...(model === undefined ? {} : { model }), threshold };
    }
  }
}

function readCheck(r: LineReader, c: unknown, i: number, caseHard: boolean): GoldenCheck | undefined {
  const field = `checks[${i}]`;
  if (!isObject(c)) return void r.add(field, `is ${quote(c)}`, 'write a check object, e.g. {"type": "contains", "value": "..."}');
  const type = c.type;
  if (typeof type !== "string" || !(CHECK_TYPES as readonly string[]).includes(type)) {
    const near = typeof type === "string" ? closest(type, CHECK_TYPES, { max: 1 }) : [];
    return void r.add(`${field}.type`, type === undefined ? "is missing" : `is ${quote(type)}`, near.length ? `did you mean ${quote(near[0])}?` : `use one of ${quoteList(CHECK_TYPES)}`);
  }
  const t = type as CheckType;
  r.unknownKeys(c, [...COMMON_CHECK_KEYS, ...CHECK_KEYS[t]], `${field}.`);
  const name = r.text(c, "name", `${field}.name`, false, 80);
  const hard = r.flag(c, "hard", `${field}.hard`) || caseHard;
  const fields = readCheckFields(r, c, t, field);
  return fields ? ({ type: t, label: name ?? `${field} ${t}`, hard, ...fields } as GoldenCheck) : undefined;
}

function readChecks(r: LineReader, raw: unknown, caseHard: boolean, expectsRefusal: boolean): GoldenCheck[] {
  if (raw === undefined) {
    if (!expectsRefusal) r.add("checks", "is missing", 'list what the answer must satisfy, e.g. [{"type": "contains", "value": "..."}] (a case without checks measures nothing)');
    return [];
  }
  if (!Array.isArray(raw) || (raw.length === 0 && !expectsRefusal) || raw.length > MAX_CHECKS) {
    r.add("checks", Array.isArray(raw) ? `has ${raw.length} checks` : `is ${quote(raw)}`, `list 1 to ${MAX_CHECKS} checks`);
    return [];
  }
  return raw.flatMap((c, i) => readCheck(r, c, i, caseHard) ?? []);
}

/** One case from a parsed line, or the line's problems. */
export function caseFromJson(value: unknown, line: number): { readonly case?: GoldenCase; readonly problems: readonly Problem[] } {
  const r = new LineReader(line);
  if (!isObject(value)) {
    r.add("", `is ${quote(value)}`, 'write one case object per line, e.g. {"id": "...", "prompt": "...", "checks": [...]}');
    return { problems: r.problems };
  }
  r.unknownKeys(value, CASE_KEYS, "");
  const id = value.id;
  if (typeof id !== "string" || !CASE_ID.test(id)) r.add("id", id === undefined ? "is missing" : `is ${quote(id)}`, "give the case an id of 1-64 letters, digits, '.', '_' or '-' (starting with a letter or digit)");
  r.text(value, "description", "description", false, 1000);
  const expect = value.expect ?? "answer";
  if (typeof expect !== "string" || !(CASE_EXPECTATIONS as readonly string[]).includes(expect)) r.add("expect", `is ${quote(expect)}`, `use ${quoteList(CASE_EXPECTATIONS)}`);
  let messages: Message[] | undefined;
  if (value.prompt !== undefined && value.messages !== undefined) r.add("messages", "is given with prompt", 'give either "prompt" (one user message) or "messages", not both');
  else if (value.messages !== undefined) messages = readMessages(r, value.messages);
  else if (value.prompt === undefined) r.add("prompt", "is missing", 'give "prompt" (text) or "messages" (Converse messages)');
  else {
    const prompt = r.text(value, "prompt", "prompt", true);
    if (prompt !== undefined) messages = [{ role: "user", content: [{ text: prompt }] }];
  }
  const system = r.text(value, "system", "system", false);
  const hard = r.flag(value, "hard", "hard");
  const checks = readChecks(r, value.checks, hard, expect === "refusal");
  if (r.problems.length || !messages) return { problems: r.problems };
  const systemBlocks: SystemContentBlock[] | undefined = system === undefined ? undefined : [{ text: system }];
  return {
    case: { id: id as string, line, input: { messages, ...(systemBlocks ? { system: systemBlocks } : {}) }, checks, hard, expect: expect as GoldenCase["expect"] },
    problems: [],
  };
}
