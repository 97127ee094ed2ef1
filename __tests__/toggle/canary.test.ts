import { AppConfigClient, CreateHostedConfigurationVersionCommand, GetDeploymentCommand, StartDeploymentCommand } from "@aws-sdk/client-appconfig";
import { createRouter } from "../../client/router";
import { type BaselinePlan } from "../../core/environment";
import { EMERGENCY_STRATEGY, buildRoutingDocument } from "../../core/routing";
import { validateEnvironment } from "../../core/validation";
import { type RoutingDocument } from "../../core/runtime";
import { startLocalEndpoint, type LocalEndpoint, type SeededAppConfig } from "../../local/endpoint";
import { applyToggle, documentValidator, ToggleRefused } from "../../toggle/change";
import { messages } from "../client/fixtures";
import { CATALOG, CREDS, HAIKU, NOVA, rawConfig, SONNET, TODAY } from "../fixtures";
import { ACCOUNT, appConfigControl, configDirWith, EAST, evidenceDir, type Evidence, liveDocument, rollbackAlarm, seedStackProfile, toggleAt } from "./fixtures";

// --canary, --promote and --abort through the local AppConfig (real SDK clients over the wire), with the
// environment's JSON Schema as the profile's validator and the rollback alarm as the environment's monitor.

const ALARM = rollbackAlarm("dev");
const ROUTINE = "AppConfig.Linear50PercentEvery30Seconds";

let ep: LocalEndpoint;
let control: AppConfigClient;
let configDir: string;
/** dev (one region) with Sonnet declared and canaried at 10% on chat: IAM grants Sonnet to chat's workload only. */
let env: BaselinePlan;
let ids: SeededAppConfig;
let baseline: RoutingDocument;

beforeAll(async () => {
  const raw = rawConfig("dev");
  raw.models.push({ id: SONNET.modelId });
  raw.routes.chat.canary = { model: SONNET.modelId, percent: 10 };
  configDir = configDirWith({ dev: raw });
  env = validateEnvironment(raw, "dev.json", { today: TODAY, catalog: CATALOG });
  baseline = buildRoutingDocument(env, EAST);
});


/** A fresh stand-in per test: the stack's profile, validator, monitor and strategies, with the baseline deployed. */
beforeEach(async () => {
  ep = await startLocalEndpoint({ accountId: ACCOUNT });
  control = appConfigControl(ep);
  ids = seedStackProfile(ep, env, EAST, baseline);
  ep.clearCalls();
});

afterEach(async () => {
  control.destroy();
  await ep.close();
});

/** Passing evaluation reports for every upgrade these tests make (the evidence gate is toggle/evidence.test.ts's subject). */
let evidence: Evidence;
beforeAll(() => {
  evidence = evidenceDir();
  for (const [task, candidate] of [["chat", SONNET.modelId], ["summarization", NOVA.modelId], ["classification", SONNET.modelId]]) evidence.write({ task, candidate });
});

async function toggle(...argv: string[]) {
  const upgrade = argv.some((a) => a === "--canary" || a === "--promote");
  return toggleAt(ep, configDir, upgrade ? [...argv, ...evidence.flags] : argv);
}

const writes = () => ep.calls.map((c) => c.operation).filter((o) => o === "CreateHostedConfigurationVersion" || o === "StartDeployment");
const lastDeployment = () => ep.appConfig.deployments({ region: EAST, application: ids.applicationId }).at(-1)!;

const live = () => liveDocument(ep);

async function strategyOf(deploymentNumber: number) {
  return control.send(new GetDeploymentCommand({ ApplicationId: ids.applicationId, EnvironmentId: ids.environmentId, DeploymentNumber: deploymentNumber }));
}

describe("toggle --canary / --promote / --abort round trips", () => {
  it("canary -> rollback by the alarm during bake -> abort: the rolled-back share never goes live, abort removes the canary at once", async () => {
    expect((await live()).routes.chat.canary).toEqual({ model: SONNET.modelId, percent: 10 });
    // The rollback alarm goes into ALARM during the next deployment's bake (the canary's model throttling).
    ep.scriptRollback({ region: EAST, application: "bedrock-dev", alarmArn: ALARM });
    const raised = await toggle("--env", "dev", "--canary", `chat=${SONNET.modelId}:50`, "--reason", "widen the canary");
    expect(raised.code).toBe(1);
    expect(raised.out).toMatch(/change: canary chat=anthropic\.claude-sonnet-4-5-20250929-v1:0:50 \(reason: widen the canary\); validated/);
    expect(raised.out).toMatch(new RegExp(`started with ${ROUTINE.replace(/\./g, "\\.")} \\(routine\\)`));
    expect(raised.err).toMatch(/failed: deployment \d+ ended ROLLED_BACK by alarm bedrock-dev-routing-rollback .*; the previous routing document stays live/);
    expect(lastDeployment().state).toBe("ROLLED_BACK");
    expect((await live()).routes.chat.canary).toEqual({ model: SONNET.modelId, percent: 10 });

    ep.clearCalls();
    const aborted = await toggle("--env", "dev", "--abort", "chat");
    expect(aborted.err).toBe("");
    expect(aborted.code).toBe(0);
    expect(aborted.out).toMatch(/started with bedrock-dev-emergency \(emergency: all at once\)/);
    expect(aborted.out).toMatch(/deployed: abort chat canary anthropic\.claude-sonnet-4-5-20250929-v1:0 is live in dev\/us-east-1/);
    const d = lastDeployment();
    expect(d.state).toBe("COMPLETE");
    expect(await strategyOf(d.deploymentNumber)).toMatchObject({ FinalBakeTimeInMinutes: EMERGENCY_STRATEGY.finalBakeTimeInMinutes, GrowthFactor: EMERGENCY_STRATEGY.growthFactor });
    const after = await live();
    expect(after.routes.chat.canary).toBeUndefined();
    expect(after.routes.chat).toMatchObject({ primary: HAIKU.modelId, fallbacks: [] });

    // Aborting again changes nothing and writes nothing.
    ep.clearCalls();
    const again = await toggle("--env", "dev", "--abort", "chat");
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/nothing to change/);
    expect(writes()).toEqual([]);
  });

  it("canary -> promote: the canary becomes the primary, the old primary the first fallback, and routers follow", async () => {
    const raised = await toggle("--env", "dev", "--canary", `chat=us.${SONNET.modelId}:40`);
    expect(raised.err).toBe("");
    expect(raised.code).toBe(0);
    expect(raised.out).toMatch(/deployed: canary chat=anthropic\.claude-sonnet-4-5-20250929-v1:0:40 is live/);
    expect(lastDeployment().state).toBe("COMPLETE");
    expect((await live()).routes.chat.canary).toEqual({ model: SONNET.modelId, percent: 40 });

    // A router on the live document sends the canary share to Sonnet (random 0 is inside any share).
    const router = createRouter({ region: EAST, endpointUrl: ep.url, credentials: CREDS, metrics: false, random: () => 0, appConfig: { application: "bedrock-dev", environment: "dev", profile: "routing" } });
    try {
      const r = await router.converse({ task: "chat", messages: messages() });
      expect(r).toMatchObject({ variant: "canary", servedBy: { modelId: SONNET.modelId } });
    } finally {
      router.close();
    }

    const promoted = await toggle("--env", "dev", "--promote", "chat");
    expect(promoted.err).toBe("");
    expect(promoted.code).toBe(0);
    expect(promoted.out).toMatch(new RegExp(`started with ${ROUTINE.replace(/\./g, "\\.")} \\(routine\\)`));
    expect(promoted.out).toMatch(/deployed: promote chat=anthropic\.claude-sonnet-4-5-20250929-v1:0 is live/);
    const after = await live();
    expect(after.routes.chat).toEqual({ primary: SONNET.modelId, fallbacks: [HAIKU.modelId], maxTokens: baseline.routes.chat.maxTokens });

    const next = createRouter({ region: EAST, endpointUrl: ep.url, credentials: CREDS, metrics: false, random: () => 0.99, appConfig: { application: "bedrock-dev", environment: "dev", profile: "routing" } });
    try {
      expect(await next.converse({ task: "chat", messages: messages() })).toMatchObject({ variant: "primary", servedBy: { modelId: SONNET.modelId } });
    } finally {
      next.close();
    }
  });

  it("a fallback of the route may be canaried (IAM already grants it)", async () => {
    const r = await toggle("--env", "dev", "--canary", `summarization=${NOVA.modelId}:5`);
    expect(r.code).toBe(0);
    expect((await live()).routes.summarization.canary).toEqual({ model: NOVA.modelId, percent: 5 });
  });
});

describe("refusals", () => {
  it("a canary to a model IAM does not grant the route is refused by the local schema before any write", async () => {
    // Sonnet is provisioned in the region (it is chat's canary) but no candidate of classification.
    const r = await toggle("--env", "dev", "--canary", `classification=${SONNET.modelId}:10`);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/refused: canary classification=anthropic\.claude-sonnet-4-5-20250929-v1:0:10 fails validation for dev\/us-east-1/);
    expect(r.err).toMatch(/routes\.classification\.canary\.model: must be equal to one of the allowed values \(allowed: (amazon\.nova-lite-v1:0, anthropic\.claude-haiku-4-5-20251001-v1:0|anthropic\.claude-haiku-4-5-20251001-v1:0, amazon\.nova-lite-v1:0)\) \[environment JSON Schema\]/);
    expect(writes()).toEqual([]);
  });

  it("the same document written directly is refused by the AppConfig validator", async () => {
    const doc = structuredClone(baseline);
    doc.routes.classification.canary = { model: SONNET.modelId, percent: 10 };
    expect(documentValidator(env, EAST)(doc).length).toBeGreaterThan(0);
    // AppConfig runs a profile's validators when a deployment starts (https://docs.aws.amazon.com/appconfig/latest/userguide/appconfig-creating-configuration-and-profile-validators.html).
    const v = await control.send(new CreateHostedConfigurationVersionCommand({ ApplicationId: ids.applicationId, ConfigurationProfileId: ids.profileId, Content: Buffer.from(JSON.stringify(doc)), ContentType: "application/json" }));
    const e = await control.send(new StartDeploymentCommand({ ApplicationId: ids.applicationId, EnvironmentId: ids.environmentId, ConfigurationProfileId: ids.profileId, ConfigurationVersion: String(v.VersionNumber), DeploymentStrategyId: "AppConfig.AllAtOnce" })).then(
      () => undefined,
      (err: Error) => err,
    );
    expect(e?.name).toBe("BadRequestException");
    expect(e?.message).toMatch(/failed validation/);
    expect((await live()).routes.classification.canary).toBeUndefined();
  });

  it.each<[string, string[], RegExp]>([
    ["a percent of 100 (that is --promote)", ["--canary", `chat=${SONNET.modelId}:100`], /--canary percent must be a whole number from 1 to 99, got 100/],
    ["a percent of 0", ["--canary", `chat=${SONNET.modelId}:0`], /from 1 to 99, got 0/],
    ["a fractional percent", ["--canary", `chat=${SONNET.modelId}:2.5`], /--canary takes <task>=<model>:<percent>/],
    // The model's own ":0" reads as a percent of 0: the message names the form.
    ["no percent", ["--canary", `chat=${HAIKU.invokeId}`], /got 0 in "chat=us\.anthropic\.claude-haiku-4-5-20251001-v1:0" .*the form is <task>=<model>:<percent>/],
    ["no task", ["--canary", `${SONNET.modelId}:10`], /--canary takes <task>=<model>:<percent>/],
    ["an empty --promote", ["--promote", ""], /--promote needs a value, got an empty string/],
    ["two changes", ["--promote", "chat", "--abort", "chat"], /exactly one of --disable, --enable, --primary, --canary, --promote, --abort/],
  ])("usage: %s exits 2 without calling AWS", async (_name, argv, message) => {
    const r = await toggle("--env", "dev", ...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(ep.calls).toEqual([]);
  });

  it.each<[string, string[], RegExp]>([
    ["a canary equal to the primary", ["--canary", `chat=${HAIKU.modelId}:10`], /refused: anthropic\.claude-haiku-4-5-20251001-v1:0 is already the primary of route "chat"; a canary is another model/],
    ["a canary to a model the document does not list", ["--canary", "chat=anthropic.claude-opus-4-6-v1:10"], /refused: anthropic\.claude-opus-4-6-v1 is not a model of the deployed routing document/],
    ["a canary on an unknown task", ["--canary", `chatt=${SONNET.modelId}:10`], /refused: unknown task "chatt"; did you mean "chat"\?/],
    ["promoting a route without a canary", ["--promote", "summarization"], /refused: route "summarization" has no canary to promote; start one with --canary summarization=<model>:<percent>/],
    ["--primary to the canary (that is --promote)", ["--primary", `chat=${SONNET.modelId}`], /refused: anthropic\.claude-sonnet-4-5-20250929-v1:0 is the canary of route "chat"; promote it with --promote chat/],
  ])("%s is refused (exit 1) before any write", async (_name, argv, message) => {
    const r = await toggle("--env", "dev", ...argv);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(message);
    expect(writes()).toEqual([]);
  });
});

describe("applyToggle for canaries (pure)", () => {
  it("refuses a disabled canary model, and promoting a disabled canary", () => {
    const doc = structuredClone(baseline);
    doc.models[SONNET.modelId].enabled = false;
    expect(() => applyToggle(doc, { kind: "canary", task: "chat", model: SONNET.modelId, percent: 20 })).toThrow(/is disabled; enable it first/);
    expect(() => applyToggle(doc, { kind: "promote", task: "chat" })).toThrow(ToggleRefused);
  });

  it("promoting onto a route with two fallbacks keeps two and names the one that drops out", () => {
    const doc = structuredClone(baseline);
    doc.routes.summarization.fallbacks = [NOVA.modelId, SONNET.modelId];
    doc.routes.summarization.canary = { model: "amazon.nova-lite-v1:0", percent: 10 };
    // The canary is also a fallback: it moves to the front, the order keeps the others.
    const moved = applyToggle(doc, { kind: "promote", task: "summarization" });
    expect(moved.document.routes.summarization).toMatchObject({ primary: NOVA.modelId, fallbacks: [HAIKU.modelId, SONNET.modelId] });
    expect(moved.summary).not.toMatch(/dropped/);
    doc.models["amazon.nova-micro-v1:0"] = { invokeId: "us.amazon.nova-micro-v1:0", enabled: true };
    doc.routes.summarization.canary = { model: "amazon.nova-micro-v1:0", percent: 10 };
    const r = applyToggle(doc, { kind: "promote", task: "summarization" });
    expect(r.document.routes.summarization).toMatchObject({ primary: "amazon.nova-micro-v1:0", fallbacks: [HAIKU.modelId, NOVA.modelId] });
    expect(r.document.routes.summarization.canary).toBeUndefined();
    expect(r.summary).toMatch(/fallback anthropic\.claude-sonnet-4-5-20250929-v1:0 dropped: at most 2/);
  });

  it("an unchanged canary is no change", () => {
    expect(applyToggle(baseline, { kind: "canary", task: "chat", model: SONNET.modelId, percent: 10 }).changed).toBe(false);
    expect(applyToggle(baseline, { kind: "canary", task: "chat", model: SONNET.modelId, percent: 11 }).changed).toBe(true);
  });
});
