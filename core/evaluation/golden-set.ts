import type { ConversationInput } from "../runtime";

/*
 * A golden set: the cases a route's model must keep answering well, one JSON object per line (JSON Lines), in
 * evals/<task>.jsonl by default. Each case is a conversation (a prompt, or Converse messages, and an optional system
 * prompt) and the checks its answer must pass. Parsing is pure and reports every problem of the file at once, each
 * naming its line and field; a set with any problem is not used.
 */

/** Check kinds a case may list. */
export const CHECK_TYPES = ["contains", "not-contains", "regex", "json-schema", "max-chars", "judge"] as const;
export type CheckType = (typeof CHECK_TYPES)[number];

/** What every check has. */
interface CheckBase {
  /** Name in reports: the check's `name`, else `checks[i] <type>`. */
  readonly label: string;
  /** A hard check must pass on every sample of the candidate, whatever the pass rates. Default: false (the case's `hard`). */
  readonly hard: boolean;
}

/** The answer contains (or, for not-contains, does not contain) `value`. */
export interface TextCheck extends CheckBase {
  readonly type: "contains" | "not-contains";
  readonly value: string;
  /** Compare case-insensitively. Default: false. */
  readonly ignoreCase: boolean;
}

/** The answer matches a JavaScript regular expression. */
export interface RegexCheck extends CheckBase {
  readonly type: "regex";
  readonly pattern: string;
  /** Any of `i`, `m`, `s`, `u`. Default: none. */
  readonly flags: string;
}

/** The answer parses as JSON (a single fenced code block around it is allowed) and validates against `schema` (draft-07). */
export interface JsonSchemaCheck extends CheckBase {
  readonly type: "json-schema";
  readonly schema: Readonly<Record<string, unknown>>;
}

/** The answer has at most `value` characters (Unicode code points). */
export interface MaxCharsCheck extends CheckBase {
  readonly type: "max-chars";
  readonly value: number;
}

/** An LLM judge scores the answer 1-5 against `rubric` (core/evaluation/judge.ts); it passes at `threshold` or above. */
export interface JudgeCheck extends CheckBase {
  readonly type: "judge";
  readonly rubric: string;
  /** Foundation-model ID of the judge; a model the environment provisions. Default: the run's judge (--judge-model). */
  readonly model?: string;
  /** Lowest passing score. Default: JUDGE_DEFAULT_THRESHOLD. */
  readonly threshold: number;
}

export type GoldenCheck = TextCheck | RegexCheck | JsonSchemaCheck | MaxCharsCheck | JudgeCheck;

/** What a case expects: an answer (default), or that the model declines (a refusal stop reason). */
export const CASE_EXPECTATIONS = ["answer", "refusal"] as const;
export type CaseExpectation = (typeof CASE_EXPECTATIONS)[number];

/** One case of a golden set. */
export interface GoldenCase {
  /** Unique in the set; letters, digits, `.`, `_`, `-` (it goes into request metadata and report names). */
  readonly id: string;
  /** 1-based line of the file. */
  readonly line: number;
  /** The conversation sent, exactly as the route's clients would send it. */
  readonly input: ConversationInput;
  readonly checks: readonly GoldenCheck[];
  /** Every check of the case is hard. Default: false. */
  readonly hard: boolean;
  /** Default: "answer". */
  readonly expect: CaseExpectation;
}

/** A parsed golden set. */
export interface GoldenSet {
  readonly cases: readonly GoldenCase[];
}

/** Most cases a set may hold: each is a call per model and repeat, so a bigger set is a batch job, not a gate. */
export const MAX_GOLDEN_CASES = 1000;
/** Longest line read, in characters. */
export const MAX_GOLDEN_LINE_CHARS = 1_000_000;
/** Problems listed per file before the rest are counted. */
export const MAX_GOLDEN_PROBLEMS = 50;

/** `line 3: checks[1].pattern` as the path of a problem. */
export function linePath(line: number, field = ""): string {
  return field ? `line ${line}: ${field}` : `line ${line}`;
}

/** How many checks of each kind a set has, and how many are hard. */
export function checkCounts(set: GoldenSet): { readonly total: number; readonly hard: number; readonly judged: number } {
  const all = set.cases.flatMap((c) => c.checks);
  return { total: all.length, hard: all.filter((c) => c.hard).length, judged: all.filter((c) => c.type === "judge").length };
}
