import { connect as netConnect, isIP, type Socket } from "node:net";
import { connect as tlsConnect, type ConnectionOptions } from "node:tls";
import { encodeCommand, RespError, RespParser, RespProtocolError, type RespValue } from "./resp-codec";
import type { StoreAddress } from "./store-url";

/*
 * One connection to a Redis/Valkey server, pipelined: commands are written as they come and replies matched in order
 * (RESP replies arrive in command order on a connection). Every wait is bounded: the connection set-up (TCP or TLS
 * handshake, AUTH, SELECT) by the connect timeout, each command by its own timeout. A command that timed out keeps its
 * place in the queue so its late reply is read and dropped rather than handed to the next command. The socket is
 * unref'd: an idle store connection never keeps an application's process alive.
 */

/** Why a store command failed (never carries the password: AUTH arguments are not echoed). */
export class StoreError extends Error {
  constructor(
    message: string,
    /** `timeout`, `connection` (refused, reset, closed), `protocol` (not RESP2), or the server's error code. */
    readonly kind: string,
  ) {
    super(message);
    this.name = "StoreError";
  }
}

interface Waiting {
  resolve(v: RespValue): void;
  reject(e: Error): void;
  timer?: NodeJS.Timeout;
  /** Timed out: its reply is still owed by the server and is dropped when it comes. */
  abandoned: boolean;
}

/** Commands whose replies are still owed past this (a server that stopped answering) close the connection. */
const MAX_OWED = 10_000;

export class RespConnection {
  private readonly parser = new RespParser();
  private readonly waiting: Waiting[] = [];
  private isClosed = false;
  private closeListeners: Array<(reason: StoreError) => void> = [];

  private constructor(
    private readonly socket: Socket,
    readonly shown: string,
  ) {
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("error", (e) => this.fail(new StoreError(`${shown}: ${e.message}`, "connection")));
    socket.on("close", () => this.fail(new StoreError(`${shown}: connection closed`, "connection")));
  }

  /** Connects, authenticates and selects the database, all within `connectTimeoutMs`. */
  static async open(address: StoreAddress, options: { readonly connectTimeoutMs: number; readonly tls?: ConnectionOptions }): Promise<RespConnection> {
    const deadline = Date.now() + options.connectTimeoutMs;
    const socket = address.tls
      ? tlsConnect({ host: address.host, port: address.port, ...(isIP(address.host) ? {} : { servername: address.host }), ...options.tls })
      : netConnect({ host: address.host, port: address.port });
    socket.setKeepAlive(true, 10_000);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new StoreError(`${address.shown}: no connection within ${options.connectTimeoutMs} ms`, "timeout"));
      }, options.connectTimeoutMs);
      const ok = () => {
        clearTimeout(timer);
        socket.off("error", ko);
        resolve();
      };
      const ko = (e: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(new StoreError(`${address.shown}: ${e.message}`, "connection"));
      };
      socket.once(address.tls ? "secureConnect" : "connect", ok);
      socket.once("error", ko);
    });
    const conn = new RespConnection(socket, address.shown);
    try {
      const left = () => Math.max(1, deadline - Date.now());
      if (address.password !== undefined) {
        const auth = address.username !== undefined ? ["AUTH", address.username, address.password] : ["AUTH", address.password];
        await conn.command(auth, left());
      }
      if (address.db !== 0) await conn.command(["SELECT", address.db], left());
    } catch (e) {
      conn.close();
      throw e instanceof StoreError ? e : new StoreError(`${address.shown}: ${(e as Error).message}`, "connection");
    }
    socket.unref();
    return conn;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Called once when the connection ends for any reason (not after close()). */
  onClose(listener: (reason: StoreError) => void): void {
    this.closeListeners.push(listener);
  }

  /** Sends one command; resolves with its reply, rejects with a StoreError (an error reply has the server's code as kind). */
  command(args: readonly (string | number)[], timeoutMs: number): Promise<RespValue> {
    if (this.isClosed) return Promise.reject(new StoreError(`${this.shown}: connection closed`, "connection"));
    return new Promise<RespValue>((resolve, reject) => {
      const w: Waiting = { resolve, reject, abandoned: false };
      w.timer = setTimeout(
        () =>
          // One more I/O turn first: after a busy stretch of the event loop, timers run before the socket is read, and
          // a reply that came in time must not count as late (setImmediate runs after the poll phase).
          setImmediate(() => {
            if (!this.waiting.includes(w)) return;
            w.abandoned = true;
            reject(new StoreError(`${this.shown}: no reply within ${timeoutMs} ms`, "timeout"));
          }),
        timeoutMs,
      );
      w.timer.unref();
      this.waiting.push(w);
      if (this.waiting.length > MAX_OWED) {
        this.fail(new StoreError(`${this.shown}: ${MAX_OWED} replies owed; the server stopped answering`, "timeout"));
        return;
      }
      this.socket.write(encodeCommand(args), "utf8");
    });
  }

  /** Ends the connection; commands still waiting reject. */
  close(): void {
    this.closeListeners = [];
    this.fail(new StoreError(`${this.shown}: connection closed by the router`, "connection"));
  }

  private onData(chunk: Buffer): void {
    let replies: RespValue[];
    try {
      replies = this.parser.feed(chunk);
    } catch (e) {
      this.fail(new StoreError(`${this.shown}: ${(e as RespProtocolError).message}`, "protocol"));
      return;
    }
    for (const reply of replies) {
      const w = this.waiting.shift();
      if (!w) {
        this.fail(new StoreError(`${this.shown}: a reply no command asked for`, "protocol"));
        return;
      }
      clearTimeout(w.timer);
      if (w.abandoned) continue;
      if (reply instanceof RespError) w.reject(new StoreError(`${this.shown}: ${reply.message}`, reply.code));
      else w.resolve(reply);
    }
  }

  private fail(reason: StoreError): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.socket.destroy();
    for (const w of this.waiting.splice(0)) {
      clearTimeout(w.timer);
      if (!w.abandoned) w.reject(reason);
    }
    const listeners = this.closeListeners;
    this.closeListeners = [];
    for (const l of listeners) l(reason);
  }
}
