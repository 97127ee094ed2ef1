/**
 * The toggle is the incident tool: every call it makes is bounded. Against a hostile AppConfig control plane (over
 * the wire, the real @aws-sdk/client-appconfig) that never answers, drips, or hands back page tokens, it ends within
 * --call-timeout-ms / --timeout-ms with one line and exit 1, and writes nothing.
 */
import { rmSync } from "node:fs";
import { runToggle } from "../../toggle/cli";
import { CREDS, NOVA, TODAY } from "../fixtures";
import { configDirWith, hardeningEnvironment } from "./environment";
import { type HostileAnswer, type HostileRequest, type HostileServer, startHostileServer } from "./hostile-server";

let dirs: { root: string; configDir: string };
let server: HostileServer | undefined;
beforeAll(() => {
  dirs = configDirWith({ "hx.json": hardeningEnvironment("hx") });
});
afterAll(() => rmSync(dirs.root, { recursive: true, force: true }));
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function toggleAgainst(answer: (req: HostileRequest) => HostileAnswer, extra: string[]) {
  server = await startHostileServer(answer);
  const out: string[] = [];
  const err: string[] = [];
  const started = Date.now();
  const code = await runToggle(["--env", "hx", "--disable", NOVA.modelId, "--endpoint-url", server.url, ...extra], { out: (l) => out.push(l), err: (l) => err.push(l) }, { configDir: dirs.configDir, credentials: CREDS, pollMs: 5, today: TODAY });
  return { code, out, err, ms: Date.now() - started, requests: server.requests };
}

const apps = { Items: [{ Id: "app1", Name: "bedrock-hx" }] };

describe("a hostile AppConfig control plane: bounded, one line, exit 1, no write", () => {
  it.each<[string, (req: HostileRequest) => HostileAnswer, string[], RegExp]>([
    ["accepts and never answers", () => ({ kind: "hang" }), ["--call-timeout-ms", "500"], /^failed: AppConfig did not answer one call within --call-timeout-ms \(500 ms\)/],
    ["drips its answer a byte every 200 ms", () => ({ kind: "drip", body: apps, everyMs: 200 }), ["--call-timeout-ms", "800"], /^failed: AppConfig did not answer one call within --call-timeout-ms \(800 ms\)/],
    ["hands back the same page token", () => ({ kind: "json", body: { Items: [], NextToken: "same" } }), [], /^failed: an AppConfig listing returned the page token "same" a second time \(page 2\)/],
    ["alternates two page tokens", (r) => ({ kind: "json", body: { Items: [], NextToken: r.query.get("next_token") === "A" ? "B" : "A" } }), [], /^failed: an AppConfig listing returned the page token "A" a second time \(page 3\)/],
    ["answers each call slowly, within the call bound but past the command's", () => ({ kind: "drip", body: { Items: [], NextToken: `t${Math.random()}` }, everyMs: 40 }), ["--timeout-ms", "1500"], /^failed: the --timeout-ms bound \(1500 ms\) passed before the toggle finished/],
  ])("%s", async (_name, answer, extra, line) => {
    const r = await toggleAgainst(answer, extra);
    expect(r.code).toBe(1);
    expect(r.err).toEqual([expect.stringMatching(line)]);
    expect(r.ms).toBeLessThan(20_000);
    expect(r.requests.filter((q) => q.method !== "GET")).toEqual([]); // nothing written
    expect(r.requests.length).toBeLessThan(60);
  });
});
