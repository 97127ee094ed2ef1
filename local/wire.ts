import { randomUUID } from "node:crypto";

/** A request as received on either protocol, body fully buffered. */
export interface WireRequest {
  method: string;
  /** Raw path as sent (still percent-encoded), without the query string; SigV4 signs this exact form. */
  path: string;
  query: URLSearchParams;
  /** Lower-case header names; HTTP/2 pseudo-headers (`:authority`) are kept because the SDK signs them. */
  headers: Record<string, string>;
  body: Buffer;
}

/** What a service handler wants written back. */
export type WireReply =
  | { kind: "buffer"; status: number; headers: Record<string, string>; body: Buffer }
  | { kind: "stream"; status: number; headers: Record<string, string>; frames: AsyncIterable<Uint8Array> }
  /** Never answer: the client's timeout/abort or `close()` ends the exchange. */
  | { kind: "hang" }
  /** No answer at all: the connection (HTTP/2: the stream) is reset, as when a host does not exist behind a proxy. */
  | { kind: "reset" };

export function requestId(): string {
  return randomUUID();
}

export function jsonReply(status: number, body: unknown, headers: Record<string, string> = {}): WireReply {
  return {
    kind: "buffer",
    status,
    headers: { "content-type": "application/json", "x-amzn-requestid": requestId(), ...headers },
    body: Buffer.from(JSON.stringify(body)),
  };
}

/**
 * restJson1 error: the SDK takes the exception name from `x-amzn-errortype`, so the header is what makes
 * `err.name` right; the body carries the message (and any modelled members such as `Details`).
 */
export function jsonError(status: number, errorType: string, body: Record<string, unknown>): WireReply {
  return jsonReply(status, body, { "x-amzn-errortype": errorType });
}

export function bytesReply(status: number, body: Buffer, headers: Record<string, string>): WireReply {
  return { kind: "buffer", status, headers: { "x-amzn-requestid": requestId(), ...headers }, body };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Resolves after `ms`, or early (without throwing) when the client goes away, so aborted requests free their timers. */
export function delay(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/** The offset a token from `paginate` stands for; undefined when the string is not such a token. */
export function tokenOffset(token: string): number | undefined {
  const text = Buffer.from(token, "base64url").toString("utf8");
  return /^\d{1,9}$/.test(text) && Buffer.from(text).toString("base64url") === token ? Number(text) : undefined;
}

/**
 * Offset-based opaque pagination token shared by the list operations. Pages hold `maxResults` items, clamped to
 * 1..`cap`, or `defaultSize` when the caller sent none; an unreadable token starts over (callers that must refuse
 * it check `tokenOffset` first).
 */
export function paginate<T>(
  items: T[],
  maxResults: number | undefined,
  nextToken: string | undefined,
  cap = 100,
  defaultSize = cap,
): {
  page: T[];
  nextToken?: string;
} {
  const start = nextToken ? (tokenOffset(nextToken) ?? 0) : 0;
  const size = Math.max(1, Math.min(maxResults ?? defaultSize, cap));
  const page = items.slice(start, start + size);
  const next = start + size < items.length ? Buffer.from(String(start + size)).toString("base64url") : undefined;
  return next ? { page, nextToken: next } : { page };
}
