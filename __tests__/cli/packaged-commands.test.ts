import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createConnection } from "node:net";
import { join } from "node:path";
import { runBinary } from "../../cli/bedrock-baseline";
import { loadCatalog, CATALOG_DIR, OVERLAY_FILE } from "../../cli/catalog-files";
import { startLocalEndpoint, type LocalEndpoint } from "../../local/endpoint";
import { readSeed, seedEndpoint } from "../../scripts/catalog-seed";
import { ENVIRONMENTS_DIR, runTs, tempDir } from "../fixtures";
import { recordingIo } from "./command-io";

// What the binary does differently from the npm scripts, because it runs in a team's repository from an installed
// package: catalog sync writes the project's catalog/, a catalog folder without an overlay gets the shipped one,
// smoke --local runs the stand-in and smoke in one process, local-endpoint serves until a signal.

const QUIET = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };

/** Runs `fn` in `dir` as the working directory (the binary reads and writes relative to it), then goes back. */
async function inDirectory<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const before = process.cwd();
  process.chdir(dir);
  try {
    return await fn();
  } finally {
    process.chdir(before);
  }
}

describe("the project's catalog", () => {
  let ep: LocalEndpoint;
  beforeAll(async () => {
    ep = await startLocalEndpoint();
    seedEndpoint(ep, readSeed());
  });
  afterAll(async () => {
    await ep?.close();
  });

  it("catalog sync writes catalog/snapshot.json in the working directory, not in the installed package; models reads it with --catalog-dir", async () => {
    const project = tempDir("project-catalog");
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local" });
    const shippedBefore = readFileSync(join(CATALOG_DIR, "snapshot.json"), "utf8");
    try {
      const r = recordingIo(QUIET);
      const code = await inDirectory(project, () => runBinary(["catalog", "sync", "--regions", "eu-west-3", "--endpoint-url", ep.url], r.io));
      expect([code, r.stderr]).toEqual([0, []]);
      expect(r.stdout[0]).toMatch(/^catalog sync: reading eu-west-3 from /);
      expect(readdirSync(join(project, "catalog"))).toEqual(["snapshot.json"]);
      expect(readFileSync(join(CATALOG_DIR, "snapshot.json"), "utf8")).toBe(shippedBefore);
      const models = recordingIo(QUIET);
      expect(await runBinary(["models", "--catalog-dir", join(project, "catalog"), "--json"], models.io)).toBe(0);
      expect(new Set(JSON.parse(models.stdout.join("\n")).map((m: { region: string }) => m.region))).toEqual(new Set(["eu-west-3"]));
    } finally {
      for (const [k, v] of [["AWS_ACCESS_KEY_ID", saved.id], ["AWS_SECRET_ACCESS_KEY", saved.secret]] as const) if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it("a catalog folder without overlay.json gets the shipped overlay; its own overlay, when it has one, is read and checked", () => {
    const dir = tempDir("catalog-folder");
    writeFileSync(join(dir, "snapshot.json"), readFileSync(join(CATALOG_DIR, "snapshot.json")));
    const shipped = loadCatalog(CATALOG_DIR);
    expect(loadCatalog(dir).overlay).toEqual(shipped.overlay);
    writeFileSync(join(dir, OVERLAY_FILE), JSON.stringify({ overlayVersion: 1, models: { "amazon.nova-lite-v1:0": { maxOutputTokens: { value: -1, source: ["https://example.com"] } } } }));
    expect(() => loadCatalog(dir)).toThrow(/overlay\.json/);
  });
});

describe("bedrock-baseline smoke --local", () => {
  it("synthesizes the manifests in this process, seeds the stand-in, and the real smoke command passes against it", async () => {
    const manifestDir = join(tempDir("smoke-local"), "out", "manifests");
    const r = recordingIo(QUIET);
    const saved = process.env.AWS_PROFILE;
    process.env.AWS_PROFILE = "operators-own-profile";
    let code: number;
    try {
      code = await runBinary(["smoke", "--local", "--env", "dev", "--config-dir", ENVIRONMENTS_DIR, "--manifest-dir", manifestDir], r.io);
      // Smoke ran with the stand-in's keys only; the operator's own AWS set-up is back once it has run.
      expect(process.env.AWS_PROFILE).toBe("operators-own-profile");
    } finally {
      if (saved === undefined) delete process.env.AWS_PROFILE;
      else process.env.AWS_PROFILE = saved;
    }
    expect(r.stderr).toEqual([]);
    expect(code).toBe(0);
    expect(r.stdout[0]).toMatch(/^No current manifests for dev in .*: synthesizing \(bedrock-baseline synth --env dev\)$/);
    expect(r.stdout).toEqual(expect.arrayContaining([expect.stringMatching(/^Local AWS stand-in on http:\/\/127\.0\.0\.1:\d+: seeded AppConfig/), expect.stringMatching(/^\d+ checks in [\d.]+ s: \d+ passed, 0 failed/)]));
    expect(existsSync(join(manifestDir, "bedrock-dev-us-east-1.json"))).toBe(true);
  }, 180_000);

  it("a mistake in smoke's own options is refused before any synth", async () => {
    const out = join(tempDir("smoke-local-bad"), "out");
    const r = recordingIo(QUIET);
    const code = await runBinary(["smoke", "--local", "--env", "dev", "--config-dir", ENVIRONMENTS_DIR, "--manifest-dir", join(out, "manifests"), "--concurency", "2"], r.io);
    expect(code).toBe(2);
    expect(r.stderr).toEqual([expect.stringMatching(/unknown option "--concurency"; did you mean --concurrency\?/)]);
    expect(existsSync(out)).toBe(false);
  });
});

describe("bedrock-baseline local-endpoint", () => {
  it("serves until SIGTERM, then closes the port and exits 0", async () => {
    let url = "";
    const r = await runTs(["cli/bedrock-baseline.ts", "local-endpoint", "--port", "0"], { ...process.env, ...QUIET }, (text, kill) => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(text);
      if (m && !url) {
        url = m[1];
        kill();
      }
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/local endpoint: SIGTERM, shutting down/);
    expect(r.stderr).toBe("");
    const port = Number(new URL(url).port);
    const refused = await new Promise<boolean>((done) => {
      const s = createConnection({ port, host: "127.0.0.1" });
      s.on("connect", () => (s.destroy(), done(false)));
      s.on("error", () => done(true));
    });
    expect(refused).toBe(true);
  }, 120_000);

  it("a bad option: exit 2, one line, nothing started", async () => {
    const r = recordingIo(QUIET);
    expect(await runBinary(["local-endpoint", "--prot", "1"], r.io)).toBe(2);
    expect(r.stderr).toEqual([expect.stringMatching(/unknown option "--prot"; did you mean --port\?/)]);
  });
});
