/**
 * The credential-failure paths, run locally: the local endpoint verifies SigV4 for every key (an unknown key is
 * refused as AWS refuses it), so smoke, the toggle and catalog:sync with wrong credentials fail the way they would
 * against AWS, over the wire. Before, the endpoint skipped unknown keys and smoke passed with any credentials.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SyncFailed, syncCatalog } from "../../cli/catalog-sync";
import { buildManifest } from "../../core/routing";
import { startLocalEndpoint, type LocalEndpoint } from "../../local/endpoint";
import { seedFromManifests } from "../../local/seed";
import { readSeed, seedEndpoint } from "../../scripts/catalog-seed";
import type { JsonReport } from "../../smoke/json-report";
import { main as smoke } from "../../smoke/cli";
import { runToggle } from "../../toggle/cli";
import { CATALOG, NOVA, planOf, TODAY } from "../fixtures";
import { configDirWith, hardeningEnvironment } from "./environment";

const plan = planOf(hardeningEnvironment("hx"), { catalog: CATALOG, today: TODAY });
const WRONG_KEY = { accessKeyId: "AKIAWRONGWRONGWRONG1", secretAccessKey: "not-a-key-anyone-issued" };
const WRONG_SECRET = { accessKeyId: "local", secretAccessKey: "not-the-secret" };
let ep: LocalEndpoint;
let work: string;
let manifestDir: string;
let dirs: { root: string; configDir: string };

beforeAll(async () => {
  ep = await startLocalEndpoint({ accountId: "111111111111" });
  const m = buildManifest(plan, "us-east-1");
  seedFromManifests(ep, plan, [m]);
  seedEndpoint(ep, readSeed(), ["us-east-1"]);
  work = mkdtempSync(join(tmpdir(), "creds-"));
  manifestDir = join(work, "manifests");
  mkdirSync(manifestDir);
  writeFileSync(join(manifestDir, `${m.stack}.json`), JSON.stringify(m));
  dirs = configDirWith({ "hx.json": hardeningEnvironment("hx") });
});
afterAll(async () => {
  await ep.close();
  rmSync(work, { recursive: true, force: true });
  rmSync(dirs.root, { recursive: true, force: true });
});

/** Runs smoke in-process with `creds` in the default chain's environment variables. */
async function smokeWith(creds: { accessKeyId: string; secretAccessKey: string }): Promise<{ code: number; report: JsonReport }> {
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY, token: process.env.AWS_SESSION_TOKEN, profile: process.env.AWS_PROFILE };
  process.env.AWS_ACCESS_KEY_ID = creds.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = creds.secretAccessKey;
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  const json = join(work, `report-${creds.accessKeyId}-${Date.now()}.json`);
  try {
    const code = await smoke(["--env", "hx", "--endpoint-url", ep.url, "--manifest-dir", manifestDir, "--json", json, "--timeout-ms", "5000"], { stdout: () => undefined, stderr: () => undefined });
    return { code, report: JSON.parse(require("node:fs").readFileSync(json, "utf8")) as JsonReport };
  } finally {
    for (const [k, v] of [["AWS_ACCESS_KEY_ID", saved.id], ["AWS_SECRET_ACCESS_KEY", saved.secret], ["AWS_SESSION_TOKEN", saved.token], ["AWS_PROFILE", saved.profile]] as const)
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  }
}

describe("wrong credentials fail as they would against AWS", () => {
  it.each<[string, { accessKeyId: string; secretAccessKey: string }, string]>([
    ["a key nobody issued", WRONG_KEY, "UnrecognizedClientException"],
    ["a known key with the wrong secret", WRONG_SECRET, "InvalidSignatureException"],
  ])("smoke with %s: exit 1, every AWS check fails as credentials-invalid", async (_name, creds, errorName) => {
    const r = await smokeWith(creds);
    expect(r.code).toBe(1);
    const converse = r.report.checks.filter((c) => c.kind === "converse");
    expect(converse.length).toBeGreaterThan(0);
    for (const c of converse) expect({ verdict: c.verdict, errorName: c.errorName, category: c.category }).toEqual({ verdict: "FAIL", errorName, category: "access" });
  });

  it("smoke with the right keys passes against the same endpoint (the refusal is the keys, not the setup)", async () => {
    expect((await smokeWith({ accessKeyId: "local", secretAccessKey: "local" })).code).toBe(0);
  });

  it("the toggle with a key nobody issued: one line, exit 1, nothing written", async () => {
    ep.clearCalls();
    const err: string[] = [];
    const code = await runToggle(["--env", "hx", "--disable", NOVA.modelId, "--endpoint-url", ep.url], { out: () => undefined, err: (l) => err.push(l) }, { configDir: dirs.configDir, credentials: WRONG_KEY, pollMs: 5, today: TODAY });
    expect(code).toBe(1);
    expect(err).toEqual([expect.stringMatching(/^failed: the credentials were rejected \(UnrecognizedClientException: The security token included in the request is invalid\.\): refresh them .*; nothing was written$/)]);
    expect(ep.calls.filter((c) => c.status === 200 || c.status === 201)).toEqual([]);
  });

  it("catalog:sync with a key nobody issued: the credentials line once, nothing written", async () => {
    const file = join(work, "snapshot.json");
    let failure: unknown;
    try {
      await syncCatalog({ regions: ["us-east-1"], endpointUrl: ep.url, credentials: WRONG_KEY, snapshotFile: file, cwd: work });
    } catch (e) {
      failure = e;
    }
    expect(failure).toBeInstanceOf(SyncFailed);
    expect((failure as SyncFailed).lines).toEqual([expect.stringMatching(/^the credentials were rejected \(UnrecognizedClientException: The security token included in the request is invalid\.\): refresh them/), "nothing written: snapshot.json is unchanged"]);
  });
});
