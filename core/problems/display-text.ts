import { escapeControls } from "./problem";

/**
 * Text that came from a user or a service (a URL, a path, a name in a document, an error message) as a terminal line
 * may show it: escaped with core/problems/problem.ts's `escapeControls` (control characters, ANSI sequences, separators and
 * bidirectional overrides stay inert) and cut to a bound, so a 20 MB value cannot flood the screen. For a value in
 * quotes use `quote` from core/problems/problem.ts.
 */

/** Characters of a value shown before the `…(+N more)` marker. Default for displayText. */
export const DISPLAY_MAX = 200;

export function displayText(value: string, max = DISPLAY_MAX): string {
  const s = String(value);
  if (s.length <= max) return escapeControls(s);
  // Never end on half of a surrogate pair.
  const cut = /[\ud800-\udbff]/.test(s[max - 1] ?? "") ? max - 1 : max;
  return `${escapeControls(s.slice(0, cut))}…(+${s.length - cut} more)`;
}

/**
 * `redis://***@host:6379/0`: a URL with any user name and password replaced, safe to print, log and store. Works on
 * text that is not a valid URL too: everything between `//` and the last `@` of the authority goes.
 */
export function redactUrl(raw: string, max = 160): string {
  return displayText(String(raw).replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, "$1***@"), max);
}

/** `1 warning`, `2 warnings`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
