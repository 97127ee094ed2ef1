import { z } from "zod";
import { charCount, quote } from "../problems";
import { issue } from "./schema-issue";

/** Longest environment or workload name: it is part of every stack, role, policy, topic and alarm name. */
export const MAX_NAME_LENGTH = 31;
/** Longest route (task) name: it is a routing-document key and a metric dimension. */
export const MAX_ROUTE_NAME_LENGTH = 64;

/** A lowercase-dash name close to `value` (what a fix suggests), or undefined when nothing sensible remains. */
export function suggestName(value: string, max: number): string | undefined {
  const s = value.slice(0, 4 * max).toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^[^a-z]+/, "").slice(0, max).replace(/-+$/, "");
  return s ? s : undefined;
}

/**
 * Why `value` is not a valid name of the given kind, one entry per broken rule (empty when valid): lowercase letters,
 * digits and dashes, starting with a letter, at most `max` characters.
 */
export function nameBreaches(value: string, max: number): Array<{ message: string; fix: string }> {
  const out: Array<{ message: string; fix: string }> = [];
  const suggestion = suggestName(value, max);
  const use = suggestion && suggestion !== value ? `use ${quote(suggestion)}` : "rename it";
  if (value.length === 0) return [{ message: "is empty", fix: "give it a name of lowercase letters, digits and dashes" }];
  const first = String.fromCodePoint(value.codePointAt(0)!);
  if (!/^[a-z]$/.test(first)) out.push({ message: `must start with a lowercase letter (starts with ${quote(first)})`, fix: use });
  const bad = /[^a-z0-9-]/u.exec(value.slice(first.length))?.[0];
  if (bad !== undefined) out.push({ message: `may contain only lowercase letters, digits and dashes (found ${quote(bad)})`, fix: use });
  const length = charCount(value);
  if (length > max) out.push({ message: `is ${length} characters; at most ${max}`, fix: suggestion ? `shorten it, e.g. ${quote(suggestion)}` : "shorten it" });
  return out;
}

/** A name of at most `max` characters (see nameBreaches), every broken rule an issue with its fix; editors get the rule as a pattern. */
export const nameOf = (max: number) =>
  z
    .string()
    .superRefine((v, ctx) => {
      for (const b of nameBreaches(v, max)) issue(ctx, b.message, b.fix);
    })
    .meta({ pattern: `^[a-z][a-z0-9-]{0,${max - 1}}$` });

/** An environment, workload or guardrail name. */
export const nameSchema = nameOf(MAX_NAME_LENGTH);
/** A route (task) name. */
export const routeNameSchema = nameOf(MAX_ROUTE_NAME_LENGTH);
