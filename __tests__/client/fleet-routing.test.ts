import { connect, type Socket } from "node:net";
import type { QuotaStoreOptions } from "../../client/quota-store";
import { RespConnection, type StoreError } from "../../client/resp-connection";
import { parseStoreUrl } from "../../client/store-url";
import { startLocalEndpoint, type LocalEndpoint } from "../../local/endpoint";
import { describeWithRedis, redisForSuite } from "../redis";
import { CHARGED, eventually, FALLBACK, fleetDocument, fleetRouter, PRIMARY, PROMPT, REGION, sleep, wireCalls, type FleetRouter } from "./fleet-fixtures";

// Routers sharing one quota through a real redis-server, against the local endpoint's quota mode (Bedrock's token
// buckets, real time). Each sharing test has its control: the same traffic without the store, which must fail the
// same assertion, so the test proves the store's effect and not a lucky schedule.

describeWithRedis("a fleet of routers sharing a quota store", () => {
  const redis = redisForSuite();
  let ep: LocalEndpoint;
  const routers: FleetRouter[] = [];
  let admin: RespConnection;

  beforeAll(async () => {
    ep = await startLocalEndpoint();
    admin = await RespConnection.open(parseStoreUrl(redis.server.url), { connectTimeoutMs: 5_000 });
  });
  afterAll(async () => {
    for (const r of routers) r.router.close();
    admin.close();
    await ep.close();
  });
  beforeEach(async () => {
    ep.reset();
    ep.clearCalls();
    await admin.command(["FLUSHALL"], 5_000);
  });
  afterEach(() => {
    for (const r of routers.splice(0)) r.router.close();
  });

  const store = (over: Partial<QuotaStoreOptions> = {}): QuotaStoreOptions => ({ url: redis.server.url, syncIntervalMs: 10, ...over });
  const make = (...args: Parameters<typeof fleetRouter>) => {
    const r = fleetRouter(...args);
    routers.push(r);
    return r;
  };
  const connected = (rs: FleetRouter[]) => eventually("the store connections", () => rs.every((r) => r.router.quotaStore()?.state === "shared"));
  /** Primary TPM 10,000 (7 calls' charges fit, an 8th reservation does not), fallback plenty. */
  const tightPrimary = () =>
    ep.setQuotaMode({
      models: [
        { modelId: PRIMARY.invokeId, tokensPerMinute: 10_000, outputTokens: 256 },
        { modelId: FALLBACK.invokeId, tokensPerMinute: 1_000_000, outputTokens: 256 },
      ],
    });

  /** Two routers take turns for 12 calls; returns the wire calls. */
  async function alternate(a: FleetRouter, b: FleetRouter): Promise<Array<[string, number]>> {
    for (let i = 0; i < 12; i++) {
      await (i % 2 ? b : a).call();
      await sleep(40);
    }
    return wireCalls(ep);
  }

  it("two routers with the document's quota never make the primary answer 429 together; without the store they do", async () => {
    const doc = fleetDocument({ primary: 10_000 });
    const shared = [make(ep, doc, store()), make(ep, doc, store())];
    await connected(shared);
    tightPrimary();
    const calls = await alternate(shared[0], shared[1]);
    expect(calls.filter(([, s]) => s === 429)).toEqual([]);
    expect(calls.filter(([m]) => m === PRIMARY.invokeId).length).toBeGreaterThanOrEqual(6);
    expect(calls.filter(([m]) => m === FALLBACK.invokeId).length).toBeGreaterThanOrEqual(4);

    ep.clearCalls();
    tightPrimary();
    const alone = await alternate(make(ep, doc), make(ep, doc));
    expect(alone.filter(([, s]) => s === 429).length).toBeGreaterThan(0);
  });

  it("a throttle one router meets teaches the others a quota (the document has none); without the store each learns its own", async () => {
    const doc = fleetDocument();
    const [a, b] = [make(ep, doc, store()), make(ep, doc, store())];
    await connected([a, b]);
    ep.setQuotaMode({ models: [{ modelId: PRIMARY.invokeId, tokensPerMinute: 6_000, outputTokens: 256 }] });
    await b.call(); // b is in use, so its view of the model is kept fresh
    for (let i = 0; i < 5 && !wireCalls(ep).some(([, s]) => s === 429); i++) await a.call();
    expect(wireCalls(ep).filter(([, s]) => s === 429)).toHaveLength(1);
    await eventually("b's view of the learned quota", () => b.router.quotas().find((q) => q.invokeId === PRIMARY.invokeId)?.shared?.learned === true);
    ep.clearCalls();
    const r = await b.call();
    expect(r.servedBy.modelId).toBe(FALLBACK.modelId);
    expect(wireCalls(ep)).toEqual([[FALLBACK.invokeId, 200]]);

    // Control: b on its own calls the empty primary and meets its own 429.
    const [c, d] = [make(ep, doc), make(ep, doc)];
    ep.setQuotaMode({ models: [{ modelId: PRIMARY.invokeId, tokensPerMinute: 6_000, outputTokens: 256 }] });
    await d.call();
    for (let i = 0; i < 5 && !wireCalls(ep).some(([, s]) => s === 429); i++) await c.call();
    ep.clearCalls();
    await d.call();
    expect(wireCalls(ep)[0]).toEqual([PRIMARY.invokeId, 429]);
  });

  it("two workloads' application profiles of one model share the model's bucket: one quota, never a 429 together", async () => {
    // Cost attribution: each workload calls Haiku through its own profile, and Bedrock's per-model quota is shared by both.
    const systemArn = `arn:aws:bedrock:${REGION}:123456789012:inference-profile/${PRIMARY.invokeId}`;
    const profile = (w: string) => ep.seedApplicationProfile(REGION, { name: `fleet-${w}-haiku`, copyFrom: systemArn }).arn;
    const base = fleetDocument({ primary: 10_000 });
    const doc = {
      ...base,
      workloads: Object.fromEntries(["bot", "jobs"].map((w) => [w, { routes: ["quota"], invokeIds: { [PRIMARY.modelId]: profile(w), [FALLBACK.modelId]: FALLBACK.invokeId } }])),
    };
    const [a, b] = [make(ep, doc, store(), { workload: "bot" }), make(ep, doc, store(), { workload: "jobs" })];
    await connected([a, b]);
    tightPrimary();
    const calls = await alternate(a, b);
    expect(calls.filter(([, s]) => s === 429)).toEqual([]);
    expect(new Set(calls.filter(([m]) => m.includes("application-inference-profile")).map(([m]) => m)).size).toBe(2);
    expect(calls.filter(([m]) => m === FALLBACK.invokeId).length).toBeGreaterThanOrEqual(4);
    const keys = (await admin.command(["KEYS", "*"], 5_000)) as string[];
    expect(keys).toContain(`bedrock-routing:{fleet-test|us-east-1|${PRIMARY.invokeId}}`);
    expect(keys.filter((k) => k.includes("application-inference-profile"))).toEqual([]);
    expect(a.router.quotas().map((q) => q.invokeId)).toContain(PRIMARY.invokeId);
  });

  it("one router's breaker opening spares the others their calls and probes; its probe's verdict reaches them", async () => {
    const doc = fleetDocument();
    const probe = { breaker: { probeIntervalMs: 400 } };
    const [a, b] = [make(ep, doc, store(), probe), make(ep, doc, store(), probe)];
    await connected([a, b]);
    await b.call();
    ep.inject({ modelId: PRIMARY.invokeId, fault: "server-error" });
    for (let i = 0; i < 3; i++) expect((await a.call()).servedBy.modelId).toBe(FALLBACK.modelId);
    await eventually("b learning of a's opening", () => b.router.breakers().find((x) => x.invokeId === PRIMARY.invokeId)?.openedElsewhere === true);
    ep.clearCalls();
    for (let i = 0; i < 3; i++) await b.call();
    expect(wireCalls(ep).filter(([m]) => m === PRIMARY.invokeId)).toEqual([]);
    // The probe is due: b leaves it to a, whose probe fails and re-opens the breaker.
    await sleep(450);
    await b.call();
    expect(wireCalls(ep).filter(([m]) => m === PRIMARY.invokeId)).toEqual([]);
    await a.call();
    expect(wireCalls(ep).filter(([m]) => m === PRIMARY.invokeId)).toEqual([[PRIMARY.invokeId, 500]]);
    // The model recovers: a's next probe succeeds and closes the breaker for b too.
    ep.reset();
    await sleep(450);
    expect((await a.call()).servedBy.modelId).toBe(PRIMARY.modelId);
    await eventually("b learning of the recovery", () => b.router.breakers().find((x) => x.invokeId === PRIMARY.invokeId)?.state === "closed");
    expect((await b.call()).servedBy.modelId).toBe(PRIMARY.modelId);
  });

  it("sends the store numbers only: no prompt, no answer, no host name", async () => {
    const monitor = await monitorStore(redis.server.port);
    try {
      const doc = fleetDocument({ primary: 10_000 });
      const a = make(ep, doc, store());
      await connected([a]);
      const r = await a.call();
      await a.call();
      await sleep(100);
      const seen = monitor.text();
      expect(seen).toMatch(/"EVALSHA"|"EVAL"/);
      expect(seen).not.toContain(PROMPT.slice(0, 24));
      const answer = JSON.stringify(r.output.output?.message?.content ?? []).slice(2, 30);
      expect(answer.length).toBeGreaterThan(5);
      expect(seen).not.toContain(answer);
      const { hostname } = await import("node:os");
      expect(seen).not.toContain(`"${hostname()}"`);
      // Every command the routers sent is the fleet script or a PING.
      // Every command a client sent (not the script's own, logged as "[0 lua]") is the fleet script or a PING.
      const commands = [...seen.matchAll(/\[\d+ [\d.]+:\d+\] "([A-Za-z]+)"/g)].map((m) => m[1].toUpperCase());
      expect(commands.length).toBeGreaterThan(2);
      expect(commands.filter((c) => !["EVALSHA", "EVAL", "PING"].includes(c))).toEqual([]);
    } finally {
      monitor.close();
    }
  });

  it("keeps one hash per model and Region under the key prefix; another prefix shares nothing", async () => {
    const doc = fleetDocument({ primary: 10_000 });
    const a = make(ep, doc, store());
    const other = make(ep, doc, store({ keyPrefix: "acct-b" }));
    await connected([a, other]);
    await a.call();
    await a.call();
    await other.call();
    await sleep(50);
    const keys = ((await admin.command(["KEYS", "*"], 5_000)) as string[]).sort();
    expect(keys).toEqual(["acct-b:{fleet-test|us-east-1|us.anthropic.claude-haiku-4-5-20251001-v1:0}", "bedrock-routing:{fleet-test|us-east-1|us.anthropic.claude-haiku-4-5-20251001-v1:0}"]);
    await eventually("views", () => other.router.quotas()[0]?.shared?.tokensFree !== undefined);
    // acct-b saw only its own call.
    expect(other.router.quotas().find((q) => q.invokeId === PRIMARY.invokeId)?.shared?.tokensFree).toBeGreaterThan(10_000 - 2 * CHARGED);
  });

  it("works through the application's own client: node-redis's sendCommand(args) or ioredis's call(command, ...args)", async () => {
    const conns = await Promise.all([0, 1].map(() => RespConnection.open(parseStoreUrl(redis.server.url), { connectTimeoutMs: 5_000 })));
    // Errors as those clients raise them: a plain Error whose message starts with the server's code.
    const plain = (p: Promise<unknown>) => p.catch((e: StoreError) => Promise.reject(new Error(e.message.replace(/^.*?: /, ""))));
    const nodeRedisLike = { sendCommand: (args: string[]) => plain(conns[0].command(args, 5_000)) };
    const ioredisLike = { call: (command: string, ...args: string[]) => plain(conns[1].command([command, ...args], 5_000)) };
    try {
      await admin.command(["SCRIPT", "FLUSH"], 5_000);
      // The document's quota fits three calls' charges, not a fourth reservation, and the refill (75 tokens a second)
      // takes 10 s to make room for it: at 5,000 it took 3.4 s, which a slow run spent (the fourth call went to the
      // primary). The stand-in has plenty.
      const doc = fleetDocument({ primary: 4_500 });
      const [a, b] = [make(ep, doc, { client: nodeRedisLike, syncIntervalMs: 10 }), make(ep, doc, { client: ioredisLike, syncIntervalMs: 10 })];
      await connected([a, b]);
      expect(a.router.quotaStore()?.store).toBe("application client");
      await b.call();
      await a.call();
      await a.call();
      await eventually("b seeing a's calls", () => (b.router.quotas().find((q) => q.invokeId === PRIMARY.invokeId)?.shared?.tokensFree ?? 4_500) < 1_512);
      expect((await b.call()).servedBy.modelId).toBe(FALLBACK.modelId);
      expect(wireCalls(ep).filter(([, s]) => s === 429)).toEqual([]);
    } finally {
      conns.forEach((c) => c.close());
    }
  });
});

/** A raw MONITOR connection (every command the server runs, as text). */
async function monitorStore(port: number): Promise<{ text: () => string; close: () => void }> {
  const sock: Socket = connect({ host: "127.0.0.1", port });
  let buf = "";
  sock.on("data", (d) => (buf += d.toString()));
  await new Promise<void>((r) => sock.once("connect", () => r()));
  sock.write("MONITOR\r\n");
  await new Promise<void>((r) => {
    const t = setInterval(() => {
      if (buf.includes("+OK")) {
        clearInterval(t);
        r();
      }
    }, 5);
  });
  return { text: () => buf, close: () => sock.destroy() };
}
