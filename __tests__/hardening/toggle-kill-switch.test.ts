/**
 * The kill switch during a rollout, over the wire: a routine deployment runs (AppConfig allows one at a time) and the
 * operator disables a model. The toggle stops the running deployment (StopDeployment) when told to or when the
 * operator agrees, then deploys the change at once; otherwise it refuses and names the flag. The local endpoint's
 * StopDeployment follows the API reference (DEPLOYING without AllowRevert, BAKING only with it).
 */
import { rmSync } from "node:fs";
import { AppConfigClient, CreateHostedConfigurationVersionCommand, StartDeploymentCommand, StopDeploymentCommand } from "@aws-sdk/client-appconfig";
import { Deadline } from "../../cli/deadline";
import { names } from "../../core/aws";
import { buildManifest } from "../../core/routing";
import { type RoutingDocument } from "../../core/runtime";
import { startLocalEndpoint, type LocalEndpoint } from "../../local/endpoint";
import { stopDeployment, timeline } from "../../local/appconfig-deployments";
import { seedFromManifests } from "../../local/seed";
import { runToggle, type ToggleDeps } from "../../toggle/cli";
import { askOnTerminal } from "../../toggle/kill-switch";
import { CATALOG, CREDS, HAIKU, NOVA, TODAY, planOf } from "../fixtures";
import { configDirWith, hardeningEnvironment } from "./environment";

const EAST = "us-east-1";
const ENV = "hx";
const plan = planOf(hardeningEnvironment(ENV), { catalog: CATALOG, today: TODAY });
let ep: LocalEndpoint;
let control: AppConfigClient;
let dirs: { root: string; configDir: string };

beforeAll(async () => {
  dirs = configDirWith({ [`${ENV}.json`]: hardeningEnvironment(ENV) });
  ep = await startLocalEndpoint({ accountId: "111111111111" });
  seedFromManifests(ep, plan, [buildManifest(plan, EAST)], false);
  control = new AppConfigClient({ region: EAST, endpoint: ep.url, credentials: CREDS, maxAttempts: 1 });
});
afterAll(async () => {
  control.destroy();
  await ep.close();
  rmSync(dirs.root, { recursive: true, force: true });
});

const deployments = () => ep.appConfig.deployments({ region: EAST, application: names.appConfigApplication(ENV) });
const ids = () => {
  const d = deployments()[0];
  return { applicationId: d.applicationId, environmentId: d.environmentId, profileId: d.profileId };
};
const liveDocument = (): RoutingDocument => {
  const done = deployments().filter((d) => d.state === "COMPLETE" || d.state === "BAKING").at(-1)!;
  return JSON.parse(ep.appConfig.hostedVersions({ region: EAST, application: done.applicationId }).find((v) => v.versionNumber === done.configurationVersion)!.content) as RoutingDocument;
};

/** Starts a routine deployment of a changed document directly (as another operator would) that runs for `ms`. */
async function routineRollout(ms: number): Promise<number> {
  const doc = liveDocument();
  doc.routes.summarization.maxTokens = 512;
  const v = await control.send(new CreateHostedConfigurationVersionCommand({ ApplicationId: ids().applicationId, ConfigurationProfileId: ids().profileId, Content: Buffer.from(JSON.stringify(doc)), ContentType: "application/json", VersionLabel: "routine change" }));
  ep.configure({ deploymentDurationMs: ms });
  try {
    const d = await control.send(new StartDeploymentCommand({ ApplicationId: ids().applicationId, EnvironmentId: ids().environmentId, ConfigurationProfileId: ids().profileId, ConfigurationVersion: String(v.VersionNumber), DeploymentStrategyId: "AppConfig.Linear50PercentEvery30Seconds" }));
    return d.DeploymentNumber!;
  } finally {
    // The emergency deployment the toggle starts completes at once.
    ep.configure({ deploymentDurationMs: 0 });
  }
}

async function toggle(argv: string[], deps: Partial<ToggleDeps> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runToggle(["--env", ENV, ...argv, "--endpoint-url", ep.url], { out: (l) => out.push(l), err: (l) => err.push(l) }, { configDir: dirs.configDir, credentials: CREDS, pollMs: 5, today: TODAY, ...deps });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** Ends whatever still runs, so the next test starts from a quiet environment. */
afterEach(async () => {
  ep.configure({ deploymentDurationMs: 0 });
  for (const d of deployments().filter((x) => x.state === "DEPLOYING" || x.state === "BAKING"))
    await control.send(new StopDeploymentCommand({ ApplicationId: d.applicationId, EnvironmentId: d.environmentId, DeploymentNumber: d.deploymentNumber, AllowRevert: true }));
  ep.clearCalls();
});

describe("--disable while a routine deployment runs", () => {
  it("non-interactive without --stop-deployment: refused, naming the flag; nothing written, the rollout untouched", async () => {
    const running = await routineRollout(120_000);
    ep.clearCalls();
    const r = await toggle(["--disable", NOVA.modelId]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^refused: deployment ${running} \\(version \\d+\\) is DEPLOYING in bedrock-hx/hx/routing in us-east-1; .*rerun with --stop-deployment to stop it \\(it rolls back\\) and deploy disable ${NOVA.modelId.replace(/\./g, "\\.")} at once`));
    expect(ep.calls.map((c) => c.operation)).not.toContain("StopDeployment");
    expect(ep.calls.map((c) => c.operation)).not.toContain("CreateHostedConfigurationVersion");
    expect(deployments().at(-1)).toMatchObject({ deploymentNumber: running, state: "DEPLOYING" });
  });

  it("with --stop-deployment: the rollout is stopped (ROLLED_BACK, by the user) and the change deployed at once", async () => {
    const running = await routineRollout(120_000);
    ep.clearCalls();
    const r = await toggle(["--disable", NOVA.modelId, "--stop-deployment", "--reason", "throttling storm"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain(`stopped deployment ${running} (it was DEPLOYING)`);
    expect(r.out).toMatch(new RegExp(`deployment ${running} ended ROLLED_BACK \\(stopped by this toggle\\): its change is not live; deploy version \\d+ again after the incident`));
    const stop = ep.calls.find((c) => c.operation === "StopDeployment")!;
    expect(stop.status).toBe(202);
    const stopped = deployments().find((d) => d.deploymentNumber === running)!;
    expect(stopped.state).toBe("ROLLED_BACK");
    expect(stopped.eventLog[0]).toMatchObject({ EventType: "ROLLBACK_COMPLETED" });
    expect(stopped.eventLog[1]).toMatchObject({ EventType: "ROLLBACK_STARTED", TriggeredBy: "USER" });
    const emergency = deployments().at(-1)!;
    expect(emergency).toMatchObject({ deploymentNumber: running + 1, state: "COMPLETE" });
    const doc = liveDocument();
    expect(doc.models[NOVA.modelId].enabled).toBe(false);
    expect(doc.routes.summarization.maxTokens).toBe(1024); // the stopped rollout's change is not live
    // Writes after the stop only: the version is computed from the live document, the deployment follows the stop.
    const ops = ep.calls.map((c) => c.operation);
    expect(ops.indexOf("StopDeployment")).toBeLessThan(ops.indexOf("CreateHostedConfigurationVersion"));
  });

  it("in a terminal the operator is asked; yes stops it, no refuses", async () => {
    let asked = "";
    await routineRollout(120_000);
    const no = await toggle(["--disable", NOVA.modelId], { confirm: async (q) => ((asked = q), false) });
    expect(no.code).toBe(1);
    expect(asked).toMatch(/^deployment \d+ \(version \d+\) is DEPLOYING in bedrock-hx\/hx\/routing in us-east-1\. Stop it \(it rolls back to the version before it\) and deploy "disable amazon\.nova-lite-v1:0" at once\? \[y\/N\] $/);
    const yes = await toggle(["--disable", NOVA.modelId], { confirm: async () => true });
    expect(yes.code).toBe(0);
    expect(liveDocument().models[NOVA.modelId].enabled).toBe(false);
    // Back to enabled for the next test (no deployment runs now).
    expect((await toggle(["--enable", NOVA.modelId])).code).toBe(0);
  });

  it("a routine change still waits for the running deployment (no stop is offered)", async () => {
    await routineRollout(120_000);
    let asked = false;
    const r = await toggle(["--primary", `classification=${HAIKU.modelId}`], { confirm: async () => ((asked = true), true) });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/wait for it to end/);
    expect(asked).toBe(false);
  });

  it("a deployment already BAKING is stopped with AllowRevert, as the API requires", async () => {
    const running = await routineRollout(12_000);
    // DEPLOYING for the first half, BAKING for the second (local/appconfig-deployments.ts).
    while (deployments().find((d) => d.deploymentNumber === running)!.state !== "BAKING") await new Promise((r) => setTimeout(r, 100));
    const r = await toggle(["--disable", NOVA.modelId, "--stop-deployment"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain(`stopped deployment ${running} (it was BAKING)`);
    expect(deployments().find((d) => d.deploymentNumber === running)!.state).toBe("ROLLED_BACK");
    expect((await toggle(["--enable", NOVA.modelId])).code).toBe(0);
  });
});

describe("the local StopDeployment follows the API reference", () => {
  const d = () => ({ startedAt: 0, durationMs: 1_000 });
  it.each<[string, number, boolean, boolean, string | RegExp]>([
    ["DEPLOYING, no AllowRevert", 100, false, true, "ROLLED_BACK"],
    ["DEPLOYING, AllowRevert", 100, true, true, "ROLLED_BACK"],
    ["BAKING, no AllowRevert", 600, false, true, /^Deployment 7 is in state BAKING; only a DEPLOYING deployment can be stopped without AllowRevert$/],
    ["BAKING, AllowRevert", 600, true, true, "ROLLED_BACK"],
    ["COMPLETE, AllowRevert, newest", 2_000, true, true, "REVERTED"],
    ["COMPLETE, AllowRevert, not the newest", 2_000, true, false, /is complete; set AllowRevert to revert it/],
    ["COMPLETE, AllowRevert, after 72 hours", 1_000 + 73 * 3_600_000, true, true, /is complete; set AllowRevert/],
    ["COMPLETE, no AllowRevert", 2_000, false, true, /is complete; set AllowRevert to revert it/],
  ])("%s", (_name, now, allowRevert, newest, expected) => {
    const deployment = d();
    const refused = stopDeployment(deployment, { number: 7, newest, allowRevert }, now);
    if (typeof expected === "string") {
      expect(refused).toBeUndefined();
      expect(timeline(deployment, now + 1).state).toBe(expected);
    } else expect(refused).toMatch(expected);
  });
});

describe("askOnTerminal", () => {
  it("answers no without a terminal (a script must pass --stop-deployment)", async () => {
    const deadline = new Deadline(1_000);
    try {
      expect(await askOnTerminal("stop? ", deadline)).toBe(false);
    } finally {
      deadline.dispose();
    }
  });
});
