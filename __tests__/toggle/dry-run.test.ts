import { buildRoutingDocument } from "../../core/routing";
import { type BaselinePlan } from "../../core/environment";
import { startLocalEndpoint, type LocalEndpoint } from "../../local/endpoint";
import { HAIKU, NOVA, SONNET } from "../fixtures";
import { ACCOUNT, canariedDev, EAST, evidenceDir, type Evidence, liveDocument, seedStackProfile, toggleAt, withEvidence } from "./fixtures";

// `toggle --dry-run`: the same reads and checks as the real run, the change and the document diff printed, and nothing
// written (no hosted version, no deployment, no stop), for every kind of toggle.

const WRITES = new Set(["CreateHostedConfigurationVersion", "StartDeployment", "StopDeployment", "DeleteHostedConfigurationVersion"]);

let ep: LocalEndpoint;
let configDir: string;
let env: BaselinePlan;

let evidence: Evidence;
const upgrade = (argv: readonly string[]) => withEvidence(evidence, argv);

beforeAll(() => {
  ({ configDir, env, evidence } = canariedDev());
});

beforeEach(async () => {
  ep = await startLocalEndpoint({ accountId: ACCOUNT });
  seedStackProfile(ep, env, EAST, buildRoutingDocument(env, EAST));
  ep.clearCalls();
});

afterEach(async () => {
  await ep.close();
});

const writes = () => ep.calls.map((c) => c.operation).filter((o) => WRITES.has(o));

describe("toggle --dry-run", () => {
  it.each<[string, string[], string, string[]]>([
    ["disable", ["--disable", NOVA.modelId], "AppConfig.AllAtOnce|emergency", [`models["${NOVA.modelId}"].enabled: true -> false`]],
    ["primary", ["--primary", `summarization=${NOVA.modelId}`], "routine", [`routes.summarization.fallbacks: ["${NOVA.modelId}"] -> ["${HAIKU.modelId}"]`, `routes.summarization.primary: "${HAIKU.modelId}" -> "${NOVA.modelId}"`]],
    ["canary", ["--canary", `chat=${SONNET.modelId}:30`], "routine", ["routes.chat.canary.percent: 10 -> 30"]],
    ["promote", ["--promote", "chat"], "routine", [`routes.chat.canary: {"model":"${SONNET.modelId}","percent":10} -> (none)`, `routes.chat.fallbacks: [] -> ["${HAIKU.modelId}"]`, `routes.chat.primary: "${HAIKU.modelId}" -> "${SONNET.modelId}"`]],
    ["abort", ["--abort", "chat"], "emergency", [`routes.chat.canary: {"model":"${SONNET.modelId}","percent":10} -> (none)`]],
  ])("--%s: prints the change, its strategy and the document diff; writes nothing; the live document is unchanged", async (_kind, change, strategy, diff) => {
    const before = await liveDocument(ep);
    const r = await toggleAt(ep, configDir, upgrade(["--env", "dev", ...change, "--dry-run", "--reason", "rehearsal"]));
    expect([r.code, r.err]).toEqual([0, ""]);
    const lines = r.out.split("\n");
    expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^dry run: would deploy .* with \\S+ \\((${strategy})`)), "dry run: the routing document would change:", "dry run: nothing was written"]));
    expect(lines.filter((l) => l.startsWith("  "))).toEqual(diff.map((d) => `  ${d}`));
    expect(writes()).toEqual([]);
    expect(await liveDocument(ep)).toEqual(before);
  });

  it("--enable of an enabled model: nothing to change, exit 0", async () => {
    const r = await toggleAt(ep, configDir, ["--env", "dev", "--enable", NOVA.modelId, "--dry-run"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/dry run: nothing to change: .* is already in effect; nothing was written/);
    expect(writes()).toEqual([]);
  });

  it("a change the real run refuses is refused the same way (exit 1), nothing written", async () => {
    const r = await toggleAt(ep, configDir, ["--env", "dev", "--canary", `classification=${SONNET.modelId}:10`, "--dry-run"]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^refused: canary classification=.* fails validation/);
    expect(writes()).toEqual([]);
  });

  it("an upgrade without evaluation evidence is refused as the real run refuses it (exit 1), nothing written", async () => {
    const none = evidenceDir();
    const r = await toggleAt(ep, configDir, ["--env", "dev", "--canary", `chat=${SONNET.modelId}:30`, "--dry-run", ...none.flags]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^refused: canary chat=.*:30 needs evaluation evidence, nothing was written: no evaluation report/);
    expect(r.out).not.toMatch(/would deploy/);
    expect(writes()).toEqual([]);
  });

  it("--without-eval --reason: the run says it goes without evidence, then what it would deploy; nothing written", async () => {
    const none = evidenceDir();
    const r = await toggleAt(ep, configDir, ["--env", "dev", "--promote", "chat", "--dry-run", "--without-eval", "--reason", "incident 42", ...none.flags]);
    expect([r.code, r.err]).toEqual([0, ""]);
    expect(r.out).toMatch(/WITHOUT EVALUATION EVIDENCE \(--without-eval\).*reason: incident 42\n(.*\n)*dry run: would deploy promote chat/);
    expect(writes()).toEqual([]);
  });

  it("during a running deployment, an emergency change says it would stop it first, and stops nothing", async () => {
    ep.configure({ deploymentDurationMs: 600_000 });
    expect((await toggleAt(ep, configDir, upgrade(["--env", "dev", "--canary", `chat=${SONNET.modelId}:20`, "--timeout-ms", "1000"]))).code).toBe(1);
    ep.clearCalls();
    const r = await toggleAt(ep, configDir, ["--env", "dev", "--disable", NOVA.modelId, "--dry-run"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/dry run: would deploy disable .* after stopping deployment \d+ \((DEPLOYING|BAKING)/);
    expect(writes()).toEqual([]);
  });
});
