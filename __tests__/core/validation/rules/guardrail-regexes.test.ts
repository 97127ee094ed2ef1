import { guardrailRegexes } from "../../../../core/validation/rules/guardrail-regexes";
import { ruleTable } from "./rule-table";

const withPattern = (pattern: string) => (e: any) => {
  e.guardrails = { pii: { sensitiveInformation: { regexes: [{ name: "ticket", pattern }] } } };
  e.routes.chat.guardrail = "pii";
};
const at = "guardrails.pii.sensitiveInformation.regexes[0].pattern";

ruleTable(guardrailRegexes, [
  { name: "no guardrail", edit: () => {}, problems: [] },
  { name: "a plain pattern", edit: withPattern("TICKET-[0-9]{6}"), problems: [] },
  { name: "escaped brackets and an escaped backslash before a digit", edit: withPattern("\\(\\?=\\)\\\\1 \\d{3}-\\d{4}"), problems: [] },
  { name: "an unclosed group", edit: withPattern("(TICKET-[0-9]{6}"), problems: [{ path: at, message: /is not a valid regular expression: Unterminated group$/ }] },
  { name: "nothing to repeat", edit: withPattern("*.secret"), problems: [{ path: at, message: /is not a valid regular expression: Nothing to repeat$/ }] },
  { name: "a range out of order", edit: withPattern("[z-a]"), problems: [{ path: at, message: /is not a valid regular expression: Range out of order in character class$/ }] },
  { name: "a /pattern/flags literal", edit: withPattern("/secret-[a-z]+/i"), problems: [{ path: at, message: '"/secret-[a-z]+/i" looks like a /pattern/flags literal; the slashes would be matched as text', severity: "warning" }] },
  { name: "a lookahead", edit: withPattern("secret(?!-ok)"), problems: [{ path: at, message: /^uses a lookaround/, severity: "warning" }] },
  { name: "a lookbehind", edit: withPattern("(?<=id=)[0-9]+"), problems: [{ path: at, message: /^uses a lookaround/, severity: "warning" }] },
  { name: "a backreference", edit: withPattern("(a)\\1"), problems: [{ path: at, message: /^uses a backreference/, severity: "warning" }] },
]);
