import http2 from "node:http2";
import net from "node:net";
import {
  CreateHostedConfigurationVersionCommand,
  GetApplicationCommand,
  GetConfigurationProfileCommand,
  GetDeploymentStrategyCommand,
  GetEnvironmentCommand,
} from "@aws-sdk/client-appconfig";
import { StartConfigurationSessionCommand } from "@aws-sdk/client-appconfigdata";
import { ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { GetServiceQuotaCommand } from "@aws-sdk/client-service-quotas";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { Hash } from "@smithy/core/serde";
import { SignatureV4 } from "@smithy/signature-v4";
import { type LocalEndpoint, startLocalEndpoint } from "../../local/endpoint";
import { parseScenario } from "../../local/scenario";
import { CREDS, appConfig, appConfigData, bedrock, caught, destroyClients, serviceQuotas, sts, userMessage } from "./clients";
import { scenarioError } from "./fixtures";

const HAIKU = "us.anthropic.claude-haiku-4-5-20251001-v1:0";
const MINUTE = 60_000;
/** Names every plain-object lookup would find on Object.prototype. */
const PROTOTYPE_NAMES = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"];

afterEach(() => destroyClients());

/** A raw TCP client: what it has received, and when the server closed it (ms after connecting). */
function raw(ep: LocalEndpoint) {
  const socket = net.connect(ep.port, "127.0.0.1");
  const opened = Date.now();
  let received = "";
  socket.on("data", (c: Buffer) => (received += c.toString("latin1")));
  socket.on("error", () => undefined);
  const closed = new Promise<number>((resolve) => socket.on("close", () => resolve(Date.now() - opened)));
  const connected = new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  return { socket, closed, connected, received: () => received };
}

async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const UNSIGNED_STS = "POST / HTTP/1.1\r\nHost: local\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 43\r\n\r\nAction=GetCallerIdentity&Version=2011-06-15";

describe("connection timeouts (small limits so the suite stays quick)", () => {
  let ep: LocalEndpoint;
  beforeAll(async () => {
    ep = await startLocalEndpoint({ limits: { idleTimeoutMs: 400, headersTimeoutMs: 300, bodyTimeoutMs: 300 } });
  });
  afterAll(() => ep.close());

  it("closes a connection that never sends a byte", async () => {
    const c = raw(ep);
    expect(await c.closed).toBeGreaterThanOrEqual(250);
    expect(c.received()).toBe("");
  });

  it.each([
    ["a partial request line", "GET /foundation-mo"],
    ["partial headers", "GET /foundation-models HTTP/1.1\r\nHost: local\r\nX-Amz-Da"],
    ["a partial HTTP/2 preface", "PRI * HTTP/2.0\r\n"],
  ])("closes a slowloris connection that sends %s and stalls", async (_label, bytes) => {
    const c = raw(ep);
    await c.connected;
    c.socket.write(bytes);
    await c.closed;
    expect(c.received()).toBe("");
  });

  it("does not let a trickle of header bytes extend the deadline", async () => {
    const c = raw(ep);
    await c.connected;
    const header = "GET / HTTP/1.1\r\nX-Slow: " + "a".repeat(400);
    let sent = 0;
    const timer = setInterval(() => {
      if (sent < header.length) c.socket.write(header[sent++]);
    }, 20);
    await c.closed;
    clearInterval(timer);
    // 400+ bytes at 20 ms each would take 8 s; the 300 ms header deadline ends it long before.
    expect(sent).toBeLessThan(header.length);
  });

  it("closes a keep-alive connection whose next request stalls, and an idle one after its answer", async () => {
    const stalled = raw(ep);
    await stalled.connected;
    stalled.socket.write(UNSIGNED_STS);
    await until(() => stalled.received().includes("MissingAuthenticationToken"), "the first answer");
    stalled.socket.write("POST / HTTP/1.1\r\nHo");
    await stalled.closed;

    const idle = raw(ep);
    await idle.connected;
    idle.socket.write(UNSIGNED_STS);
    await until(() => idle.received().includes("MissingAuthenticationToken"), "the answer");
    await idle.closed;
    expect(idle.received().startsWith("HTTP/1.1 403")).toBe(true);
  });

  it("resets a request whose body stalls", async () => {
    ep.clearCalls();
    const c = raw(ep);
    await c.connected;
    c.socket.write("POST / HTTP/1.1\r\nHost: local\r\nContent-Length: 100\r\n\r\nAction=Get");
    await c.closed;
    expect(c.received()).toBe("");
    expect(ep.calls).toHaveLength(0); // never dispatched: a half-received request is not a request
  });

  it("HTTP/2: a session that opens no stream is closed; an idle one gets GOAWAY", async () => {
    const silent = http2.connect(ep.url);
    silent.on("error", () => undefined);
    await new Promise<void>((resolve) => silent.on("close", () => resolve()));

    const session = http2.connect(ep.url);
    session.on("error", () => undefined);
    const goaway = new Promise<void>((resolve) => session.on("goaway", () => resolve()));
    const stream = session.request({ ":method": "GET", ":path": "/" });
    stream.on("error", () => undefined);
    stream.resume();
    await new Promise<void>((resolve) => stream.on("close", () => resolve()));
    await goaway;
    session.destroy();
  });

  it("the real SDK clients recover on their own after their idle connections are closed", async () => {
    const rt = bedrock(ep.url);
    const id = sts(ep.url);
    const call = () => rt.send(new ConverseCommand({ modelId: HAIKU, messages: userMessage("x"), inferenceConfig: { maxTokens: 1 } }));
    await call();
    await id.send(new GetCallerIdentityCommand({}));
    await new Promise((r) => setTimeout(r, 900)); // > idle: the h2 session got GOAWAY, the keep-alive socket a FIN
    // One attempt each: a client that reused a closed connection would fail here.
    await expect(call()).resolves.toBeDefined();
    await expect(id.send(new GetCallerIdentityCommand({}))).resolves.toBeDefined();
  });
});

describe("request body limit", () => {
  const LIMIT = 64 * 1024;
  let ep: LocalEndpoint;
  beforeAll(async () => {
    ep = await startLocalEndpoint({ limits: { maxBodyBytes: LIMIT } });
  });
  afterEach(() => ep.clearCalls());
  afterAll(() => ep.close());

  it("refuses an oversized Converse (HTTP/2) and AppConfig upload (HTTP/1.1) with 413, then serves the next call", async () => {
    const rt = bedrock(ep.url);
    const big = await caught(() => rt.send(new ConverseCommand({ modelId: HAIKU, messages: userMessage("x".repeat(LIMIT + 1)) })));
    expect(big.name).toBe("RequestEntityTooLargeException");
    expect(big.$metadata?.httpStatusCode).toBe(413);
    expect(big.message).toContain(String(LIMIT));
    await expect(rt.send(new ConverseCommand({ modelId: HAIKU, messages: userMessage("x"), inferenceConfig: { maxTokens: 1 } }))).resolves.toBeDefined();

    const upload = await caught(() =>
      appConfig(ep.url).send(
        new CreateHostedConfigurationVersionCommand({ ApplicationId: "a", ConfigurationProfileId: "p", Content: Buffer.alloc(LIMIT * 2), ContentType: "application/json" }),
      ),
    );
    expect(upload.name).toBe("RequestEntityTooLargeException");
    expect(ep.calls.map((c) => [c.service, c.status])).toEqual([
      ["bedrock-runtime", 413],
      ["bedrock-runtime", 200],
      ["appconfig", 413],
    ]);
  });

  it("answers a declared Content-Length over the limit before the body is sent", async () => {
    const c = raw(ep);
    await c.connected;
    c.socket.write(`POST / HTTP/1.1\r\nHost: local\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${50 * 1024 * 1024}\r\n\r\n`);
    await until(() => c.received().includes("\r\n\r\n"), "the 413");
    expect(c.received()).toMatch(/^HTTP\/1\.1 413 /);
    c.socket.destroy();
  });
});

describe("eight 50 MB uploads at the default limit", () => {
  it("each is refused with 413 while it is still being sent; nothing waits for the whole body", async () => {
    const ep = await startLocalEndpoint();
    const total = 50 * 1024 * 1024;
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    const upload = async (): Promise<{ status: string; sentWhenAnswered: number }> => {
      const c = raw(ep);
      await c.connected;
      // Chunked: no Content-Length, so only the running count can stop it.
      c.socket.write("POST /model/x/converse HTTP/1.1\r\nHost: local\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
      let sent = 0;
      let answeredAt = -1;
      while (sent < total && answeredAt < 0) {
        if (c.received().includes("\r\n\r\n")) answeredAt = sent;
        else {
          c.socket.write(`${chunk.length.toString(16)}\r\n`);
          c.socket.write(chunk);
          const ok = c.socket.write("\r\n");
          sent += chunk.length;
          if (!ok) await new Promise((r) => c.socket.once("drain", r));
        }
      }
      if (answeredAt < 0) await until(() => c.received().includes("\r\n\r\n"), "the 413");
      c.socket.destroy();
      return { status: c.received().split("\r\n")[0], sentWhenAnswered: answeredAt < 0 ? sent : answeredAt };
    };
    try {
      const results = await Promise.all(Array.from({ length: 8 }, upload));
      for (const r of results) {
        expect(r.status).toBe("HTTP/1.1 413 Payload Too Large");
        expect(r.sentWhenAnswered).toBeLessThan(total);
      }
      expect(ep.calls.filter((c) => c.status === 413)).toHaveLength(8);
    } finally {
      await ep.close();
    }
  }, 60_000);
});

describe("SigV4 signing time", () => {
  let ep: LocalEndpoint;
  beforeAll(async () => {
    ep = await startLocalEndpoint();
  });
  afterAll(() => ep.close());

  it.each([
    [-20 * MINUTE, /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/],
    [20 * MINUTE, /^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 15 min\.\)$/],
  ])("refuses a clock %d ms off, as AWS words it, on both protocols and for keys it cannot verify", async (offset, message) => {
    const h1 = await caught(() => sts(ep.url, "us-east-1", CREDS, { systemClockOffset: offset }).send(new GetCallerIdentityCommand({})));
    expect(h1.name).toBe("SignatureDoesNotMatch");
    expect(h1.message).toMatch(message);
    const h2 = await caught(() =>
      bedrock(ep.url, "us-east-1", { systemClockOffset: offset }).send(new ConverseCommand({ modelId: HAIKU, messages: userMessage("x") })),
    );
    expect(h2.name).toBe("InvalidSignatureException");
    expect(h2.$metadata?.httpStatusCode).toBe(403);
    expect(h2.message).toMatch(message);
    const unknownKey = { accessKeyId: "AKIAUNKNOWNKEY", secretAccessKey: "whatever" };
    const other = await caught(() => sts(ep.url, "us-east-1", unknownKey, { systemClockOffset: offset }).send(new GetCallerIdentityCommand({})));
    expect(other.message).toMatch(message);
  });

  it("accepts 14 minutes of skew; after a refusal the SDK corrects its clock from the answer's Date header", async () => {
    await expect(sts(ep.url, "us-east-1", CREDS, { systemClockOffset: -14 * MINUTE }).send(new GetCallerIdentityCommand({}))).resolves.toBeDefined();
    const skewed = sts(ep.url, "us-east-1", CREDS, { systemClockOffset: -60 * MINUTE });
    expect((await caught(() => skewed.send(new GetCallerIdentityCommand({})))).message).toMatch(/^Signature expired/);
    await expect(skewed.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({ Account: "123456789012" });
  });
});

describe("strings from requests and scenarios are names, never Object.prototype members", () => {
  let ep: LocalEndpoint;
  beforeAll(async () => {
    ep = await startLocalEndpoint();
  });
  afterAll(() => {
    // Nothing above may have written to the shared prototype.
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(Object.getOwnPropertyNames(Object.getPrototypeOf({})).sort());
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    return ep.close();
  });

  it.each(PROTOTYPE_NAMES)("%s is an unknown AppConfig resource, quota and model", async (name) => {
    const ac = appConfig(ep.url);
    for (const command of [
      new GetApplicationCommand({ ApplicationId: name }),
      new GetEnvironmentCommand({ ApplicationId: name, EnvironmentId: name }),
      new GetConfigurationProfileCommand({ ApplicationId: name, ConfigurationProfileId: name }),
      new GetDeploymentStrategyCommand({ DeploymentStrategyId: name }),
    ]) {
      const err = await caught(() => ac.send(command as GetApplicationCommand));
      expect([err.name, err.$metadata?.httpStatusCode]).toEqual(["ResourceNotFoundException", 404]);
    }
    const session = await caught(() =>
      appConfigData(ep.url).send(
        new StartConfigurationSessionCommand({ ApplicationIdentifier: name, EnvironmentIdentifier: name, ConfigurationProfileIdentifier: name }),
      ),
    );
    expect(session.name).toBe("ResourceNotFoundException");
    const quota = await caught(() => serviceQuotas(ep.url).send(new GetServiceQuotaCommand({ ServiceCode: name, QuotaCode: name })));
    expect(quota.name).toBe("NoSuchResourceException");
    const model = await caught(() => bedrock(ep.url).send(new ConverseCommand({ modelId: name, messages: userMessage("x") })));
    expect(model.name).toBe("ValidationException");
  });

  it.each(PROTOTYPE_NAMES.filter((n) => n !== "__proto__"))("access key %s is an unknown key, not a secret found on the prototype", async (name) => {
    const err = await caught(() => sts(ep.url, "us-east-1", { accessKeyId: name, secretAccessKey: "x" }).send(new GetCallerIdentityCommand({})));
    expect([err.name, err.$metadata?.httpStatusCode]).toEqual(["InvalidClientTokenId", 403]);
  });

  it("a signed request whose query key is __proto__ verifies; a signed header named constructor that is absent is refused", async () => {
    const signer = new SignatureV4({ service: "appconfig", region: "us-east-1", credentials: CREDS, sha256: Hash.bind(null, "sha256") });
    const send = async (query: Record<string, string>, extraSigned: Record<string, string>) => {
      const url = new URL(`${ep.url}/applications`);
      const signed = await signer.sign({
        method: "GET",
        protocol: "http:",
        hostname: url.hostname,
        port: Number(url.port),
        path: "/applications",
        query,
        headers: { host: url.host, ...extraSigned },
      });
      const qs = new URLSearchParams(query).toString();
      const headers = Object.fromEntries(Object.entries(signed.headers).filter(([k]) => !(k in extraSigned)));
      return fetch(`${ep.url}/applications${qs ? `?${qs}` : ""}`, { headers });
    };
    const proto = JSON.parse('{"__proto__":"x","max_results":"5"}') as Record<string, string>;
    const ok = await send(proto, {});
    expect(ok.status).toBe(200);
    const missing = await send({}, { constructor: "x" });
    expect(missing.status).toBe(403);
    expect(await missing.text()).toContain("signed header constructor not present");
  });

  it("a seeded strategy named __proto__ comes back under its own name", () => {
    const ids = ep.seedAppConfig({
      region: "us-east-1",
      application: "proto",
      environment: "e",
      profile: "p",
      content: "{}",
      strategies: [{ name: "__proto__", deploymentDurationInMinutes: 0, growthFactor: 100 }],
    });
    expect(Object.hasOwn(ids.strategyIds, "__proto__")).toBe(true);
    expect(ids.strategyIds["__proto__"]).toMatch(/^[a-z0-9]{7}$/);
  });

  it.each<[string, string, string]>([
    ["quotas", '{"quotas":{"__proto__":[{"code":"L-1","name":"n","value":1}]}}', "$.quotas.__proto__"],
    ["quotas", '{"quotas":{"constructor":[{"code":"L-1","name":"n","value":1}]}}', "$.quotas.constructor"],
    ["credentials", '{"credentials":{"__proto__":"secret"}}', "$.credentials.__proto__"],
  ])("a scenario keyed %s by a prototype name is refused at its path", (_part, text, path) => {
    const error = scenarioError(() => parseScenario(JSON.parse(text), "s.json"));
    expect(error.jsonPath).toBe(path);
  });
});
