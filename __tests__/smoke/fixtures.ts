import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CreateHostedConfigurationVersionCommand, StartDeploymentCommand } from "@aws-sdk/client-appconfig";
import type { CallRecord } from "../../local/call-log";
import { type LocalEndpoint, startLocalEndpoint } from "../../local/endpoint";
import { buildManifest, type StackManifest } from "../../core/routing";
import type { RoutingDocument } from "../../core/runtime";
import { LOCAL_TPM_QUOTA, seedFromManifests } from "../../local/seed";
import type { JsonReport } from "../../smoke/json-report";
import { main } from "../../smoke/cli";
import { type BaselinePlan } from "../../core/environment";
import { appConfigClient } from "../../cli/aws-clients";
import { CREDS, HAIKU, NOVA, variant } from "../fixtures";

/**
 * The dev test environment, optionally changed, validated on the fixed day. Its routes' request parameters (the
 * summarization route's temperature) are left out unless `keepParameters`: a route's parameters make a probe way of their
 * own, and these tests count one probe per model and tier or guardrail; request-parameters.test.ts probes the ways.
 */
export function devEnvironment(change: (raw: any) => void = () => undefined, { keepParameters = false } = {}): BaselinePlan {
  return variant("dev", (raw) => {
    if (!keepParameters) for (const r of Object.values<any>(raw.routes)) delete r.temperature;
    change(raw);
  });
}

/** A stand-in account: manifests on disk (as synth writes them) and a local endpoint seeded as after `cdktf deploy`. */
export interface Fixture {
  readonly endpoint: LocalEndpoint;
  readonly environment: BaselinePlan;
  readonly manifests: StackManifest[];
  readonly manifestDir: string;
  readonly workDir: string;
  /** Invoke IDs of the dev models, from the manifest. */
  readonly haiku: string;
  readonly nova: string;
  close(): Promise<void>;
}

/** Writes the manifests synth would write for `environment` to `<dir>/manifests` (created); returns them and the path. */
export function writeManifests(environment: BaselinePlan, dir: string): { manifests: StackManifest[]; manifestDir: string } {
  const manifestDir = path.join(dir, "manifests");
  fs.mkdirSync(manifestDir);
  const manifests = environment.config.regions.map((r) => buildManifest(environment, r));
  for (const m of manifests) fs.writeFileSync(path.join(manifestDir, `${m.stack}.json`), JSON.stringify(m));
  return { manifests, manifestDir };
}

/** `quotas: false` leaves Service Quotas empty (a region whose catalog lacks the codes) for the test to seed. */
export async function startFixture(environment: BaselinePlan = devEnvironment(), options: { quotas?: boolean } = {}): Promise<Fixture> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "smoke-test-"));
  const { manifests, manifestDir } = writeManifests(environment, workDir);
  const endpoint = await startLocalEndpoint();
  seedFromManifests(endpoint, environment, manifests, options.quotas === false ? false : LOCAL_TPM_QUOTA);
  const models = manifests[0].models;
  return {
    endpoint,
    environment,
    manifests,
    manifestDir,
    workDir,
    // Environments without one of these models (the cost-attributing one has no Nova Lite) get "".
    haiku: models[HAIKU.modelId]?.invokeId ?? "",
    nova: models[NOVA.modelId]?.invokeId ?? "",
    close: async () => {
      await endpoint.close();
      fs.rmSync(workDir, { recursive: true, force: true });
    },
  };
}

/**
 * Registers the hooks for one stand-in shared by a test file: local credentials and the endpoint for the whole file,
 * faults and the call log cleared before each test, then `beforeEachTest` (what the file's tests start from). Returns
 * the accessor to the fixture.
 */
export function useSharedFixture(environment: BaselinePlan = devEnvironment(), beforeEachTest: (f: Fixture) => void = () => undefined): () => Fixture {
  let f: Fixture;
  let restoreEnv: () => void;
  beforeAll(async () => {
    restoreEnv = useLocalCredentials();
    f = await startFixture(environment);
  });
  afterAll(async () => {
    await f.close();
    restoreEnv();
  });
  beforeEach(() => {
    f.endpoint.reset();
    f.endpoint.clearCalls();
    beforeEachTest(f);
  });
  return () => f;
}

/** Static keys the endpoint knows (signatures are verified); the smoke command reads them from the default chain. */
export function useLocalCredentials(): () => void {
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY, token: process.env.AWS_SESSION_TOKEN, profile: process.env.AWS_PROFILE };
  process.env.AWS_ACCESS_KEY_ID = "local";
  process.env.AWS_SECRET_ACCESS_KEY = "local";
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  return () => {
    for (const [k, v] of [["AWS_ACCESS_KEY_ID", saved.id], ["AWS_SECRET_ACCESS_KEY", saved.secret], ["AWS_SESSION_TOKEN", saved.token], ["AWS_PROFILE", saved.profile]] as const)
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  };
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string[];
  readonly stderr: string[];
  readonly wallMs: number;
  readonly json: JsonReport;
  readonly junit: string;
  /** The row of a check, by kind and subject. */
  check(kind: string, subject: string): JsonReport["checks"][number];
}

let runs = 0;

/** Runs the smoke command in-process against the fixture, with JSON and JUnit reports. */
export async function runSmoke(f: Fixture, extra: readonly string[] = []): Promise<RunResult> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const n = ++runs;
  const jsonFile = path.join(f.workDir, `report-${n}.json`);
  const junitFile = path.join(f.workDir, `report-${n}.xml`);
  const t0 = Date.now();
  // A flag given twice is refused (cli/command-line.ts): `extra` may replace the fixture's endpoint, not repeat it.
  const endpoint = extra.includes("--endpoint-url") ? [] : ["--endpoint-url", f.endpoint.url];
  const code = await main(["--env", f.environment.config.name, ...endpoint, "--manifest-dir", f.manifestDir, "--json", jsonFile, "--junit", junitFile, ...extra], {
    stdout: (l) => stdout.push(l),
    stderr: (l) => stderr.push(l),
  });
  const wallMs = Date.now() - t0;
  const json = JSON.parse(fs.readFileSync(jsonFile, "utf8")) as JsonReport;
  const junit = fs.readFileSync(junitFile, "utf8");
  return {
    code,
    stdout,
    stderr,
    wallMs,
    json,
    junit,
    check: (kind, subject) => {
      const hit = json.checks.find((c) => c.kind === kind && c.subject === subject);
      if (!hit) throw new Error(`no ${kind} check for ${subject} in ${json.checks.map((c) => `${c.kind} ${c.subject}`).join("; ")}`);
      return hit;
    },
  };
}

/** Bedrock calls the endpoint saw for one model. */
export function converseCalls(f: Fixture, invokeId: string, operation: "Converse" | "ConverseStream" = "Converse"): CallRecord[] {
  return f.endpoint.calls.filter((c) => c.service === "bedrock-runtime" && c.operation === operation && c.modelId === invokeId);
}

/** A toggle as the platform team makes it: a new hosted version of the routing profile, deployed with `strategy`. */
export async function deployDocument(f: Fixture, doc: RoutingDocument, strategy = "AppConfig.AllAtOnce"): Promise<number> {
  const m = f.manifests[0];
  const [d] = f.endpoint.appConfig.deployments({ region: m.region });
  const client = appConfigClient({ region: m.region, endpointUrl: f.endpoint.url, credentials: CREDS });
  try {
    const v = await client.send(
      new CreateHostedConfigurationVersionCommand({ ApplicationId: d.applicationId, ConfigurationProfileId: d.profileId, Content: Buffer.from(JSON.stringify(doc)), ContentType: "application/json" }),
    );
    const started = await client.send(
      new StartDeploymentCommand({
        ApplicationId: d.applicationId,
        EnvironmentId: d.environmentId,
        ConfigurationProfileId: d.profileId,
        DeploymentStrategyId: strategy,
        ConfigurationVersion: String(v.VersionNumber),
      }),
    );
    return started.DeploymentNumber!;
  } finally {
    client.destroy();
  }
}
