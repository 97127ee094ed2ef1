import {
  CreateDeploymentStrategyCommand,
  CreateHostedConfigurationVersionCommand,
  DeploymentStrategy$,
  GetConfigurationProfileCommand,
  GetDeploymentCommand,
  GetDeploymentStrategyCommand,
  GetEnvironmentCommand,
  GetHostedConfigurationVersionCommand,
  ListApplicationsCommand,
  ListConfigurationProfilesCommand,
  ListDeploymentsCommand,
  ListDeploymentStrategiesCommand,
  ListEnvironmentsCommand,
  ListHostedConfigurationVersionsCommand,
  StartDeploymentCommand,
  StopDeploymentCommand,
} from "@aws-sdk/client-appconfig";
import { GetLatestConfigurationCommand, StartConfigurationSessionCommand } from "@aws-sdk/client-appconfigdata";
import { MAX_CUSTOM_STRATEGIES } from "../../local/appconfig-strategies";
import { type LocalEndpoint, startLocalEndpoint } from "../../local/endpoint";
import { ScenarioError } from "../../local/scenario";
import { appConfig, appConfigData, caught } from "./clients";
import { useEndpoint } from "./fixtures";
import { schemaProblems } from "./schema-walk";

const REGION = "us-east-1";
const ALARM = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:bedrock-routing-errors";
const SCHEMA = JSON.stringify({
  $schema: "http://json-schema.org/draft-04/schema#",
  type: "object",
  required: ["version", "routes"],
  properties: { version: { type: "string" }, routes: { type: "object" } },
  additionalProperties: false,
});
const doc = (primary: string) => JSON.stringify({ version: "1", routes: { chat: { primary } } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let ep: LocalEndpoint;
let appSeq = 0;
useEndpoint({}, (e) => (ep = e), (e) => e.configure({ deploymentDurationMs: 0 }));

/** A fresh application per test keeps deployments and sessions independent. */
function seed(extra: { monitors?: string[]; strategies?: Parameters<LocalEndpoint["seedAppConfig"]>[0]["strategies"] } = {}) {
  const application = `routing-${++appSeq}`;
  const ids = ep.seedAppConfig({
    region: REGION,
    application,
    environment: "prod",
    profile: "routes",
    content: doc("haiku"),
    jsonSchema: SCHEMA,
    versionLabel: "v1",
    ...extra,
  });
  return { application, ...ids };
}

async function createVersion(ids: { applicationId: string; profileId: string }, content: string, latest?: number) {
  return appConfig(ep.url).send(
    new CreateHostedConfigurationVersionCommand({
      ApplicationId: ids.applicationId,
      ConfigurationProfileId: ids.profileId,
      Content: Buffer.from(content),
      ContentType: "application/json",
      ...(latest !== undefined ? { LatestVersionNumber: latest } : {}),
    }),
  );
}

function deploy(ids: { applicationId: string; environmentId: string; profileId: string }, version: number, strategy = "AppConfig.AllAtOnce") {
  return appConfig(ep.url).send(
    new StartDeploymentCommand({
      ApplicationId: ids.applicationId,
      EnvironmentId: ids.environmentId,
      ConfigurationProfileId: ids.profileId,
      ConfigurationVersion: String(version),
      DeploymentStrategyId: strategy,
    }),
  );
}

/** Polls GetDeployment until a final state, returning the distinct states seen in order. */
async function watch(ids: { applicationId: string; environmentId: string }, n: number, initial?: string, deadlineMs = 3000) {
  // The StartDeployment answer is the first observation, so a slow first poll cannot hide DEPLOYING.
  const seen: string[] = initial ? [initial] : [];
  const end = Date.now() + deadlineMs;
  for (;;) {
    const d = await appConfig(ep.url).send(
      new GetDeploymentCommand({ ApplicationId: ids.applicationId, EnvironmentId: ids.environmentId, DeploymentNumber: n }),
    );
    if (seen.at(-1) !== d.State) seen.push(d.State!);
    if (["COMPLETE", "ROLLED_BACK", "REVERTED"].includes(d.State!) || Date.now() > end) return { seen, last: d };
    await sleep(10);
  }
}

/** A client-side session: start once, then each poll spends the previous token. */
async function session(identifiers: { app: string; env: string; profile: string }, interval?: number) {
  const client = appConfigData(ep.url);
  const start = await client.send(
    new StartConfigurationSessionCommand({
      ApplicationIdentifier: identifiers.app,
      EnvironmentIdentifier: identifiers.env,
      ConfigurationProfileIdentifier: identifiers.profile,
      ...(interval !== undefined ? { RequiredMinimumPollIntervalInSeconds: interval } : {}),
    }),
  );
  let token = start.InitialConfigurationToken!;
  return {
    firstToken: token,
    async poll() {
      const res = await client.send(new GetLatestConfigurationCommand({ ConfigurationToken: token }));
      token = res.NextPollConfigurationToken!;
      return { ...res, text: Buffer.from(res.Configuration ?? new Uint8Array()).toString("utf8") };
    },
  };
}

describe("seeding", () => {
  it("creates app/env/profile with AppConfig-shaped IDs, version 1 deployed, idempotently per names", () => {
    const s = seed();
    for (const id of [s.applicationId, s.environmentId, s.profileId]) expect(id).toMatch(/^[a-z0-9]{7}$/);
    const again = ep.seedAppConfig({ region: REGION, application: s.application, environment: "prod", profile: "routes", content: "ignored" });
    expect(again).toEqual({ applicationId: s.applicationId, environmentId: s.environmentId, profileId: s.profileId, strategyIds: {} });
    expect(ep.appConfig.hostedVersions({ application: s.application })).toEqual([
      expect.objectContaining({ versionNumber: 1, content: doc("haiku"), versionLabel: "v1" }),
    ]);
    expect(ep.appConfig.deployments({ application: s.application })).toEqual([
      expect.objectContaining({ deploymentNumber: 1, configurationVersion: 1, state: "COMPLETE" }),
    ]);
  });

  it("rejects a validator that is not a draft-04 schema at seed time", () => {
    expect(() =>
      ep.seedAppConfig({ region: REGION, application: "bad-schema", environment: "e", profile: "p", content: "{}", jsonSchema: '{"type":5}' }),
    ).toThrow(/schema is invalid/);
  });
});

describe("AppConfigData", () => {
  it("serves the deployed content once per change, with single-use tokens", async () => {
    const s = seed();
    const sess = await session({ app: s.application, env: "prod", profile: "routes" }, 15);
    const first = await sess.poll();
    expect(first.text).toBe(doc("haiku"));
    expect(first.ContentType).toBe("application/json");
    expect(first.VersionLabel).toBe("v1");
    expect(first.NextPollIntervalInSeconds).toBe(15);
    expect(first.NextPollConfigurationToken).not.toBe(sess.firstToken);

    const second = await sess.poll();
    expect(second.Configuration?.length ?? 0).toBe(0);
    expect(second.NextPollIntervalInSeconds).toBe(15);

    const reused = await caught(() =>
      appConfigData(ep.url).send(new GetLatestConfigurationCommand({ ConfigurationToken: sess.firstToken })),
    );
    expect(reused.name).toBe("BadRequestException");
    expect(reused.$metadata?.httpStatusCode).toBe(400);
  });

  it("accepts IDs as identifiers and defaults the poll interval to 60 s", async () => {
    const s = seed();
    const sess = await session({ app: s.applicationId, env: s.environmentId, profile: s.profileId });
    const res = await sess.poll();
    expect(res.text).toBe(doc("haiku"));
    expect(res.NextPollIntervalInSeconds).toBe(60);
  });

  it("answers 404 ResourceNotFoundException for unknown identifiers and scopes names to the signing region", async () => {
    const s = seed();
    for (const ids of [
      { app: "nope", env: "prod", profile: "routes" },
      { app: s.application, env: "staging", profile: "routes" },
      { app: s.application, env: "prod", profile: "nope" },
    ]) {
      const err = await caught(() => session(ids));
      expect(err.name).toBe("ResourceNotFoundException");
      expect(err.$metadata?.httpStatusCode).toBe(404);
    }
    const otherRegion = await caught(() =>
      appConfigData(ep.url, "eu-west-1").send(
        new StartConfigurationSessionCommand({
          ApplicationIdentifier: s.application,
          EnvironmentIdentifier: "prod",
          ConfigurationProfileIdentifier: "routes",
        }),
      ),
    );
    expect(otherRegion.name).toBe("ResourceNotFoundException");
  });

  it("serves new content after a deployment completes, then nothing until the next change", async () => {
    const s = seed();
    const sess = await session({ app: s.application, env: "prod", profile: "routes" });
    expect((await sess.poll()).text).toBe(doc("haiku"));
    const v2 = await createVersion(s, doc("sonnet"));
    await deploy(s, v2.VersionNumber!);
    const after = await sess.poll();
    expect(after.text).toBe(doc("sonnet"));
    expect(after.VersionLabel).toBeUndefined();
    expect((await sess.poll()).text).toBe("");
  });
});

describe("AppConfig control plane", () => {
  it("lists and describes applications, environments, profiles (with validators) and strategies", async () => {
    const s = seed({ monitors: [ALARM] });
    const client = appConfig(ep.url);
    const apps = await client.send(new ListApplicationsCommand({}));
    expect(apps.Items).toContainEqual({ Id: s.applicationId, Name: s.application });
    const envs = await client.send(new ListEnvironmentsCommand({ ApplicationId: s.applicationId }));
    expect(envs.Items).toEqual([expect.objectContaining({ Id: s.environmentId, Name: "prod", State: "READY_FOR_DEPLOYMENT" })]);
    const env = await client.send(new GetEnvironmentCommand({ ApplicationId: s.applicationId, EnvironmentId: s.environmentId }));
    expect(env.Monitors).toEqual([{ AlarmArn: ALARM }]);
    const profiles = await client.send(new ListConfigurationProfilesCommand({ ApplicationId: s.applicationId }));
    expect(profiles.Items).toEqual([expect.objectContaining({ Id: s.profileId, Name: "routes", ValidatorTypes: ["JSON_SCHEMA"] })]);
    const profile = await client.send(
      new GetConfigurationProfileCommand({ ApplicationId: s.applicationId, ConfigurationProfileId: s.profileId }),
    );
    expect(profile.Validators).toEqual([{ Type: "JSON_SCHEMA", Content: SCHEMA }]);
    expect(profile.LocationUri).toBe("hosted");

    const strategies = await client.send(new ListDeploymentStrategiesCommand({}));
    expect(strategies.Items?.map((x) => x.Name).sort()).toEqual([
      "AppConfig.AllAtOnce",
      "AppConfig.Canary10Percent20Minutes",
      "AppConfig.Linear20PercentEvery6Minutes",
      "AppConfig.Linear50PercentEvery30Seconds",
    ]);
    const byName = await client.send(new GetDeploymentStrategyCommand({ DeploymentStrategyId: "AppConfig.Canary10Percent20Minutes" }));
    expect(byName).toMatchObject({ GrowthType: "EXPONENTIAL", GrowthFactor: 10, DeploymentDurationInMinutes: 20 });
    const byId = await client.send(new GetDeploymentStrategyCommand({ DeploymentStrategyId: byName.Id }));
    expect(byId.Name).toBe("AppConfig.Canary10Percent20Minutes");
  });

  it("takes control-plane identifiers as IDs only, like AWS", async () => {
    const s = seed();
    const err = await caught(() => appConfig(ep.url).send(new ListEnvironmentsCommand({ ApplicationId: s.application })));
    expect(err.name).toBe("ResourceNotFoundException");
  });

  it("creates, reads and lists hosted versions with the Latest-Version-Number lock", async () => {
    const s = seed();
    const v2 = await createVersion(s, doc("sonnet"), 1);
    expect(v2.VersionNumber).toBe(2);
    expect(Buffer.from(v2.Content!).toString()).toBe(doc("sonnet"));
    expect(v2.ContentType).toBe("application/json");

    const conflict = await caught(() => createVersion(s, doc("opus"), 1));
    expect(conflict.name).toBe("ConflictException");
    expect(conflict.$metadata?.httpStatusCode).toBe(409);

    const got = await appConfig(ep.url).send(
      new GetHostedConfigurationVersionCommand({ ApplicationId: s.applicationId, ConfigurationProfileId: s.profileId, VersionNumber: 1 }),
    );
    expect(Buffer.from(got.Content!).toString()).toBe(doc("haiku"));
    expect(got.VersionLabel).toBe("v1");
    const list = await appConfig(ep.url).send(
      new ListHostedConfigurationVersionsCommand({ ApplicationId: s.applicationId, ConfigurationProfileId: s.profileId }),
    );
    expect(list.Items?.map((i) => i.VersionNumber)).toEqual([2, 1]);
    expect(ep.appConfig.hostedVersions({ application: s.application }).map((v) => v.versionNumber)).toEqual([1, 2]);
  });

  it("progresses a deployment DEPLOYING -> BAKING -> COMPLETE, refusing a second one meanwhile", async () => {
    ep.configure({ deploymentDurationMs: 300 });
    const s = seed();
    const sess = await session({ app: s.application, env: "prod", profile: "routes" });
    await sess.poll();
    const v2 = await createVersion(s, doc("sonnet"));
    const started = await deploy(s, v2.VersionNumber!, "AppConfig.Linear50PercentEvery30Seconds");
    expect(started).toMatchObject({ DeploymentNumber: 2, State: "DEPLOYING", ConfigurationVersion: "2", ConfigurationName: "routes" });
    expect((await sess.poll()).text).toBe(""); // still deploying: clients keep the old document

    const busy = await caught(() => deploy(s, v2.VersionNumber!));
    expect(busy.name).toBe("ConflictException");
    expect(busy.$metadata?.httpStatusCode).toBe(409);

    const { seen, last } = await watch(s, 2, started.State);
    expect(seen).toEqual(["DEPLOYING", "BAKING", "COMPLETE"]);
    expect(last.EventLog?.map((e) => e.EventType)).toEqual(["DEPLOYMENT_COMPLETED", "BAKE_TIME_STARTED", "DEPLOYMENT_STARTED"]);
    expect(last.CompletedAt).toBeInstanceOf(Date);
    expect((await sess.poll()).text).toBe(doc("sonnet"));

    const listed = await appConfig(ep.url).send(
      new ListDeploymentsCommand({ ApplicationId: s.applicationId, EnvironmentId: s.environmentId }),
    );
    expect(listed.Items?.map((d) => [d.DeploymentNumber, d.State])).toEqual([
      [2, "COMPLETE"],
      [1, "COMPLETE"],
    ]);
  });

  it("rejects content that fails the profile's JSON_SCHEMA validator with AppConfig's InvalidConfiguration details", async () => {
    const s = seed();
    const bad = await createVersion(s, JSON.stringify({ version: 2, extra: true }));
    const err = await caught(() => deploy(s, bad.VersionNumber!));
    expect(err.name).toBe("BadRequestException");
    expect(err.$metadata?.httpStatusCode).toBe(400);
    expect(err.Reason).toBe("InvalidConfiguration");
    const details = (err.Details as { InvalidConfiguration: unknown[] }).InvalidConfiguration;
    expect(details).toEqual(
      expect.arrayContaining([
        { Constraint: "required", Location: "#", Reason: "required key [routes] not found", Type: "JSON_SCHEMA" },
        { Constraint: "additionalProperties", Location: "#", Reason: "extraneous key [extra] is not permitted", Type: "JSON_SCHEMA" },
        { Constraint: "type", Location: "#/version", Reason: "expected type: String, found: Number", Type: "JSON_SCHEMA" },
      ]),
    );
    expect(ep.appConfig.deployments({ application: s.application })).toHaveLength(1);

    const notJson = await createVersion(s, "routes: yaml");
    const err2 = await caught(() => deploy(s, notJson.VersionNumber!));
    expect(err2.name).toBe("BadRequestException");
  });

  it("ends a scripted deployment in ROLLED_BACK naming the alarm, with the previous content still live", async () => {
    ep.configure({ deploymentDurationMs: 200 });
    const s = seed({ monitors: [ALARM] });
    const sess = await session({ app: s.application, env: "prod", profile: "routes" });
    expect((await sess.poll()).text).toBe(doc("haiku"));
    ep.scriptRollback({ region: REGION, application: s.application, alarmArn: ALARM });

    const v2 = await createVersion(s, doc("sonnet"));
    const started = await deploy(s, v2.VersionNumber!);
    const { seen, last } = await watch(s, 2, started.State);
    expect(seen).toEqual(["DEPLOYING", "ROLLING_BACK", "ROLLED_BACK"]);
    expect(last.EventLog).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ EventType: "ROLLBACK_STARTED", TriggeredBy: "CLOUDWATCH_ALARM", Description: expect.stringContaining(ALARM) }),
      ]),
    );
    expect((await sess.poll()).text).toBe("");
    const fresh = await session({ app: s.application, env: "prod", profile: "routes" });
    expect((await fresh.poll()).text).toBe(doc("haiku"));
    const env = await appConfig(ep.url).send(new GetEnvironmentCommand({ ApplicationId: s.applicationId, EnvironmentId: s.environmentId }));
    expect(env.State).toBe("ROLLED_BACK");

    // The script is spent: the next deployment goes through.
    await deploy(s, v2.VersionNumber!);
    expect((await watch(s, 3)).last.State).toBe("COMPLETE");
    expect((await sess.poll()).text).toBe(doc("sonnet"));
  });

  it("StopDeployment rolls back an in-flight deployment and reverts a completed one only with AllowRevert", async () => {
    ep.configure({ deploymentDurationMs: 10_000 });
    const s = seed();
    const v2 = await createVersion(s, doc("sonnet"));
    await deploy(s, v2.VersionNumber!);
    const stopped = await appConfig(ep.url).send(
      new StopDeploymentCommand({ ApplicationId: s.applicationId, EnvironmentId: s.environmentId, DeploymentNumber: 2 }),
    );
    expect(stopped.State).toBe("ROLLED_BACK");
    expect(stopped.EventLog?.[1]).toMatchObject({ EventType: "ROLLBACK_STARTED", TriggeredBy: "USER" });

    ep.configure({ deploymentDurationMs: 0 });
    await deploy(s, v2.VersionNumber!);
    const refused = await caught(() =>
      appConfig(ep.url).send(new StopDeploymentCommand({ ApplicationId: s.applicationId, EnvironmentId: s.environmentId, DeploymentNumber: 3 })),
    );
    expect(refused.name).toBe("BadRequestException");
    const reverted = await appConfig(ep.url).send(
      new StopDeploymentCommand({ ApplicationId: s.applicationId, EnvironmentId: s.environmentId, DeploymentNumber: 3, AllowRevert: true }),
    );
    expect(reverted.State).toBe("REVERTED");
    const fresh = await session({ app: s.application, env: "prod", profile: "routes" });
    expect((await fresh.poll()).text).toBe(doc("haiku"));
  });

  it("logs every control- and data-plane call with its operation and region", async () => {
    ep.clearCalls();
    const s = seed();
    await appConfig(ep.url).send(new ListApplicationsCommand({}));
    await (await session({ app: s.application, env: "prod", profile: "routes" })).poll();
    expect(ep.calls.map((c) => [c.service, c.operation, c.region, c.status, c.protocol])).toEqual([
      ["appconfig", "ListApplications", REGION, 200, "http/1.1"],
      ["appconfigdata", "StartConfigurationSession", REGION, 201, "http/1.1"],
      ["appconfigdata", "GetLatestConfiguration", REGION, 200, "http/1.1"],
    ]);
  });
});

describe("custom deployment strategies", () => {
  const PREDEFINED = [
    "AppConfig.AllAtOnce",
    "AppConfig.Linear50PercentEvery30Seconds",
    "AppConfig.Linear20PercentEvery6Minutes",
    "AppConfig.Canary10Percent20Minutes",
  ];
  const EMERGENCY = { name: "bedrock-dev-emergency", deploymentDurationInMinutes: 0, growthFactor: 100, growthType: "LINEAR" as const, finalBakeTimeInMinutes: 0 };
  // Strategies are regional and stay for the endpoint's life, so each test lists its own region.
  const strip = <T extends { $metadata?: unknown }>({ $metadata: _m, ...rest }: T) => rest;

  it("CreateDeploymentStrategy answers 201 with AWS's defaults; the strategy is listed and gettable in its region only", async () => {
    const region = "eu-west-3";
    const client = appConfig(ep.url, region);
    ep.clearCalls();
    const created = await client.send(
      new CreateDeploymentStrategyCommand({ Name: "routine", DeploymentDurationInMinutes: 10, GrowthFactor: 12.5, Description: "Routine changes" }),
    );
    expect(ep.calls.at(-1)).toMatchObject({ service: "appconfig", operation: "CreateDeploymentStrategy", region, status: 201 });
    expect(created.Id).toMatch(/^[a-z0-9]{7}$/);
    expect(strip(created)).toEqual({
      Id: created.Id,
      Name: "routine",
      Description: "Routine changes",
      DeploymentDurationInMinutes: 10,
      GrowthType: "LINEAR",
      GrowthFactor: 12.5,
      FinalBakeTimeInMinutes: 0,
      ReplicateTo: "NONE",
    });
    expect(schemaProblems(DeploymentStrategy$, strip(created))).toEqual([]);

    const listed = await client.send(new ListDeploymentStrategiesCommand({}));
    expect(listed.Items?.map((x) => x.Name)).toEqual([...PREDEFINED, "routine"]);
    expect(listed.Items?.at(-1)).toEqual(strip(created));
    for (const ident of [created.Id!, "routine"]) {
      expect(strip(await client.send(new GetDeploymentStrategyCommand({ DeploymentStrategyId: ident })))).toEqual(strip(created));
    }

    const elsewhere = appConfig(ep.url, "ap-south-2");
    expect((await elsewhere.send(new ListDeploymentStrategiesCommand({}))).Items?.map((x) => x.Name)).toEqual(PREDEFINED);
    const missing = await caught(() => elsewhere.send(new GetDeploymentStrategyCommand({ DeploymentStrategyId: created.Id })));
    expect(missing.name).toBe("ResourceNotFoundException");
    expect(missing.$metadata?.httpStatusCode).toBe(404);
  });

  it.each<[string, Record<string, unknown>]>([
    ["a growth factor below 1", { GrowthFactor: 0.5 }],
    ["a growth factor above 100", { GrowthFactor: 101 }],
    ["a duration above 1440 minutes", { DeploymentDurationInMinutes: 1441 }],
    ["a negative bake time", { FinalBakeTimeInMinutes: -1 }],
    ["an unknown growth type", { GrowthType: "STEP" }],
    ["a name longer than 64 characters", { Name: "x".repeat(65) }],
  ])("CreateDeploymentStrategy refuses %s with BadRequestException", async (_label, override) => {
    const input = { Name: "bad", DeploymentDurationInMinutes: 1, GrowthFactor: 10, ...override };
    const err = await caught(() => appConfig(ep.url, "eu-south-1").send(new CreateDeploymentStrategyCommand(input as never)));
    expect(err.name).toBe("BadRequestException");
    expect(err.$metadata?.httpStatusCode).toBe(400);
    expect((await appConfig(ep.url, "eu-south-1").send(new ListDeploymentStrategiesCommand({}))).Items).toHaveLength(PREDEFINED.length);
  });

  it("allows 20 custom strategies per region (AppConfig's quota), then answers ServiceQuotaExceededException", async () => {
    const client = appConfig(ep.url, "me-south-1");
    for (let i = 0; i < MAX_CUSTOM_STRATEGIES; i++) await client.send(new CreateDeploymentStrategyCommand({ Name: `s${i}`, DeploymentDurationInMinutes: 0, GrowthFactor: 100 }));
    const err = await caught(() => client.send(new CreateDeploymentStrategyCommand({ Name: "s20", DeploymentDurationInMinutes: 0, GrowthFactor: 100 })));
    expect(err.name).toBe("ServiceQuotaExceededException");
    expect(err.$metadata?.httpStatusCode).toBe(402);
  });

  it("seedAppConfig creates the seed's strategies in its region, idempotently per name, and returns their IDs", async () => {
    const s = seed({ strategies: [EMERGENCY, { name: "bedrock-dev-routine", deploymentDurationInMinutes: 15, growthFactor: 25, growthType: "EXPONENTIAL" }] });
    const ids = s.strategyIds;
    expect(Object.keys(ids)).toEqual(["bedrock-dev-emergency", "bedrock-dev-routine"]);
    const again = ep.seedAppConfig({ region: REGION, application: s.application, environment: "prod", profile: "routes", content: "ignored", strategies: [{ ...EMERGENCY, growthFactor: 50 }] });
    expect(again.strategyIds).toEqual({ "bedrock-dev-emergency": ids["bedrock-dev-emergency"] });

    const client = appConfig(ep.url);
    const listed = (await client.send(new ListDeploymentStrategiesCommand({}))).Items!;
    expect(listed.filter((x) => x.Name === "bedrock-dev-emergency")).toEqual([
      { Id: ids["bedrock-dev-emergency"], Name: "bedrock-dev-emergency", DeploymentDurationInMinutes: 0, GrowthType: "LINEAR", GrowthFactor: 100, FinalBakeTimeInMinutes: 0, ReplicateTo: "NONE" },
    ]);
    const routine = await client.send(new GetDeploymentStrategyCommand({ DeploymentStrategyId: ids["bedrock-dev-routine"] }));
    expect(routine).toMatchObject({ Name: "bedrock-dev-routine", DeploymentDurationInMinutes: 15, GrowthFactor: 25, GrowthType: "EXPONENTIAL", FinalBakeTimeInMinutes: 0 });
  });

  it("rejects a bad strategy seed with the JSON path, before creating anything", () => {
    const bad = { region: "sa-east-1", application: "never", environment: "e", profile: "p", content: "{}", strategies: [{ ...EMERGENCY, growthFactor: 0 }] };
    expect(() => ep.seedAppConfig(bad)).toThrow(ScenarioError);
    expect(() => ep.seedAppConfig(bad)).toThrow("seedAppConfig(): $.strategies[0].growthFactor: ");
    expect(() => ep.seedAppConfig({ ...bad, strategies: [{ ...EMERGENCY, bake: 1 } as never] })).toThrow("$.strategies[0].bake: unknown key");
    expect(() => ep.seedAppConfig({ ...bad, strategies: [EMERGENCY, EMERGENCY] })).toThrow("$.strategies: strategy names must be unique");
    expect(ep.appConfig.deployments({ region: "sa-east-1" })).toEqual([]);
  });

  it("StartDeployment takes a custom strategy by ID only; the deployment carries its values and keeps the configured timing", async () => {
    ep.configure({ deploymentDurationMs: 300 });
    const s = seed({ strategies: [{ name: "slow-on-paper", deploymentDurationInMinutes: 60, growthFactor: 10, finalBakeTimeInMinutes: 30 }] });
    const id = s.strategyIds["slow-on-paper"];
    const v2 = await createVersion(s, doc("sonnet"));

    const byName = await caught(() => deploy(s, v2.VersionNumber!, "slow-on-paper"));
    expect(byName.name).toBe("ResourceNotFoundException");
    const otherRegion = await caught(() =>
      appConfig(ep.url, "eu-west-1").send(
        new StartDeploymentCommand({ ApplicationId: s.applicationId, EnvironmentId: s.environmentId, ConfigurationProfileId: s.profileId, ConfigurationVersion: "2", DeploymentStrategyId: id }),
      ),
    );
    expect(otherRegion.name).toBe("ResourceNotFoundException");

    const started = await deploy(s, v2.VersionNumber!, id);
    expect(started).toMatchObject({ DeploymentStrategyId: id, DeploymentDurationInMinutes: 60, GrowthFactor: 10, GrowthType: "LINEAR", FinalBakeTimeInMinutes: 30, State: "DEPLOYING" });
    // 60 minutes on paper, but the stand-in's clock is deploymentDurationMs, as for predefined strategies.
    expect((await watch(s, 2, started.State)).seen).toEqual(["DEPLOYING", "BAKING", "COMPLETE"]);
    expect(ep.appConfig.deployments({ application: s.application }).at(-1)).toMatchObject({ strategyId: id, state: "COMPLETE" });
  });

  it("a scenario seeds strategies through its appConfig entries and names the JSON path of a bad one", async () => {
    const appConfigSeed = { region: "ca-central-1", application: "scn", environment: "e", profile: "p", content: "{}", strategies: [EMERGENCY] };
    const scn = await startLocalEndpoint({ scenario: { appConfig: [appConfigSeed] } });
    try {
      const listed = await appConfig(scn.url, "ca-central-1").send(new ListDeploymentStrategiesCommand({}));
      expect(listed.Items?.map((x) => x.Name)).toEqual([...PREDEFINED, "bedrock-dev-emergency"]);
    } finally {
      await scn.close();
    }
    const bad = { appConfig: [{ ...appConfigSeed, strategies: [{ ...EMERGENCY, deploymentDurationInMinutes: 1.5 }] }] };
    await expect(startLocalEndpoint({ scenario: bad })).rejects.toThrow("scenario: $.appConfig[0].strategies[0].deploymentDurationInMinutes: ");
    const tooMany = { appConfig: [{ ...appConfigSeed, strategies: Array.from({ length: 21 }, (_, i) => ({ ...EMERGENCY, name: `s${i}` })) }] };
    await expect(startLocalEndpoint({ scenario: tooMany })).rejects.toThrow("scenario: $.appConfig[0].strategies: 21 deployment strategies in ca-central-1 would exceed the maximum of 20");
  });
});
