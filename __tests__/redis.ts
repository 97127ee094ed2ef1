import { redisServerBinary, startRedisServer, type RedisServer, type RedisServerOptions } from "../scripts/redis-server";

/*
 * Suites that need a real Redis/Valkey server. Each starts its own redis-server on a free loopback port (no
 * persistence; scripts/redis-server.ts) before its tests and stops it after, removing its directory. `.ci/run` installs
 * redis-server when missing and sets REQUIRE_REDIS=1, which makes these suites fail (never skip) without it; on a
 * developer machine without redis-server they are skipped with one printed line.
 */

export const REDIS_REQUIRED = process.env.REQUIRE_REDIS === "1";
const available = redisServerBinary() !== undefined;

/** `describe`, or a skipped `describe` announced on one line when redis-server is missing and not required. */
export function describeWithRedis(title: string, body: () => void): void {
  if (available || REDIS_REQUIRED) {
    describe(title, body);
    return;
  }
  process.stderr.write(`skipping "${title}": redis-server is not installed (Debian: apt-get install redis-server); CI sets REQUIRE_REDIS=1 and fails instead\n`);
  describe.skip(title, body);
}

/** A server for the enclosing suite: started in beforeAll, stopped (and its directory removed) in afterAll. */
export function redisForSuite(options: RedisServerOptions | (() => RedisServerOptions) = {}): { readonly server: RedisServer } {
  let server: RedisServer | undefined;
  beforeAll(async () => {
    server = await startRedisServer(typeof options === "function" ? options() : options);
  });
  afterAll(async () => {
    await server?.stop();
  });
  return {
    get server(): RedisServer {
      if (!server) throw new Error("redis-server did not start (see beforeAll)");
      return server;
    },
  };
}
