import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RespConnection, StoreError } from "../../client/resp-connection";
import { parseStoreUrl } from "../../client/store-url";
import { freePort } from "../../scripts/redis-server";
import { describeWithRedis, redisForSuite, REDIS_REQUIRED } from "../redis";

const open = (url: string, connectTimeoutMs = 5_000, tls?: object) => RespConnection.open(parseStoreUrl(url), { connectTimeoutMs, ...(tls ? { tls } : {}) });

/** Busy-waits inside the server for `ms`: a real server that stops answering everyone for a while. */
const BUSY = "local t0 = redis.call('TIME'); repeat local t = redis.call('TIME') until (t[1] - t0[1]) * 1000000 + (t[2] - t0[2]) > tonumber(ARGV[1]) * 1000; return 1";

async function failure(p: Promise<unknown>): Promise<StoreError> {
  try {
    await p;
  } catch (e) {
    return e as StoreError;
  }
  throw new Error("expected a failure");
}

describeWithRedis("RespConnection against a real redis-server", () => {
  const redis = redisForSuite();

  it("runs commands, pipelined, answering each in order", async () => {
    const c = await open(redis.server.url);
    try {
      expect(await c.command(["PING"], 2_000)).toBe("PONG");
      const replies = await Promise.all(Array.from({ length: 200 }, () => c.command(["INCR", "pipelined"], 2_000)));
      expect(replies).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
      expect(await c.command(["HSET", "h", "a", "1", "b", "2"], 2_000)).toBe(2);
      expect(await c.command(["HGETALL", "h"], 2_000)).toEqual(["a", "1", "b", "2"]);
      expect(await c.command(["GET", "missing"], 2_000)).toBeNull();
    } finally {
      c.close();
    }
  });

  it("turns an error reply into a StoreError with the server's code, and carries on", async () => {
    const c = await open(redis.server.url);
    try {
      await c.command(["SET", "s", "x"], 2_000);
      const e = await failure(c.command(["HGET", "s", "f"], 2_000));
      expect(e).toBeInstanceOf(StoreError);
      expect(e.kind).toBe("WRONGTYPE");
      expect(await c.command(["PING"], 2_000)).toBe("PONG");
    } finally {
      c.close();
    }
  });

  it("selects the URL's database", async () => {
    const three = await open(`${redis.server.url}/3`);
    const zero = await open(redis.server.url);
    try {
      await three.command(["SET", "where", "db3"], 2_000);
      expect(await zero.command(["GET", "where"], 2_000)).toBeNull();
      expect(await zero.command(["SELECT", "3"], 2_000)).toBe("OK");
      expect(await zero.command(["GET", "where"], 2_000)).toBe("db3");
    } finally {
      three.close();
      zero.close();
    }
  });

  it("times a command out when the server is busy, and reads its late reply without handing it to the next command", async () => {
    const c = await open(redis.server.url);
    const other = await open(redis.server.url);
    try {
      const busy = other.command(["EVAL", BUSY, "0", "300"], 5_000);
      await new Promise((r) => setTimeout(r, 50));
      const e = await failure(c.command(["ECHO", "first"], 50));
      expect(e.kind).toBe("timeout");
      expect(e.message).toMatch(/no reply within 50 ms/);
      await busy;
      expect(await c.command(["ECHO", "second"], 2_000)).toBe("second");
    } finally {
      c.close();
      other.close();
    }
  });

  it("tells its listener once when the server drops the connection, and refuses commands after", async () => {
    const c = await open(redis.server.url);
    const admin = await open(redis.server.url);
    try {
      await c.command(["CLIENT", "SETNAME", "victim"], 2_000);
      const lost = new Promise<StoreError>((resolve) => c.onClose(resolve));
      await admin.command(["CLIENT", "KILL", "SKIPME", "yes", "TYPE", "normal"], 2_000).catch(() => undefined);
      expect((await lost).kind).toBe("connection");
      expect(c.closed).toBe(true);
      expect((await failure(c.command(["PING"], 1_000))).kind).toBe("connection");
    } finally {
      c.close();
      admin.close();
    }
  });

  it("rejects the commands still waiting when closed", async () => {
    const c = await open(redis.server.url);
    const other = await open(redis.server.url);
    try {
      const busy = other.command(["EVAL", BUSY, "0", "200"], 5_000);
      await new Promise((r) => setTimeout(r, 30));
      const waiting = c.command(["PING"], 5_000);
      c.close();
      expect((await failure(waiting)).kind).toBe("connection");
      await busy;
    } finally {
      other.close();
    }
  });

  it("fails fast and plainly when nothing listens", async () => {
    const port = await freePort();
    const e = await failure(open(`redis://:pw@127.0.0.1:${port}`));
    expect(e.kind).toBe("connection");
    expect(e.message).toMatch(/^redis:\/\/\*\*\*@127\.0\.0\.1:\d+: connect ECONNREFUSED/);
  });
});

describeWithRedis("RespConnection authentication", () => {
  const redis = redisForSuite({ password: "s3cret-Pa55" });
  const base = () => redis.server.url.replace(/\/\/.*@/, "//");

  it("authenticates with the URL's password (default user) or its ACL user and password", async () => {
    for (const url of [redis.server.url, base().replace("//", "//fleet:s3cret-Pa55@")]) {
      const c = await open(url);
      try {
        expect(await c.command(["PING"], 2_000)).toBe("PONG");
      } finally {
        c.close();
      }
    }
  });

  it("refuses a wrong password with the server's code, never echoing it", async () => {
    const e = await failure(open(base().replace("//", "//fleet:wrong-Pa55@")));
    expect(e.kind).toBe("WRONGPASS");
    expect(e.message).not.toContain("wrong-Pa55");
    expect(e.message).toContain("redis://***@127.0.0.1");
  });

  it("without a password, commands are refused (NOAUTH)", async () => {
    const c = await open(base());
    try {
      expect((await failure(c.command(["PING"], 2_000))).kind).toBe("NOAUTH");
    } finally {
      c.close();
    }
  });
});

/** A self-signed certificate for 127.0.0.1 (openssl), or undefined when openssl is missing. */
function selfSigned(dir: string): { cert: string; key: string } | undefined {
  const cert = join(dir, "cert.pem");
  const key = join(dir, "key.pem");
  try {
    execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"], { stdio: "ignore", timeout: 30_000 });
  } catch {
    return undefined;
  }
  return { cert, key };
}

const certDir = mkdtempSync(join(tmpdir(), "redis-tls-"));
afterAll(() => rmSync(certDir, { recursive: true, force: true }));
const pair = selfSigned(certDir);
if (!pair && !REDIS_REQUIRED) process.stderr.write('skipping "RespConnection over TLS": openssl is not installed\n');

(pair || REDIS_REQUIRED ? describeWithRedis : describe.skip)("RespConnection over TLS (rediss://)", () => {
  const redis = redisForSuite(() => ({ tls: pair! }));

  it("connects with the server's CA and refuses a certificate it cannot verify", async () => {
    const { readFileSync } = await import("node:fs");
    const ca = readFileSync(pair!.cert);
    const c = await open(redis.server.tlsUrl!, 5_000, { ca });
    try {
      expect(await c.command(["PING"], 2_000)).toBe("PONG");
    } finally {
      c.close();
    }
    const e = await failure(open(redis.server.tlsUrl!));
    expect(e.kind).toBe("connection");
    expect(e.message).toMatch(/certificate/i);
  });

  it("fails, rather than hangs, when a plain redis:// URL names a TLS port", async () => {
    const plain = redis.server.tlsUrl!.replace("rediss://", "redis://");
    const started = Date.now();
    const e = await failure(open(plain, 2_000).then((c) => c.command(["PING"], 2_000).finally(() => c.close())));
    expect(e.kind).toBe("connection");
    expect(Date.now() - started).toBeLessThan(4_000);
  });
});

describe("RespConnection against a peer that stalls (timeouts mid-command, which a real server does not produce on demand)", () => {
  let server: Server;
  let port: number;
  /** What the peer does with each line it receives. */
  let behave: (sock: Socket, count: number) => void;
  beforeAll(async () => {
    server = createServer((sock) => {
      let count = 0;
      sock.on("data", (d) => {
        for (const line of d.toString().split("\r\n").filter((l) => l.startsWith("*"))) {
          void line;
          behave(sock, ++count);
        }
      });
      sock.on("error", () => undefined);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("bounds the connection set-up (AUTH never answered) by the connect timeout", async () => {
    behave = () => undefined;
    const started = Date.now();
    const e = await failure(open(`redis://:pw@127.0.0.1:${port}`, 150));
    expect(e.kind).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(e.message).not.toContain(":pw@");
  });

  it("drops a late reply so the next command gets its own", async () => {
    behave = (sock, n) => {
      if (n === 1) setTimeout(() => sock.write("$4\r\nlate\r\n"), 150);
      else setTimeout(() => sock.write("$6\r\nsecond\r\n"), 200);
    };
    const c = await open(`redis://127.0.0.1:${port}`);
    try {
      expect((await failure(c.command(["ECHO", "late"], 40))).kind).toBe("timeout");
      expect(await c.command(["ECHO", "second"], 2_000)).toBe("second");
    } finally {
      c.close();
    }
  });

  it("closes on bytes that are not RESP", async () => {
    behave = (sock) => sock.write("HTTP/1.1 400 Bad Request\r\n\r\n");
    const c = await open(`redis://127.0.0.1:${port}`);
    const e = await failure(c.command(["PING"], 2_000));
    expect(e.kind).toBe("protocol");
    expect(e.message).toMatch(/unknown reply type/);
    expect(c.closed).toBe(true);
  });
});
