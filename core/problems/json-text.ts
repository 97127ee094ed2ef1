// Reading JSON files people edit by hand. JSON.parse says little about why a text is not JSON and, for a BOM, a
// comment, NaN, a trailing comma or invalid UTF-8, points at the wrong place or at the end of the text; this scanner
// names the cause and its line and column, one line each. It also reports duplicate keys, which JSON.parse silently
// resolves to the last value. Iterative (no recursion), so deep nesting cannot overflow the stack.

/** Where and why a text is not JSON: 1-based line and column (in characters). */
export interface JsonSyntaxError {
  readonly line: number;
  readonly column: number;
  /** What is wrong, e.g. `trailing comma before "}"`. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
  /** True when the file holds nothing but whitespace (callers know what it should hold, and replace `fix`). */
  readonly empty?: boolean;
}

/** A key that appears twice in one object: its path and where the second one is. */
export interface DuplicateKey {
  readonly path: readonly (string | number)[];
  readonly line: number;
  readonly column: number;
}

export type JsonReadResult = { readonly value: unknown; readonly duplicateKeys: readonly DuplicateKey[] } | { readonly error: JsonSyntaxError };

/** Line and column (1-based, columns in characters) of a UTF-16 offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lineStart = before.lastIndexOf("\n") + 1;
  let line = 1;
  for (let i = before.indexOf("\n"); i !== -1; i = before.indexOf("\n", i + 1)) line++;
  return { line, column: Array.from(before.slice(lineStart)).length + 1 };
}

const SYNTAX_FIX = "fix the JSON syntax (double-quoted keys and strings, commas between items, no comments or trailing commas)";

/** Reads a file's bytes: UTF-8 without BOM, then JSON (see readJsonText). */
export function readJsonBytes(bytes: Uint8Array): JsonReadResult {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { error: { line: 1, column: 1, message: "the file starts with a byte-order mark (BOM)", fix: "save it as UTF-8 without BOM" } };
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    return { error: { line: 1, column: 1, message: "the file is UTF-16 (it starts with a UTF-16 byte-order mark)", fix: "save it as UTF-8" } };
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    // The decoder says only that the bytes are not UTF-8; find where.
    const bad = invalidUtf8Offset(bytes) ?? 0;
    const before = new TextDecoder().decode(bytes.subarray(0, bad));
    return { error: { ...lineColumnAt(before, before.length), message: `invalid UTF-8 (byte 0x${bytes[bad].toString(16).toUpperCase().padStart(2, "0")})`, fix: "save the file as UTF-8" } };
  }
  return readJsonText(text);
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence (RFC 3629), or undefined. */
export function invalidUtf8Offset(b: Uint8Array): number | undefined {
  for (let i = 0; i < b.length; ) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    const [n, min, max] = c >= 0xc2 && c <= 0xdf ? [1, 0x80, 0xbf] : c === 0xe0 ? [2, 0xa0, 0xbf] : c === 0xed ? [2, 0x80, 0x9f] : c >= 0xe1 && c <= 0xef ? [2, 0x80, 0xbf] : c === 0xf0 ? [3, 0x90, 0xbf] : c >= 0xf1 && c <= 0xf3 ? [3, 0x80, 0xbf] : c === 0xf4 ? [3, 0x80, 0x8f] : [0, 0, 0];
    if (n === 0) return i;
    // The second byte has the narrowed range (no overlongs, no surrogates, nothing above U+10FFFF), the rest 80-BF.
    for (let k = 1; k <= n; k++) {
      const x = b[i + k];
      if (x === undefined || x < (k === 1 ? min : 0x80) || x > (k === 1 ? max : 0xbf)) return i;
    }
    i += n + 1;
  }
  return undefined;
}

interface Container {
  readonly kind: "object" | "array";
  /** The enclosing container and this one's key or index in it (paths are built only for the rare duplicate). */
  readonly parent?: Container;
  readonly at?: string | number;
  readonly open: number;
  readonly keys: Set<string>;
  index: number;
  key?: string;
}

function pathOf(c: Container): Array<string | number> {
  const out: Array<string | number> = [];
  for (let x: Container | undefined = c; x?.parent; x = x.parent) out.unshift(x.at!);
  return out;
}

/** What the scanner expects next: a value (or a container), an object key, or what may follow a value. */
type Want = "value" | "key" | "after";
/** A step's outcome: the next state, the end of the text, or the first syntax error. */
type Step = Want | "done" | { readonly fail: JsonReadResult };

/** One pass over a text, keeping the position, the open containers and the duplicate keys seen. */
class JsonScanner {
  private pos = 0;
  private readonly n: number;
  private readonly stack: Container[] = [];
  readonly duplicateKeys: DuplicateKey[] = [];

  constructor(private readonly text: string) {
    this.n = text.length;
  }

  err(offset: number, message: string, fix = SYNTAX_FIX): JsonReadResult {
    return { error: { ...lineColumnAt(this.text, offset), message, fix } };
  }

  /** An empty file: what it should hold depends on the file, so `empty` lets callers name their own fix. */
  emptyFile(offset: number): JsonReadResult {
    return { error: { ...lineColumnAt(this.text, offset), message: "the file is empty", fix: EMPTY_FIX, empty: true } };
  }

  private fail(offset: number, message: string, fix = SYNTAX_FIX): Step {
    return { fail: this.err(offset, message, fix) };
  }

  /** Skips whitespace; a comment is an error. */
  skip(): JsonReadResult | undefined {
    const { text, n } = this;
    while (this.pos < n) {
      const c = text[this.pos];
      if (c === " " || c === "\t" || c === "\n" || c === "\r") this.pos++;
      else if (c === "/" && (text[this.pos + 1] === "/" || text[this.pos + 1] === "*")) return this.err(this.pos, `comments (${text[this.pos + 1] === "/" ? "//" : "/* */"}) are not allowed in JSON`, "remove the comment");
      else return undefined;
    }
    return undefined;
  }

  get atEnd(): boolean {
    return this.pos >= this.n;
  }

  /** A character as messages name it: quoted, or as U+XXXX where it is invisible. */
  private describe(offset: number): string {
    if (offset >= this.n) return "the end of the file";
    const cp = this.text.codePointAt(offset)!;
    const ch = String.fromCodePoint(cp);
    return cp < 0x20 || cp === 0x7f || (cp >= 0x80 && cp <= 0x9f) || cp === 0xfeff || cp === 0x2028 || cp === 0x2029 ? `character U+${cp.toString(16).toUpperCase().padStart(4, "0")}` : `"${ch}"`;
  }

  private where(): string {
    const top = this.stack[this.stack.length - 1];
    const at = lineColumnAt(this.text, top.open);
    return `${top.kind === "object" ? "an object" : "an array"} opened at line ${at.line}, column ${at.column}`;
  }

  /** Scans a string starting at the opening quote; returns its value or an error. */
  private scanString(): { value: string } | { error: JsonReadResult } {
    const { text, n } = this;
    const start = this.pos;
    this.pos++;
    let out = "";
    let chunk = this.pos;
    const plain = /[^"\\\u0000-\u001f]*/y;
    while (this.pos < n) {
      plain.lastIndex = this.pos;
      this.pos += plain.exec(text)![0].length;
      if (this.pos >= n) break;
      const c = text.charCodeAt(this.pos);
      if (c === 0x22) {
        out += text.slice(chunk, this.pos);
        this.pos++;
        return { value: out };
      }
      if (c === 0x5c) {
        out += text.slice(chunk, this.pos);
        const escaped = this.escape();
        if (escaped === undefined) break;
        if (typeof escaped !== "string") return escaped;
        out += escaped;
        chunk = this.pos;
        continue;
      }
      if (c === 0x0a || c === 0x0d) return { error: this.err(start, "string not closed on its line (a line break inside a string must be written \\n)", 'close the string with " or write the line break as \\n') };
      if (c < 0x20) return { error: this.err(this.pos, `unescaped control ${this.describe(this.pos)} in a string`, "write it as an escape, e.g. \\t or \\u0001") };
      this.pos++;
    }
    return { error: this.err(start, "string never closed (the file ends inside it)", 'close the string with "') };
  }

  /** The escape at pos (a backslash): its text, an error, or undefined when the file ends inside it. */
  private escape(): string | { error: JsonReadResult } | undefined {
    const { text } = this;
    const e = text[this.pos + 1];
    const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
    if (e !== undefined && Object.hasOwn(simple, e)) {
      this.pos += 2;
      return simple[e];
    }
    if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(this.pos + 2, this.pos + 6))) {
      const ch = String.fromCharCode(parseInt(text.slice(this.pos + 2, this.pos + 6), 16));
      this.pos += 6;
      return ch;
    }
    if (e === "u") return { error: this.err(this.pos, "\\u must be followed by 4 hexadecimal digits") };
    if (e === undefined) return undefined;
    return { error: this.err(this.pos, `invalid escape \\${this.describe(this.pos + 1).replace(/^"|"$/g, "")} in a string`, 'escape only " \\ / b f n r t and uXXXX (write a backslash as \\\\)') };
  }

  /** Scans a number with JSON's grammar. */
  private scanNumber(): { value: number } | { error: JsonReadResult } {
    const { text } = this;
    const start = this.pos;
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(start, start + 400));
    const rest = text.slice(start, start + 400);
    if (!m || m[0] === "-") {
      if (/^-Infinity/.test(rest)) return { error: this.err(start, "-Infinity is not a JSON value", "use a number") };
      return { error: this.err(start, `invalid number starting with ${this.describe(start)}`, "write numbers like 12, -3, 0.5 or 1e3") };
    }
    const end = start + m[0].length;
    const after = text[end];
    if (m[1] === "0" && after !== undefined && /\d/.test(after)) return { error: this.err(start, "numbers cannot have leading zeros", `write ${rest.replace(/^(-?)0+(?=\d)/, "$1").match(/^-?\d+/)![0]}`) };
    if (/^-?0[xX]/.test(rest)) return { error: this.err(start, "hexadecimal numbers are not JSON", "write the number in decimal") };
    if (after === "." && !m[2]) return { error: this.err(end, "a digit must follow the decimal point", "e.g. 1.0 or 1") };
    if (after !== undefined && /[eE]/.test(after)) return { error: this.err(end, "an exponent needs digits", "e.g. 1e3") };
    if (after !== undefined && /[\w.]/.test(after)) return { error: this.err(end, `unexpected ${this.describe(end)} after a number`, "separate values with commas; quote text") };
    this.pos = end;
    return { value: Number(m[0]) };
  }

  /** Scans one scalar or opens a container at pos (after whitespace). */
  private valueStart(): { value?: unknown; opened?: boolean } | { error: JsonReadResult } {
    const { text, n, stack } = this;
    const c = text[this.pos];
    if (c === "{" || c === "[") {
      const parent = stack[stack.length - 1];
      stack.push({ kind: c === "{" ? "object" : "array", parent, at: parent && (parent.kind === "object" ? parent.key! : parent.index), open: this.pos, keys: new Set(), index: 0 });
      this.pos++;
      return { opened: true };
    }
    if (c === '"') return this.scanString();
    if (c === "-" || (c >= "0" && c <= "9")) return this.scanNumber();
    for (const [word, value] of [["true", true], ["false", false], ["null", null]] as const)
      if (text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return { value };
      }
    const at = this.pos;
    if (text.startsWith("NaN", at) || text.startsWith("Infinity", at)) return { error: this.err(at, `${text.startsWith("NaN", at) ? "NaN" : "Infinity"} is not a JSON value`, "use a number (or null)") };
    if (c === "'") return { error: this.err(at, "strings must use double quotes, not single quotes", 'replace the single quotes with "') };
    if (c === "+") return { error: this.err(at, "numbers cannot start with +", "remove the +") };
    if (c === ".") return { error: this.err(at, "numbers cannot start with a decimal point", "write 0.5, not .5") };
    if (c === undefined) return { error: stack.length ? this.err(n, `the file ends inside ${this.where()}`, "complete it (a value and the closing bracket are missing)") : this.emptyFile(n) };
    if (/[A-Za-z_$]/.test(c)) {
      const word = /^[\w$-]{1,40}/.exec(text.slice(at))![0];
      return { error: this.err(at, `unexpected word ${word}: strings and keys must be double-quoted`, `write "${word}"`) };
    }
    return { error: this.err(at, `unexpected ${this.describe(at)} where a value should be`, SYNTAX_FIX) };
  }

  /** Inside an object, after "{" or ",": a key and its colon (or "}" right after "{"). */
  key(top: Container): Step {
    const { text, n } = this;
    const c = text[this.pos];
    if (c === "}" && top.keys.size === 0 && top.index === 0) {
      this.stack.pop();
      this.pos++;
      return "after";
    }
    if (c !== '"') {
      if (c === undefined) return this.fail(n, `the file ends inside ${this.where()}`, "complete it and close it with }");
      if (c === "'") return this.fail(this.pos, "keys must use double quotes, not single quotes", 'replace the single quotes with "');
      if (/[A-Za-z_$]/.test(c)) return this.fail(this.pos, `object keys must be double-quoted (found ${/^[\w$-]{1,40}/.exec(text.slice(this.pos))![0]})`, "put the key in double quotes");
      return this.fail(this.pos, `unexpected ${this.describe(this.pos)} where a key should be`, SYNTAX_FIX);
    }
    const keyAt = this.pos;
    const k = this.scanString();
    if ("error" in k) return { fail: k.error };
    if (top.keys.has(k.value)) this.duplicateKeys.push({ path: [...pathOf(top), k.value], ...lineColumnAt(text, keyAt) });
    top.keys.add(k.value);
    top.key = k.value;
    const s = this.skip();
    if (s) return { fail: s };
    if (text[this.pos] !== ":") return this.atEnd ? this.fail(n, `the file ends inside ${this.where()}`, "complete it") : this.fail(this.pos, `expected ":" after the key, found ${this.describe(this.pos)}`, 'write "key": value');
    this.pos++;
    return "value";
  }

  /** A value, or a container opened (or "]" right after "["). */
  value(top: Container | undefined): Step {
    if (top?.kind === "array" && this.text[this.pos] === "]" && top.index === 0) {
      this.stack.pop();
      this.pos++;
      return "after";
    }
    const v = this.valueStart();
    if ("error" in v) return { fail: v.error };
    return v.opened ? (this.stack[this.stack.length - 1].kind === "object" ? "key" : "value") : "after";
  }

  /** After a value: a comma and the next item, the container's close, or the end of the text at the top level. */
  after(top: Container | undefined): Step {
    const { text, n } = this;
    if (!top) return this.atEnd ? "done" : this.fail(this.pos, `unexpected ${this.describe(this.pos)} after the end of the JSON value`, "the file must hold exactly one JSON object: remove what follows it");
    const c = text[this.pos];
    const close = top.kind === "object" ? "}" : "]";
    if (c === ",") {
      const comma = this.pos;
      this.pos++;
      const s = this.skip();
      if (s) return { fail: s };
      if (text[this.pos] === "}" || text[this.pos] === "]") return this.fail(comma, `trailing comma before "${text[this.pos]}"`, "remove the comma");
      top.index++;
      return top.kind === "object" ? "key" : "value";
    }
    if (c === close) {
      this.stack.pop();
      this.pos++;
      return "after";
    }
    if (c === undefined) return this.fail(n, `the file ends inside ${this.where()}`, `close it with ${close}`);
    if (c === "}" || c === "]") return this.fail(this.pos, `"${c}" closes nothing here: ${this.where()} is still open`, `close it with ${close} first`);
    return this.fail(this.pos, `expected "," or "${close}" after the value, found ${this.describe(this.pos)}`, "add the missing comma");
  }

  /** The innermost open container, if any. */
  get top(): Container | undefined {
    return this.stack[this.stack.length - 1];
  }
}

/** The fix for an empty file when the caller names none (each loader names what its file should hold). */
const EMPTY_FIX = "write its content as one JSON object";

/**
 * Parses JSON text with a precise error for the first syntax problem: a BOM, comments, NaN/Infinity, trailing or
 * missing commas, single quotes, unquoted keys, control characters in strings, malformed numbers and escapes, an
 * empty text, an unterminated string or container, text after the value.
 */
export function readJsonText(text: string): JsonReadResult {
  const scanner = new JsonScanner(text);
  if (text.charCodeAt(0) === 0xfeff) return scanner.err(0, "the file starts with a byte-order mark (BOM)", "save it as UTF-8 without BOM");
  const first = scanner.skip();
  if (first) return first;
  if (scanner.atEnd) return scanner.emptyFile(0);
  // The scanner alternates: read a value (or open a container), then what may follow it in the innermost container.
  let want: Want = "value";
  for (;;) {
    const s = scanner.skip();
    if (s) return s;
    const top = scanner.top;
    const step: Step = want === "key" ? scanner.key(top!) : want === "value" ? scanner.value(top) : scanner.after(top);
    if (step === "done") break;
    if (typeof step !== "string") return step.fail;
    want = step;
  }
  try {
    return { value: JSON.parse(text), duplicateKeys: scanner.duplicateKeys };
  } catch (e) {
    // Not expected after the scan; never a stack trace if it happens.
    return scanner.err(0, `not JSON (${String((e as Error).message).split("\n")[0].slice(0, 120)})`);
  }
}
