/*
 * RESP2, the Redis serialization protocol (https://redis.io/docs/latest/develop/reference/protocol-spec/), as far as
 * the quota store needs it: commands go out as arrays of bulk strings; replies come back as simple strings, errors,
 * integers, bulk strings and arrays of those. Valkey speaks the same protocol. Pure: no sockets here.
 */

/** A reply value: simple and bulk strings as text, integers as numbers, nil as null, arrays nested. */
export type RespValue = string | number | null | RespError | RespValue[];

/** An error reply (`-ERR ...`, `-NOSCRIPT ...`): a value, not a thrown error, so one bad reply never desyncs the rest. */
export class RespError extends Error {
  /** The first word: ERR, NOSCRIPT, WRONGPASS, NOAUTH, MOVED, ... */
  readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = "RespError";
    this.code = /^\S+/.exec(message)?.[0] ?? "ERR";
  }
}

/** The peer sent bytes that are not RESP2 (or past the bounds below): the connection cannot be trusted any more. */
export class RespProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RespProtocolError";
  }
}

/** Bounds on what a reply may hold; the store's replies are a few dozen integers. */
const MAX_BULK_BYTES = 1 << 20;
const MAX_ARRAY_ITEMS = 1 << 16;
const MAX_DEPTH = 8;

/** `*2\r\n$4\r\nPING\r\n...`: one command as RESP2 text (bulk lengths in UTF-8 bytes); one string, few allocations. */
export function encodeCommand(args: readonly (string | number)[]): string {
  let out = `*${args.length}\r\n`;
  for (const a of args) {
    const text = String(a);
    out += `$${Buffer.byteLength(text, "utf8")}\r\n${text}\r\n`;
  }
  return out;
}

const CRLF = Buffer.from("\r\n");
const INCOMPLETE = Symbol("incomplete");
type Parsed = { value: RespValue; next: number } | typeof INCOMPLETE;

/** Incremental reply parser: feed it socket chunks, it returns the replies completed so far, in order. */
export class RespParser {
  private buf: Buffer = Buffer.alloc(0);

  /** Throws RespProtocolError on bytes that are not RESP2. */
  feed(chunk: Buffer): RespValue[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: RespValue[] = [];
    let pos = 0;
    for (;;) {
      const r = parseAt(this.buf, pos, 0);
      if (r === INCOMPLETE) break;
      out.push(r.value);
      pos = r.next;
      if (pos >= this.buf.length) break;
    }
    this.buf = pos >= this.buf.length ? Buffer.alloc(0) : this.buf.subarray(pos);
    return out;
  }

  /** Bytes received but not yet a whole reply. */
  get pending(): number {
    return this.buf.length;
  }
}

function integer(text: string): number {
  if (!/^-?\d{1,16}$/.test(text)) throw new RespProtocolError(`expected an integer, got ${JSON.stringify(text.slice(0, 40))}`);
  return Number(text);
}

function parseAt(buf: Buffer, pos: number, depth: number): Parsed {
  if (pos >= buf.length) return INCOMPLETE;
  if (depth > MAX_DEPTH) throw new RespProtocolError(`replies nested deeper than ${MAX_DEPTH}`);
  const end = buf.indexOf(CRLF, pos + 1);
  if (end < 0) {
    if (buf.length - pos > MAX_BULK_BYTES) throw new RespProtocolError("a reply line longer than 1 MiB");
    return INCOMPLETE;
  }
  const type = String.fromCharCode(buf[pos]);
  const line = buf.toString("utf8", pos + 1, end);
  const next = end + 2;
  switch (type) {
    case "+":
      return { value: line, next };
    case "-":
      return { value: new RespError(line), next };
    case ":":
      return { value: integer(line), next };
    case "$": {
      const n = integer(line);
      if (n === -1) return { value: null, next };
      if (n < 0 || n > MAX_BULK_BYTES) throw new RespProtocolError(`bulk string of ${n} bytes`);
      if (buf.length < next + n + 2) return INCOMPLETE;
      if (buf[next + n] !== 13 || buf[next + n + 1] !== 10) throw new RespProtocolError("bulk string not followed by CRLF");
      return { value: buf.toString("utf8", next, next + n), next: next + n + 2 };
    }
    case "*": {
      const n = integer(line);
      if (n === -1) return { value: null, next };
      if (n < 0 || n > MAX_ARRAY_ITEMS) throw new RespProtocolError(`array of ${n} items`);
      const items: RespValue[] = [];
      let at = next;
      for (let i = 0; i < n; i++) {
        const r = parseAt(buf, at, depth + 1);
        if (r === INCOMPLETE) return INCOMPLETE;
        items.push(r.value);
        at = r.next;
      }
      return { value: items, next: at };
    }
    default:
      throw new RespProtocolError(`unknown reply type ${JSON.stringify(type)} (is this a Redis/Valkey server? a TLS port needs rediss://)`);
  }
}
