import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ListApplicationsCommand, StartDeploymentCommand } from "@aws-sdk/client-appconfig";
import { ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { GetServiceQuotaCommand } from "@aws-sdk/client-service-quotas";
import { AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { type CliIo, runCli } from "../../local/cli";
import { type LocalEndpoint, startLocalEndpoint } from "../../local/endpoint";
import { type Scenario, parseScenario } from "../../local/scenario";
import { appConfig, bedrock, caught, destroyClients, serviceQuotas, sts, userMessage } from "./clients";
import { scenarioError } from "./fixtures";
import { runTs } from "../fixtures";
import { tempDir } from "../fixtures";

const HAIKU = "us.anthropic.claude-haiku-4-5-20251001-v1:0";
const dir = tempDir("local-endpoint");

function scenarioFile(name: string, content: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

afterEach(() => destroyClients());

describe("one port, two protocols", () => {
  let ep: LocalEndpoint;
  beforeAll(async () => {
    ep = await startLocalEndpoint();
  });
  afterAll(() => ep.close());
  afterEach(() => ep.clearCalls());

  it("binds 127.0.0.1 on an ephemeral port and serves h2 (Bedrock) and HTTP/1.1 (others) side by side", async () => {
    expect(ep.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(ep.port).toBeGreaterThan(0);
    await Promise.all([
      bedrock(ep.url).send(new ConverseCommand({ modelId: HAIKU, messages: userMessage("a"), inferenceConfig: { maxTokens: 1 } })),
      sts(ep.url).send(new GetCallerIdentityCommand({})),
      appConfig(ep.url).send(new ListApplicationsCommand({})),
    ]);
    expect(ep.calls.map((c) => [c.service, c.protocol]).sort()).toEqual([
      ["appconfig", "http/1.1"],
      ["bedrock-runtime", "h2"],
      ["sts", "http/1.1"],
    ]);
  });

  it("answers unsigned requests with 403 MissingAuthenticationTokenException (STS: error XML)", async () => {
    const res = await fetch(`${ep.url}/model/${encodeURIComponent(HAIKU)}/converse`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ messages: userMessage("x") }),
    });
    expect(res.status).toBe(403);
    expect(res.headers.get("x-amzn-errortype")).toBe("MissingAuthenticationTokenException");
    expect(await res.json()).toMatchObject({ message: "Missing Authentication Token" });

    const stsRes = await fetch(`${ep.url}/`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "Action=GetCallerIdentity&Version=2011-06-15",
    });
    expect(stsRes.status).toBe(403);
    expect(await stsRes.text()).toMatch(/<Code>MissingAuthenticationToken<\/Code>/);
    expect(ep.calls.map((c) => [c.service, c.status, c.region])).toEqual([
      ["bedrock-runtime", 403, ""],
      ["sts", 403, ""],
    ]);
  });

  it("verifies SigV4 for known keys: a wrong secret is rejected on both protocols", async () => {
    const wrong = { accessKeyId: "local", secretAccessKey: "not-the-secret" };
    const h2 = await caught(() =>
      bedrock(ep.url, "us-east-1", { credentials: wrong }).send(new ConverseCommand({ modelId: HAIKU, messages: userMessage("x") })),
    );
    expect(h2.name).toBe("InvalidSignatureException");
    expect(h2.$metadata?.httpStatusCode).toBe(403);
    const h1 = await caught(() => sts(ep.url, "us-east-1", wrong).send(new GetCallerIdentityCommand({})));
    expect(h1.name).toBe("SignatureDoesNotMatch");
  });

  it("refuses a key it does not know as AWS does, on both protocols (the credential-failure paths run locally)", async () => {
    const other = { accessKeyId: "AKIAOTHERKEY", secretAccessKey: "whatever" };
    const h2 = await caught(() => bedrock(ep.url, "us-east-1", { credentials: other }).send(new ConverseCommand({ modelId: HAIKU, messages: userMessage("x"), inferenceConfig: { maxTokens: 1 } })));
    expect([h2.name, h2.$metadata?.httpStatusCode, h2.message]).toEqual(["UnrecognizedClientException", 403, "The security token included in the request is invalid."]);
    const h1 = await caught(() => sts(ep.url, "us-east-1", other).send(new GetCallerIdentityCommand({})));
    expect([h1.name, h1.message]).toEqual(["InvalidClientTokenId", "The security token included in the request is invalid."]);
    expect(ep.calls[0]).toMatchObject({ accessKeyId: "AKIAOTHERKEY", principal: "arn:aws:iam::123456789012:user/AKIAOTHERKEY", status: 403, errorType: "UnrecognizedClientException" });
  });

  it("with verifySignatures: false accepts any key unverified and attributes it as an IAM user", async () => {
    const loose = await startLocalEndpoint({ verifySignatures: false });
    try {
      const other = { accessKeyId: "AKIAOTHERKEY", secretAccessKey: "whatever" };
      await bedrock(loose.url, "us-east-1", { credentials: other }).send(new ConverseCommand({ modelId: HAIKU, messages: userMessage("x"), inferenceConfig: { maxTokens: 1 } }));
      expect(loose.calls[0]).toMatchObject({ accessKeyId: "AKIAOTHERKEY", principal: "arn:aws:iam::123456789012:user/AKIAOTHERKEY", status: 200 });
    } finally {
      await loose.close();
    }
  });
});

describe("lifecycle", () => {
  it("close() ends hung requests, idle keep-alive sockets and h2 sessions promptly", async () => {
    const ep = await startLocalEndpoint();
    ep.inject({ modelId: HAIKU, fault: "hang" });
    await sts(ep.url).send(new GetCallerIdentityCommand({})); // leaves an idle HTTP/1.1 keep-alive socket
    const pending = bedrock(ep.url).send(new ConverseCommand({ modelId: HAIKU, messages: userMessage("x") }));
    const settled = pending.then(
      () => "resolved",
      (e: Error) => e.name,
    );
    for (let i = 0; i < 100 && !ep.calls.some((c) => c.fault === "hang"); i++) await new Promise((r) => setTimeout(r, 5));
    expect(ep.calls.some((c) => c.fault === "hang")).toBe(true);
    const t0 = Date.now();
    await ep.close();
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(await settled).not.toBe("resolved");
    await expect(fetch(`${ep.url}/`)).rejects.toThrow();
  });

  it("can disable signature verification", async () => {
    const ep = await startLocalEndpoint({ verifySignatures: false });
    try {
      const who = await sts(ep.url, "us-east-1", { accessKeyId: "local", secretAccessKey: "wrong" }).send(new GetCallerIdentityCommand({}));
      expect(who.Arn).toBe("arn:aws:iam::123456789012:user/local");
    } finally {
      await ep.close();
    }
  });
});

describe("scenario", () => {
  const full: Scenario = {
    accountId: "111111111111",
    latencyMs: 0,
    onDemandModelIds: ["amazon.nova-micro-v1:0"],
    faults: [{ modelId: HAIKU, region: "eu-west-1", fault: "throttle", times: 1 }],
    quotas: { "us-east-1": [{ code: "L-58BE175A", name: "Haiku TPM", value: 42 }] },
    appConfig: [{ region: "us-east-1", application: "app", environment: "prod", profile: "routes", content: "{}" }],
    rollbacks: [{ application: "app", alarmArn: "arn:aws:cloudwatch:us-east-1:111111111111:alarm:x" }],
    deniedRoles: ["arn:aws:iam::111111111111:role/denied"],
  };

  it("primes faults, quotas, AppConfig, rollbacks and denials from a JSON file; options override its settings", async () => {
    const ep = await startLocalEndpoint({ scenario: scenarioFile("full.json", full), latencyMs: 30 });
    try {
      const t0 = Date.now();
      const err = await caught(() =>
        bedrock(ep.url, "eu-west-1").send(new ConverseCommand({ modelId: HAIKU, messages: userMessage("x"), inferenceConfig: { maxTokens: 1 } })),
      );
      expect(err.name).toBe("ThrottlingException");
      expect(Date.now() - t0).toBeGreaterThanOrEqual(25);
      await expect(
        bedrock(ep.url).send(new ConverseCommand({ modelId: "amazon.nova-micro-v1:0", messages: userMessage("x"), inferenceConfig: { maxTokens: 1 } })),
      ).resolves.toBeDefined();
      const q = await serviceQuotas(ep.url).send(new GetServiceQuotaCommand({ ServiceCode: "bedrock", QuotaCode: "L-58BE175A" }));
      expect(q.Quota?.Value).toBe(42);
      expect(q.Quota?.QuotaArn).toContain(":111111111111:");
      const [seeded] = ep.appConfig.deployments({ application: "app" });
      expect(seeded.state).toBe("COMPLETE");
      const redeploy = await appConfig(ep.url).send(
        new StartDeploymentCommand({
          ApplicationId: seeded.applicationId,
          EnvironmentId: seeded.environmentId,
          ConfigurationProfileId: seeded.profileId,
          ConfigurationVersion: "1",
          DeploymentStrategyId: "AppConfig.AllAtOnce",
        }),
      );
      expect(redeploy.State).toBe("ROLLED_BACK");
      const denied = await caught(() =>
        sts(ep.url).send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::111111111111:role/denied", RoleSessionName: "s1" })),
      );
      expect(denied.name).toBe("AccessDenied");
    } finally {
      await ep.close();
    }
  });

  it.each<[string, unknown, string]>([
    ["unknown fault", { faults: [{ modelId: "m", fault: "throtle" }] }, "$.faults[0].fault"],
    ["misspelt key", { faults: [{ modelId: "m", fault: "throttle", time: 2 }] }, "$.faults[0].time"],
    ["bad times", { faults: [{ modelId: "m", fault: "throttle", times: 0 }] }, "$.faults[0].times"],
    ["bad region key", { quotas: { "us-east-1": [{ code: "L-1", name: "n" }] } }, '$.quotas["us-east-1"][0].value'],
    ["schema text", { appConfig: [{ region: "r", application: "a", environment: "e", profile: "p", content: "{}", jsonSchema: "{" }] }, "$.appConfig[0].jsonSchema"],
  ])("names the JSON path of a bad scenario (%s)", (_label, value, path) => {
    const error = scenarioError(() => parseScenario(value, "s.json"));
    expect(error.jsonPath).toBe(path);
    expect(error.message).toMatch(new RegExp(`^s\\.json: ${path.replace(/[$.[\]"]/g, "\\$&")}: `));
    expect(error.message).not.toContain("\n");
  });
});

describe("cli", () => {
  function io() {
    const out: string[] = [];
    const err: string[] = [];
    const sink: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l) };
    return { out, err, sink };
  }

  it("starts from a scenario file and prints the URL and the keys, never an AWS_ENDPOINT_URL to export", async () => {
    const { out, err, sink } = io();
    const { code, endpoint } = await runCli(["--port", "0", "--latency-ms", "0", "--scenario", scenarioFile("ok.json", { onDemandModelIds: ["m"] })], sink);
    try {
      expect(code).toBe(0);
      expect(err).toEqual([]);
      expect(out[0]).toBe(`local endpoint listening on ${endpoint!.url}`);
      expect(out.join("\n")).toContain("AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local");
      expect(out.join("\n")).not.toContain("AWS_ENDPOINT_URL");
      await expect(sts(endpoint!.url).send(new GetCallerIdentityCommand({}))).resolves.toBeDefined();
    } finally {
      await endpoint?.close();
    }
  });

  it.each([
    [["--port", "abc"], /--port must be a non-negative integer/],
    [["--bogus"], /unknown option "--bogus"/],
    [["--scenario", join(dir, "missing.json")], /missing\.json: \$: cannot read the file: it does not exist/],
  ])("exits 2 with one line for %j", async (argv, message) => {
    const { out, err, sink } = io();
    const { code, endpoint } = await runCli(argv, sink);
    expect(code).toBe(2);
    expect(endpoint).toBeUndefined();
    expect(out).toEqual([]);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(message);
  });

  it("as a process: bad scenario exits 2 with one stderr line; a good one serves until SIGTERM", async () => {
    const run = (args: string[], onStdout?: (text: string, kill: () => void) => void) => runTs(["local/cli.ts", ...args], process.env, onStdout);
    const bad = scenarioFile("bad.json", { faults: [{ modelId: "m", fault: "nope" }] });
    let signalled = false;
    const [badRun, goodRun] = await Promise.all([
      run(["--scenario", bad]),
      run(["--port", "0"], (text, kill) => {
        if (!signalled && text.includes("listening on")) {
          signalled = true;
          kill();
        }
      }),
    ]);
    expect(badRun.code).toBe(2);
    expect(badRun.stderr.trimEnd().split("\n")).toEqual([expect.stringContaining(`${bad}: $.faults[0].fault: Invalid option`)]);
    expect(badRun.stderr).not.toMatch(/\n\s+at /);
    expect(goodRun.stdout).toMatch(/^local endpoint listening on http:\/\/127\.0\.0\.1:\d+\n/);
    expect(goodRun.stdout).toContain("SIGTERM, shutting down");
    expect(goodRun.code).toBe(0);
  }, 60_000); // two command processes: slow to start on a busy 2-core machine
});
