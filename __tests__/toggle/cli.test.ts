import { AppConfigClient, CreateHostedConfigurationVersionCommand, GetDeploymentCommand, ListDeploymentStrategiesCommand, StartDeploymentCommand } from "@aws-sdk/client-appconfig";
import { createRouter } from "../../client/router";
import { versionLabel } from "../../toggle/change";
import { runToggle } from "../../toggle/cli";
import { validateEnvironment } from "../../core/validation";
import { buildManifest, EMERGENCY_STRATEGY, buildRoutingDocument, routingJsonSchema } from "../../core/routing";
import { names } from "../../core/aws";
import { type RoutingDocument } from "../../core/runtime";
import { startLocalEndpoint, type LocalEndpoint, type SeededAppConfig } from "../../local/endpoint";
import { seedFromManifests } from "../../local/seed";
import { CATALOG, CREDS, HAIKU, NOVA, rawConfig, TODAY } from "../fixtures";
import { ACCOUNT, appConfigControl, configDirWith, EAST, liveDocument, rollbackAlarm, seedStackProfile, toggleAt } from "./fixtures";
import { messages } from "../client/fixtures";
import { type BaselinePlan } from "../../core/environment";

const WEST = "us-west-2";
const UNPROVISIONED = "anthropic.claude-opus-4-6-v1";
const ALARM = rollbackAlarm("dev");

/** A stage environment whose routine strategy is custom, so the stack creates bedrock-stage-routine as well. */
const STAGE_ROUTINE = { durationMinutes: 4, growthFactor: 25, finalBakeMinutes: 2, growthType: "EXPONENTIAL" };

let ep: LocalEndpoint;
let control: AppConfigClient;
let configDir: string;
let env: BaselinePlan;
let stage: BaselinePlan;
let ids: SeededAppConfig;

/**
 * dev.json plus a second region, so one region can hold a document the baseline never provisioned; and stage.json,
 * dev with a custom routine strategy, seeded exactly as the local demo seeds it (local/seed.ts).
 */
beforeAll(async () => {
  const raw = rawConfig("dev");
  raw.regions = [EAST, WEST];
  env = validateEnvironment(raw, "dev.json", { today: TODAY, catalog: CATALOG });
  const stageRaw = { ...raw, name: "stage", regions: [EAST], appConfig: { deploymentStrategy: STAGE_ROUTINE } };
  configDir = configDirWith({ dev: raw, stage: stageRaw });
  stage = validateEnvironment(stageRaw, "stage.json", { today: TODAY, catalog: CATALOG });

  ep = await startLocalEndpoint({ accountId: ACCOUNT });
  control = appConfigControl(ep);
  const app = { application: names.appConfigApplication("dev"), environment: names.appConfigEnvironment("dev"), profile: names.appConfigProfile };
  // What the dev stack creates in AWS: the routing profile behind its validator, and the emergency strategy (the
  // routine one is predefined).
  ids = seedStackProfile(ep, env, EAST);
  seedFromManifests(ep, stage, [buildManifest(stage, EAST)], false);
  // West: a live document that lists a model the stack never provisioned (written before the validator existed).
  const stale = buildRoutingDocument(env, WEST);
  stale.models[UNPROVISIONED] = { invokeId: `global.${UNPROVISIONED}`, enabled: false };
  ep.seedAppConfig({ region: WEST, ...app, content: JSON.stringify(stale), versionLabel: "stale" });
});

afterAll(async () => {
  control.destroy();
  await ep.close();
});

beforeEach(() => {
  ep.reset();
  ep.clearCalls();
});

async function toggle(...argv: string[]) {
  return toggleAt(ep, configDir, argv);
}

const ops = () => ep.calls.map((c) => c.operation);
const writes = () => ops().filter((o) => o === "CreateHostedConfigurationVersion" || o === "StartDeployment");

/** The document clients get now, read through AppConfigData like a client (a fresh session). */
const live = (envName = "dev") => liveDocument(ep, envName);

/** The newest deployment of an environment's application (ID or name), as the stand-in recorded it. */
const lastDeployment = (application: string) => ep.appConfig.deployments({ region: EAST, application }).at(-1)!;

async function strategyId(name: string): Promise<string> {
  const r = await control.send(new ListDeploymentStrategiesCommand({}));
  return r.Items!.find((s) => s.Name === name)!.Id!;
}

/** Deploys a document directly (as an operator with the console would), bypassing the toggle. */
async function deployDirect(doc: RoutingDocument): Promise<void> {
  const v = await control.send(new CreateHostedConfigurationVersionCommand({ ApplicationId: ids.applicationId, ConfigurationProfileId: ids.profileId, Content: Buffer.from(JSON.stringify(doc)), ContentType: "application/json" }));
  await control.send(new StartDeploymentCommand({ ApplicationId: ids.applicationId, EnvironmentId: ids.environmentId, ConfigurationProfileId: ids.profileId, ConfigurationVersion: String(v.VersionNumber), DeploymentStrategyId: "AppConfig.AllAtOnce" }));
  ep.clearCalls();
}

describe("usage and configuration errors exit 2 without calling AWS", () => {
  it.each<[string, string[], RegExp]>([
    ["no change option", ["--env", "dev", "--region", EAST], /exactly one of --disable, --enable, --primary/],
    ["two change options", ["--env", "dev", "--region", EAST, "--disable", NOVA.modelId, "--enable", HAIKU.modelId], /exactly one of/],
    ["a malformed --primary", ["--env", "dev", "--region", EAST, "--primary", "summarization"], /--primary takes <task>=<model>/],
    ["a bad --timeout-ms", ["--env", "dev", "--region", EAST, "--disable", NOVA.modelId, "--timeout-ms", "soon"], /--timeout-ms "soon" must be a whole number from 1 to/],
    ["an unknown option", ["--env", "dev", "--region", EAST, "--disable", NOVA.modelId, "--force"], /unknown option "--force"/],
    ["a flag given twice", ["--env", "dev", "--env", "prod", "--region", EAST, "--disable", NOVA.modelId], /--env given twice \("dev" and "prod"\): give it once/],
    ["--stop-deployment with a routine change", ["--env", "dev", "--region", EAST, "--primary", `classification=${HAIKU.modelId}`, "--stop-deployment"], /--stop-deployment only applies to --disable and --abort/],
    ["an environment without a file", ["--env", "qa", "--region", EAST, "--disable", NOVA.modelId], /qa\.json: cannot read the file/],
    ["a region the environment does not declare", ["--env", "dev", "--region", "eu-west-1", "--disable", NOVA.modelId], /does not declare region eu-west-1/],
  ])("%s", async (_label, argv, message) => {
    const r = await toggle(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(ep.calls).toEqual([]);
  });
});

describe("refusals exit 1 before any AWS write", () => {
  it("a model the deployed document does not list (never provisioned)", async () => {
    const r = await toggle("--env", "dev", "--region", EAST, "--enable", UNPROVISIONED);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/refused: anthropic\.claude-opus-4-6-v1 is not a model of the deployed routing document/);
    expect(writes()).toEqual([]);
    // The document is read through the control plane: the deployed version's content, not AppConfigData.
    expect(ops()).toContain("GetHostedConfigurationVersion");
    expect(ops()).not.toContain("StartConfigurationSession");
  });

  it("a model the live document lists but the environment's JSON Schema does not (local validation)", async () => {
    const r = await toggle("--env", "dev", "--region", WEST, "--enable", UNPROVISIONED);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/fails validation for dev\/us-west-2/);
    expect(r.err).toMatch(/anthropic\.claude-opus-4-6-v1.*\[environment JSON Schema\]/);
    expect(writes()).toEqual([]);
    expect(ops().filter((o) => !/^(List|Get)/.test(o))).toEqual([]);
  });

  it("a change that leaves a route without an enabled model", async () => {
    const r = await toggle("--env", "dev", "--region", EAST, "--disable", `us.${HAIKU.modelId}`);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/would leave "chat" with no enabled model/);
    expect(writes()).toEqual([]);
  });

  it("--primary to a model outside the route's candidates", async () => {
    const r = await toggle("--env", "dev", "--region", EAST, "--primary", `chat=${NOVA.modelId}`);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/not a candidate of route "chat"/);
    expect(writes()).toEqual([]);
  });
});

describe("names are data: own properties only, escaped when printed", () => {
  const prototypeNames = () => Object.getOwnPropertyNames(Object.prototype).sort();
  const before = prototypeNames();

  it.each([
    ["--disable", "__proto__"],
    ["--enable", "toString"],
    ["--enable", "constructor"],
    ["--disable", "hasOwnProperty"],
  ])("%s %s is an unknown model: refused, nothing written, Object.prototype untouched", async (flag, name) => {
    const r = await toggle("--env", "dev", "--region", EAST, flag, name);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`refused: ${name} is not a model of the deployed routing document`));
    expect(writes()).toEqual([]);
    expect(prototypeNames()).toEqual(before);
    expect(({} as Record<string, unknown>).enabled).toBeUndefined();
  });

  it.each(["__proto__", "constructor", "toString"])("--primary %s=<model> is an unknown task", async (task) => {
    const r = await toggle("--env", "dev", "--region", EAST, "--primary", `${task}=${NOVA.modelId}`);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`refused: unknown task "${task}"`));
    expect(writes()).toEqual([]);
    expect(prototypeNames()).toEqual(before);
  });

  it("control characters and ANSI sequences in --reason and names are shown escaped, never sent to the terminal", async () => {
    const evil = "\u001b[2J\u001b[31mred\nsecond line\u009b";
    const r = await toggle("--env", "dev", "--region", EAST, "--disable", evil);
    expect(r.code).toBe(1);
    expect(r.err).toContain("\\u001b[2J\\u001b[31mred\\nsecond line\\u009b is not a model");
    expect(r.err).not.toMatch(/[\u001b\u009b]/);
    expect(r.err.split("\n")).toHaveLength(1);
    // A reason reaches the terminal (and AppConfig's ASCII-only label) escaped as well; a long one is bounded.
    const ok = await toggle("--env", "dev", "--region", EAST, "--disable", NOVA.modelId, "--reason", `${evil}${"x".repeat(900)}`);
    expect(ok.code).toBe(0);
    expect(ok.out).not.toMatch(/[\u001b\u009b]/);
    const line = ok.out.split("\n").find((l) => l.startsWith("change:"))!;
    expect(line).toContain("(reason: \\u001b[2J");
    expect(line.length).toBeLessThan(400);
    await toggle("--env", "dev", "--region", EAST, "--enable", NOVA.modelId);
  });
});

describe("did you mean", () => {
  it("a mistyped model suggests the closest model or invoke ID of the document", async () => {
    const r = await toggle("--env", "dev", "--region", EAST, "--disable", "amazon.nova-lite-v1");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/did you mean "amazon\.nova-lite-v1:0"\?/);
    const inv = await toggle("--env", "dev", "--region", EAST, "--disable", "us.amazon.nova-lite-v:0");
    expect(inv.err).toMatch(/did you mean "us\.amazon\.nova-lite-v1:0"\?/);
  });

  it("a mistyped task suggests the closest route; nothing close suggests nothing", async () => {
    const r = await toggle("--env", "dev", "--region", EAST, "--primary", `sumarization=${NOVA.modelId}`);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/unknown task "sumarization"; did you mean "summarization"\?/);
    const far = await toggle("--env", "dev", "--region", EAST, "--primary", `xyz=${NOVA.modelId}`);
    expect(far.err).not.toMatch(/did you mean/);
  });
});

describe("--region", () => {
  it("may be left out when the environment has one region", async () => {
    const r = await toggle("--env", "stage", "--disable", `us.${HAIKU.modelId}`);
    // stage has one region: the toggle reads it (and refuses the change on its merits, here a stranded route).
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/would leave "chat" with no enabled model/);
  });

  it("is required, listing the regions, when the environment has several", async () => {
    const r = await toggle("--env", "dev", "--disable", NOVA.modelId);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--region is required: .*dev\.json declares 2 regions \(us-east-1, us-west-2\)/);
    expect(ep.calls).toEqual([]);
  });
});

describe("--endpoint-url is checked like smoke checks it (exit 2, no call, password never echoed)", () => {
  it.each([
    ["http://127.0.0.1:0", /needs a port from 1 to 65535/],
    ["http://127.0.0.1:99999", /is not a valid URL/],
    ["localhost:4566", /must use http or https/],
    ["ftp://127.0.0.1:21", /must use http or https, not ftp/],
    ["http://127.0.0.1:4566/?debug=1", /must not have a query string/],
    ["http://admin:hunter2@127.0.0.1:0", /http:\/\/\*\*\*@127\.0\.0\.1:0 needs a port/],
  ])("%s", async (url, message) => {
    const err: string[] = [];
    const code = await runToggle(["--env", "dev", "--region", EAST, "--disable", NOVA.modelId, "--endpoint-url", url], { out: () => undefined, err: (l) => err.push(l) }, { configDir, credentials: CREDS, today: TODAY });
    expect(code).toBe(2);
    expect(err.join("\n")).toMatch(message);
    expect(err.join("\n")).not.toContain("hunter2");
    expect(ep.calls).toEqual([]);
  });
});

describe("round trip through AppConfig", () => {
  it("--disable deploys with the emergency strategy (all at once, no bake); --enable deploys with the routine one", async () => {
    const emergencyId = ids.strategyIds[names.emergencyStrategy("dev")];
    expect(emergencyId).toMatch(/^[a-z0-9]{7}$/);
    const r = await toggle("--env", "dev", "--region", EAST, "--disable", NOVA.modelId, "--reason", "throttling storm");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/deployment \d+ started with bedrock-dev-emergency \(emergency: all at once\)/);
    expect(r.out).toMatch(/deployed: disable amazon\.nova-lite-v1:0 is live in dev\/us-east-1/);
    // The strategy is resolved by name before anything is written.
    expect(ops().indexOf("ListDeploymentStrategies")).toBeLessThan(ops().indexOf("CreateHostedConfigurationVersion"));
    expect(writes()).toEqual(["CreateHostedConfigurationVersion", "StartDeployment"]);

    const version = ep.appConfig.hostedVersions({ region: EAST, application: ids.applicationId }).at(-1)!;
    expect(version.versionLabel).toBe(versionLabel(`disable ${NOVA.modelId}`, "throttling storm"));
    const disabled = lastDeployment(ids.applicationId);
    expect(disabled).toMatchObject({ state: "COMPLETE", configurationVersion: version.versionNumber, strategyId: emergencyId });
    const applied = await control.send(new GetDeploymentCommand({ ApplicationId: ids.applicationId, EnvironmentId: ids.environmentId, DeploymentNumber: disabled.deploymentNumber }));
    expect(applied).toMatchObject({
      DeploymentStrategyId: emergencyId,
      DeploymentDurationInMinutes: EMERGENCY_STRATEGY.deploymentDurationInMinutes,
      GrowthFactor: EMERGENCY_STRATEGY.growthFactor,
      GrowthType: EMERGENCY_STRATEGY.growthType,
      FinalBakeTimeInMinutes: EMERGENCY_STRATEGY.finalBakeTimeInMinutes,
    });
    const off = await live();
    expect(off.models[NOVA.modelId].enabled).toBe(false);
    expect(off.models[HAIKU.modelId].enabled).toBe(true);

    ep.clearCalls();
    const back = await toggle("--env", "dev", "--region", EAST, "--enable", `us.${NOVA.modelId}`);
    expect(back.err).toBe("");
    expect(back.code).toBe(0);
    expect(back.out).toMatch(/started with AppConfig\.Linear50PercentEvery30Seconds \(routine\)/);
    expect(writes()).toEqual(["CreateHostedConfigurationVersion", "StartDeployment"]);
    const enabled = lastDeployment(ids.applicationId);
    expect(enabled).toMatchObject({ state: "COMPLETE", deploymentNumber: disabled.deploymentNumber + 1, strategyId: await strategyId("AppConfig.Linear50PercentEvery30Seconds") });
    expect(enabled.strategyId).not.toBe(emergencyId);
    expect((await live()).models[NOVA.modelId].enabled).toBe(true);
  });

  it("a custom routine strategy (seeded as the local demo seeds it) deploys --enable; the emergency one --disable", async () => {
    // Seeded by seedFromManifests, which returns no IDs: look them up by name, as the toggle does.
    const byName = Object.fromEntries((await control.send(new ListDeploymentStrategiesCommand({}))).Items!.map((x) => [x.Name, x]));
    const routine = byName[names.routineStrategy("stage")];
    const emergency = byName[names.emergencyStrategy("stage")];
    expect(routine).toMatchObject({ DeploymentDurationInMinutes: 4, GrowthFactor: 25, GrowthType: "EXPONENTIAL", FinalBakeTimeInMinutes: 2 });
    expect(emergency).toMatchObject({ DeploymentDurationInMinutes: 0, GrowthFactor: 100, GrowthType: "LINEAR", FinalBakeTimeInMinutes: 0 });
    const app = names.appConfigApplication("stage");

    const off = await toggle("--env", "stage", "--region", EAST, "--disable", NOVA.modelId);
    expect(off.err).toBe("");
    expect(off.code).toBe(0);
    expect(lastDeployment(app)).toMatchObject({ state: "COMPLETE", strategyId: emergency.Id });
    expect((await live("stage")).models[NOVA.modelId].enabled).toBe(false);

    const on = await toggle("--env", "stage", "--region", EAST, "--enable", NOVA.modelId);
    expect(on.err).toBe("");
    expect(on.code).toBe(0);
    expect(on.out).toMatch(/started with bedrock-stage-routine \(routine\)/);
    expect(lastDeployment(app)).toMatchObject({ state: "COMPLETE", strategyId: routine.Id });
    expect((await live("stage")).models[NOVA.modelId].enabled).toBe(true);
  });

  it("a stack without the emergency strategy: --disable is refused (exit 1) before any write", async () => {
    const bare = await startLocalEndpoint({ accountId: ACCOUNT });
    try {
      const app = { application: names.appConfigApplication("dev"), environment: names.appConfigEnvironment("dev"), profile: names.appConfigProfile };
      bare.seedAppConfig({ region: EAST, ...app, content: JSON.stringify(buildRoutingDocument(env, EAST)), jsonSchema: JSON.stringify(routingJsonSchema(env, EAST)) });
      const r = await toggleAt(bare, configDir, ["--env", "dev", "--region", EAST, "--disable", NOVA.modelId, "--reason", "throttling storm"]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/deployment strategy bedrock-dev-emergency not found in us-east-1: deploy the region stack/);
      const calls = bare.calls.map((c) => c.operation);
      expect(calls).toContain("ListDeploymentStrategies");
      expect(calls.filter((o) => o === "CreateHostedConfigurationVersion" || o === "StartDeployment")).toEqual([]);
      expect(bare.appConfig.hostedVersions()).toHaveLength(1);
      expect(bare.appConfig.deployments()).toHaveLength(1);
    } finally {
      await bare.close();
    }
  });

  it("--primary deploys with the routine strategy under the version lock, and a router picks it up", async () => {
    const before = ep.appConfig.hostedVersions({ region: EAST, application: ids.applicationId }).length;
    const r = await toggle("--env", "dev", "--region", EAST, "--primary", `summarization=us.${NOVA.modelId}`, "--reason", "haiku quota exhausted");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/deployed: primary summarization=amazon\.nova-lite-v1:0 is live in dev\/us-east-1/);
    expect(writes()).toEqual(["CreateHostedConfigurationVersion", "StartDeployment"]);
    // Validation and the lock read come before the write; the wait polls GetDeployment after it.
    expect(ops().indexOf("ListHostedConfigurationVersions")).toBeLessThan(ops().indexOf("CreateHostedConfigurationVersion"));
    expect(ops().slice(ops().indexOf("StartDeployment") + 1)).toContain("GetDeployment");

    const versions = ep.appConfig.hostedVersions({ region: EAST, application: ids.applicationId });
    expect(versions).toHaveLength(before + 1);
    expect(versions.at(-1)!.versionLabel).toBe(versionLabel(`primary summarization=${NOVA.modelId}`, "haiku quota exhausted"));
    const deployment = ep.appConfig.deployments({ region: EAST, application: ids.applicationId }).at(-1)!;
    expect(deployment).toMatchObject({ state: "COMPLETE", configurationVersion: versions.at(-1)!.versionNumber, strategyId: await strategyId(env.config.appConfig.deploymentStrategy as string) });
    expect((await live()).routes.summarization).toMatchObject({ primary: NOVA.modelId, fallbacks: [HAIKU.modelId] });

    const router = createRouter({ region: EAST, endpointUrl: ep.url, credentials: CREDS, metrics: false, appConfig: { application: "bedrock-dev", environment: "dev", profile: "routing" } });
    try {
      expect((await router.converse({ task: "summarization", messages: messages() })).servedBy.modelId).toBe(NOVA.modelId);
    } finally {
      router.close();
    }
  });

  it("--enable a disabled model; enabling it again changes nothing", async () => {
    const disabled = await live();
    disabled.models[NOVA.modelId].enabled = false;
    await deployDirect(disabled);
    const r = await toggle("--env", "dev", "--region", EAST, "--enable", NOVA.modelId);
    expect(r.code).toBe(0);
    expect((await live()).models[NOVA.modelId].enabled).toBe(true);
    expect(writes()).toEqual(["CreateHostedConfigurationVersion", "StartDeployment"]);
    ep.clearCalls();
    const again = await toggle("--env", "dev", "--region", EAST, "--enable", `us.${NOVA.modelId}`);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/nothing to change/);
    expect(writes()).toEqual([]);
  });

  it("a deployment rolled back by an alarm exits 1 naming the alarm; the previous document stays live", async () => {
    const previous = await live();
    ep.scriptRollback({ region: EAST, application: "bedrock-dev", alarmArn: ALARM });
    const r = await toggle("--env", "dev", "--region", EAST, "--primary", `classification=${HAIKU.modelId}`);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/ended ROLLED_BACK by alarm bedrock-dev-routing-rollback \(arn:aws:cloudwatch:us-east-1:111111111111:alarm:bedrock-dev-routing-rollback\)/);
    expect(await live()).toEqual(previous);
  });

  it("a deployment still running at --timeout-ms exits 1 and says how to follow it", async () => {
    ep.configure({ deploymentDurationMs: 60_000 });
    try {
      // --timeout-ms bounds the whole command: reads and writes fit easily in 3 s, the 60 s deployment does not.
      const r = await toggle("--env", "dev", "--region", EAST, "--primary", `classification=${HAIKU.modelId}`, "--timeout-ms", "3000");
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/is still DEPLOYING after 3000 ms \(--timeout-ms\); it keeps going in AppConfig \(check it with: aws appconfig get-deployment/);
    } finally {
      ep.configure({ deploymentDurationMs: 0 });
    }
  });
});
