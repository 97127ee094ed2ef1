import { runBinary } from "../../cli/bedrock-baseline";
import { ageOf, buildRoutingDocument, canarySince, changeLines, documentChanges, type DeploymentRecord, toggledChanges } from "../../core/routing";
import { type BaselinePlan } from "../../core/environment";
import type { RoutingDocument } from "../../core/runtime";
import { startLocalEndpoint, type LocalEndpoint } from "../../local/endpoint";
import { recordingIo } from "../cli/command-io";
import { HAIKU, NOVA, rawConfig, SONNET } from "../fixtures";
import { ACCOUNT, canariedDev, EAST, type Evidence, seedStackProfile, toggleAt, withEvidence } from "./fixtures";

// `bedrock-baseline status`: what the toggle has made of a region, read from AppConfig (the stand-in, over the wire).

let ep: LocalEndpoint;
let configDir: string;
let env: BaselinePlan;

let evidence: Evidence;

beforeAll(() => {
  ({ configDir, env, evidence } = canariedDev());
});

beforeEach(async () => {
  ep = await startLocalEndpoint({ accountId: ACCOUNT });
  seedStackProfile(ep, env, EAST, buildRoutingDocument(env, EAST));
});

afterEach(async () => {
  await ep.close();
});

async function status(...args: string[]) {
  const r = recordingIo({ AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" });
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  // The SDK reads credentials from the process environment, as in production.
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local" });
  try {
    const code = await runBinary(["status", "--config-dir", configDir, "--endpoint-url", ep.url, ...args], r.io);
    return { code, ...r };
  } finally {
    for (const [k, v] of [["AWS_ACCESS_KEY_ID", saved.id], ["AWS_SECRET_ACCESS_KEY", saved.secret]] as const) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

const row = (lines: string[], task: string) => lines.find((l) => new RegExp(`^  ${task} `).test(l))!;

describe("bedrock-baseline status", () => {
  it("as the stack deployed it: each route's primary answers, chat's canary live since the stack's deployment, nothing toggled", async () => {
    const r = await status("--env", "dev");
    expect(r.code).toBe(0);
    expect(r.stdout[0]).toMatch(/^dev\/us-east-1: live routing version \d+ \(deployment \d+\); as the stack deployed it$/);
    expect(r.stdout[1]).toMatch(/^  ROUTE +ANSWERED BY +FALLBACKS +CANARY +DISABLED$/);
    const dev = rawConfig("dev");
    for (const [task, route] of Object.entries<{ primary: string }>(dev.routes)) expect(row(r.stdout, task)).toMatch(new RegExp(`^  ${task} +${route.primary.replace(/[.:]/g, "\\$&")} `));
    expect(row(r.stdout, "chat")).toContain(`${SONNET.modelId} 10%, live under a minute`);
    expect(row(r.stdout, "summarization")).toMatch(/ - +- *$/);
    expect(r.stdout.filter((l) => l.startsWith("  toggled:") || l.startsWith("  in progress:"))).toEqual([]);
  });

  it("after a wider canary and a disable: the canary's share, the disabled primary skipped, what the toggles changed", async () => {
    const canary = await toggleAt(ep, configDir, withEvidence(evidence, ["--env", "dev", "--canary", `chat=${SONNET.modelId}:40`, "--reason", "widen"]));
    expect([canary.code, canary.err]).toEqual([0, ""]);
    const disable = await toggleAt(ep, configDir, ["--env", "dev", "--disable", NOVA.modelId, "--reason", "incident"]);
    expect([disable.code, disable.err]).toEqual([0, ""]);
    const r = await status("--env", "dev");
    expect(r.code).toBe(0);
    expect(r.stdout[0]).toMatch(/; toggles changed 2 fields of the stack's document$/);
    expect(row(r.stdout, "chat")).toContain(`${SONNET.modelId} 40%, live under a minute`);
    expect(row(r.stdout, "classification")).toContain(`${HAIKU.modelId} (primary ${NOVA.modelId} disabled)`);
    expect(row(r.stdout, "summarization")).toMatch(new RegExp(`${NOVA.modelId.replace(/[.:]/g, "\\$&")} *$`));
    expect(r.stdout.filter((l) => l.startsWith("  toggled:"))).toEqual([
      `  toggled: models["${NOVA.modelId}"].enabled: true -> false`,
      `  toggled: routes.chat.canary.percent: 10 -> 40`,
    ]);
  });

  it("--json: one object per region with every figure", async () => {
    expect((await toggleAt(ep, configDir, withEvidence(evidence, ["--env", "dev", "--canary", `chat=${SONNET.modelId}:25`]))).code).toBe(0);
    const r = await status("--env", "dev", "--json");
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout[0]);
    expect(s).toMatchObject({ environment: "dev", region: EAST, routes: expect.arrayContaining([expect.objectContaining({ task: "chat", canary: { model: SONNET.modelId, percent: 25, since: expect.any(String) } })]) });
    expect(Date.parse(s.routes.find((x: { task: string }) => x.task === "chat").canary.since)).toBeLessThanOrEqual(Date.now());
  });

  it("a region without the stack: says so, exit 1", async () => {
    const other = await startLocalEndpoint({ accountId: ACCOUNT });
    try {
      const r = recordingIo({ AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" });
      Object.assign(process.env, { AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local" });
      const code = await runBinary(["status", "--config-dir", configDir, "--endpoint-url", other.url, "--env", "dev"], r.io);
      expect(code).toBe(1);
      expect(r.stdout).toEqual([expect.stringMatching(/^dev\/us-east-1: not read: AppConfig application bedrock-dev not found in us-east-1/)]);
      expect(r.stderr).toEqual([expect.stringMatching(/^status: dev\/us-east-1: AppConfig application bedrock-dev not found/)]);
    } finally {
      await other.close();
    }
  });

  it.each<[string[], RegExp]>([
    [[], /^--env is required/],
    [["--env", "dev", "--region", "eu-west-1"], /does not declare eu-west-1/],
    [["--env", "dev", "--history", "0"], /^--history "0" must be a whole number from 1 to 50/],
    [["--env", "dev", "--env", "prod"], /^--env given twice/],
    [["--env", "dev", "--jsno"], /^unknown option "--jsno"; did you mean --json\?/],
  ])("%j: exit 2, one line", async (args, message) => {
    const r = await status(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([expect.stringMatching(message)]);
  });
});

describe("the pieces", () => {
  let doc: RoutingDocument;
  beforeAll(() => {
    // The stack's document without chat's canary: the pieces are shown adding and changing one.
    const built = buildRoutingDocument(env, EAST);
    const { canary: _canary, ...chat } = built.routes.chat;
    doc = { ...built, routes: { ...built.routes, chat } };
  });
  const withCanary = (model: string): RoutingDocument => ({ ...doc, routes: { ...doc.routes, chat: { ...doc.routes.chat, canary: { model, percent: 10 } } } });
  const d = (number: number, state: string, startedAt: string, document?: RoutingDocument): DeploymentRecord => ({ number, state, startedAt, document: document ?? withCanary(SONNET.modelId) });

  it("canarySince: the start of the oldest deployment in the unbroken run with the same canary, skipping unfinished ones", () => {
    const history = [d(9, "COMPLETE", "2026-12-05T12:00:00Z"), d(8, "ROLLED_BACK", "2026-12-05T11:00:00Z", doc), d(7, "COMPLETE", "2026-12-05T10:00:00Z"), d(6, "COMPLETE", "2026-12-05T09:00:00Z", doc), d(5, "COMPLETE", "2026-12-04T09:00:00Z")];
    expect(canarySince("chat", SONNET.modelId, history)).toBe("2026-12-05T10:00:00Z");
    expect(canarySince("chat", NOVA.modelId, history)).toBeUndefined();
    expect(canarySince("chat", SONNET.modelId, [d(3, "COMPLETE", "2026-12-01T00:00:00Z", withCanary(NOVA.modelId))])).toBeUndefined();
  });

  it("toggledChanges looks only at what a toggle writes; documentChanges at every leaf", () => {
    const applied = { ...doc, models: Object.fromEntries(Object.entries(doc.models).map(([k, m]) => [k, { ...m, quota: { tokensPerMinute: 7 } }])) };
    expect(toggledChanges(doc, applied)).toEqual([]);
    const every = documentChanges(doc, applied);
    expect(every.length).toBeGreaterThanOrEqual(Object.keys(doc.models).length);
    for (const c of every) expect(c.path).toMatch(/^models\[".*"\]\.quota/);
    expect(changeLines(toggledChanges(doc, withCanary(SONNET.modelId)))).toEqual([`routes.chat.canary: (none) -> {"model":"${SONNET.modelId}","percent":10}`]);
  });

  it.each([
    [30_000, "under a minute"],
    [7 * 60_000, "7 min"],
    [(5 * 60 + 12) * 60_000, "5 h 12 min"],
    [(2 * 1440 + 3 * 60 + 59) * 60_000, "2 d 3 h"],
    [-60_000, "under a minute"],
  ])("ageOf %d ms ago is %s", (ms, text) => {
    const now = Date.parse("2026-12-06T00:00:00Z");
    expect(ageOf(new Date(now - ms).toISOString(), now)).toBe(text);
  });
});
