import http, { type IncomingMessage, type ServerResponse } from "node:http";
import http2, { type Http2ServerRequest, type Http2ServerResponse, type ServerHttp2Session } from "node:http2";
import net, { type AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import type { CallRecord } from "./call-log";
import { ReplaySocket } from "./replay-socket";
import type { WireReply, WireRequest } from "./wire";

/** Wire protocol of one request. */
export type WireProtocol = CallRecord["protocol"];

/** Answers one buffered request; `signal` aborts when the client goes away or the server closes. */
export type WireHandler = (req: WireRequest, protocol: WireProtocol, signal: AbortSignal) => Promise<WireReply>;

/** Where to listen; default 127.0.0.1 on an ephemeral port. */
export interface WireServerOptions {
  port?: number;
  host?: string;
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

function collectBody(req: AnyRequest): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
    req.on("aborted", () => reject(new Error("request aborted")));
  });
}

function toWireRequest(req: AnyRequest, body: Buffer): WireRequest {
  const url = new URL(req.url ?? "/", "http://local");
  const rawPath = (req.url ?? "/").split("?")[0];
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    headers[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : String(v);
  }
  return { method: (req.method ?? "GET").toUpperCase(), path: rawPath, query: url.searchParams, headers, body };
}

async function writeReply(res: AnyResponse, reply: WireReply, signal: AbortSignal): Promise<void> {
  if (reply.kind === "hang") return;
  if (signal.aborted || res.destroyed) return;
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

/**
 * Listens on one port and hands each connection to Node's HTTP/1.1 or HTTP/2 server by its first bytes: the
 * Bedrock Runtime client speaks h2 with prior knowledge even to http:// endpoints, the other clients HTTP/1.1.
 */
export async function startWireServer(handler: WireHandler, options: WireServerOptions = {}): Promise<WireServer> {
  const inflight = new Set<AbortController>();
  let closing = false;

  // One handler for both protocols: node's HTTP/2 compatibility API mirrors http's req/res.
  async function onRequest(req: AnyRequest, res: AnyResponse): Promise<void> {
    const controller = new AbortController();
    inflight.add(controller);
    res.on("close", () => {
      inflight.delete(controller);
      if (!res.writableFinished) controller.abort();
    });
    try {
      const body = await collectBody(req);
      if (closing) return;
      const reply = await handler(toWireRequest(req, body), req.httpVersion === "2.0" ? "h2" : "http/1.1", controller.signal);
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
  }

  const h1 = http.createServer((req, res) => void onRequest(req, res));
  const h2 = http2.createServer((req, res) => void onRequest(req, res));
  const sessions = new Set<ServerHttp2Session>();
  h2.on("session", (s: ServerHttp2Session) => {
    sessions.add(s);
    s.on("close", () => sessions.delete(s));
    s.on("error", () => s.destroy());
  });
  h2.on("sessionError", () => undefined);
  h1.on("clientError", (_err, socket: Duplex) => socket.destroy());

  const sockets = new Set<net.Socket>();
  const server = net.createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
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
      (h2Prefix ? h2 : h1).emit("connection", replay);
    };
    socket.on("data", onData);
  });

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
      if (closing) return;
      closing = true;
      for (const c of inflight) c.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sessions) s.destroy();
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
