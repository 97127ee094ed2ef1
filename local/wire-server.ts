import http, { type IncomingMessage, type ServerResponse } from "node:http";
import http2, { type Http2ServerRequest, type Http2ServerResponse, type ServerHttp2Session } from "node:http2";
import net, { type AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import type { CallRecord } from "./call-log";
import { ConnectionGuard, type GuardExpiry } from "./connection-guard";
import { ReplaySocket } from "./replay-socket";
import type { WireReply, WireRequest } from "./wire";

/** Wire protocol of one request. */
export type WireProtocol = CallRecord["protocol"];

/** What the server asks of the services behind it. */
export interface WireHandler {
  /** Answers one buffered request; `signal` aborts when the client goes away or the server closes. */
  handle(req: WireRequest, protocol: WireProtocol, signal: AbortSignal): Promise<WireReply>;
  /** The answer to a request whose body exceeds `maxBodyBytes` (`req.body` is empty: it was never buffered). */
  refuseBody(req: WireRequest, protocol: WireProtocol, maxBodyBytes: number): WireReply;
}

/** Connection and request limits; every one applies to HTTP/1.1 and HTTP/2 alike. */
export interface WireLimits {
  /** A connection with no request in flight is closed after this long (HTTP/2: GOAWAY); default 30 000 ms. */
  idleTimeoutMs: number;
  /**
   * A request's headers must be complete this long after the connection opened (or, on an idle HTTP/1.1
   * connection, after the next request's first byte); default 10 000 ms. Slowloris clients are closed by this.
   */
  headersTimeoutMs: number;
  /** A request's body must be complete this long after its headers, or the request is reset; default 30 000 ms. */
  bodyTimeoutMs: number;
  /** Larger bodies are refused as soon as the size is known (Content-Length or the running count); default 6 MiB. */
  maxBodyBytes: number;
}

export const DEFAULT_WIRE_LIMITS: Readonly<WireLimits> = {
  idleTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  bodyTimeoutMs: 30_000,
  maxBodyBytes: 6 * 1024 * 1024,
};

/** Where to listen (default 127.0.0.1 on an ephemeral port) and the limits (default `DEFAULT_WIRE_LIMITS`). */
export interface WireServerOptions {
  port?: number;
  host?: string;
  limits?: Partial<WireLimits>;
}

/** One listening port that speaks HTTP/1.1 and cleartext HTTP/2 (prior knowledge). */
export interface WireServer {
  readonly url: string;
  readonly port: number;
  /** Stops listening and destroys every open socket and HTTP/2 session, hung requests included. */
  close(): Promise<void>;
}

const H2_PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

type AnyRequest = IncomingMessage | Http2ServerRequest;
type AnyResponse = ServerResponse | Http2ServerResponse;

type Body = { kind: "complete"; body: Buffer } | { kind: "too-large" };

/**
 * Buffers a request body up to `maxBodyBytes`. Past the limit (or when Content-Length already says so) nothing more
 * is kept: the rest is read and dropped so the refusal reaches the client, and the body deadline still bounds how
 * long that may take. Rejects when the client aborts or the deadline passes (the request is then reset).
 */
function collectBody(req: AnyRequest, limits: WireLimits): Promise<Body> {
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => {
      reject(new Error("request body timeout"));
      req.destroy();
    }, limits.bodyTimeoutMs);
    deadline.unref();
    req.once("end", () => clearTimeout(deadline));
    req.once("close", () => clearTimeout(deadline));
    req.on("error", reject);
    req.on("aborted", () => reject(new Error("request aborted")));

    const refuse = (): void => {
      req.removeListener("data", onData);
      req.resume(); // drain and drop
      resolve({ kind: "too-large" });
    };
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limits.maxBodyBytes) {
      refuse();
      return;
    }
    let chunks: Buffer[] = [];
    let size = 0;
    function onData(c: Buffer): void {
      size += c.length;
      if (size > limits.maxBodyBytes) {
        chunks = [];
        refuse();
        return;
      }
      chunks.push(c);
    }
    req.on("data", onData);
    req.once("end", () => resolve({ kind: "complete", body: Buffer.concat(chunks) }));
  });
}

function toWireRequest(req: AnyRequest, body: Buffer): WireRequest {
  const url = new URL(req.url ?? "/", "http://local");
  const rawPath = (req.url ?? "/").split("?")[0];
  // Null prototype: header names are client strings, and `constructor` or `__proto__` must be just names.
  const headers: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    headers[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : String(v);
  }
  return { method: (req.method ?? "GET").toUpperCase(), path: rawPath, query: url.searchParams, headers, body };
}

async function writeReply(res: AnyResponse, reply: WireReply, signal: AbortSignal): Promise<void> {
  if (reply.kind === "hang") return;
  if (signal.aborted || res.destroyed) return;
  if (reply.kind === "reset") {
    if ("stream" in res) res.stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
    else res.socket?.destroy();
    return;
  }
  if (reply.kind === "buffer") {
    res.writeHead(reply.status, { ...reply.headers, "content-length": String(reply.body.length) });
    res.end(reply.body);
    return;
  }
  res.writeHead(reply.status, reply.headers);
  for await (const frame of reply.frames) {
    if (signal.aborted || res.destroyed) return;
    // Both response types accept a chunk; the union of their overloads is just not callable as written.
    (res as ServerResponse).write(frame);
  }
  res.end();
}

/** What the server's parts share: requests in flight, open connections, and how to find a connection's guard. */
interface ServerState {
  readonly inflight: Set<AbortController>;
  closing: boolean;
  /** Guards by the socket Node's HTTP/1.1 server sees, and by HTTP/2 session. */
  readonly socketGuards: WeakMap<Duplex, ConnectionGuard>;
  readonly sessionGuards: WeakMap<ServerHttp2Session, ConnectionGuard>;
  readonly sessions: Set<ServerHttp2Session>;
  readonly sockets: Set<net.Socket>;
  /** Set only while a connection is handed to the HTTP/2 server, which emits "session" synchronously. */
  handingOver?: { guard: ConnectionGuard; session?: ServerHttp2Session };
}

/** One handler for both protocols: node's HTTP/2 compatibility API mirrors http's req/res. */
function requestHandler(handler: WireHandler, limits: WireLimits, state: ServerState): (req: AnyRequest, res: AnyResponse) => Promise<void> {
  return async (req, res) => {
    const protocol: WireProtocol = req.httpVersion === "2.0" ? "h2" : "http/1.1";
    const guard = protocol === "h2" ? state.sessionGuards.get((req as Http2ServerRequest).stream.session as ServerHttp2Session) : state.socketGuards.get(req.socket);
    guard?.requestStarted();
    const controller = new AbortController();
    state.inflight.add(controller);
    res.on("close", () => {
      state.inflight.delete(controller);
      guard?.requestEnded();
      if (!res.writableFinished) controller.abort();
    });
    try {
      const body = await collectBody(req, limits);
      if (state.closing) return;
      const reply =
        body.kind === "complete"
          ? await handler.handle(toWireRequest(req, body.body), protocol, controller.signal)
          : handler.refuseBody(toWireRequest(req, Buffer.alloc(0)), protocol, limits.maxBodyBytes);
      await writeReply(res, reply, controller.signal);
    } catch (err) {
      if (controller.signal.aborted || res.destroyed || res.headersSent) {
        if (!res.destroyed && res.headersSent) res.destroy();
        return;
      }
      const message = err instanceof Error ? err.message : String(err);
      const payload = Buffer.from(JSON.stringify({ message: `local endpoint failure: ${message}` }));
      res.writeHead(500, { "content-type": "application/json", "x-amzn-errortype": "InternalFailure" });
      res.end(payload);
    }
  };
}

/** The HTTP/2 server: each session is tracked (for close) and gets the guard of the connection it came on. */
function http2Server(onRequest: (req: AnyRequest, res: AnyResponse) => Promise<void>, state: ServerState): http2.Http2Server {
  const h2 = http2.createServer((req, res) => void onRequest(req, res));
  h2.on("session", (s: ServerHttp2Session) => {
    state.sessions.add(s);
    if (state.handingOver) {
      state.sessionGuards.set(s, state.handingOver.guard);
      state.handingOver.session = s;
    }
    s.on("close", () => state.sessions.delete(s));
    s.on("error", () => s.destroy());
  });
  h2.on("sessionError", () => undefined);
  return h2;
}

/**
 * A new TCP connection: guarded from its first byte, then handed to the HTTP/1.1 or the HTTP/2 server by whether it
 * starts with the HTTP/2 preface (possibly split across packets).
 */
function acceptConnection(socket: net.Socket, limits: WireLimits, state: ServerState, h1: http.Server, h2: http2.Http2Server): void {
  state.sockets.add(socket);
  // Until the protocol is known, and on HTTP/1.1, a stalled or idle connection is simply closed.
  let onExpiry = (_why: GuardExpiry): void => void socket.destroy();
  const guard = new ConnectionGuard(limits, (why) => onExpiry(why));
  socket.on("close", () => {
    state.sockets.delete(socket);
    guard.dispose();
  });
  socket.on("error", () => socket.destroy());
  let head = Buffer.alloc(0);
  const onData = (chunk: Buffer): void => {
    head = Buffer.concat([head, chunk]);
    const n = Math.min(head.length, H2_PREFACE.length);
    const h2Prefix = head.subarray(0, n).equals(H2_PREFACE.subarray(0, n));
    if (h2Prefix && head.length < H2_PREFACE.length) return; // preface split across packets: keep reading
    socket.removeListener("data", onData);
    socket.pause();
    const replay = new ReplaySocket(socket, head);
    replay.on("error", () => undefined);
    if (!h2Prefix) {
      state.socketGuards.set(replay, guard);
      // Observing only: the socket stays paused until the replay reads from it.
      socket.on("data", () => guard.bytesWhileIdle());
      h1.emit("connection", replay);
      return;
    }
    const handover: { guard: ConnectionGuard; session?: ServerHttp2Session } = { guard };
    state.handingOver = handover;
    h2.emit("connection", replay);
    state.handingOver = undefined;
    const session = handover.session;
    if (!session) return void socket.destroy();
    // Idle: GOAWAY, so the client opens a new session instead of sending on this one.
    onExpiry = (why) => (why === "idle" ? session.close() : session.destroy());
  };
  socket.on("data", onData);
}

/**
 * Listens on one port and hands each connection to Node's HTTP/1.1 or HTTP/2 server by its first bytes: the
 * Bedrock Runtime client speaks h2 with prior knowledge even to http:// endpoints, the other clients HTTP/1.1.
 */
export async function startWireServer(handler: WireHandler, options: WireServerOptions = {}): Promise<WireServer> {
  const limits: WireLimits = { ...DEFAULT_WIRE_LIMITS, ...options.limits };
  const state: ServerState = { inflight: new Set(), closing: false, socketGuards: new WeakMap(), sessionGuards: new WeakMap(), sessions: new Set(), sockets: new Set() };
  const onRequest = requestHandler(handler, limits, state);
  // Node's own HTTP/1.1 timers are off: the connection guard applies one set of rules to both protocols.
  const h1 = http.createServer({ keepAliveTimeout: 0, headersTimeout: 0, requestTimeout: 0 }, (req, res) => void onRequest(req, res));
  h1.on("clientError", (_err, socket: Duplex) => socket.destroy());
  const h2 = http2Server(onRequest, state);
  const server = net.createServer({ noDelay: true }, (socket) => acceptConnection(socket, limits, state, h1, h2));

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    close: async () => {
      if (state.closing) return;
      state.closing = true;
      for (const c of state.inflight) c.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of state.sessions) s.destroy();
      for (const s of state.sockets) s.destroy();
      await closed;
    },
  };
}
