import type { ConnectionOptions } from "node:tls";
import type { BackoffOptions } from "./backoff";
import { FLEET_SCRIPT, FLEET_SCRIPT_SHA } from "./fleet-script";
import { RespConnection, StoreError } from "./resp-connection";
import { parseStoreUrl, type StoreAddress } from "./store-url";

/*
 * Where a fleet of routers shares its quota view: a Valkey or Redis server (ElastiCache runs both), reached either
 * through the package's own minimal RESP2 connection (`url`; no dependency added to the package) or through a client
 * the application already has (`client`). Either way the router only ever runs one Lua script (client/fleet-script.ts)
 * and PING, each bounded by the store timeout; nothing a caller waits for goes through here.
 */

/**
 * A Redis/Valkey client the application already has; both common Node.js clients fit as they are:
 * - node-redis (`redis` v4/v5, `createClient()`): `sendCommand(["EVALSHA", ...])`;
 * - ioredis (`new Redis()`, `new Redis.Cluster()`): `call("EVALSHA", ...)`.
 * Anything else adapts in one line, e.g. a node-redis cluster: `{ sendCommand: (a) => cluster.sendCommand(a[3], false, a) }`.
 * The router never closes it.
 */
export type QuotaStoreClient =
  | { sendCommand(args: string[]): Promise<unknown> }
  | { call(command: string, ...args: string[]): Promise<unknown> };

/** `createRouter({ quotaStore })`: share quota, throttles and breaker openings with the fleet. Defaults in QUOTA_STORE_DEFAULTS. */
export interface QuotaStoreOptions {
  /** `redis://[user:password@]host[:port][/db]`, or `rediss://` for TLS. Exactly one of url / client. */
  readonly url?: string;
  /** A connected client the application already has (node-redis or ioredis). Exactly one of url / client. */
  readonly client?: QuotaStoreClient;
  /** TLS settings for `rediss://` (ca, servername, rejectUnauthorized, ...). Default: Node's (system CAs, host name checked). */
  readonly tls?: ConnectionOptions;
  /** Prefix of every key; give each account its own when accounts share one server. Default `bedrock-routing`. */
  readonly keyPrefix?: string;
  /**
   * The most a call may wait on the store: only when every candidate lacks room and a lease claim is on its way; a
   * claim unanswered past it leaves the call to the local estimate. Default 5 ms.
   */
  readonly budgetMs?: number;
  /** A reply later than this counts as a failure of the store. Default 50 ms. */
  readonly timeoutMs?: number;
  /** Failures in a row (late replies, errors) that switch the router to its local estimate. Default 3; a lost connection at once. */
  readonly failuresToDegrade?: number;
  /** Bound of a (re)connection: TCP/TLS handshake, AUTH, SELECT. Default 2 000 ms. */
  readonly connectTimeoutMs?: number;
  /** How often the views of models in use are refreshed. Default: the quota period / 300 (200 ms of a minute). */
  readonly syncIntervalMs?: number;
  /**
   * Share of a model's quota below which a call needs room claimed ahead (a lease) rather than the shared view's word.
   * Default 0.1.
   */
  readonly headroom?: number;
  /** Reconnection backoff (equal jitter). Default 200 ms doubling to 30 s. */
  readonly reconnect?: Partial<BackoffOptions>;
}

export const QUOTA_STORE_DEFAULTS = {
  keyPrefix: "bedrock-routing",
  budgetMs: 5,
  timeoutMs: 50,
  failuresToDegrade: 3,
  connectTimeoutMs: 2_000,
  /** Of the quota period. */
  syncIntervalShare: 1 / 300,
  headroom: 0.1,
  reconnect: { baseMs: 200, capMs: 30_000 },
} as const;

/** What the fleet needs of a store: run the script, check it is there, and (own connections) reconnect. */
export interface StoreLink {
  /** The store as it may be shown: the redacted URL, or `application client`. */
  readonly shown: string;
  /** Runs the fleet script on one key within `timeoutMs`. */
  evalFleet(key: string, args: readonly string[], timeoutMs: number): Promise<unknown>;
  /** (Re)connects and checks the server answers; rejects within the connect timeout otherwise. */
  connect(): Promise<void>;
  /** Called when an own connection is lost (never for an application's client, which reconnects itself). */
  onLost(listener: (e: StoreError) => void): void;
  close(): void;
}

/** Checks the options and makes the link; throws an Error naming the problem (a URL only redacted). */
export function storeLink(options: QuotaStoreOptions): StoreLink {
  if ((options.url === undefined) === (options.client === undefined)) throw new Error("quotaStore: give exactly one of url or client");
  const connectTimeoutMs = options.connectTimeoutMs ?? QUOTA_STORE_DEFAULTS.connectTimeoutMs;
  if (options.client !== undefined) return new ClientLink(options.client, connectTimeoutMs);
  const address = parseStoreUrl(options.url!);
  return new UrlLink(address, connectTimeoutMs, options.tls);
}

const isNoScript = (e: unknown) => (e instanceof StoreError && e.kind === "NOSCRIPT") || /^NOSCRIPT\b/.test((e as Error)?.message ?? "");

/** EVALSHA, and EVAL (which also caches the script) when the server does not hold it yet (first use, restart, failover). */
async function evalWithLoad(send: (args: string[]) => Promise<unknown>, key: string, args: readonly string[]): Promise<unknown> {
  try {
    return await send(["EVALSHA", FLEET_SCRIPT_SHA, "1", key, ...args]);
  } catch (e) {
    if (!isNoScript(e)) throw e;
    return send(["EVAL", FLEET_SCRIPT, "1", key, ...args]);
  }
}

/** Rejects after `ms` unless `p` settles first; the timer never keeps the process alive. */
function within<T>(p: Promise<T>, ms: number, shown: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    // setImmediate: a reply read in the same event-loop turn as the timer fires still counts (see RespConnection).
    timer = setTimeout(() => setImmediate(() => reject(new StoreError(`${shown}: no reply within ${ms} ms`, "timeout"))), ms);
    timer.unref();
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

class UrlLink implements StoreLink {
  private conn?: RespConnection;
  private lostListeners: Array<(e: StoreError) => void> = [];
  readonly shown: string;

  constructor(
    private readonly address: StoreAddress,
    private readonly connectTimeoutMs: number,
    private readonly tls: ConnectionOptions | undefined,
  ) {
    this.shown = address.shown;
  }

  async connect(): Promise<void> {
    this.conn?.close();
    this.conn = undefined;
    const conn = await RespConnection.open(this.address, { connectTimeoutMs: this.connectTimeoutMs, ...(this.tls ? { tls: this.tls } : {}) });
    await conn.command(["PING"], this.connectTimeoutMs).catch((e: unknown) => {
      conn.close();
      throw e;
    });
    conn.onClose((e) => {
      if (this.conn === conn) this.conn = undefined;
      for (const l of this.lostListeners) l(e);
    });
    this.conn = conn;
  }

  evalFleet(key: string, args: readonly string[], timeoutMs: number): Promise<unknown> {
    const conn = this.conn;
    if (!conn || conn.closed) return Promise.reject(new StoreError(`${this.shown}: not connected`, "connection"));
    // EVAL after NOSCRIPT is a second round trip: the whole exchange stays within the one budget.
    const started = Date.now();
    return evalWithLoad((a) => conn.command(a, Math.max(1, timeoutMs - (Date.now() - started))), key, args);
  }

  onLost(listener: (e: StoreError) => void): void {
    this.lostListeners.push(listener);
  }

  close(): void {
    this.lostListeners = [];
    this.conn?.close();
    this.conn = undefined;
  }
}

class ClientLink implements StoreLink {
  readonly shown = "application client";
  private readonly send: (args: string[]) => Promise<unknown>;

  constructor(
    client: QuotaStoreClient,
    private readonly connectTimeoutMs: number,
  ) {
    const c = client as { call?: (command: string, ...args: string[]) => Promise<unknown>; sendCommand?: (args: string[]) => Promise<unknown> };
    // ioredis also has a sendCommand, taking a Command object: its call() comes first.
    if (typeof c.call === "function") this.send = (args) => c.call!(args[0], ...args.slice(1));
    else if (typeof c.sendCommand === "function") this.send = (args) => c.sendCommand!(args);
    else throw new Error("quotaStore.client must have sendCommand(args) (node-redis) or call(command, ...args) (ioredis)");
  }

  async connect(): Promise<void> {
    await within(Promise.resolve().then(() => this.send(["PING"])), this.connectTimeoutMs, this.shown);
  }

  evalFleet(key: string, args: readonly string[], timeoutMs: number): Promise<unknown> {
    // A synchronous throw from the client (closed, misconfigured) becomes a rejection like any other failure.
    return within(Promise.resolve().then(() => evalWithLoad(this.send, key, args)), timeoutMs, this.shown);
  }

  onLost(): void {
    // The application's client reconnects by itself; failures show up as rejected or late commands.
  }

  close(): void {
    // Not ours to close.
  }
}
