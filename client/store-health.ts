import type { BackoffOptions } from "./backoff";
import type { StoreLink } from "./quota-store";
import { StoreError } from "./resp-connection";

/*
 * Whether the quota store is usable, and getting it back when it is not. The store is advisory: while it is degraded
 * the router decides on its own estimate (per-process behaviour), so a degradation costs accuracy, never a call. A
 * degradation is reported once (a process warning and, through the router, one EMF record), not per call; the link
 * is re-established in the background with equal-jitter backoff (half fixed, half random, so a fleet that lost the
 * store together does not come back in lockstep, and never in a tight loop), and the recovery is reported too.
 */

/** `connecting` until the first connection; `shared` while the store answers; `degraded` on the local estimate. */
export type StoreState = "connecting" | "shared" | "degraded" | "closed";

/** What `router.quotaStore()` shows. */
export interface QuotaStoreStatus {
  /** The store, redacted (`redis://***@host:6379`), or `application client`. */
  readonly store: string;
  readonly state: StoreState;
  /** When the state last changed (epoch ms). */
  readonly since: number;
  /** The last failure (redacted); absent before any. */
  readonly lastError?: string;
  /** Degradations since the router started. */
  readonly degradations: number;
  /** Reconnection attempts in the current degradation. */
  readonly reconnectAttempts: number;
}

/** A state change worth one record: `degraded` once per degradation, `recovered` when the store is back. */
export interface StoreEvent {
  readonly kind: "degraded" | "recovered";
  readonly store: string;
  /** Why it degraded (timeout, connection, protocol, a server error code). */
  readonly cause?: string;
  readonly message: string;
  /** How long the router ran on its local estimate (recovered only). */
  readonly degradedMs?: number;
}

export interface HealthOptions {
  readonly failuresToDegrade: number;
  readonly reconnect: BackoffOptions;
  readonly random: () => number;
  /** Wall-clock ms (timers are real). */
  readonly now: () => number;
  readonly report: (e: StoreEvent) => void;
  /** The store can no longer be trusted: forget shared views. */
  readonly onDown: () => void;
}

export class StoreHealth {
  private state: StoreState = "connecting";
  private since: number;
  private failuresInARow = 0;
  private attempts = 0;
  private degradations = 0;
  private lastError?: string;
  private timer?: NodeJS.Timeout;
  /** Incremented on every degradation: work begun before it must not be finished against the store after it. */
  episode = 0;

  constructor(
    private readonly link: StoreLink,
    private readonly options: HealthOptions,
  ) {
    this.since = options.now();
    link.onLost((e) => this.failure(e));
  }

  /** Connects in the background; calls go on meanwhile on the local estimate. */
  start(): void {
    void this.tryConnect();
  }

  get up(): boolean {
    return this.state === "shared";
  }

  /** A reply came within the budget. */
  ok(): void {
    this.failuresInARow = 0;
  }

  /** A command failed or was late; a lost connection degrades at once, anything else after failuresToDegrade in a row. */
  failure(e: unknown): void {
    if (this.state !== "shared") return;
    this.lastError = errorText(e);
    const kind = e instanceof StoreError ? e.kind : "protocol";
    if (kind === "connection" || ++this.failuresInARow >= this.options.failuresToDegrade) this.degrade(kind);
  }

  status(): QuotaStoreStatus {
    return {
      store: this.link.shown,
      state: this.state,
      since: this.since,
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
      degradations: this.degradations,
      reconnectAttempts: this.attempts,
    };
  }

  close(): void {
    this.state = "closed";
    if (this.timer) clearTimeout(this.timer);
    this.link.close();
  }

  private set(state: StoreState): void {
    this.state = state;
    this.since = this.options.now();
  }

  private degrade(cause: string): void {
    const wasConnecting = this.state === "connecting";
    this.set("degraded");
    this.episode++;
    this.degradations++;
    this.failuresInARow = 0;
    this.attempts = 0;
    this.options.onDown();
    const message = `${wasConnecting ? "quota store not reachable" : "quota store degraded"} (${this.lastError ?? `${this.link.shown}: ${cause}`}); routing on this process's own quota estimate until it is back; reconnecting in the background`;
    this.options.report({ kind: "degraded", store: this.link.shown, cause, message });
    this.schedule();
  }

  private schedule(): void {
    const { baseMs, capMs } = this.options.reconnect;
    const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(this.attempts, 30));
    const delay = ceiling / 2 + this.options.random() * (ceiling / 2);
    this.timer = setTimeout(() => void this.tryConnect(), delay);
    this.timer.unref();
  }

  /** A method, not a field read: TypeScript would keep the narrowing from before an await. */
  private isClosed(): boolean {
    return this.state === "closed";
  }

  private async tryConnect(): Promise<void> {
    if (this.isClosed()) return;
    try {
      await this.link.connect();
    } catch (e) {
      if (this.isClosed()) return;
      this.lastError = errorText(e);
      if (this.state === "connecting") this.degrade(e instanceof StoreError ? e.kind : "connection");
      else {
        this.attempts++;
        this.schedule();
      }
      return;
    }
    if (this.isClosed()) {
      this.link.close();
      return;
    }
    const wasDegraded = this.state === "degraded";
    const degradedMs = this.options.now() - this.since;
    this.set("shared");
    this.failuresInARow = 0;
    this.attempts = 0;
    if (wasDegraded) this.options.report({ kind: "recovered", store: this.link.shown, degradedMs, message: `quota store back (${this.link.shown}) after ${Math.round(degradedMs)} ms; sharing quota with the fleet again` });
  }
}

/** An error's message with any credentials in a URL redacted (an application client's errors may echo its URL). */
function errorText(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, "$1***@").slice(0, 300);
}
