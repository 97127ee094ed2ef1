import type net from "node:net";
import { Duplex } from "node:stream";

/**
 * Replays the bytes consumed while sniffing, then relays the socket. Needed because Node's HTTP/2 (and, with
 * its native parser, HTTP/1) server reads the socket handle directly and never sees data pushed back with unshift().
 */
export class ReplaySocket extends Duplex {
  constructor(
    private readonly inner: net.Socket,
    head: Buffer,
  ) {
    super();
    this.push(head);
    inner.on("data", (chunk: Buffer) => {
      if (!this.push(chunk)) inner.pause();
    });
    inner.on("end", () => this.push(null));
    inner.on("close", () => this.destroy());
    inner.on("error", (err) => this.destroy(err));
    inner.on("timeout", () => this.emit("timeout"));
  }

  get remoteAddress(): string | undefined {
    return this.inner.remoteAddress;
  }

  get remotePort(): number | undefined {
    return this.inner.remotePort;
  }

  setTimeout(ms: number, cb?: () => void): this {
    this.inner.setTimeout(ms);
    if (cb) this.once("timeout", cb);
    return this;
  }

  setNoDelay(noDelay?: boolean): this {
    this.inner.setNoDelay(noDelay);
    return this;
  }

  setKeepAlive(enable?: boolean, delayMs?: number): this {
    this.inner.setKeepAlive(enable, delayMs);
    return this;
  }

  override _read(): void {
    this.inner.resume();
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (this.inner.destroyed) return cb();
    this.inner.write(chunk, encoding, cb);
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.inner.end();
    cb();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.inner.destroy();
    cb(err);
  }
}
