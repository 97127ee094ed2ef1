import type { RoutingDocument } from "../../core/runtime";
import { converseCalls, deployDocument, type Fixture, runSmoke, startFixture, useLocalCredentials } from "./fixtures";

// AppConfig state outlives a run, so each case gets its own stand-in account.

let f: Fixture;
let restoreEnv: () => void;

beforeAll(() => {
  restoreEnv = useLocalCredentials();
});
afterAll(() => restoreEnv());

beforeEach(async () => {
  f = await startFixture();
});
afterEach(async () => {
  await f.close();
});

const NOVA = "amazon.nova-lite-v1:0";

function toggled(change: (doc: RoutingDocument) => void): RoutingDocument {
  const doc = structuredClone(f.manifests[0].routingDocument) as RoutingDocument;
  change(doc);
  return doc;
}

test("a toggle made in AppConfig is drift (WARN, exit 0) listing the changed paths, and the deployed routes are probed", async () => {
  const doc = toggled((d) => {
    d.models[NOVA].enabled = false;
    d.routes.chat.maxTokens = 512;
  });
  await deployDocument(f, doc);
  const r = await runSmoke(f);
  expect(r.code).toBe(0);
  const c = r.check("routing", "bedrock-dev/dev/routing");
  expect({ verdict: c.verdict, outcome: c.outcome }).toEqual({ verdict: "WARN", outcome: "drift" });
  expect(c.drift).toEqual([`models["${NOVA}"].enabled`, "routes.chat.maxTokens"]);
  for (const p of c.drift!) expect(c.hint).toContain(p);
  // The disabled model is not probed: traffic cannot reach it.
  expect(converseCalls(f, f.nova)).toHaveLength(0);
  expect(r.json.checks.some((x) => x.kind === "converse" && x.subject === f.nova)).toBe(false);
  // Quota figures use the deployed maxTokens.
  expect(r.check("quota", `chat ${f.haiku}`).quota!.maxTokens).toBe(512);
  expect(r.junit).toContain("WARN drift");
});

test("a rolled-back deployment fails with the state and the alarm that caused it, after waiting for it to finish", async () => {
  const alarm = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:bedrock-dev-routing-rollback";
  f.endpoint.configure({ deploymentDurationMs: 600 });
  f.endpoint.scriptRollback({ alarmArn: alarm });
  const number = await deployDocument(
    f,
    toggled((d) => (d.routes.chat.maxTokens = 256)),
  );
  const r = await runSmoke(f);
  expect(r.code).toBe(1);
  const c = r.check("deployment", "bedrock-dev/dev/routing");
  expect({ verdict: c.verdict, outcome: c.outcome, category: c.category }).toEqual({ verdict: "FAIL", outcome: "rolled-back", category: "deployment" });
  expect(c.deployment).toMatchObject({ number, state: "ROLLED_BACK" });
  expect(c.hint).toContain(alarm);
  // It was still in progress when smoke started: smoke polled GetDeployment until the end state.
  expect(r.wallMs).toBeGreaterThanOrEqual(500);
  expect(f.endpoint.calls.filter((x) => x.operation === "GetDeployment").length).toBeGreaterThan(1);
  expect(r.junit).toMatch(/<failure message="[^"]*ROLLED_BACK[^"]*" type="deployment">/);
  // The previous (synthesized) document is what clients get: no drift.
  expect(r.check("routing", "bedrock-dev/dev/routing").verdict).toBe("PASS");
});

test("a deployment still in progress is awaited and then passes", async () => {
  f.endpoint.configure({ deploymentDurationMs: 500 });
  await deployDocument(f, toggled((d) => (d.routes.chat.maxTokens = 300)));
  const r = await runSmoke(f);
  const c = r.check("deployment", "bedrock-dev/dev/routing");
  expect({ verdict: c.verdict, state: c.deployment?.state }).toEqual({ verdict: "PASS", state: "COMPLETE" });
  expect(c.hint).toMatch(/after waiting/);
  expect(r.check("routing", "bedrock-dev/dev/routing").drift).toEqual(["routes.chat.maxTokens"]);
});

test("a deployment that outlasts the deadline fails as deadline, within the deadline", async () => {
  f.endpoint.configure({ deploymentDurationMs: 60_000 });
  await deployDocument(f, toggled((d) => (d.routes.chat.maxTokens = 300)));
  const r = await runSmoke(f, ["--deadline-ms", "800"]);
  expect(r.code).toBe(1);
  expect(r.check("deployment", "bedrock-dev/dev/routing").outcome).toBe("deadline");
  expect(r.wallMs).toBeLessThan(800 + 1000);
});
