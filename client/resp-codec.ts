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
type Read = RespValue | typeof INCOMPLETE;

/**
 * Incremental reply parser: feed it socket chunks, it returns the replies completed so far, in order. Integers (all
 * the fleet script answers) are read straight from the bytes: a reply of fifteen costs a few microseconds, which
 * matters when a burst of replies is read inside someone's call.
 */
export class RespParser {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;

  /** Throws RespProtocolError on bytes that are not RESP2. */
  feed(chunk: Buffer): RespValue[] {
    this.buf = this.pos < this.buf.length ? Buffer.concat([this.buf.subarray(this.pos), chunk]) : chunk;
    this.pos = 0;
    const out: RespValue[] = [];
    while (this.pos < this.buf.length) {
      const start = this.pos;
      const value = this.read(0);
      if (value === INCOMPLETE) {
        this.pos = start;
        break;
      }
      out.push(value);
    }
    return out;
  }

  /** Bytes received but not yet a whole reply. */
  get pending(): number {
    return this.buf.length - this.pos;
  }

  private read(depth: number): Read {
    const buf = this.buf;
    if (this.pos >= buf.length) return INCOMPLETE;
    if (depth > MAX_DEPTH) throw new RespProtocolError(`replies nested deeper than ${MAX_DEPTH}`);
    const type = buf[this.pos];
    if (type === 0x3a) return this.integer();
    const end = buf.indexOf(CRLF, this.pos + 1);
    if (end < 0) {
      if (buf.length - this.pos > MAX_BULK_BYTES) throw new RespProtocolError("a reply line longer than 1 MiB");
      return INCOMPLETE;
    }
    const line = buf.toString("utf8", this.pos + 1, end);
    const next = end + 2;
    switch (type) {
      case 0x2b: // +
        this.pos = next;
        return line;
      case 0x2d: // -
        this.pos = next;
        return new RespError(line);
      case 0x24: // $
        return this.bulk(lengthOf(line), next);
      case 0x2a: // *
        return this.array(lengthOf(line), next, depth);
      default:
        throw new RespProtocolError(`unknown reply type ${JSON.stringify(String.fromCharCode(type))} (is this a Redis/Valkey server? a TLS port needs rediss://)`);
    }
  }

  /** `:<digits>\r\n`, read from the bytes. */
  private integer(): Read {
    const buf = this.buf;
    let i = this.pos + 1;
    const negative = buf[i] === 0x2d;
    if (negative) i++;
    let n = 0;
    const first = i;
    for (; i < buf.length && buf[i] >= 0x30 && buf[i] <= 0x39; i++) n = n * 10 + (buf[i] - 0x30);
    if (i + 1 >= buf.length) return INCOMPLETE;
    if (buf[i] !== 13 || buf[i + 1] !== 10 || i === first || i - first > 16) throw new RespProtocolError(`expected an integer, got ${JSON.stringify(buf.toString("utf8", this.pos + 1, Math.min(buf.length, i + 20)))}`);
    this.pos = i + 2;
    return negative ? -n : n;
  }

  private bulk(n: number, next: number): Read {
    if (n === -1) {
      this.pos = next;
      return null;
    }
    if (n < 0 || n > MAX_BULK_BYTES) throw new RespProtocolError(`bulk string of ${n} bytes`);
    const buf = this.buf;
    if (buf.length < next + n + 2) return INCOMPLETE;
    if (buf[next + n] !== 13 || buf[next + n + 1] !== 10) throw new RespProtocolError("bulk string not followed by CRLF");
    this.pos = next + n + 2;
    return buf.toString("utf8", next, next + n);
  }

  private array(n: number, next: number, depth: number): Read {
    if (n === -1) {
      this.pos = next;
      return null;
    }
    if (n < 0 || n > MAX_ARRAY_ITEMS) throw new RespProtocolError(`array of ${n} items`);
    this.pos = next;
    const items: RespValue[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const item = this.read(depth + 1);
      if (item === INCOMPLETE) return INCOMPLETE;
      items[i] = item;
    }
    return items;
  }
}

function lengthOf(text: string): number {
  if (!/^-?\d{1,16}$/.test(text)) throw new RespProtocolError(`expected a length, got ${JSON.stringify(text.slice(0, 40))}`);
  return Number(text);
}
