import { jsonPath, type Problem, quote } from "../../problems";
import type { EnvironmentRule } from "../rule";

/*
 * A guardrail's custom regexes (sensitiveInformation.regexes[].pattern) go to CreateGuardrail as they are. AWS documents
 * only their length (1-500, https://docs.aws.amazon.com/bedrock/latest/APIReference/API_GuardrailRegexConfig.html),
 * not their dialect, and refuses a pattern that does not compile when the guardrail is created: at apply, in every
 * region. So a pattern must be valid in the syntax every mainstream engine shares (what ECMAScript's RegExp parses
 * is checked here), and what only backtracking engines take (lookaround, backreferences) is a warning: a
 * linear-time engine refuses it. UNCONFIRMED (needs a live account): which engine Bedrock uses (docs/scale.md).
 */

/** Constructs a linear-time engine (RE2 and its kind) refuses: lookahead, lookbehind, backreferences. */
const BACKTRACKING_ONLY: ReadonlyArray<readonly [RegExp, string]> = [
  [/(^|[^\\])\(\?<?[=!]/, "a lookaround ((?=, (?!, (?<=, (?<!)"],
  [/(^|[^\\])\\[1-9]/, "a backreference (\\1 ...)"],
];

/** Why `pattern` does not compile, or undefined. */
function syntaxError(pattern: string): string | undefined {
  try {
    new RegExp(pattern);
    return undefined;
  } catch (e) {
    // V8's message is "Invalid regular expression: /<pattern>/: <reason>"; the reason is what helps.
    const text = e instanceof Error ? e.message : String(e);
    return text.slice(text.lastIndexOf(": ") + 2) || "does not compile";
  }
}

/** Each guardrail regex compiles; lookarounds and backreferences are a warning; a /.../ literal's slashes are named. */
export const guardrailRegexes: EnvironmentRule = {
  name: "guardrail-regexes",
  description: "each guardrail regex pattern compiles, is not a /.../flags literal, and uses no lookaround or backreference",
  stage: "draft",
  check({ draft: d }) {
    const problems: Problem[] = [];
    for (const [name, g] of Object.entries(d.guardrails)) {
      g.sensitiveInformation.regexes.forEach((r, i) => {
        const path = jsonPath(["guardrails", name, "sensitiveInformation", "regexes", i, "pattern"]);
        const error = syntaxError(r.pattern);
        if (error) {
          problems.push({ path, message: `${quote(r.pattern)} is not a valid regular expression: ${error}`, fix: "fix the pattern (escape ( ) [ ] { } * + ? with a backslash to match them as text)" });
          return;
        }
        if (/^\/.+\/[a-z]*$/.test(r.pattern))
          problems.push({ path, message: `${quote(r.pattern)} looks like a /pattern/flags literal; the slashes would be matched as text`, fix: "write the pattern without the slashes and flags", severity: "warning" });
        for (const [construct, what] of BACKTRACKING_ONLY)
          if (construct.test(r.pattern)) problems.push({ path, message: `uses ${what}, which linear-time regex engines refuse; AWS does not document Bedrock's dialect`, fix: "rewrite it without (test the guardrail in the console first)", severity: "warning" });
      });
    }
    return problems;
  },
};
