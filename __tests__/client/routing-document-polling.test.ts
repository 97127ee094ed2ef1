import { AppConfigClient, CreateHostedConfigurationVersionCommand, StartDeploymentCommand } from "@aws-sdk/client-appconfig";
import { RoutingError } from "../../client/router";
import type { RoutingDocument } from "../../core/runtime";
import type { SeededAppConfig } from "../../local/endpoint";
import { CREDS, HAIKU, NOVA, REGION } from "../fixtures";
import { messages, testDocument, useLocalEndpoint, type Harness } from "./fixtures";

const local = useLocalEndpoint({}, { resetEachTest: false });
let control: AppConfigClient;
let n = 0;

beforeAll(() => {
  control = new AppConfigClient({ region: REGION, endpoint: local.ep.url, credentials: CREDS, maxAttempts: 1 });
});
afterAll(() => control.destroy());

const POLL_S = 15;

/** A fresh application per test (names are unique), seeded with `doc` deployed as version 1. */
function seed(doc: RoutingDocument = testDocument()): { app: string; ids: SeededAppConfig } {
  const app = `bedrock-poll-${++n}`;
  const ids = local.ep.seedAppConfig({ region: REGION, application: app, environment: "dev", profile: "routing", content: JSON.stringify(doc), versionLabel: "v1" });
  return { app, ids };
}

async function deploy(ids: SeededAppConfig, content: string, label: string): Promise<void> {
  const v = await control.send(
    new CreateHostedConfigurationVersionCommand({ ApplicationId: ids.applicationId, ConfigurationProfileId: ids.profileId, Content: Buffer.from(content), ContentType: "application/json", VersionLabel: label }),
  );
  await control.send(
    new StartDeploymentCommand({ ApplicationId: ids.applicationId, EnvironmentId: ids.environmentId, ConfigurationProfileId: ids.profileId, ConfigurationVersion: String(v.VersionNumber), DeploymentStrategyId: "AppConfig.AllAtOnce" }),
  );
}

function make(app: string): Harness {
  return local.make({ appConfig: { application: app, environment: "dev", profile: "routing", pollIntervalSeconds: POLL_S } });
}

/** AppConfigData operations the endpoint saw, in order. */
const dataCalls = () => local.ep.calls.filter((c) => c.service === "appconfigdata").map((c) => c.operation);

const novaFirst = () =>
  testDocument((d) => {
    d.routes.summarization = { ...d.routes.summarization, primary: NOVA.modelId, fallbacks: [HAIKU.modelId] };
  });

beforeEach(() => local.ep.clearCalls());

it("a new deployment is picked up on the next poll, and not before the poll interval", async () => {
  const { app, ids } = seed();
  const { router, clock } = make(app);
  expect((await router.converse({ task: "summarization", messages: messages() })).servedBy).toEqual(HAIKU);
  expect(dataCalls()).toEqual(["StartConfigurationSession", "GetLatestConfiguration"]);
  expect(router.documentStatus).toMatchObject({ source: "appconfig", loaded: true, versionLabel: "v1" });

  await deploy(ids, JSON.stringify(novaFirst()), "v2");
  local.ep.clearCalls();
  clock.advance(POLL_S * 1000 - 1);
  expect((await router.converse({ task: "summarization", messages: messages() })).servedBy).toEqual(HAIKU);
  expect(dataCalls()).toEqual([]);

  clock.advance(1);
  const r = await router.converse({ task: "summarization", messages: messages() });
  expect(r).toMatchObject({ servedBy: NOVA, fellBack: false });
  // Same session: the next token, no new session.
  expect(dataCalls()).toEqual(["GetLatestConfiguration"]);
  expect(router.documentStatus).toMatchObject({ versionLabel: "v2", lastPoll: { result: "updated" } });

  local.ep.clearCalls();
  await router.converse({ task: "summarization", messages: messages() });
  expect(dataCalls()).toEqual([]);
});

it("an unchanged poll keeps the document and reports it", async () => {
  const { app } = seed();
  const { router, clock } = make(app);
  await router.refresh();
  clock.advance(POLL_S * 1000);
  const status = await router.refresh();
  expect(status).toMatchObject({ loaded: true, versionLabel: "v1", lastPoll: { result: "unchanged" } });
  expect(dataCalls()).toEqual(["StartConfigurationSession", "GetLatestConfiguration", "GetLatestConfiguration"]);
});

it("invalid documents (schema or another region) are ignored in favour of the last good one", async () => {
  const { app, ids } = seed();
  const { router, clock } = make(app);
  await router.converse({ task: "summarization", messages: messages() });

  const dangling = testDocument();
  (dangling.routes.summarization as { primary: string }).primary = "amazon.titan-text-express-v1";
  await deploy(ids, JSON.stringify(dangling), "bad-schema");
  clock.advance(POLL_S * 1000);
  expect((await router.converse({ task: "summarization", messages: messages() })).servedBy).toEqual(HAIKU);
  expect(router.documentStatus).toMatchObject({ loaded: true, versionLabel: "v1", rejected: 1, lastPoll: { result: "invalid", detail: expect.stringMatching(/routes\.summarization\.primary: amazon\.titan-text-express-v1 is not in models/) } });

  await deploy(ids, JSON.stringify(testDocument((d) => (d.region = "eu-west-1"))), "wrong-region");
  clock.advance(POLL_S * 1000);
  expect((await router.converse({ task: "summarization", messages: messages() })).servedBy).toEqual(HAIKU);
  expect(router.documentStatus).toMatchObject({ rejected: 2, lastPoll: { result: "invalid", detail: expect.stringContaining("eu-west-1") } });

  await deploy(ids, "{not json", "not-json");
  clock.advance(POLL_S * 1000);
  await router.refresh();
  expect(router.documentStatus).toMatchObject({ rejected: 3, lastPoll: { detail: expect.stringMatching(/^not JSON/) } });

  await deploy(ids, JSON.stringify(novaFirst()), "good-again");
  clock.advance(POLL_S * 1000);
  expect((await router.converse({ task: "summarization", messages: messages() })).servedBy).toEqual(NOVA);
  expect(router.documentStatus).toMatchObject({ versionLabel: "good-again", lastPoll: { result: "updated" } });
});

it("without any document a call fails clearly and the fetch is retried only after bootstrapRetryMs", async () => {
  const { router, clock } = make("bedrock-does-not-exist");
  const first = await router.converse({ task: "summarization", messages: messages() }).catch((e: unknown) => e);
  expect(first).toBeInstanceOf(RoutingError);
  expect((first as RoutingError).classification.cause).toBe("no-routing-document");
  expect((first as RoutingError).message).toMatch(/ResourceNotFoundException/);
  expect(dataCalls()).toEqual(["StartConfigurationSession"]);
  await expect(router.converse({ task: "summarization", messages: messages() })).rejects.toThrow(/no routing document/);
  expect(dataCalls()).toEqual(["StartConfigurationSession"]);
  clock.advance(1000);
  await expect(router.converse({ task: "summarization", messages: messages() })).rejects.toThrow(/no routing document/);
  expect(dataCalls()).toEqual(["StartConfigurationSession", "StartConfigurationSession"]);
  expect(local.ep.calls.filter((c) => c.service === "bedrock-runtime")).toEqual([]);
});
