import { AppConfigClient, CreateHostedConfigurationVersionCommand, StartDeploymentCommand, StopDeploymentCommand } from "@aws-sdk/client-appconfig";
import { type ToggleDeps } from "../../toggle/cli";
import { buildManifest } from "../../core/routing";
import { names } from "../../core/aws";
import { parseRoutingDocument, type RoutingDocument } from "../../core/runtime";
import { startLocalEndpoint, type LocalEndpoint } from "../../local/endpoint";
import { seedFromManifests } from "../../local/seed";
import { devPlan, HAIKU, NOVA, rawConfig, REGION } from "../fixtures";
import { appConfigControl, configDirWith, toggleAt, writeEnvironment } from "./fixtures";

// Two operators toggling the same region at once, interleaved at the dangerous points over the wire: the second
// writer must be refused, no change may be lost, and no undeployed ("orphan") hosted version may be left behind.

let ep: LocalEndpoint;
let control: AppConfigClient;
let configDir: string;

beforeAll(async () => {
  configDir = configDirWith({ dev: rawConfig("dev") });
  ep = await startLocalEndpoint();
  control = appConfigControl(ep, REGION);
});

afterAll(async () => {
  control.destroy();
  await ep.close();
});

/** A fresh application per test (seeded as `cdktf deploy` leaves it), so versions and deployments start clean. */
let seq = 0;
let envName = "dev";
beforeEach(() => {
  ep.reset();
  // Each test gets its own environment name (and so its own AppConfig application) with the dev config.
  envName = `race${++seq}`;
  const raw = { ...rawConfig("dev"), name: envName };
  writeEnvironment(configDir, { [envName]: raw });
  const plan = devPlan();
  const renamed = { ...plan, config: { ...plan.config, name: envName } };
  seedFromManifests(ep, renamed, [buildManifest(renamed, REGION)], false);
  ep.clearCalls();
});

async function toggle(argv: string[], deps: Partial<ToggleDeps> = {}) {
  return toggleAt(ep, configDir, ["--env", envName, ...argv], deps);
}

const app = () => names.appConfigApplication(envName);
const versions = () => ep.appConfig.hostedVersions({ region: REGION, application: app() });
const deployments = () => ep.appConfig.deployments({ region: REGION, application: app() });

/** The content of the version the environment's newest COMPLETE deployment put live. */
function liveDocument(): RoutingDocument {
  const d = deployments().filter((x) => x.state === "COMPLETE").at(-1)!;
  const v = versions().find((x) => x.versionNumber === d.configurationVersion)!;
  const doc = parseRoutingDocument(v.content);
  if (typeof doc === "string") throw new Error(doc);
  return doc;
}

/** Versions no deployment ever tried: what a lost race would leave behind. */
const orphans = () => versions().filter((v) => !deployments().some((d) => d.configurationVersion === v.versionNumber));

const PRIMARY_NOVA = ["--primary", `summarization=${NOVA.modelId}`];
const PRIMARY_HAIKU = ["--primary", `classification=${HAIKU.modelId}`];

describe("two toggles interleaved", () => {
  it("B deploys between A's read and A's write: A is refused before writing, B's change stays, A's rerun keeps both", async () => {
    let b: Awaited<ReturnType<typeof toggle>> | undefined;
    const a = await toggle(PRIMARY_NOVA, {
      pause: async (at) => {
        if (at === "before-write") b = await toggle(PRIMARY_HAIKU);
      },
    });
    expect(b).toMatchObject({ code: 0, err: "" });
    expect(a.code).toBe(1);
    expect(a.err).toMatch(/refused: someone created another routing version concurrently \(expected latest 1\); rerun the toggle/);
    // B's change is live, A wrote nothing (one version per deployed change, none orphaned).
    expect(liveDocument().routes.classification.primary).toBe(HAIKU.modelId);
    expect(liveDocument().routes.summarization.primary).toBe(HAIKU.modelId);
    expect(versions()).toHaveLength(2);
    expect(orphans()).toEqual([]);

    const rerun = await toggle(PRIMARY_NOVA);
    expect(rerun).toMatchObject({ code: 0, err: "" });
    const doc = liveDocument();
    expect(doc.routes.summarization.primary).toBe(NOVA.modelId);
    expect(doc.routes.classification.primary).toBe(HAIKU.modelId);
    expect(orphans()).toEqual([]);
  });

  it("B runs while A's new version is created but not yet deployed: B is refused before writing, A deploys", async () => {
    let b: Awaited<ReturnType<typeof toggle>> | undefined;
    const a = await toggle(PRIMARY_NOVA, {
      pause: async (at) => {
        if (at === "before-deploy") b = await toggle(PRIMARY_HAIKU);
      },
    });
    expect(b!.code).toBe(1);
    expect(b!.err).toMatch(/refused: hosted version 2 "toggle: primary summarization=amazon\.nova-lite-v1:0" .* is newer than the deployed version 1 and was never deployed/);
    expect(b!.err).toMatch(/another toggle may be deploying it right now \(rerun in a minute\)/);
    expect(a).toMatchObject({ code: 0, err: "" });
    expect(liveDocument().routes.summarization.primary).toBe(NOVA.modelId);
    expect(versions()).toHaveLength(2);
    expect(orphans()).toEqual([]);
    // B's rerun now builds on A's deployed change.
    expect((await toggle(PRIMARY_HAIKU)).code).toBe(0);
    expect(liveDocument().routes).toMatchObject({ summarization: { primary: NOVA.modelId }, classification: { primary: HAIKU.modelId } });
  });

  it("a deployment started by someone else between A's write and A's deployment: refused (LatestDeploymentNumber), the attempt to remove A's version reported", async () => {
    const a = await toggle(PRIMARY_NOVA, {
      pause: async (at) => {
        if (at !== "before-deploy") return;
        // An operator redeploys the live version by hand (console, CLI): the environment moved on.
        const [d] = deployments();
        await control.send(new StartDeploymentCommand({ ApplicationId: d.applicationId, EnvironmentId: d.environmentId, ConfigurationProfileId: d.profileId, ConfigurationVersion: "1", DeploymentStrategyId: "AppConfig.AllAtOnce" }));
      },
    });
    expect(a.code).toBe(1);
    expect(a.err).toMatch(/refused: another deployment started in .* after this toggle read deployment 1; version 2 (was deleted again|could not be deleted .*delete it with aws appconfig delete-hosted-configuration-version)/);
    expect(ep.calls.filter((c) => c.operation === "StartDeployment" && c.status === 409)).toHaveLength(1);
    expect(liveDocument().routes.summarization.primary).toBe(HAIKU.modelId);
  });
});

describe("refused before any write", () => {
  const writes = () => ep.calls.filter((c) => c.operation === "CreateHostedConfigurationVersion" || c.operation === "StartDeployment");

  it("while a deployment is in progress", async () => {
    ep.configure({ deploymentDurationMs: 60_000 });
    try {
      const [d] = deployments();
      const started = await control.send(
        new StartDeploymentCommand({ ApplicationId: d.applicationId, EnvironmentId: d.environmentId, ConfigurationProfileId: d.profileId, ConfigurationVersion: "1", DeploymentStrategyId: "AppConfig.AllAtOnce" }),
      );
      ep.clearCalls();
      const r = await toggle(PRIMARY_NOVA);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/refused: deployment 2 \(version 1\) is DEPLOYING in .*; AppConfig runs one deployment at a time, so nothing was written/);
      expect(writes()).toEqual([]);
      expect(versions()).toHaveLength(1);
      await control.send(new StopDeploymentCommand({ ApplicationId: d.applicationId, EnvironmentId: d.environmentId, DeploymentNumber: started.DeploymentNumber }));
    } finally {
      ep.configure({ deploymentDurationMs: 0 });
    }
  });

  it("when a newer version exists that nobody deployed, naming how to deploy or delete it", async () => {
    const [d] = deployments();
    const doc = liveDocument();
    doc.models[NOVA.modelId].enabled = false;
    await control.send(new CreateHostedConfigurationVersionCommand({ ApplicationId: d.applicationId, ConfigurationProfileId: d.profileId, Content: Buffer.from(JSON.stringify(doc)), ContentType: "application/json", VersionLabel: "by hand" }));
    ep.clearCalls();
    const r = await toggle(PRIMARY_NOVA);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/hosted version 2 "by hand" .* never deployed.*aws appconfig delete-hosted-configuration-version .*--version-number 2/);
    expect(writes()).toEqual([]);
  });

  it("a newer version that was deployed and rolled back does not block the next toggle", async () => {
    ep.scriptRollback({ region: REGION, application: app(), alarmArn: `arn:aws:cloudwatch:${REGION}:111111111111:alarm:x` });
    const rolledBack = await toggle(PRIMARY_NOVA);
    expect(rolledBack.code).toBe(1);
    expect(rolledBack.err).toMatch(/ended ROLLED_BACK/);
    const next = await toggle(PRIMARY_HAIKU);
    expect(next).toMatchObject({ code: 0, err: "" });
    // Built on the live version (1), not on the rolled-back one (2).
    expect(liveDocument().routes).toMatchObject({ summarization: { primary: HAIKU.modelId }, classification: { primary: HAIKU.modelId } });
    expect(orphans()).toEqual([]);
  });
});
