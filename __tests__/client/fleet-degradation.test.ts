import type { QuotaStoreClient, QuotaStoreOptions } from "../../client/quota-store";
import { RespConnection } from "../../client/resp-connection";
import { createRouter } from "../../client/router";
import { parseStoreUrl } from "../../client/store-url";
import { startLocalEndpoint, type LocalEndpoint } from "../../local/endpoint";
import { freePort } from "../../scripts/redis-server";
import { describeWithRedis, redisForSuite } from "../redis";
import { CREDS, eventually, fleetDocument, fleetRouter, PRIMARY, REGION, sleep, storeRecords, wireCalls, type FleetRouter } from "./fleet-fixtures";

// The store is advisory: whatever happens to it (killed mid-run, never there, stalled, answering nonsense), calls
// are served on the local estimate, the degradation is reported once per router (EMF record, status), and the router
// reconnects in the background. Real redis-server wherever it can show the failure; a fake client only for replies
// that never come (a timeout mid-command) and replies no server sends.

const PASSWORD = "fleet-Pa55word";
let ep: LocalEndpoint;
const routers: FleetRouter[] = [];
beforeAll(async () => {
  ep = await startLocalEndpoint();
});
afterAll(async () => {
  for (const r of routers) r.router.close();
  await ep.close();
});
afterEach(() => {
  for (const r of routers.splice(0)) r.router.close();
  ep.reset();
  ep.clearCalls();
});
const make = (...args: Parameters<typeof fleetRouter>) => {
  const r = fleetRouter(...args);
  routers.push(r);
  return r;
};
const fast = { syncIntervalMs: 10, reconnect: { baseMs: 20, capMs: 100 } };

describeWithRedis("a quota store that dies, stalls or comes back", () => {
  const redis = redisForSuite({ password: PASSWORD });
  const store = (over: Partial<QuotaStoreOptions> = {}): QuotaStoreOptions => ({ url: redis.server.url, ...fast, ...over });

  it("killed mid-run: no call fails, each router reports it once (redacted), then once more when it is back", async () => {
    const doc = fleetDocument({ primary: 1_000_000 });
    const fleet = [make(ep, doc, store()), make(ep, doc, store())];
    await eventually("connected", () => fleet.every((r) => r.router.quotaStore()?.state === "shared"));
    const calls: Array<Promise<unknown>> = [];
    for (let i = 0; i < 30; i++) {
      if (i === 10) void redis.server.kill();
      calls.push(fleet[i % 2].call());
      await sleep(15);
    }
    const results = await Promise.allSettled(calls);
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    await eventually("both degraded", () => fleet.every((r) => r.router.quotaStore()?.state === "degraded"));
    for (const r of fleet) {
      const degraded = storeRecords(r);
      expect(degraded).toHaveLength(1);
      expect(degraded[0]).toMatchObject({ QuotaStore: "degraded", QuotaStoreDegraded: 1, Region: REGION, Store: `redis://***@127.0.0.1:${redis.server.port}`, Cause: "connection" });
      expect(degraded[0]._aws.CloudWatchMetrics[0]).toMatchObject({ Dimensions: [["Region"]], Metrics: [{ Name: "QuotaStoreDegraded", Unit: "Count" }] });
      expect(JSON.stringify(r.records)).not.toContain(PASSWORD);
      expect(JSON.stringify(r.router.quotaStore())).not.toContain(PASSWORD);
    }
    // Calls go on while it is away (local estimates), with no further report.
    await fleet[0].call();
    expect(storeRecords(fleet[0])).toHaveLength(1);
    await redis.server.restart();
    await eventually("both back", () => fleet.every((r) => r.router.quotaStore()?.state === "shared"));
    for (const r of fleet) {
      expect(storeRecords(r).map((x) => x.QuotaStore)).toEqual(["degraded", "recovered"]);
      expect(storeRecords(r)[1]).toMatchObject({ QuotaStoreDegraded: 0 });
      expect(r.router.quotaStore()).toMatchObject({ degradations: 1, reconnectAttempts: 0 });
    }
  });

  it("a store that stalls costs a call at most the budget, never the stall", async () => {
    // One candidate only, its quota tight enough that a call needs a lease, which the stalled store cannot give.
    const doc = fleetDocument({ primary: 10_000 }, { fallback: false });
    const r = make(ep, doc, store({ budgetMs: 5 }));
    await eventually("connected", () => r.router.quotaStore()?.state === "shared");
    for (let i = 0; i < 6; i++) await r.call();
    await sleep(50);
    const staller = await RespConnection.open(parseStoreUrl(redis.server.url), { connectTimeoutMs: 5_000 });
    try {
      const stall = staller.command(["EVAL", "local t0 = redis.call('TIME'); repeat local t = redis.call('TIME') until (t[1] - t0[1]) * 1000000 + (t[2] - t0[2]) > 600000; return 1", "0"], 10_000);
      await sleep(20);
      const started = Date.now();
      const res = await r.call();
      const took = Date.now() - started;
      expect(res.servedBy.modelId).toBe(PRIMARY.modelId);
      // The stand-in answers at once: what is left is the router, the budget and the machine's scheduling.
      expect(took).toBeLessThan(300);
      await stall;
    } finally {
      staller.close();
    }
    await eventually("the store back in use", () => r.router.quotaStore()?.state === "shared");
  });

  it("closing the router closes its connection and stops reconnecting", async () => {
    const admin = await RespConnection.open(parseStoreUrl(redis.server.url), { connectTimeoutMs: 5_000 });
    try {
      const clients = async () => ((await admin.command(["CLIENT", "LIST"], 5_000)) as string).trim().split("\n").length;
      const before = await clients();
      const r = make(ep, fleetDocument(), store());
      await eventually("connected", () => r.router.quotaStore()?.state === "shared");
      expect(await clients()).toBe(before + 1);
      r.router.close();
      expect(r.router.quotaStore()?.state).toBe("closed");
      let now = before + 1;
      for (let i = 0; i < 50 && now !== before; i++) {
        await sleep(20);
        now = await clients();
      }
      expect(now).toBe(before);
    } finally {
      admin.close();
    }
  });
});

describe("a quota store that is never there", () => {
  it("serves every call on the local estimate, reports once, and keeps trying in the background", async () => {
    const port = await freePort();
    const r = make(ep, fleetDocument({ primary: 1_000_000 }), { url: `redis://user:${PASSWORD}@127.0.0.1:${port}`, ...fast });
    for (let i = 0; i < 3; i++) expect((await r.call()).servedBy.modelId).toBe(PRIMARY.modelId);
    await eventually("reported", () => storeRecords(r).length === 1);
    expect(storeRecords(r)[0]).toMatchObject({ QuotaStore: "degraded", Store: `redis://***@127.0.0.1:${port}` });
    expect(String(storeRecords(r)[0].Message)).toMatch(/^quota store not reachable \(redis:\/\/\*\*\*@127\.0\.0\.1:\d+: connect ECONNREFUSED/);
    await eventually("reconnection attempts", () => (r.router.quotaStore()?.reconnectAttempts ?? 0) >= 3);
    expect(storeRecords(r)).toHaveLength(1);
    expect(JSON.stringify(r.router.quotaStore())).not.toContain(PASSWORD);
  });
});

describe("a quota store whose replies never come, or make no sense (fake clients: a real server does not do this on demand)", () => {
  /** A client answering PING, and the fleet script as `script` says. */
  const fakeClient = (script: () => Promise<unknown>): QuotaStoreClient => ({
    sendCommand: (args: string[]) => (args[0] === "PING" ? Promise.resolve("PONG") : script()),
  });

  it.each([
    ["replies that never come (timeouts mid-command)", () => new Promise<never>(() => undefined), "timeout"],
    ["replies of another shape", () => Promise.resolve("OK"), "protocol"],
    ["a client that throws", () => Promise.reject(new Error("ClientClosedError: The client is closed")), "protocol"],
  ])("%s: calls are served, the store is reported degraded once", async (_name, script, cause) => {
    const r = make(ep, fleetDocument({ primary: 1_000_000 }), { client: fakeClient(script), timeoutMs: 20, ...fast });
    await eventually("connected", () => r.router.quotaStore()?.state === "shared");
    for (let i = 0; i < 5; i++) expect((await r.call()).servedBy.modelId).toBe(PRIMARY.modelId);
    await eventually("degraded", () => r.router.quotaStore()?.state === "degraded");
    await sleep(100);
    for (let i = 0; i < 3; i++) await r.call();
    const reports = storeRecords(r).filter((x) => x.QuotaStore === "degraded");
    expect(reports.length).toBeGreaterThanOrEqual(1);
    expect(reports[0]).toMatchObject({ Cause: cause, Store: "application client" });
    // It came back (PING answers) and failed again: one report per degradation, never one per call.
    expect(reports.length).toBeLessThanOrEqual(storeRecords(r).filter((x) => x.QuotaStore === "recovered").length + 1);
    expect(wireCalls(ep).every(([m, s]) => m === PRIMARY.invokeId && s === 200)).toBe(true);
  });
});

describe("quotaStore options", () => {
  const make2 = (quotaStore: unknown) => () => createRouter({ region: REGION, credentials: CREDS, document: fleetDocument(), metrics: false, quotaStore: quotaStore as QuotaStoreOptions });

  it.each([
    [{}, /exactly one of url or client/],
    [{ url: "redis://a:6379", client: { call: async () => "OK" } }, /exactly one of url or client/],
    [{ url: "http://admin:hunter2@cache:6379" }, /quotaStore\.url http:\/\/\*\*\*@cache:6379 must use redis:\/\/ or rediss:\/\//],
    [{ client: {} }, /sendCommand\(args\) \(node-redis\) or call\(command, \.\.\.args\) \(ioredis\)/],
    [{ url: "redis://a", keyPrefix: "has space" }, /keyPrefix must be 1-64 letters/],
    [{ url: "redis://a", timeoutMs: 0 }, /timeoutMs must be a positive number/],
    [{ url: "redis://a", budgetMs: -1 }, /budgetMs must be a positive number/],
    [{ url: "redis://a", headroom: 1 }, /headroom must be a share from 0 to below 1/],
    [{ url: "redis://a", failuresToDegrade: 1.5 }, /failuresToDegrade must be a positive whole number/],
  ])("refuses %j at createRouter", (options, message) => {
    expect(make2(options)).toThrow(message);
    let text = "";
    try {
      make2(options)();
    } catch (e) {
      text = (e as Error).message;
    }
    expect(text).not.toContain("hunter2");
  });

  it("without quotaStore there is no store status and no shared view", async () => {
    const r = make(ep, fleetDocument());
    expect(r.router.quotaStore()).toBeUndefined();
    expect((await r.call()).servedBy.modelId).toBe(PRIMARY.modelId);
    expect(r.router.quotas().every((q) => q.shared === undefined)).toBe(true);
  });
});
