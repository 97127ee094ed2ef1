/**
 * Text that came from a user or a service (command-line values, names in a document, error messages), made safe to
 * print on one terminal line: control characters, ANSI escape sequences, line separators and bidirectional overrides
 * are shown as escapes (`\x1b`, `\n`, `\u202e`) instead of acting on the terminal, and the text is cut to a bound so a
 * 20 MB value cannot flood the screen.
 */

/** Longest user string echoed in a message, in characters, before the `…(+N more)` marker. Default for displayText. */
export const DISPLAY_MAX = 200;

// C0 and C1 controls (ESC starts ANSI sequences; U+009B is the one-byte CSI), DEL, line/paragraph separators, and the
// bidirectional controls that reorder what a reader sees (https://trojansource.codes).
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

function escapeChar(c: string): string {
  if (Object.hasOwn(NAMED, c)) return NAMED[c];
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** `value` escaped and bounded to about `max` characters (the marker says how much was left out). */
export function displayText(value: string, max = DISPLAY_MAX): string {
  const s = String(value);
  // Escape only what can be shown: escaping a 20 MB string to print 200 characters of it would be wasted work.
  let head = s.slice(0, max).replace(UNSAFE, escapeChar);
  let shownSource = Math.min(s.length, max);
  if (head.length > max) {
    // Escapes lengthened it: cut back to whole escapes within the bound.
    let out = "";
    let used = 0;
    for (const c of s.slice(0, max)) {
      const piece = c.replace(UNSAFE, escapeChar);
      if (out.length + piece.length > max) break;
      out += piece;
      used += c.length;
    }
    head = out;
    shownSource = used;
  }
  // Never end on half of a surrogate pair.
  if (shownSource < s.length && /[\ud800-\udbff]$/.test(head)) {
    head = head.slice(0, -1);
    shownSource -= 1;
  }
  const rest = s.length - shownSource;
  return rest > 0 ? `${head}…(+${rest} more)` : head;
}

/** `displayText` in double quotes, for values whose edges matter (`"dev "`). */
export function quoted(value: string, max = DISPLAY_MAX): string {
  return `"${displayText(value, max).replace(/"/g, '\\"')}"`;
}

/** `1 warning`, `2 warnings`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
