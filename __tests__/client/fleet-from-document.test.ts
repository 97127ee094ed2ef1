import { RespConnection } from "../../client/resp-connection";
import { parseStoreUrl } from "../../client/store-url";
import { quotaStoreAccessString } from "../../core/baseline";
import { QUOTA_STORE_KEY_PREFIX, type RoutingDocument } from "../../core/runtime";
import { startLocalEndpoint, type LocalEndpoint } from "../../local/endpoint";
import { describeWithRedis, redisForSuite } from "../redis";
import { eventually, fleetDocument, fleetRouter, type FleetRouter } from "./fleet-fixtures";

// `quotaStore: "from-document"` against a real redis-server: the router connects where the routing document's
// quotaStore says, as its IAM-authenticated user (AUTH <userId> <signed token>; here a user the server lets in with any
// password, since only ElastiCache checks the signature, which __tests__/client/elasticache-token.test.ts checks
// against the SDK's signer), under exactly the ACL the baseline gives that user, and shares its quota through it.

const USER = "bedrock-test-router";

describeWithRedis("quotaStore: from-document", () => {
  const redis = redisForSuite();
  let ep: LocalEndpoint;
  let admin: RespConnection;
  const routers: FleetRouter[] = [];

  beforeAll(async () => {
    ep = await startLocalEndpoint();
    admin = await RespConnection.open(parseStoreUrl(redis.server.url), { connectTimeoutMs: 5_000 });
    // The baseline's ACL for the routers' user (core/baseline/quota-store.ts), any password accepted.
    await admin.command(["ACL", "SETUSER", USER, "reset", ...quotaStoreAccessString(QUOTA_STORE_KEY_PREFIX).split(" "), "nopass"], 5_000);
  });
  afterAll(async () => {
    admin.close();
    await ep.close();
  });
  afterEach(() => {
    for (const r of routers.splice(0)) r.router.close();
  });

  const documentNaming = (store: RoutingDocument["quotaStore"]): RoutingDocument => ({ ...fleetDocument({ primary: 100_000 }), ...(store ? { quotaStore: store } : {}) });
  const located = (userId = USER): RoutingDocument["quotaStore"] => ({ host: "127.0.0.1", port: redis.server.port, tls: false, iamAuth: { cacheName: "bedrock-test-fleet", userId }, keyPrefix: QUOTA_STORE_KEY_PREFIX });
  const make = (doc: RoutingDocument) => {
    const r = fleetRouter(ep, doc, undefined, { quotaStore: "from-document" });
    routers.push(r);
    return r;
  };

  it("connects as the document's user, within the baseline's ACL, and shares the quota there", async () => {
    await admin.command(["ACL", "LOG", "RESET"], 5_000);
    const r = make(documentNaming(located()));
    await r.call();
    await eventually("shared", () => r.router.quotaStore()?.state === "shared");
    await r.call();
    const clients = String(await admin.command(["CLIENT", "LIST"], 5_000));
    expect(clients).toMatch(new RegExp(`user=${USER}\\b`));
    // The calls' updates went through the fleet script under the user's ACL (they follow the call by one event-loop turn).
    let keys: unknown[] = [];
    for (let i = 0; i < 100 && keys.length === 0; i++) {
      keys = (await admin.command(["KEYS", `${QUOTA_STORE_KEY_PREFIX}:*`], 5_000)) as unknown[];
      if (keys.length === 0) await new Promise((ok) => setTimeout(ok, 20));
    }
    expect(keys).toEqual([expect.stringMatching(/^bedrock-routing:\{fleet-test\|us-east-1\|/)]);
    // Nothing the router sent was refused by the user's ACL.
    expect(await admin.command(["ACL", "LOG"], 5_000)).toEqual([]);
    // Shown without the token: where it is, the user redacted.
    expect(r.router.quotaStore()?.store).toBe("routing document's quotaStore");
    expect(JSON.stringify(r.router.quotaStore())).not.toContain("X-Amz-Signature");
  });

  it("a user the store does not know: AUTH is refused, the router degrades once and serves on its own estimate", async () => {
    const r = make(documentNaming(located("bedrock-test-nobody")));
    await r.call();
    await eventually("degraded", () => r.router.quotaStore()?.state === "degraded");
    expect(r.router.quotaStore()?.lastError).toMatch(/WRONGPASS|invalid username-password/i);
    expect(r.router.quotaStore()?.lastError).not.toContain("X-Amz-");
    expect((await r.call()).servedBy.modelId).toBeDefined();
  });

  it("a document that names no store: degraded with the reason, calls served", async () => {
    const r = make(documentNaming(undefined));
    await r.call();
    await eventually("degraded", () => r.router.quotaStore()?.state === "degraded");
    expect(r.router.quotaStore()?.lastError).toMatch(/the routing document names no quota store/);
    expect(r.records.filter((x) => x.QuotaStoreDegraded === 1)).toHaveLength(1);
  });

  it("a bad option value is refused at createRouter", () => {
    expect(() => fleetRouter(ep, fleetDocument(), undefined, { quotaStore: "from-the-document" as never })).toThrow(/quotaStore must be an object .* or "from-document"/);
    expect(() => fleetRouter(ep, fleetDocument(), { url: redis.server.url, fromDocument: true })).toThrow(/exactly one of url, client or fromDocument/);
  });
});
