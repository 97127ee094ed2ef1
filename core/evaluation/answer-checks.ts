import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import { charCount, displayText } from "../problems";
import type { GoldenCheck, JsonSchemaCheck, RegexCheck } from "./golden-set";

/*
 * The deterministic checks of a golden case, applied to an answer's text. Reasons name what failed, never the answer
 * (a report or a CI log must not carry model output): the JSON path of a schema error is the answer's structure, not
 * its text, and is kept.
 */

/** The result of one check on one answer. */
export interface CheckOutcome {
  readonly passed: boolean;
  /** Why it failed, without answer text; absent when it passed. */
  readonly reason?: string;
}

/** Longest regular expression a golden set may use (answers are bounded by maxTokens; patterns are kept simple). */
export const MAX_PATTERN_CHARS = 1000;
/** Regular-expression flags a check may set: case, multiline, dot-all, Unicode. */
export const REGEX_FLAGS = "imsu";

// Draft-07 (Ajv's default dialect). Strict schemas turn a misspelt keyword ("requried") into a compile error the
// golden-set parser reports, instead of a schema that silently accepts everything.
const ajv = new Ajv({ allErrors: true, strictSchema: true, strictNumbers: true, strictTypes: false, strictTuples: false, strictRequired: false });
const compiled = new WeakMap<object, ValidateFunction>();

/** Compiles a check's schema; the error message when Ajv refuses it. */
export function compileSchema(schema: object): { readonly validate: ValidateFunction } | { readonly error: string } {
  const known = compiled.get(schema);
  if (known) return { validate: known };
  try {
    const validate = ajv.compile(schema);
    compiled.set(schema, validate);
    return { validate };
  } catch (e) {
    return { error: displayText(e instanceof Error ? e.message : String(e), 200) };
  }
}

/** Compiles a check's pattern; the error message when JavaScript refuses it. */
export function compilePattern(pattern: string, flags: string): RegExp | { readonly error: string } {
  try {
    return new RegExp(pattern, flags);
  } catch (e) {
    return { error: displayText(e instanceof Error ? e.message : String(e), 200) };
  }
}

/**
 * The JSON value an answer holds: the whole text, or the content of one fenced code block that is the whole text
 * (models often wrap JSON in ```json fences even when told not to; anything else around it is not accepted).
 */
export function answerJson(text: string): { readonly value: unknown } | undefined {
  const trimmed = text.trim();
  const fenced = /^```[A-Za-z0-9_-]*[ \t]*\r?\n([\s\S]*?)\r?\n?```$/.exec(trimmed);
  try {
    return { value: JSON.parse(fenced ? fenced[1] : trimmed) as unknown };
  } catch {
    return undefined;
  }
}

function schemaReason(errors: readonly ErrorObject[] | null | undefined): string {
  const first = errors?.[0];
  if (!first) return "does not match the schema";
  const where = first.instancePath === "" ? "the answer" : first.instancePath;
  const more = errors!.length > 1 ? ` (and ${errors!.length - 1} more)` : "";
  return displayText(`${where} ${first.message ?? "is invalid"}${more}`, 160);
}

function regexOutcome(check: RegexCheck, text: string): CheckOutcome {
  const re = compilePattern(check.pattern, check.flags);
  if (!(re instanceof RegExp)) return { passed: false, reason: `the pattern does not compile (${re.error})` };
  return re.test(text) ? { passed: true } : { passed: false, reason: "no match for the pattern" };
}

function schemaOutcome(check: JsonSchemaCheck, text: string): CheckOutcome {
  const json = answerJson(text);
  if (!json) return { passed: false, reason: "the answer is not JSON" };
  const schema = compileSchema(check.schema);
  if ("error" in schema) return { passed: false, reason: `the schema does not compile (${schema.error})` };
  return schema.validate(json.value) ? { passed: true } : { passed: false, reason: schemaReason(schema.validate.errors) };
}

/** Applies a deterministic check to an answer. Judge checks are not deterministic: see core/evaluation/judge.ts. */
export function applyCheck(check: Exclude<GoldenCheck, { type: "judge" }>, text: string): CheckOutcome {
  switch (check.type) {
    case "contains":
    case "not-contains": {
      const found = check.ignoreCase ? text.toLowerCase().includes(check.value.toLowerCase()) : text.includes(check.value);
      if (check.type === "contains") return found ? { passed: true } : { passed: false, reason: "the expected text is missing" };
      return found ? { passed: false, reason: "the forbidden text is present" } : { passed: true };
    }
    case "regex":
      return regexOutcome(check, text);
    case "json-schema":
      return schemaOutcome(check, text);
    case "max-chars": {
      const n = charCount(text);
      return n <= check.value ? { passed: true } : { passed: false, reason: `${n} characters, more than ${check.value}` };
    }
  }
}
