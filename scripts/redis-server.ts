/**
 * A real Redis/Valkey server for tests and benchmarks: Debian's `redis-server` (or `valkey-server`, or the binary in
 * $REDIS_SERVER) on a free loopback port, without persistence (no RDB, no AOF), in a temporary directory that is
 * removed when it stops. Nothing is left running: stop() ends it (SIGTERM, then SIGKILL), kill() ends it abruptly (a
 * store that dies mid-run), restart() starts a fresh one on the same port (a store that comes back).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` (with `user:password@` when started with a password). */
  readonly url: string;
  /** `rediss://127.0.0.1:<tls port>` when started with TLS. */
  readonly tlsUrl?: string;
  readonly dir: string;
  /** SIGKILL: the server vanishes mid-run (connections reset, nothing flushed). */
  kill(): Promise<void>;
  /** Starts a fresh server on the same port (after kill or stop). */
  restart(): Promise<void>;
  /** Stops it and removes its directory. */
  stop(): Promise<void>;
}

export interface RedisServerOptions {
  /** Require this password for the `default` user (AUTH), and add an ACL user `fleet` with it. */
  readonly password?: string;
  /** Also listen with TLS on another free port (certificate and key files, PEM). */
  readonly tls?: { readonly cert: string; readonly key: string };
  /**
   * Run it at this niceness (`nice -n`): a benchmark measuring its own process's time keeps the server from taking
   * the CPU out from under it, as a server on another host would not. Default: the caller's.
   */
  readonly niceness?: number;
}

/** The server binary: $REDIS_SERVER, else redis-server, else valkey-server on PATH; undefined when none runs. */
export function redisServerBinary(): string | undefined {
  const candidates = process.env.REDIS_SERVER ? [process.env.REDIS_SERVER] : ["redis-server", "valkey-server"];
  for (const c of candidates) {
    const r = spawnSync(c, ["--version"], { encoding: "utf8", timeout: 10_000 });
    if (r.status === 0) return c;
  }
  return undefined;
}

/** A free TCP port on 127.0.0.1 (bound and released; the server binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts connections on the port and answers PING (within `ms`). */
function waitForPing(port: number, ms: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null) return reject(new Error(`redis-server exited with ${child.exitCode} before answering`));
      const sock = connect({ host: "127.0.0.1", port });
      let buf = "";
      const retry = () => {
        sock.destroy();
        if (Date.now() > deadline) reject(new Error(`redis-server did not answer on port ${port} within ${ms} ms`));
        else setTimeout(attempt, 50);
      };
      sock.once("error", retry);
      sock.on("data", (d) => {
        buf += d.toString();
        // +PONG, or -NOAUTH when a password is set: either way the server is up.
        if (/^[+-]/.test(buf)) {
          sock.destroy();
          resolve();
        }
      });
      sock.once("connect", () => sock.write("PING\r\n"));
    };
    attempt();
  });
}

/** Starts a server (within 20 s) or throws naming what is missing. */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const binary = redisServerBinary();
  if (!binary) throw new Error("redis-server is not installed (Debian: apt-get install redis-server)");
  const dir = mkdtempSync(join(tmpdir(), "redis-test-"));
  const port = await freePort();
  const tlsPort = options.tls ? await freePort() : undefined;
  const config = [
    `port ${port}`,
    "bind 127.0.0.1",
    'save ""',
    "appendonly no",
    `dir ${dir}`,
    "daemonize no",
    "loglevel warning",
    `logfile ${join(dir, "redis.log")}`,
    ...(options.password ? [`requirepass ${options.password}`, `user fleet on >${options.password} ~* &* +@all`] : []),
    ...(options.tls && tlsPort ? [`tls-port ${tlsPort}`, `tls-cert-file ${options.tls.cert}`, `tls-key-file ${options.tls.key}`, "tls-auth-clients no"] : []),
  ];
  const conf = join(dir, "redis.conf");
  writeFileSync(conf, config.join("\n") + "\n", { mode: 0o600 });
  let child: ChildProcess;
  const launch = async () => {
    child = options.niceness === undefined ? spawn(binary, [conf], { stdio: "ignore" }) : spawn("nice", ["-n", String(options.niceness), binary, conf], { stdio: "ignore" });
    await waitForPing(port, 20_000, child);
  };
  const exited = () => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => child.once("exit", () => r())));
  try {
    await launch();
  } catch (e) {
    child!.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const auth = options.password ? `:${encodeURIComponent(options.password)}@` : "";
  return {
    port,
    url: `redis://${auth}127.0.0.1:${port}`,
    ...(tlsPort ? { tlsUrl: `rediss://${auth}127.0.0.1:${tlsPort}` } : {}),
    dir,
    kill: async () => {
      child.kill("SIGKILL");
      await exited();
    },
    restart: async () => {
      child.kill("SIGKILL");
      await exited();
      await launch();
    },
    stop: async () => {
      const done = exited();
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await done;
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
