import { writeFileSync } from "node:fs";
import { type BaselinePlan } from "../../core/environment";
import { buildRoutingDocument } from "../../core/routing";
import { validateEnvironment } from "../../core/validation";
import { startLocalEndpoint, type LocalEndpoint } from "../../local/endpoint";
import { CATALOG, HAIKU, NOVA, rawConfig, SONNET, TODAY } from "../fixtures";
import { ACCOUNT, configDirWith, EAST, evidenceDir, type Evidence, liveDocument, seedStackProfile, toggleAt } from "./fixtures";

// The toggle's upgrade gate over the wire (local AppConfig, real SDK clients): --canary and --promote need a passing,
// recent evaluation report of exactly this upgrade made with the golden set as it is now, unless --without-eval with a
// reason (recorded in the version description); and a model a change puts into a route must accept the route's request
// parameters (catalog request constraints), --primary included.

const OPUS_55 = "anthropic.claude-opus-5-5";
const raw = rawConfig("dev");
raw.models.push({ id: SONNET.modelId }, { id: OPUS_55, inference: "global" });
raw.routes.chat.canary = { model: SONNET.modelId, percent: 10 };
// Opus 5.5 as a fallback of chat, which sends no temperature in the file: valid, and a candidate of the route.
raw.routes.chat.fallbacks = [OPUS_55];
const configDir = configDirWith({ dev: raw });
const env: BaselinePlan = validateEnvironment(raw, "dev.json", { today: TODAY, catalog: CATALOG });

let ep: LocalEndpoint;
let evidence: Evidence;
beforeEach(async () => {
  ep = await startLocalEndpoint({ accountId: ACCOUNT });
  seedStackProfile(ep, env, EAST, buildRoutingDocument(env, EAST));
  evidence = evidenceDir();
  ep.clearCalls();
});
afterEach(() => ep.close());

const toggle = (argv: string[], deps = {}) => toggleAt(ep, configDir, argv, deps);
const writes = () => ep.calls.map((c) => c.operation).filter((o) => o === "CreateHostedConfigurationVersion" || o === "StartDeployment");
const CANARY = ["--env", "dev", "--canary", `chat=${SONNET.modelId}:25`];
const evalCmd = `npm run eval -- --env dev --region ${EAST} --task chat --candidate ${SONNET.modelId}`;

describe("--canary and --promote need the evidence", () => {
  it("with no report: refused (exit 1), naming the npm run eval command, nothing written", async () => {
    const r = await toggle([...CANARY, ...evidence.flags]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`refused: canary chat=${SONNET.modelId}:25 needs evaluation evidence, nothing was written: no evaluation report for dev/${EAST} chat with ${SONNET.modelId}: run ${evalCmd}`);
    expect(writes()).toEqual([]);
  });

  it.each<[string, (r: Record<string, any>) => void, RegExp]>([
    ["a report that did not pass", (r) => (r.verdict = "fail"), /did not pass \(verdict fail\)/],
    ["a golden set changed since", (r) => (r.goldenSet.sha256 = "0".repeat(64)), /the golden set changed since the evaluation/],
    ["a report older than evaluation.maxAgeDays (7)", (r) => (r.finishedAt = new Date(Date.now() - 8 * 86_400_000).toISOString()), /is 8 days old .*at most 7/],
    ["a report of another region, under this one's name", (r) => (r.region = "eu-west-1"), /is for region eu-west-1, not us-east-1/],
    ["a report of another candidate, under this one's name", (r) => (r.candidate = { modelId: HAIKU.modelId }), /is for candidate anthropic\.claude-haiku/],
  ])("%s: refused, naming why and the command", async (_name, edit, why) => {
    evidence.write({ task: "chat", candidate: SONNET.modelId }, edit);
    const r = await toggle([...CANARY, ...evidence.flags]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(why);
    expect(r.err).toContain(evalCmd);
    expect(writes()).toEqual([]);
  });

  it("a truncated report is refused in one line, never half-read", async () => {
    const file = evidence.write({ task: "chat", candidate: SONNET.modelId });
    writeFileSync(file, '{"reportVersion": 1, "kind"');
    const r = await toggle([...CANARY, ...evidence.flags]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/refused: .*the evaluation report .* is not JSON/);
    expect(r.err.split("\n")).toHaveLength(1);
  });

  it("a passing, recent report of this upgrade with the golden set as it is: deployed, and the output says so", async () => {
    evidence.write({ task: "chat", candidate: SONNET.modelId });
    const r = await toggle([...CANARY, ...evidence.flags]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain(`evaluation evidence: a passing report for ${SONNET.modelId} on chat`);
    expect((await liveDocument(ep)).routes.chat.canary).toEqual({ model: SONNET.modelId, percent: 25 });
  });

  it("evaluation.maxAgeDays is the environment's: 30 lets a 20-day-old report through", async () => {
    evidence.write({ task: "chat", candidate: SONNET.modelId }, (r) => (r.finishedAt = new Date(Date.now() - 20 * 86_400_000).toISOString()));
    expect((await toggle([...CANARY, ...evidence.flags])).code).toBe(1);
    const dir = configDirWith({ dev: { ...raw, evaluation: { maxAgeDays: 30 } } });
    expect((await toggleAt(ep, dir, [...CANARY, ...evidence.flags])).code).toBe(0);
  });

  it("--promote needs the canary's evidence too", async () => {
    const r = await toggle(["--env", "dev", "--promote", "chat", ...evidence.flags]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`no evaluation report for dev/${EAST} chat with ${SONNET.modelId}`);
    evidence.write({ task: "chat", candidate: SONNET.modelId });
    expect((await toggle(["--env", "dev", "--promote", "chat", ...evidence.flags])).code).toBe(0);
    expect((await liveDocument(ep)).routes.chat.primary).toBe(SONNET.modelId);
  });

  it("--without-eval --reason deploys without it, saying so in the output and the AppConfig version description", async () => {
    const r = await toggle([...CANARY, ...evidence.flags, "--without-eval", "--reason", "vendor incident: Haiku degraded"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/WITHOUT EVALUATION EVIDENCE \(--without-eval\): no evaluation report .*; reason: vendor incident: Haiku degraded/);
    const version = ep.appConfig.hostedVersions({ region: EAST }).at(-1)!;
    expect(version.description).toBe(`npm run toggle: canary chat=${SONNET.modelId}:25. WITHOUT EVALUATION EVIDENCE (--without-eval). Reason: vendor incident: Haiku degraded`);
  });

  it("other changes need no evidence: --disable, --abort, --primary", async () => {
    expect((await toggle(["--env", "dev", "--primary", `summarization=${NOVA.modelId}`])).code).toBe(0);
    expect((await toggle(["--env", "dev", "--abort", "chat"])).code).toBe(0);
  });

  it.each<[string, string[], RegExp]>([
    ["--without-eval without a reason", [...CANARY, "--without-eval"], /--without-eval needs --reason "\.\.\."/],
    ["--without-eval with a blank reason", [...CANARY, "--without-eval", "--reason", "  "], /--reason needs a value/],
    ["--without-eval on a change that needs no evidence", ["--env", "dev", "--disable", NOVA.modelId, "--without-eval", "--reason", "x"], /--without-eval only applies to --canary and --promote/],
    ["--reports-dir on --abort", ["--env", "dev", "--abort", "chat", "--reports-dir", "x"], /--reports-dir only applies to --canary and --promote/],
    ["an empty --reports-dir", [...CANARY, "--reports-dir", ""], /--reports-dir needs a value/],
  ])("usage: %s is exit 2, nothing read or written", async (_name, argv, message) => {
    const r = await toggle(argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(ep.calls).toEqual([]);
  });
});

describe("a model a change puts into a route must accept the route's request parameters", () => {
  /**
   * A stand-in whose deployed document has chat sending temperature 0.2 (a route parameter changed in AppConfig since
   * synth, or a catalog that learned a constraint since): what synth judged no longer holds, the toggle's check does.
   */
  async function deployedWithTemperature(): Promise<void> {
    await ep.close();
    ep = await startLocalEndpoint({ accountId: ACCOUNT });
    const doc = buildRoutingDocument(env, EAST);
    doc.routes.chat.temperature = 0.2;
    seedStackProfile(ep, env, EAST, doc);
    ep.clearCalls();
  }

  it("--primary to Opus 5.5 on a route sending temperature: refused, naming model, parameter and fix", async () => {
    await deployedWithTemperature();
    const r = await toggle(["--env", "dev", "--primary", `chat=${OPUS_55}`]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      [
        `refused: primary chat=${OPUS_55} puts a model into a route whose requests it refuses (catalog request constraints), nothing was written:`,
        `refused:   routes.chat.temperature: the new primary ${OPUS_55} accepts no temperature while thinking is on (its default, and it cannot be disabled), not 0.2 -> remove temperature, or route "chat" to models that accept it`,
      ].join("\n"),
    );
    expect(writes()).toEqual([]);
  });

  it("--canary likewise, before any evidence is looked at", async () => {
    await deployedWithTemperature();
    evidence.write({ task: "chat", candidate: OPUS_55 });
    const r = await toggle(["--env", "dev", "--canary", `chat=${OPUS_55}:10`, ...evidence.flags]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/the canary anthropic\.claude-opus-5-5 accepts no temperature/);
  });

  it("a canary the file does not declare is deployed with a note that only throttles and server errors watch it", async () => {
    evidence.write({ task: "chat", candidate: OPUS_55 });
    const r = await toggle(["--env", "dev", "--canary", `chat=${OPUS_55}:10`, ...evidence.flags]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`note: ${OPUS_55} is not the canary config/dev.json declares for chat, so no refusal-rate rollback or canary-quality alarm watches it`);
  });
});

