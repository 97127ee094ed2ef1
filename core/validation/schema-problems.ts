import type { z } from "zod";
import { closest, docRef, jsonPath, type Problem, quote, quoteList } from "../problems";
import { objectKeysAt, unionOptionAt } from "./schema-paths";

// How what the environment schema says about a value becomes a Problem: one line with the JSON path, what is wrong and
// a fix (a schema's custom issues carry their own fix in `params.fix`, core/environment/schema-issue.ts).

/** The documentation section every generic fix points to. */
export const README = docRef("docs/configuration.md", "Declaring an environment");

type Json = Record<string, unknown>;
export const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
/** An own property (never one of Object.prototype's). */
export const own = (o: Json, key: string): unknown => (Object.hasOwn(o, key) ? o[key] : undefined);

/** Keys of `value` that `allowed` does not have, each with a "did you mean". */
export function unknownKeys(value: Json, allowed: readonly string[], at: readonly PropertyKey[]): Problem[] {
  return Object.keys(value)
    .filter((k) => !allowed.includes(k))
    .map((k) => {
      const near = closest(k, allowed, { max: 1 });
      return { path: jsonPath(at), message: `unknown key ${quote(k)}`, fix: near.length ? `did you mean ${quote(near[0])}?` : `remove it (keys: ${allowed.join(", ")})` };
    });
}

/** The value at a zod issue path below `base`, own properties only. */
function valueAt(base: unknown, path: readonly PropertyKey[]): unknown {
  let v = base;
  for (const k of path) {
    if (v === null || typeof v !== "object" || !Object.hasOwn(v, k)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

const article = (expected: string) => (expected === "int" ? "an integer" : /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`);

/**
 * One zod issue as Problems; `at` is where the parsed value sits in the file, `value` that value, `schema` what it was
 * parsed with (for the keys an unknown key may have been meant as).
 */
export function schemaProblems(issue: z.core.$ZodIssue, at: readonly PropertyKey[], value: unknown, schema?: z.ZodType): Problem[] {
  if (issue.code === "invalid_union") {
    // Report the branch the value was evidently meant for (the one that got past its type check), else the choices.
    const meant = issue.errors.map((errs, k) => ({ errs, k })).filter(({ errs }) => !errs.every((e) => e.path.length === 0 && (e.code === "invalid_type" || e.code === "invalid_value")));
    const got = valueAt(value, issue.path);
    if (meant.length === 1) return meant[0].errs.flatMap((e) => schemaProblems(e, [...at, ...issue.path], got, unionOptionAt(schema, issue.path, meant[0].k)));
    return [{ path: jsonPath([...at, ...issue.path]), message: `has none of the accepted forms (got ${quote(got)})`, fix: `see ${README}` }];
  }
  if (issue.code === "unrecognized_keys") {
    // The same "did you mean" the section reader gives an unknown key, with the keys the schema allows there.
    const allowed = objectKeysAt(schema, issue.path);
    const got = valueAt(value, issue.path);
    if (allowed && isObject(got)) return unknownKeys(Object.fromEntries(issue.keys.map((k) => [k, true])), allowed, [...at, ...issue.path]);
  }
  return [schemaProblem(issue, at, value)];
}

function schemaProblem(issue: z.core.$ZodIssue, at: readonly PropertyKey[], value: unknown): Problem {
  const path = jsonPath([...at, ...issue.path]);
  const got = valueAt(value, issue.path);
  switch (issue.code) {
    case "custom": {
      const fix = (issue.params as { fix?: unknown } | undefined)?.fix;
      return { path, message: issue.message, fix: typeof fix === "string" ? fix : `see ${README}` };
    }
    case "unrecognized_keys":
      return { path, message: `unknown key${issue.keys.length > 1 ? "s" : ""} ${quoteList(issue.keys)}`, fix: `remove ${issue.keys.length > 1 ? "them" : "it"} or check the spelling against ${README}` };
    case "invalid_type":
      return typeProblem(path, issue.expected, got);
    case "invalid_value":
      return { path, message: `must be one of ${quoteList(issue.values, 10)} (got ${quote(got)})`, fix: "use one of the listed values" };
    case "too_small":
      if (issue.origin === "array") return { path, message: `needs at least ${issue.minimum} item(s)`, fix: "add entries" };
      if (issue.origin === "string") return { path, message: "must not be empty", fix: "set a value" };
      return { path, message: `must be ${issue.inclusive ? ">=" : ">"} ${issue.minimum} (got ${quote(got)})`, fix: `raise it to ${issue.inclusive ? "at least" : "more than"} ${issue.minimum}` };
    case "too_big":
      if (issue.origin === "array") return { path, message: `allows at most ${issue.maximum} item(s)${issue.message.startsWith("Too big") ? "" : ` (${issue.message})`}`, fix: "remove entries" };
      if (issue.origin === "string") return { path, message: `is ${typeof got === "string" ? got.length : "too many"} characters; at most ${issue.maximum}`, fix: "shorten it" };
      return { path, message: `must be ${issue.inclusive ? "<=" : "<"} ${issue.maximum} (got ${quote(got)})`, fix: `lower it to ${issue.inclusive ? "at most" : "less than"} ${issue.maximum}` };
    case "invalid_format":
      return { path, message: `${quote(got)} ${issue.message}`, fix: `see ${README}` };
    default:
      return { path, message: issue.message, fix: `see ${README}` };
  }
}

function typeProblem(path: string, expected: string, got: unknown): Problem {
  if (got === undefined) return { path, message: "is required", fix: `add it (${article(expected)})` };
  if (typeof got === "number" && !Number.isFinite(got)) return { path, message: "is too large a number (it overflows to Infinity)", fix: "use a smaller number" };
  return { path, message: `must be ${article(expected)}, not ${quote(got)}`, fix: `set ${expected === "int" ? "a whole number" : article(expected)}` };
}
