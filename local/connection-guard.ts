/** Why a connection was closed by its guard. */
export type GuardExpiry = "headers" | "idle";

/**
 * The timers of one connection, for both protocols. A connection is always in one of three phases: waiting for a
 * request's headers (from the moment it opens, and again when an HTTP/1.1 client starts sending the next request),
 * busy (at least one request in flight: no timer, the body has its own deadline), or idle (nothing in flight since
 * the last response). Bytes never extend a deadline, so a client trickling one byte at a time (slowloris) is closed
 * like a silent one.
 */
export class ConnectionGuard {
  private timer: NodeJS.Timeout | undefined;
  private active = 0;
  private phase: "headers" | "busy" | "idle" | "done" = "headers";

  constructor(
    private readonly limits: { headersTimeoutMs: number; idleTimeoutMs: number },
    private readonly expire: (why: GuardExpiry) => void,
  ) {
    this.arm(limits.headersTimeoutMs, "headers");
  }

  /** Headers of a request (or an HTTP/2 stream) are complete. */
  requestStarted(): void {
    if (this.phase === "done") return;
    this.active += 1;
    this.phase = "busy";
    this.clear();
  }

  /** A response finished or its request was abandoned. */
  requestEnded(): void {
    if (this.phase === "done" || this.active === 0) return;
    this.active -= 1;
    if (this.active > 0) return;
    this.phase = "idle";
    this.arm(this.limits.idleTimeoutMs, "idle");
  }

  /** Bytes arrived on an idle HTTP/1.1 connection: a new request has begun and must finish its headers in time. */
  bytesWhileIdle(): void {
    if (this.phase !== "idle") return;
    this.phase = "headers";
    this.arm(this.limits.headersTimeoutMs, "headers");
  }

  dispose(): void {
    this.phase = "done";
    this.clear();
  }

  private arm(ms: number, why: GuardExpiry): void {
    this.clear();
    if (ms <= 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.phase === "done") return;
      this.dispose();
      this.expire(why);
    }, ms);
    // A test endpoint must never keep its process alive on a forgotten connection.
    this.timer.unref();
  }

  private clear(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
