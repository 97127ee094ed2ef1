import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BaselinePlan } from "../core/environment";
import { type Catalog, catalogOverlaySchema, type OverlayModel, catalogSnapshotSchema, type ListedServiceQuota, regionFactsFrom, type RegionListings } from "../core/catalog";
import type { Geography } from "../core/aws";
import { validateEnvironment, type ValidationOptions } from "../core/validation";
import { shippedCatalog } from "../cli/catalog-files";

// The one fixture module every test shares: a fixed day, the tests' own environments, model IDs and local credentials.

/** Fixed day for lifecycle checks, so a model's legacy or end-of-life date cannot flip a test. */
export const TODAY = "2026-11-22";
export const ROOT = join(__dirname, "..");
/**
 * The tests' own environment files (copies of the examples in config/, which belong to the adopting team: no test
 * reads config/). Commands under test get this directory explicitly (--config-dir, configDir).
 */
export const ENVIRONMENTS_DIR = join(__dirname, "fixtures", "environments");
/** A test environment's name: a file of ENVIRONMENTS_DIR. */
export type EnvironmentName = "dev" | "prod";
/** The path of a test environment file. */
export const environmentFile = (name: EnvironmentName) => join(ENVIRONMENTS_DIR, `${name}.json`);
/** A test environment file's text, as committed. */
export const environmentText = (name: EnvironmentName) => readFileSync(environmentFile(name), "utf8");
const tempDirs: string[] = [];

/**
 * A fresh directory in the temp folder (`<prefix>-XXXXXX`), removed after the test file that made it, so a run leaves
 * nothing behind (jest's global teardown fails the run when anything is left: scripts/jest-temp-teardown.js).
 */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A local port nothing listens on: bound, read, closed (for connection-refused cases). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** The region of the dev test environment. */
export const REGION = "us-east-1";
/** Static credentials the local endpoint verifies signatures with. */
export const CREDS = { accessKeyId: "local", secretAccessKey: "local" };

/** A model as the tests call it in us-east-1: foundation-model ID and the invoke ID its `us.` profile has. */
export interface TestModel {
  readonly modelId: string;
  readonly invokeId: string;
}
const usProfile = (modelId: string): TestModel => ({ modelId, invokeId: `us.${modelId}` });
export const HAIKU = usProfile("anthropic.claude-haiku-4-5-20251001-v1:0");
export const SONNET = usProfile("anthropic.claude-sonnet-4-5-20250929-v1:0");
export const NOVA = usProfile("amazon.nova-lite-v1:0");
export const MICRO = usProfile("amazon.nova-micro-v1:0");
export const NOVA_PRO = usProfile("amazon.nova-pro-v1:0");

/** A test environment, parsed but not validated (to derive expectations and variants from); a fresh copy each call. */
export function rawConfig(name: EnvironmentName): any {
  return JSON.parse(environmentText(name));
}

/** The shipped catalog (catalog/snapshot.json + catalog/overlay.json). */
export const CATALOG: Catalog = shippedCatalog();

/** A model to add to a catalog in tests, described by what the APIs would list for it. */
export interface SyntheticModel {
  readonly id: string;
  readonly name?: string;
  /** Regions where it is listed, with the profiles that exist there and whether it runs on demand. */
  readonly regions: Readonly<Record<string, { readonly geographies?: readonly Geography[]; readonly onDemand?: boolean; readonly lifecycle?: string; readonly endOfLife?: string }>>;
  /** Quotas listed per region (name and code), matched to the model by name like a sync does. */
  readonly quotas?: Readonly<Record<string, readonly ListedServiceQuota[]>>;
  /** Curated facts; default: a 10,000-token output limit and burndown 1. */
  readonly overlay?: OverlayModel | null;
}

const TEST_SOURCE = ["https://example.com/test-fixture"];

/**
 * The cross-region tokens-per-minute quota Service Quotas lists for a model (named as the live catalog names them, for
 * `<provider> <model name>`), so a synthetic model is as complete as a synced one.
 */
export function geoTpmQuota(modelName: string, code: string, value = 2_000_000): ListedServiceQuota {
  return { QuotaCode: code, QuotaName: `Cross-region model inference tokens per minute for ${modelName}`, Value: value };
}

/**
 * `base` (default: the shipped catalog) plus synthetic models, built the way a sync builds facts (API-shaped listings
 * through core's regionFactsFrom) and checked by the same schemas as the files. Regions keep their read date.
 */
export function catalogWith(models: readonly SyntheticModel[], base: Catalog = CATALOG): Catalog {
  const regions = new Set(models.flatMap((m) => Object.keys(m.regions)));
  const snapshotRegions: Record<string, unknown> = { ...base.snapshot.regions };
  for (const region of regions) {
    const listings: RegionListings = {
      models: models.flatMap((m) => {
        const r = m.regions[region];
        if (!r) return [];
        return [{ modelId: m.id, modelName: m.name ?? m.id, providerName: m.id.split(".")[0], inferenceTypesSupported: [...(r.onDemand ? ["ON_DEMAND"] : []), "INFERENCE_PROFILE"], responseStreamingSupported: true, modelLifecycle: { status: r.lifecycle ?? "ACTIVE", ...(r.endOfLife ? { endOfLifeTime: r.endOfLife } : {}) } }];
      }),
      profiles: models.flatMap((m) => (m.regions[region]?.geographies ?? []).map((g) => ({ inferenceProfileId: `${g}.${m.id}`, status: "ACTIVE", models: [{ modelArn: `arn:aws:bedrock:${g === "global" ? "" : region}::foundation-model/${m.id}` }] }))),
      quotas: models.flatMap((m) => m.quotas?.[region] ?? []),
    };
    const before = base.snapshot.regions[region];
    const added = regionFactsFrom(listings, before?.read ?? { on: TODAY, endpoint: "test" });
    snapshotRegions[region] = before
      ? { ...before, models: { ...before.models, ...added.models }, profiles: { ...before.profiles, ...added.profiles }, quotas: { ...before.quotas, ...added.quotas } }
      : added;
  }
  const defaults: OverlayModel = { maxOutputTokens: { value: 10000, source: TEST_SOURCE }, outputBurndown: { value: 1, source: TEST_SOURCE } };
  const overlayModels = { ...base.overlay.models, ...Object.fromEntries(models.flatMap((m) => (m.overlay === null ? [] : [[m.id, m.overlay ?? defaults]]))) };
  return {
    snapshot: catalogSnapshotSchema.parse({ ...base.snapshot, regions: snapshotRegions }),
    overlay: catalogOverlaySchema.parse({ ...base.overlay, models: overlayModels }),
  };
}

/** Validates a raw config on TODAY against the shipped catalog (throws on problems, like the CLI would report them). */
export function planOf(raw: unknown, options: Partial<ValidationOptions> = {}): BaselinePlan {
  return validateEnvironment(raw, "test.json", { today: TODAY, catalog: CATALOG, ...options });
}

export const devPlan = () => planOf(rawConfig("dev"));
export const prodPlan = () => planOf(rawConfig("prod"));

/** A test environment changed by `edit` (a deep copy; the file is untouched), validated. */
export function variant(name: EnvironmentName, edit: (c: any) => void): BaselinePlan {
  const c = rawConfig(name);
  edit(c);
  return planOf(c);
}

/**
 * The tests' own copy of an environment that attributes cost per workload (config/prod.json turns it on: application
 * profiles, workload budgets, the CUR 2.0 export), in a directory of its own so the other fixtures' tests stay as
 * they are. Commands under test get it with --config-dir.
 */
export const COST_ENVIRONMENTS_DIR = join(__dirname, "fixtures", "cost-environments");
/** The cost-attributing test environment (named prod), parsed, a fresh copy each call. */
export function costRaw(): any {
  return JSON.parse(readFileSync(join(COST_ENVIRONMENTS_DIR, "prod.json"), "utf8"));
}
/** The cost-attributing test environment, validated (optionally against another catalog, e.g. one with daily quotas). */
export const costPlan = (options: Partial<ValidationOptions> = {}) => planOf(costRaw(), options);

/**
 * `base` with daily token quotas as a sync reads them from Service Quotas: "Model invocation max tokens per day" for
 * each listed model (code derived from the model, value 2,880,000,000) and the account's "Cross-Model Max Tokens Per
 * Day", in `regions`.
 */
export function catalogWithDailyQuotas(regions: readonly string[], base: Catalog = CATALOG): Catalog {
  const snapshotRegions: Record<string, any> = { ...base.snapshot.regions };
  for (const region of regions) {
    const r = structuredClone(base.snapshot.regions[region]);
    Object.keys(r.models).forEach((id, i) => {
      const q = (r.quotas[id] ??= {});
      q.tpd = { code: `L-D${String(i).padStart(7, "0")}`, name: `Model invocation max tokens per day for ${r.models[id].name}`, value: 2_880_000_000, source: "servicequotas:ListServiceQuotas" };
    });
    r.accountQuotas = { crossModelTpd: { code: "L-C0000001", name: "Cross-Model Max Tokens Per Day", value: 10_000_000_000, source: "servicequotas:ListServiceQuotas" } };
    snapshotRegions[region] = r;
  }
  return { snapshot: catalogSnapshotSchema.parse({ ...base.snapshot, regions: snapshotRegions }), overlay: base.overlay };
}

/** Where a plan's guardrails would be after apply (the environment check resolves synthesized policies with it). */
export { appliedGuardrails } from "../environment-check/synthesized-policies";

/** What a child process printed, and how it ended. */
export interface ProcessResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** What `npm run` puts before a TypeScript entry point: Node's `-r` with the transpile cache (cli/transpile-cache.js). */
export const TS_HOOK = join(ROOT, "cli", "transpile-cache.js");

/**
 * Runs a TypeScript entry point (`local/cli.ts ...`) as `npm run` would (node -r cli/transpile-cache.js), in the checkout; `onStdout`
 * sees the output so far and may end the process (SIGTERM) once it has seen what it waits for.
 */
export function runTs(args: readonly string[], env: NodeJS.ProcessEnv = process.env, onStdout?: (text: string, kill: () => void) => void): Promise<ProcessResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ["-r", TS_HOOK, ...args], { cwd: ROOT, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
      onStdout?.(stdout, () => child.kill("SIGTERM"));
    });
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", fail);
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}
