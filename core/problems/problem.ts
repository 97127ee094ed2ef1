/** One thing wrong with user input: where (JSON path), what, and how to fix it. */
export interface Problem {
  /** JSON path inside the file, e.g. `routes.summarization.maxTokens`; empty for the whole document. */
  readonly path: string;
  readonly message: string;
  readonly fix: string;
  /** Warnings are printed but do not fail the run. Default: error. */
  readonly severity?: "error" | "warning";
}

/** Longest excerpt of a user value `quote` prints (characters of the value, before escaping). */
export const QUOTE_MAX = 60;

// C0/C1 controls, DEL, the line/paragraph separators and the bidirectional overrides (which reorder what a terminal
// shows): none of them may reach a terminal or split a line.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
const SHORT: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f" };

function escapeChar(c: string): string {
  return Object.hasOwn(SHORT, c) ? SHORT[c] : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/** Escapes what could split or restyle a line (controls, ANSI escapes, separators); leaves everything else as is. */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/** Length in Unicode code points (what people call characters), without copying the string into an array. */
export function charCount(text: string): number {
  return text.length - (text.match(/[\ud800-\udbff][\udc00-\udfff]/g)?.length ?? 0);
}

/**
 * A user-supplied value as messages print it: strings in double quotes with `"`, `\` and control characters escaped
 * (so ANSI escapes and newlines stay inert) and cut to `max` characters with the full length named; other values
 * rendered briefly (numbers, booleans, null, "an array of 3", "an object"). Every message that echoes input uses it.
 */
export function quote(value: unknown, max = QUOTE_MAX): string {
  if (typeof value === "string") {
    const count = value.length <= max ? value.length : charCount(value);
    const cut = count > max;
    const shown = (cut ? Array.from(value.slice(0, max * 2)).slice(0, max).join("") : value).replace(/["\\]/g, (c) => `\\${c}`);
    return `"${escapeControls(shown)}"${cut ? `… (${count} characters)` : ""}`;
  }
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : value > 0 ? "Infinity" : value < 0 ? "-Infinity" : "NaN";
  if (typeof value === "boolean" || value === null) return String(value);
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** `"a", "b" and 3 more`: a bounded list of quoted values for "use one of" fixes. */
export function quoteList(values: readonly unknown[], max = 8): string {
  if (values.length === 0) return "(none)";
  const shown = values.slice(0, max).map((v) => quote(v));
  return values.length > max ? `${shown.join(", ")} and ${values.length - max} more` : shown.join(", ");
}

/** A documentation file of this repository that fixes may cite. */
export type DocFile = "README.md" | `docs/${string}.md`;

/**
 * How a fix cites the documentation: `docs/configuration.md, "Declaring an environment"`
 * (__tests__/guards/readme-references.test.ts checks that every cited file and section exists).
 */
export function docRef(file: DocFile, section: string): string {
  return `${file}, "${section}"`;
}

/** `config/prod.json: routes.a.maxTokens: too big -> lower it`, always one line. */
export function formatProblem(file: string, p: Problem): string {
  const where = p.path ? `${file}: ${p.path}` : file;
  const prefix = p.severity === "warning" ? "warning: " : "";
  // Messages quote user values with `quote`; this is the last guard that keeps every problem on its line.
  return escapeControls(`${prefix}${where}: ${p.message} -> ${p.fix}`);
}

export function isError(p: Problem): boolean {
  return p.severity !== "warning";
}

/** Renders a path from zod-style segments: `["routes","a b",0]` -> `routes["a b"][0]` (keys quoted and shortened). */
export function jsonPath(segments: readonly PropertyKey[]): string {
  let out = "";
  for (const s of segments) {
    if (typeof s === "number") out += `[${s}]`;
    else if (typeof s === "string" && s.length <= QUOTE_MAX && /^[A-Za-z_$][\w$-]*$/.test(s)) out += out ? `.${s}` : s;
    else out += `[${quote(String(s))}]`;
  }
  return out;
}

/**
 * A mistake the user can fix. CLIs print `problems` one per line and exit non-zero, never a stack trace.
 */
export class UserInputError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly Problem[],
  ) {
    super(problems.map((p) => formatProblem(file, p)).join("\n"));
    this.name = "UserInputError";
  }
}
