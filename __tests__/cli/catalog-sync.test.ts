/**
 * catalog:sync over the wire: the real @aws-sdk/client-bedrock and client-service-quotas against the local endpoint's
 * control plane (pagination, scripted AccessDenied, a region without Bedrock), then synth-side validation of what it
 * wrote. No SDK call is mocked.
 */
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadCatalog, OVERLAY_FILE, SNAPSHOT_FILE, CATALOG_DIR } from "../../cli/catalog-files";
import { syncCatalog, syncReport, type SyncOptions } from "../../cli/catalog-sync";
import { NODE_WARNING_SWITCH } from "../../cli/node-support";
import { validateEnvironment } from "../../core/validation";
import { UserInputError } from "../../core/problems";
import { startLocalEndpoint, type LocalEndpoint } from "../../local/endpoint";
import { regenerateSnapshot } from "../../scripts/catalog-regenerate";
import { readSeed, seedEndpoint } from "../../scripts/catalog-seed";
import { synthAccount, synthRegion } from "../modules/fixtures";
import { syncFailureOf } from "./fixtures";
import { CREDS, HAIKU, rawConfig, ROOT, TODAY, TS_HOOK } from "../fixtures";

const OPUS_6 = "anthropic.claude-opus-6";
const SEED = readSeed();

let ep: LocalEndpoint;
let dir: string;
beforeEach(async () => {
  ep = await startLocalEndpoint();
  dir = mkdtempSync(join(tmpdir(), "catalog-sync-"));
  cpSync(join(CATALOG_DIR, OVERLAY_FILE), join(dir, OVERLAY_FILE));
});
afterEach(async () => {
  await ep.close();
  rmSync(dir, { recursive: true, force: true });
});

const sync = (regions: string[], over: Partial<SyncOptions> = {}) =>
  syncCatalog({ regions, endpointUrl: ep.url, credentials: CREDS, snapshotFile: join(dir, SNAPSHOT_FILE), overlayFile: join(dir, OVERLAY_FILE), now: () => new Date(`${TODAY}T12:00:00Z`), cwd: dir, ...over });
const catalog = () => loadCatalog(dir, dir);
const failureOf = syncFailureOf;
/** Problems (errors or, when it validates, warnings) of a raw environment against the synced catalog. */
function problemsOf(raw: unknown): Array<{ path: string; message: string; severity?: string }> {
  try {
    return [...validateEnvironment(raw, "config/t.json", { catalog: catalog(), today: TODAY }).warnings];
  } catch (e) {
    if (e instanceof UserInputError) return [...e.problems];
    throw e;
  }
}

describe("catalog:sync against the local endpoint", () => {
  it("follows every page of ListInferenceProfiles and ListServiceQuotas", async () => {
    const profiles = Array.from({ length: 230 }, (_, i) => ({ inferenceProfileId: `us.amazon.nova-x${i}-v1:0`, destinationRegions: ["us-east-1", "us-west-2"] }));
    ep.seedCatalog("us-east-1", { foundationModels: profiles.map((_, i) => ({ modelId: `amazon.nova-x${i}-v1:0`, modelName: `Nova X${i}`, inferenceTypesSupported: ["INFERENCE_PROFILE" as const] })), inferenceProfiles: profiles });
    ep.seedQuotas("us-east-1", profiles.map((_, i) => ({ code: `L-${(0xa0000000 + i).toString(16).toUpperCase()}`, name: `Cross-region model inference tokens per minute for Amazon Nova X${i}`, value: 1000 + i })));
    const r = await sync(["us-east-1"]);
    expect(r.counts["us-east-1"]).toEqual({ models: 230, profiles: 230, quotas: 230, pages: { "bedrock:ListFoundationModels": 1, "bedrock:ListInferenceProfiles": 3, "servicequotas:ListServiceQuotas": 3 } });
    const facts = r.snapshot.regions["us-east-1"];
    expect(Object.keys(facts.profiles)).toHaveLength(230);
    expect(facts.quotas["amazon.nova-x229-v1:0"].geo?.tpm).toMatchObject({ code: "L-A00000E5", value: 1229 });
    const ops = ep.calls.filter((c) => c.region === "us-east-1").map((c) => c.operation);
    expect(ops.filter((o) => o === "ListInferenceProfiles")).toHaveLength(3);
    expect(ops.filter((o) => o === "ListServiceQuotas")).toHaveLength(3);
    expect(readFileSync(join(dir, SNAPSHOT_FILE), "utf8")).toBe(readFileSync(r.file, "utf8"));
  });

  it("a model the snapshot never saw: reported as added, then an environment using it synthesizes without code change", async () => {
    seedEndpoint(ep, SEED, ["us-east-1"]);
    await sync(["us-east-1"]);
    ep.seedCatalog("us-east-1", {
      foundationModels: [...seededModels("us-east-1"), { modelId: OPUS_6, modelName: "Claude Opus 6", providerName: "Anthropic", inferenceTypesSupported: ["INFERENCE_PROFILE"] }],
      inferenceProfiles: [...seededProfiles("us-east-1"), { inferenceProfileId: `us.${OPUS_6}`, destinationRegions: ["us-east-1", "us-east-2", "us-west-2"] }, { inferenceProfileId: `global.${OPUS_6}` }],
    });
    ep.seedQuotas("us-east-1", [{ code: "L-0A0B0C0D", name: "Cross-region model inference tokens per minute for Anthropic Claude Opus 6", value: 3_000_000 }]);
    const r = await sync(["us-east-1"]);
    expect(syncReport(r, dir).slice(1)).toEqual([
      "changes since the last snapshot:",
      `  + model ${OPUS_6} (us-east-1)`,
      `  + profile global.${OPUS_6} (us-east-1)`,
      `  + profile us.${OPUS_6} (us-east-1)`,
      `  + quota ${OPUS_6} geo TPM L-0A0B0C0D (applied 3,000,000) (us-east-1)`,
      `no curated output limit/burndown in catalog/overlay.json for: ${OPUS_6} (synth warns until you add them, with a source)`,
      expect.stringMatching(/^wrote snapshot\.json \(1 regions, [\d,]+ bytes\)$/),
    ]);
    expect(r.snapshot.regions["us-east-1"].profiles[`us.${OPUS_6}`]).toEqual({ modelId: OPUS_6, status: "ACTIVE", routesTo: ["us-east-1", "us-east-2", "us-west-2"], source: "bedrock:ListInferenceProfiles" });

    const raw = {
      ...rawConfig("dev"),
      models: [{ id: OPUS_6 }, { id: HAIKU.modelId }],
      routes: { reasoning: { primary: OPUS_6, fallbacks: [HAIKU.modelId], maxTokens: 8192 }, chat: { primary: HAIKU.modelId, maxTokens: 1024 } },
      workloads: { "support-bot": { routes: ["reasoning", "chat"], role: { assumedByServices: ["lambda.amazonaws.com"] } } },
    };
    const plan = validateEnvironment(raw, "config/dev.json", { catalog: catalog(), today: TODAY });
    expect(plan.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/^no output limit or output burndown known for anthropic\.claude-opus-6/)]);
    const { json } = synthRegion(plan);
    expect(JSON.parse(json.output.manifest.value).models[OPUS_6]).toMatchObject({ invokeId: `us.${OPUS_6}`, tpmQuotaCode: "L-0A0B0C0D", quotaName: "Claude Opus 6" });
    // The workload's policy covers every region of the environment, so the account stack holds it.
    const account = synthAccount(plan).json;
    expect(Object.values<any>(account.resource.aws_iam_policy).find((p) => p.name === "bedrock-dev-support-bot").policy).toContain(`inference-profile/us.${OPUS_6}`);
  });

  it("a lifecycle change: ACTIVE -> LEGACY is in the summary and the environment then warns", async () => {
    seedEndpoint(ep, SEED, ["us-east-1"]);
    await sync(["us-east-1"]);
    ep.seedCatalog("us-east-1", { foundationModels: seededModels("us-east-1").map((m) => (m.modelId === HAIKU.modelId ? { ...m, modelLifecycle: { status: "LEGACY" as const, endOfLifeTime: "2027-06-01T00:00:00Z" } } : m)) });
    const r = await sync(["us-east-1"]);
    expect(syncReport(r, dir)).toContain(`  ~ lifecycle ${HAIKU.modelId} ACTIVE -> LEGACY (us-east-1)`);
    expect(problemsOf(rawConfig("dev"))).toEqual([expect.objectContaining({ path: "models[0].id", severity: "warning", message: `${HAIKU.modelId} is LEGACY in us-east-1 (catalog snapshot; end of life 2027-06-01)` })]);
  });

  it("quota codes are matched by name: another code under the same name is a code change, not a new quota", async () => {
    seedEndpoint(ep, SEED, ["us-east-1"]);
    await sync(["us-east-1"]);
    ep.seedQuotas("us-east-1", [
      { code: "L-58BE175A", name: "Cross-region model inference tokens per minute (retired)", value: 1 }, // a renamed old entry
      { code: "L-11112222", name: "Cross-Region InvokeModel tokens per minute for Claude Haiku 4.5 V1", value: 4_000_000 }, // older wording, same quota
    ]);
    const r = await sync(["us-east-1"]);
    expect(r.snapshot.regions["us-east-1"].quotas[HAIKU.modelId].geo?.tpm).toMatchObject({ code: "L-11112222", value: 4_000_000 });
    expect(syncReport(r, dir)).toContain(`  ~ quota ${HAIKU.modelId} geo TPM code L-58BE175A -> L-11112222, applied 2,000,000 -> 4,000,000 (us-east-1)`);
    expect(validateEnvironment(rawConfig("dev"), "config/dev.json", { catalog: catalog(), today: TODAY }).specs[HAIKU.modelId].quotas["us-east-1"].tpm?.code).toBe("L-11112222");
  });

  it("a region without a model's profile: the profile is reported removed and an environment there fails validation", async () => {
    seedEndpoint(ep, SEED, ["eu-west-1"]);
    await sync(["eu-west-1"]);
    ep.seedCatalog("eu-west-1", { inferenceProfiles: seededProfiles("eu-west-1").filter((p) => p.inferenceProfileId !== `eu.${HAIKU.modelId}`) });
    const r = await sync(["eu-west-1"]);
    expect(syncReport(r, dir)).toContain(`  - profile eu.${HAIKU.modelId} (eu-west-1)`);
    const raw = { ...rawConfig("dev"), regions: ["eu-west-1"] };
    expect(problemsOf(raw)).toEqual([
      expect.objectContaining({ path: "models[0].inference", message: `${HAIKU.modelId} has no inference profile in the geography of eu-west-1 (eu; catalog snapshot profiles: global)` }),
    ]);
  });

  it("a partial failure writes nothing: AccessDenied on one API in one region names the permission", async () => {
    seedEndpoint(ep, SEED, ["us-east-1", "eu-west-1"]);
    await sync(["us-east-1", "eu-west-1"]);
    const before = readFileSync(join(dir, SNAPSHOT_FILE), "utf8");
    ep.seedCatalog("us-east-1", { foundationModels: seededModels("us-east-1").slice(1) }); // a change that must not land
    ep.injectApiFault({ operation: "ListInferenceProfiles", region: "eu-west-1", fault: "access-denied" });
    const f = await failureOf(sync(["us-east-1", "eu-west-1"]));
    expect(f.lines).toEqual([
      "eu-west-1: bedrock:ListInferenceProfiles denied (AccessDeniedException): allow bedrock:ListInferenceProfiles for the caller (catalog:sync needs bedrock:ListFoundationModels, bedrock:ListInferenceProfiles, servicequotas:ListServiceQuotas)",
      "nothing written: snapshot.json is unchanged",
    ]);
    expect(f.exitCode).toBe(1);
    expect(readFileSync(join(dir, SNAPSHOT_FILE), "utf8")).toBe(before);
    expect(readdirSync(dir).sort()).toEqual([OVERLAY_FILE, SNAPSHOT_FILE].sort()); // no temporary file left behind
  });

  it("Service Quotas denied and a region where Bedrock is not offered are one line each", async () => {
    seedEndpoint(ep, SEED, ["us-east-1"]);
    ep.seedCatalog("ap-southeast-7", { offered: false });
    ep.injectApiFault({ operation: "ListServiceQuotas", region: "us-east-1", fault: "access-denied" });
    const f = await failureOf(sync(["us-east-1", "ap-southeast-7"]));
    expect(f.lines).toEqual([
      expect.stringMatching(/^us-east-1: servicequotas:ListServiceQuotas denied \(AccessDeniedException\): allow servicequotas:ListServiceQuotas for the caller/),
      expect.stringMatching(/^ap-southeast-7: Bedrock is not offered in ap-southeast-7, or its endpoint cannot be reached \(.+\): drop it from --regions/),
      "nothing written: snapshot.json is unchanged",
    ]);
    expect(existsSync(join(dir, SNAPSHOT_FILE))).toBe(false);
  });

  it("regions not named keep their facts and read date", async () => {
    seedEndpoint(ep, SEED, ["us-east-1", "eu-west-1"]);
    await sync(["us-east-1", "eu-west-1"], { now: () => new Date("2026-11-01T00:00:00Z") });
    const r = await sync(["us-east-1"]);
    expect(r.snapshot.regions["eu-west-1"].read.on).toBe("2026-11-01");
    expect(r.snapshot.regions["us-east-1"].read).toEqual({ on: TODAY, endpoint: ep.url });
    expect(r.snapshot.origin).toEqual({ live: false, description: `catalog:sync against ${ep.url}` });
  });
});

/** The seed's listings for a region, as the endpoint was given them (to re-seed with a change). */
function seededModels(region: string) {
  const captured: any[] = [];
  seedEndpoint({ seedCatalog: (_r, s) => captured.push(...s.foundationModels), seedQuotas: () => undefined }, SEED, [region]);
  return captured;
}
function seededProfiles(region: string) {
  const captured: any[] = [];
  seedEndpoint({ seedCatalog: (_r, s) => captured.push(...s.inferenceProfiles), seedQuotas: () => undefined }, SEED, [region]);
  return captured;
}

describe("the shipped snapshot", () => {
  it("is exactly what the sync writes against the local endpoint seeded with catalog/seed.json", async () => {
    const r = await regenerateSnapshot(join(dir, SNAPSHOT_FILE));
    expect(readFileSync(r.file, "utf8")).toBe(readFileSync(join(CATALOG_DIR, SNAPSHOT_FILE), "utf8"));
  });
});

describe("npm run catalog:sync (child process)", () => {
  const run = (args: string[], env: Record<string, string | undefined>) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(
        process.execPath,
        ["-r", TS_HOOK, join(ROOT, "cli", "catalog-sync-cli.ts"), ...args],
        { cwd: dir, env: { PATH: process.env.PATH, NODE_NO_WARNINGS: "1", [NODE_WARNING_SWITCH]: "true", AWS_EC2_METADATA_DISABLED: "true", AWS_CONFIG_FILE: join(dir, "none"), AWS_SHARED_CREDENTIALS_FILE: join(dir, "none"), ...env } as NodeJS.ProcessEnv, timeout: 60000 },
        (err, stdout, stderr) => resolve({ code: err ? ((err as any).code ?? 1) : 0, stdout, stderr }),
      ),
    );

  it("prints the endpoint, the summary and the file; exit 0", async () => {
    seedEndpoint(ep, SEED, ["us-east-1"]);
    const r = await run(["--regions", "us-east-1", "--endpoint-url", ep.url, "--snapshot", "snap.json"], { AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local" });
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toBe(`catalog:sync: reading us-east-1 from ${ep.url} (explicit --endpoint-url)`);
    expect(lines).toContain("  + region (first sync) (us-east-1)");
    expect(lines[lines.length - 1]).toMatch(/^wrote snap\.json \(1 regions, [\d,]+ bytes\)$/);
  }, 60000);

  it("no credentials: one line, exit 1, nothing written; usage errors exit 2", async () => {
    const noCreds = await run(["--regions", "us-east-1", "--endpoint-url", ep.url, "--snapshot", "snap.json"], {});
    expect({ code: noCreds.code, stderr: noCreds.stderr.trim() }).toEqual({ code: 1, stderr: expect.stringMatching(/^no AWS credentials: the default credential chain found none .*\nnothing written: snap\.json is unchanged$/) });
    expect(existsSync(join(dir, "snap.json"))).toBe(false);
    const usage = await run(["--regions", "us-east-1,mars-1"], {});
    expect({ code: usage.code, first: usage.stderr.split("\n")[0] }).toEqual({ code: 2, first: '--regions takes AWS region names separated by commas; not a region: "mars-1" (see --help)' });
    expect((await run([], {})).code).toBe(2);
  }, 60000);
});
