import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describeEndpoints } from "../../cli/aws-endpoints";
import { createRouter, RoutingError } from "../../client/router";
import { preflight } from "../../smoke/aws-session";
import { main } from "../../smoke/cli";
import { sortResults } from "../../smoke/check-result";
import { TERMINAL_WIDTH } from "../../smoke/console-report";
import type { JsonReport } from "../../smoke/json-report";
import { closedPort, CREDS, NOVA, REGION } from "../fixtures";
import { devEnvironment, runSmoke, startFixture, useSharedFixture } from "./fixtures";

// What a person gets from a first run that goes wrong: one actionable line and exit 2 for every mistake in the
// command or the environment, before any work; the endpoint actually used always printed; output that fits a terminal.

const f = useSharedFixture();

async function smoke(argv: readonly string[], env: NodeJS.ProcessEnv = {}) {
  const saved = new Map(Object.keys(env).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
  else process.env[k] = v;
  const stdout: string[] = [];
  const stderr: string[] = [];
  try {
    const code = await main(argv, { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) });
    return { code, stdout, stderr, out: stdout.join("\n"), err: stderr.join("\n") };
  } finally {
    for (const [k, v] of saved) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

const base = () => ["--env", "dev", "--manifest-dir", f().manifestDir];
const local = () => [...base(), "--endpoint-url", f().endpoint.url];

describe("no credentials: detected once, up front", () => {
  const none = {
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/credentials",
    AWS_CONFIG_FILE: "/nonexistent/config",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
    AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
    AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
  };

  it("exit 2, one line saying how to provide credentials, no check run and no call made", async () => {
    const r = await smoke(local(), none);
    expect(r.code).toBe(2);
    expect(r.stderr).toHaveLength(1);
    expect(r.err).toMatch(/^no AWS credentials \(.*\): give the AWS SDK credentials: AWS_PROFILE .*AWS_ACCESS_KEY_ID/);
    expect(r.err).not.toMatch(/deploy the stack/);
    expect(r.stdout).toEqual([]);
    expect(f().endpoint.calls).toEqual([]);
  });
});

describe("the endpoint printed is the endpoint used", () => {
  it("AWS_ENDPOINT_URL in the environment: named on the first line (not 'AWS'), and every call goes there", async () => {
    const r = await smoke([...base(), "--json", path.join(f().workDir, "env-endpoint.json")], { AWS_ENDPOINT_URL: f().endpoint.url });
    expect(r.code).toBe(0);
    expect(r.stdout[0]).toBe(`smoke dev: ${REGION} against ${f().endpoint.url} (from AWS_ENDPOINT_URL; not AWS)`);
    expect(f().endpoint.calls.length).toBeGreaterThan(0);
    const json = JSON.parse(fs.readFileSync(path.join(f().workDir, "env-endpoint.json"), "utf8")) as JsonReport;
    expect(new Set(json.endpoints.map((e) => e.source))).toEqual(new Set(["AWS_ENDPOINT_URL"]));
  });

  it("a service-specific variable: each service's endpoint is named, the others are AWS", async () => {
    const saved = process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME;
    process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = f().endpoint.url;
    try {
      const endpoints = await preflight(REGION, {}, AbortSignal.timeout(10_000));
      expect(describeEndpoints(endpoints)).toBe(`${f().endpoint.url} (Bedrock Runtime, from AWS_ENDPOINT_URL_BEDROCK_RUNTIME); AWS (AppConfig, AppConfigData, Service Quotas)`);
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME;
      else process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = saved;
    }
  });

  it("a configured endpoint the SDK would misuse is a usage error naming the variable", async () => {
    const r = await smoke(base(), { AWS_ENDPOINT_URL: "http://127.0.0.1:0" });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^AWS_ENDPOINT_URL http:\/\/127\.0\.0\.1:0 needs a port from 1 to 65535/);
    expect(f().endpoint.calls).toEqual([]);
  });

  it("credentials in --endpoint-url are never printed or stored: redacted on the first line and in the report", async () => {
    const url = f().endpoint.url.replace("http://", "http://admin:hunter2@");
    const json = path.join(f().workDir, "redacted.json");
    const r = await smoke([...base(), "--endpoint-url", url, "--json", json]);
    expect(r.code).toBe(0);
    expect(r.stdout[0]).toContain(`against ${f().endpoint.url.replace("http://", "http://***@")} (from --endpoint-url; not AWS)`);
    const report = fs.readFileSync(json, "utf8");
    for (const text of [r.out, r.err, report]) expect(text).not.toContain("hunter2");
    expect((JSON.parse(report) as JsonReport).settings.endpointUrl).toContain("***@");
  });

  it.each([
    ["http://127.0.0.1:0", /needs a port from 1 to 65535/],
    ["http://127.0.0.1:65536", /is not a valid URL/],
    ["127.0.0.1:4566", /is not a valid URL|must use http or https/],
    ["http://127.0.0.1:4566?x=1", /must not have a query string/],
    ["http://u:secret@127.0.0.1:99999", /^--endpoint-url http:\/\/\*\*\*@127\.0\.0\.1:99999 is not a valid URL/],
  ])("--endpoint-url %s is a usage error (exit 2, nothing called)", async (url, message) => {
    const r = await smoke([...base(), "--endpoint-url", url]);
    expect(r.code).toBe(2);
    expect(r.stderr).toHaveLength(1);
    expect(r.err).toMatch(message);
    expect(r.err).not.toContain("secret");
    expect(f().endpoint.calls).toEqual([]);
  });
});

describe("report paths smoke cannot write are usage errors before any work", () => {
  it.each([
    ["--json <a directory>", "--json", () => f().workDir, /is a directory/],
    ["--junit /proc/smoke.xml", "--junit", () => "/proc/smoke.xml", /is on the kernel's proc filesystem/],
    ["--json /proc/self/status", "--json", () => "/proc/self/status", /is on the kernel's proc filesystem/],
    ["--json <file>/x.json", "--json", () => path.join(f().manifestDir, fs.readdirSync(f().manifestDir)[0], "x.json"), /part of its path is a file, not a directory/],
  ])("%s", async (_label, flag, file, message) => {
    const r = await smoke([...local(), flag, file()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toHaveLength(1);
    expect(r.err).toMatch(message);
    expect(r.stdout).toEqual([]);
    expect(f().endpoint.calls).toEqual([]);
  });

  it("a FIFO (which would block the write forever) is not a report file", async () => {
    const fifo = path.join(f().workDir, "report.fifo");
    if (!fs.existsSync(fifo)) execFileSync("mkfifo", [fifo]);
    const r = await smoke([...local(), "--junit", fifo]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/is not a regular file/);
    expect(f().endpoint.calls).toEqual([]);
  });
});

describe("the table", () => {
  it("fits a 160-column terminal and lists checks sorted (region, check, subject), whatever the completion order", async () => {
    // A long route name makes the quota rows the widest; a slow model makes completion order differ from the sort.
    const longRoute = "quarterly-report-summarisation-for-the-finance-controlling-team";
    const env = devEnvironment((raw) => {
      raw.routes[longRoute] = { ...raw.routes.summarization };
    });
    const g = await startFixture(env);
    try {
      g.endpoint.inject({ modelId: g.haiku, fault: "latency", latencyMs: 1_000 });
      g.endpoint.inject({ modelId: g.nova, fault: "throttle", times: 1 });
      const r = await runSmoke(g);
      expect(r.code).toBe(0);
      for (const line of [...r.stdout, ...r.stderr]) expect(line.length).toBeLessThanOrEqual(TERMINAL_WIDTH);
      const rows = r.stdout.filter((l) => l.startsWith(REGION));
      const sorted = sortResults(r.json.checks, [REGION]);
      expect(rows.map((l) => l.split(/\s{2,}/)[1])).toEqual(sorted.map((c) => (`${c.kind} ${c.subject}`.length <= 72 ? `${c.kind} ${c.subject}` : expect.stringContaining("…"))));
      // Progress lines came first, in completion order: the slow model finished after the quota rows.
      const progress = r.stdout.filter((l) => /^\[\d+\] /.test(l));
      expect(progress).toHaveLength(r.json.checks.length);
      expect(progress.findIndex((l) => l.includes(`converse ${g.haiku}`))).toBeGreaterThan(progress.findIndex((l) => l.includes("quota")));
      expect(r.stdout.join("\n")).toMatch(/PASS \(2 attempts\)/);
    } finally {
      await g.close();
    }
  });

  it("a failure's hint wraps onto continuation lines instead of being cut; counts use plurals", async () => {
    f().endpoint.inject({ modelId: f().nova, fault: "eol" });
    const r = await runSmoke(f());
    const i = r.stdout.findIndex((l) => l.startsWith(REGION) && l.includes(`converse ${f().nova}`));
    const hint = r.check("converse", f().nova).hint;
    const continued = [r.stdout[i], ...r.stdout.slice(i + 1).filter((_l, j, all) => all.slice(0, j + 1).every((x) => x.startsWith(" ")))].join(" ");
    expect(continued.replace(/\s+/g, " ")).toContain(hint.replace(/\s+/g, " ").slice(-40));
    expect(r.stdout.join("\n")).toMatch(/checks in [\d.]+ s: \d+ passed, 1 failed, 0 warnings/);
  });
});

describe("classified by the cause chain", () => {
  it("a refused connection (HTTP/2, the real SDK) is a connection failure with the network hint, retried", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const r = await runSmoke(f(), ["--endpoint-url", url, "--timeout-ms", "2000"]);
    expect(r.code).toBe(1);
    const c = r.check("converse", f().haiku);
    expect({ category: c.category, outcome: c.outcome, errorName: c.errorName }).toEqual({ category: "capacity", outcome: "connection", errorName: "ECONNREFUSED" });
    expect(c.hint).toMatch(/connection to Bedrock failed \(ECONNREFUSED\): check network/);
    expect(c.attempts).toHaveLength(3);
  });

  it("--stream: a ModelStreamErrorException before the first content is retried, and the stream check passes", async () => {
    f().endpoint.inject({ modelId: f().haiku, fault: "stream-exception", exceptionType: "modelStreamErrorException", deltasBefore: 0, times: 1 });
    const r = await runSmoke(f(), ["--stream"]);
    expect(r.code).toBe(0);
    const s = r.check("stream", f().haiku);
    expect(s.attempts!.map((a) => a.cause ?? "ok")).toEqual(["model-stream-error", "ok"]);
  });
});

describe("the probe is the client", () => {
  it("a malformed answer fails the probe with exactly the error the router raises for it", async () => {
    f().endpoint.inject({ modelId: f().nova, fault: "malformed" });
    const r = await runSmoke(f());
    const probe = r.check("converse", f().nova);
    f().endpoint.inject({ modelId: NOVA.invokeId, fault: "malformed" });
    const router = createRouter({ region: REGION, endpointUrl: f().endpoint.url, credentials: CREDS, metrics: false, document: f().manifests[0].routingDocument });
    try {
      const e = await router.converse({ task: "classification", messages: [{ role: "user", content: [{ text: "x" }] }] }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(RoutingError);
      const cause = (e as RoutingError).details.cause as Error;
      expect({ name: probe.errorName, message: probe.message }).toEqual({ name: cause.name, message: cause.message });
    } finally {
      router.close();
    }
  });
});
