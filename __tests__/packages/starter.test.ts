import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { productVersion } from "../../cli/package-version";
import { CHECK_STEPS } from "../../cli/starter-workflow";
import { cleanEnv, installedPackages } from "../../scripts/client-package";
import { initStarter, installStarter, PACKAGE_NAMES, packAll, type PackedPackage, starterBinary } from "../../scripts/product-packages";
import { tempDir } from "../fixtures";

// Adopting without forking, end to end and offline: the three packages packed, a starter written by `init` into an
// empty directory, the tarballs installed there (registry dependencies from the npm cache), then what the starter's
// CI workflow runs, step by step: synth, the environment check, smoke against the local AWS stand-in. Nothing of this repository
// is used by the starter but the tarballs. Figures (sizes, install and synth times): npm run bench:starter.

const run = promisify(execFile);
jest.setTimeout(600_000);

let work: string;
let starter: string;
let packed: { client: PackedPackage; cdktf: PackedPackage; cli: PackedPackage };
const ACCOUNT = "123456789012";

beforeAll(async () => {
  work = tempDir("starter");
  packed = await packAll(work);
  starter = join(work, "team-bedrock");
  await initStarter(starter, ["--account", ACCOUNT, "--regions", "us-east-1,eu-west-1", "--alarm-email", "platform@example.com"]);
  await installStarter(starter, [packed.cdktf.tarball, packed.cli.tarball]);
}, 1_800_000);

/** The starter's binary with no AWS of its own: local keys, no shared config, nothing from this machine's profile. */
function binary(args: string[], env: NodeJS.ProcessEnv = {}) {
  const none = join(work, "no-aws-config");
  return starterBinary(starter, args, { AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local", AWS_CONFIG_FILE: none, AWS_SHARED_CREDENTIALS_FILE: none, AWS_EC2_METADATA_DISABLED: "true", ...env });
}

describe("the packages", () => {
  it("all three carry the one version, and the starter depends on it", () => {
    expect([packed.client.version, packed.cdktf.version, packed.cli.version]).toEqual([productVersion(), productVersion(), productVersion()]);
    expect([packed.client.name, packed.cdktf.name, packed.cli.name]).toEqual(Object.values(PACKAGE_NAMES));
  });

  it("hold compiled JavaScript and the data they read, no TypeScript sources, tests or environment files", () => {
    for (const p of [packed.cdktf, packed.cli]) {
      expect(p.files.filter((f) => /(^|\/)__tests__\/|\.test\.|(?<!\.d)\.ts$|tsconfig|(^|\/)config\//.test(f))).toEqual([]);
      expect(p.files).toEqual(expect.arrayContaining(["package.json", "dist/catalog/snapshot.json", "dist/catalog/overlay.json", "dist/schemas/environment.schema.json"]));
    }
    expect(packed.cdktf.files).toEqual(expect.arrayContaining(["dist/modules/index.js", "dist/modules/index.d.ts", "dist/modules/bedrock-baseline.d.ts"]));
    expect(packed.cli.files).toEqual(expect.arrayContaining(["dist/cli/bedrock-baseline.js", "dist/catalog/seed.json", "dist/local/scenarios/faults.json"]));
  });

  it("install no AGPL evaluator, no test tooling; cdktf and the provider once, as the starter's own peers", () => {
    const names = installedPackages(join(starter, "node_modules"));
    expect([...names].filter((n) => /^@cloud-copilot\/|^(jest|ts-jest|fast-check)$/.test(n))).toEqual([]);
    for (const n of ["cdktf", "constructs", "@cdktf/provider-aws", PACKAGE_NAMES.cdktf, PACKAGE_NAMES.cli]) expect(names).toContain(n);
    expect(existsSync(join(starter, "node_modules", PACKAGE_NAMES.cli, "node_modules", "cdktf"))).toBe(false);
    expect(existsSync(join(starter, "node_modules", PACKAGE_NAMES.cdktf, "node_modules", "cdktf"))).toBe(false);
  });
});

describe("the starter", () => {
  it("holds only its environment, a thin entry point and its tooling", () => {
    const own = readdirSync(starter).filter((f) => !["node_modules", "package-lock.json"].includes(f)).sort();
    expect(own).toEqual([".github", ".gitignore", "README.md", "cdktf.json", "config", "main.ts", "package.json", "tsconfig.json"]);
    expect(readdirSync(join(starter, "config"))).toEqual(["dev.json"]);
    // Editors find the environment's JSON Schema in the installed library.
    const schema = JSON.parse(readFileSync(join(starter, "config", "dev.json"), "utf8")).$schema;
    expect(JSON.parse(readFileSync(join(starter, "config", schema), "utf8"))).toMatchObject({ $schema: expect.stringContaining("json-schema.org") });
    expect(readFileSync(join(starter, "main.ts"), "utf8").split("\n").filter((l) => l.trim() && !/^\s*(\/\/|\*|\/\*\*)/.test(l)).length).toBeLessThanOrEqual(8);
  });

  it("bedrock-baseline --version and models run from the install", async () => {
    expect((await binary(["--version"])).stdout.trim()).toBe(productVersion());
    const models = await binary(["models", "--region", "eu-west-1", "--provider", "Amazon"]);
    expect(models.code).toBe(0);
    expect(models.stdout).toContain("amazon.nova-lite-v1:0");
  });

  it("synth: both regions' stacks, the account stack and the manifests", async () => {
    const r = await binary(["synth"]);
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout).toMatch(/^bedrock-dev-us-east-1: \d+ resources, 2 models, \d+ alarms$/m);
    expect(readdirSync(join(starter, "cdktf.out", "stacks")).sort()).toEqual(["bedrock-dev-account", "bedrock-dev-eu-west-1", "bedrock-dev-us-east-1"]);
    expect(readdirSync(join(starter, "cdktf.out", "manifests")).sort()).toEqual(["bedrock-dev-eu-west-1.json", "bedrock-dev-us-east-1.json"]);
  });

  it("its main.ts (the cdktf app diff and deploy run) type-checks and synthesizes the same stacks and manifests", async () => {
    const tsc = join(starter, "node_modules", "typescript", "bin", "tsc");
    await run(process.execPath, [tsc, "--noEmit", "-p", "tsconfig.json"], { cwd: starter, env: cleanEnv(), timeout: 300_000 });
    // Inside the starter, as cdktf.out is: the local backend's state path is relative to the outdir.
    const out = join(starter, "main-ts-out");
    const tsNode = join(starter, "node_modules", "ts-node", "dist", "bin.js");
    await run(process.execPath, [tsNode, "--transpile-only", "main.ts"], { cwd: starter, env: cleanEnv({ CDKTF_OUTDIR: out }), timeout: 300_000 });
    for (const folder of ["stacks", "manifests"]) {
      const files = (dir: string) => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name).slice(dir.length));
      const a = join(starter, "cdktf.out", folder);
      const b = join(out, folder);
      expect(files(b).sort()).toEqual(files(a).sort());
      for (const f of files(a)) expect([f, readFileSync(join(b, f), "utf8")]).toEqual([f, readFileSync(join(a, f), "utf8")]);
    }
  });

  it("check: valid, synthesized, the smoke plan; the IAM matrix skipped in one line (its evaluator is not installed), an error with --require-iam-matrix", async () => {
    const r = await binary(["check"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/IAM matrix skipped: the IAM matrix needs @cloud-copilot\/iam-simulate, which is not installed; to enable it: npm install --save-dev @cloud-copilot\/iam-simulate@/);
    expect(r.stdout.trim().split("\n").pop()).toBe("check: PASS (1 environment, 2 region stacks, IAM matrix skipped)");
    const strict = await binary(["check", "--require-iam-matrix"]);
    expect(strict.code).toBe(2);
    expect(strict.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("the workflow's offline job, step by step as GitHub runs it (bash in the repository): synth, check, smoke against the local stand-in", async () => {
    const none = join(work, "no-aws-config");
    for (const step of CHECK_STEPS) {
      const r = await run("bash", ["-e", "-c", step.run], {
        cwd: starter,
        env: cleanEnv({ AWS_CONFIG_FILE: none, AWS_SHARED_CREDENTIALS_FILE: none, AWS_EC2_METADATA_DISABLED: "true", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" }),
        timeout: 600_000,
        maxBuffer: 64 * 1024 * 1024,
      }).catch((e) => e);
      expect([step.name, r.code ?? 0, r.stderr]).toEqual([step.name, 0, ""]);
      if (!step.run.includes("smoke --local")) continue;
      expect(r.stdout).toMatch(/[1-9]\d* checks in [\d.]+ s: [1-9]\d* passed, 0 failed/);
      // Every model of dev.json answered through its geographic profile in both regions.
      for (const id of ["us.amazon.nova-lite-v1:0", "us.amazon.nova-micro-v1:0", "eu.amazon.nova-lite-v1:0", "eu.amazon.nova-micro-v1:0"]) expect(r.stdout).toContain(id);
    }
  });

  it("a team's mistake: synth and main.ts print one line per problem and exit 1, no stack trace, nothing written", async () => {
    const file = join(starter, "config", "dev.json");
    const good = readFileSync(file, "utf8");
    try {
      const doc = JSON.parse(good);
      doc.routes.chat.maxTokens = 200000;
      doc.routes.chat.temprature = 0.2;
      writeFileSync(file, JSON.stringify(doc, null, 2));
      rmSync(join(starter, "cdktf.out"), { recursive: true, force: true });
      const r = await binary(["synth"]);
      expect(r.code).toBe(1);
      const lines = r.stderr.trim().split("\n");
      expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/^config\/dev\.json: routes\.chat\.maxTokens: 200000 exceeds /), expect.stringMatching(/^config\/dev\.json: routes\.chat.*temprature.*did you mean "temperature"/)]));
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(join(starter, "cdktf.out"))).toBe(false);
      const tsNode = join(starter, "node_modules", "ts-node", "dist", "bin.js");
      const app = await run(process.execPath, [tsNode, "--transpile-only", "main.ts"], { cwd: starter, env: cleanEnv({ CDKTF_OUTDIR: join(work, "bad-out") }) }).catch((e) => e);
      expect(app.code).toBe(1);
      expect(app.stderr.trim().split("\n")).toEqual(lines);
      expect(existsSync(join(work, "bad-out", "stacks"))).toBe(false);
    } finally {
      writeFileSync(file, good);
    }
  });
});
