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
  /** True when the file holds nothing but whitespace (callers know what it should hold). */
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

/**
 * Parses JSON text with a precise error for the first syntax problem: a BOM, comments, NaN/Infinity, trailing or
 * missing commas, single quotes, unquoted keys, control characters in strings, malformed numbers and escapes, an
 * empty text, an unterminated string or container, text after the value.
 */
export function readJsonText(text: string): JsonReadResult {
  const err = (offset: number, message: string, fix = SYNTAX_FIX): JsonReadResult => ({ error: { ...lineColumnAt(text, offset), message, fix } });
  // What an empty file should hold depends on the file: callers replace this fix (`empty` marks the case).
  const emptyFile = (offset: number): JsonReadResult => ({ error: { ...lineColumnAt(text, offset), message: "the file is empty", fix: "write its content as one JSON object", empty: true } });
  if (text.charCodeAt(0) === 0xfeff) return err(0, "the file starts with a byte-order mark (BOM)", "save it as UTF-8 without BOM");
  const duplicateKeys: DuplicateKey[] = [];
  const stack: Container[] = [];
  let pos = 0;
  const n = text.length;

  /** Skips whitespace; a comment is an error. Returns an error result or undefined. */
  const skip = (): JsonReadResult | undefined => {
    while (pos < n) {
      const c = text[pos];
      if (c === " " || c === "\t" || c === "\n" || c === "\r") pos++;
      else if (c === "/" && (text[pos + 1] === "/" || text[pos + 1] === "*")) return err(pos, `comments (${text[pos + 1] === "/" ? "//" : "/* */"}) are not allowed in JSON`, "remove the comment");
      else return undefined;
    }
    return undefined;
  };
  const describe = (offset: number): string => {
    if (offset >= n) return "the end of the file";
    const cp = text.codePointAt(offset)!;
    const ch = String.fromCodePoint(cp);
    return cp < 0x20 || cp === 0x7f || (cp >= 0x80 && cp <= 0x9f) || cp === 0xfeff || cp === 0x2028 || cp === 0x2029 ? `character U+${cp.toString(16).toUpperCase().padStart(4, "0")}` : `"${ch}"`;
  };
  const where = () => {
    const top = stack[stack.length - 1];
    const at = lineColumnAt(text, top.open);
    return `${top.kind === "object" ? "an object" : "an array"} opened at line ${at.line}, column ${at.column}`;
  };

  /** Scans a string starting at the opening quote; returns its value or an error. */
  const scanString = (): { value: string } | { error: JsonReadResult } => {
    const start = pos;
    pos++;
    let out = "";
    let chunk = pos;
    const plain = /[^"\\\u0000-\u001f]*/y;
    while (pos < n) {
      plain.lastIndex = pos;
      pos += plain.exec(text)![0].length;
      if (pos >= n) break;
      const c = text.charCodeAt(pos);
      if (c === 0x22) {
        out += text.slice(chunk, pos);
        pos++;
        return { value: out };
      }
      if (c === 0x5c) {
        out += text.slice(chunk, pos);
        const e = text[pos + 1];
        const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
        if (e !== undefined && Object.hasOwn(simple, e)) {
          out += simple[e];
          pos += 2;
        } else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) {
          out += String.fromCharCode(parseInt(text.slice(pos + 2, pos + 6), 16));
          pos += 6;
        } else if (e === "u") return { error: err(pos, "\\u must be followed by 4 hexadecimal digits") };
        else if (e === undefined) break;
        else return { error: err(pos, `invalid escape \\${describe(pos + 1).replace(/^"|"$/g, "")} in a string`, 'escape only " \\ / b f n r t and uXXXX (write a backslash as \\\\)') };
        chunk = pos;
        continue;
      }
      if (c === 0x0a || c === 0x0d) return { error: err(start, "string not closed on its line (a line break inside a string must be written \\n)", 'close the string with " or write the line break as \\n') };
      if (c < 0x20) return { error: err(pos, `unescaped control ${describe(pos)} in a string`, "write it as an escape, e.g. \\t or \\u0001") };
      pos++;
    }
    return { error: err(start, "string never closed (the file ends inside it)", 'close the string with "') };
  };

  /** Scans a number with JSON's grammar. */
  const scanNumber = (): { value: number } | { error: JsonReadResult } => {
    const start = pos;
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(pos, pos + 400));
    const rest = text.slice(pos, pos + 400);
    if (!m || m[0] === "-") {
      if (/^-Infinity/.test(rest)) return { error: err(start, "-Infinity is not a JSON value", "use a number") };
      return { error: err(start, `invalid number starting with ${describe(start)}`, "write numbers like 12, -3, 0.5 or 1e3") };
    }
    const after = text[pos + m[0].length];
    if (m[1] === "0" && after !== undefined && /\d/.test(after)) return { error: err(start, "numbers cannot have leading zeros", `write ${rest.replace(/^(-?)0+(?=\d)/, "$1").match(/^-?\d+/)![0]}`) };
    if (/^-?0[xX]/.test(rest)) return { error: err(start, "hexadecimal numbers are not JSON", "write the number in decimal") };
    if (after === "." && !m[2]) return { error: err(pos + m[0].length, "a digit must follow the decimal point", "e.g. 1.0 or 1") };
    if (after !== undefined && /[eE]/.test(after)) return { error: err(pos + m[0].length, "an exponent needs digits", "e.g. 1e3") };
    if (after !== undefined && /[\w.]/.test(after)) return { error: err(pos + m[0].length, `unexpected ${describe(pos + m[0].length)} after a number`, "separate values with commas; quote text") };
    pos += m[0].length;
    return { value: Number(m[0]) };
  };

  /** Scans one scalar or opens a container at pos (after whitespace). */
  const valueStart = (): { value?: unknown; opened?: boolean } | { error: JsonReadResult } => {
    const c = text[pos];
    if (c === "{" || c === "[") {
      const parent = stack[stack.length - 1];
      stack.push({ kind: c === "{" ? "object" : "array", parent, at: parent && (parent.kind === "object" ? parent.key! : parent.index), open: pos, keys: new Set(), index: 0 });
      pos++;
      return { opened: true };
    }
    if (c === '"') {
      const s = scanString();
      return "error" in s ? s : { value: s.value };
    }
    if (c === "-" || (c >= "0" && c <= "9")) {
      const num = scanNumber();
      return "error" in num ? num : { value: num.value };
    }
    for (const [word, value] of [["true", true], ["false", false], ["null", null]] as const)
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return { value };
      }
    if (text.startsWith("NaN", pos) || text.startsWith("Infinity", pos))
      return { error: err(pos, `${text.startsWith("NaN", pos) ? "NaN" : "Infinity"} is not a JSON value`, "use a number (or null)") };
    if (c === "'") return { error: err(pos, "strings must use double quotes, not single quotes", 'replace the single quotes with "') };
    if (c === "+") return { error: err(pos, "numbers cannot start with +", "remove the +") };
    if (c === ".") return { error: err(pos, "numbers cannot start with a decimal point", "write 0.5, not .5") };
    if (c === undefined) return { error: stack.length ? err(n, `the file ends inside ${where()}`, "complete it (a value and the closing bracket are missing)") : emptyFile(n) };
    if (/[A-Za-z_$]/.test(c)) {
      const word = /^[\w$-]{1,40}/.exec(text.slice(pos))![0];
      return { error: err(pos, `unexpected word ${word}: strings and keys must be double-quoted`, `write "${word}"`) };
    }
    return { error: err(pos, `unexpected ${describe(pos)} where a value should be`, SYNTAX_FIX) };
  };

  let s = skip();
  if (s) return s;
  if (pos >= n) return emptyFile(0);
  // The parser alternates: read a value (or open a container), then what may follow it in the innermost container.
  type Want = "value" | "key" | "after";
  let want: Want = "value";
  for (;;) {
    s = skip();
    if (s) return s;
    const top = stack[stack.length - 1];
    if (want === "key") {
      // Inside an object, after "{" or ",": a key (or "}" right after "{").
      const c = text[pos];
      if (c === "}" && top.keys.size === 0 && top.index === 0) {
        stack.pop();
        pos++;
        want = "after";
        continue;
      }
      if (c !== '"') {
        if (c === undefined) return err(n, `the file ends inside ${where()}`, "complete it and close it with }");
        if (c === "'") return err(pos, "keys must use double quotes, not single quotes", 'replace the single quotes with "');
        if (/[A-Za-z_$]/.test(c)) return err(pos, `object keys must be double-quoted (found ${/^[\w$-]{1,40}/.exec(text.slice(pos))![0]})`, "put the key in double quotes");
        return err(pos, `unexpected ${describe(pos)} where a key should be`, SYNTAX_FIX);
      }
      const keyAt = pos;
      const k = scanString();
      if ("error" in k) return k.error;
      if (top.keys.has(k.value)) duplicateKeys.push({ path: [...pathOf(top), k.value], ...lineColumnAt(text, keyAt) });
      top.keys.add(k.value);
      top.key = k.value;
      s = skip();
      if (s) return s;
      if (text[pos] !== ":") return pos >= n ? err(n, `the file ends inside ${where()}`, "complete it") : err(pos, `expected ":" after the key, found ${describe(pos)}`, 'write "key": value');
      pos++;
      want = "value";
      continue;
    }
    if (want === "value") {
      if (top?.kind === "array" && text[pos] === "]" && top.index === 0) {
        stack.pop();
        pos++;
        want = "after";
        continue;
      }
      const v = valueStart();
      if ("error" in v) return v.error;
      want = v.opened ? (stack[stack.length - 1].kind === "object" ? "key" : "value") : "after";
      continue;
    }
    // after a value
    if (!top) {
      if (pos < n) return err(pos, `unexpected ${describe(pos)} after the end of the JSON value`, "the file must hold exactly one JSON object: remove what follows it");
      break;
    }
    const c = text[pos];
    const close = top.kind === "object" ? "}" : "]";
    if (c === ",") {
      const comma = pos;
      pos++;
      s = skip();
      if (s) return s;
      if (text[pos] === "}" || text[pos] === "]") return err(comma, `trailing comma before "${text[pos]}"`, "remove the comma");
      top.index++;
      want = top.kind === "object" ? "key" : "value";
      continue;
    }
    if (c === close) {
      stack.pop();
      pos++;
      continue;
    }
    if (c === undefined) return err(n, `the file ends inside ${where()}`, `close it with ${close}`);
    if (c === "}" || c === "]") return err(pos, `"${c}" closes nothing here: ${where()} is still open`, `close it with ${close} first`);
    return err(pos, `expected "," or "${close}" after the value, found ${describe(pos)}`, "add the missing comma");
  }
  try {
    return { value: JSON.parse(text), duplicateKeys };
  } catch (e) {
    // Not expected after the scan; never a stack trace if it happens.
    return err(0, `not JSON (${String((e as Error).message).split("\n")[0].slice(0, 120)})`);
  }
}
