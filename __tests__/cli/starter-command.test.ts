import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runBinary } from "../../cli/bedrock-baseline";
import { readEnvironmentFile } from "../../cli/environment-files";
import { productVersion } from "../../cli/package-version";
import { STARTER_PINS } from "../../cli/starter-files";
import { CHECK_STEPS } from "../../cli/starter-workflow";
import { CATALOG, ROOT, tempDir, TODAY } from "../fixtures";
import { recordingIo } from "./command-io";

// `bedrock-baseline init`: a starter repository, written all or nothing after every flag is checked. Whether the
// starter installs, synthesizes, checks and smoke-tests is the starter test's (__tests__/packages/starter.test.ts).

const ACCOUNT = "123456789012";
const FILES = ["config/dev.json", "cdktf.json", "package.json", "main.ts", "tsconfig.json", ".gitignore", ".github/workflows/bedrock-baseline.yml", "README.md"];

async function init(args: string[]) {
  const r = recordingIo();
  const code = await runBinary(["init", ...args], r.io);
  return { code, ...r };
}

/** Every file below `dir`, relative, sorted. */
function tree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name).slice(dir.length + 1))
    .sort();
}

describe("bedrock-baseline init", () => {
  it("writes the starter into a new directory: an environment synth accepts, the packages at this version, the workflow's steps", async () => {
    const dir = join(tempDir("init"), "team-bedrock");
    const r = await init([dir, "--account", ACCOUNT, "--regions", "eu-west-1,eu-central-1", "--env", "staging", "--alarm-email", "ml-platform@example.com"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toEqual([]);
    expect(tree(dir)).toEqual(FILES.map((f) => f.replace("dev", "staging")).sort());
    // The environment passes synth's own reader and validation.
    const loaded = readEnvironmentFile(join(dir, "config", "staging.json"), { catalog: CATALOG, today: TODAY });
    expect(loaded.plan.config).toMatchObject({ name: "staging", account: ACCOUNT, regions: ["eu-west-1", "eu-central-1"] });
    expect(loaded.plan.warnings).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    expect(pkg.name).toBe("team-bedrock");
    expect(pkg.dependencies).toMatchObject({ "@bedrock-access-baseline/cdktf": productVersion(), "@bedrock-access-baseline/cli": productVersion() });
    expect(Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })).not.toContain("@cloud-copilot/iam-simulate");
    const workflow = readFileSync(join(dir, ".github", "workflows", "bedrock-baseline.yml"), "utf8");
    for (const step of CHECK_STEPS) expect(workflow).toContain(`run: '${step.run.replace(/'/g, "''")}'`);
    expect(workflow).toContain("aws-region: eu-west-1");
    expect(readFileSync(join(dir, "main.ts"), "utf8")).toContain('from "@bedrock-access-baseline/cdktf"');
    expect(r.stdout[r.stdout.length - 1]).toContain("npx bedrock-baseline smoke --local --env staging");
    expect(readdirSync(join(dir, ".."))).toEqual(["team-bedrock"]);
  });

  it("pins the framework and tooling at the versions this repository is built and tested with", () => {
    const root = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    const pinned = { ...root.dependencies, ...root.devDependencies };
    for (const [name, version] of Object.entries(STARTER_PINS)) expect([name, version]).toEqual([name, pinned[name]]);
  });

  it.each<[string, string[], RegExp[]]>([
    ["no flags", [], [/^--account is required/, /^--regions is required/]],
    ["every flag wrong at once", ["--account", "12345", "--regions", "us-east-1,eu-wst-1", "--env", "Prod"], [/^--env "Prod" is not an environment name/, /^--account "12345" must be a 12-digit/, /^--regions: "eu-wst-1" is not an AWS region; did you mean eu-west-1\?/]],
    ["a region twice", ["--account", ACCOUNT, "--regions", "us-east-1,us-east-1"], [/^--regions names a region twice/]],
    ["two directories", ["a", "b", "--account", ACCOUNT, "--regions", "us-east-1"], [/^init takes one directory, got 2/]],
    ["an empty directory name", ["", "--account", ACCOUNT, "--regions", "us-east-1"], [/^the directory is empty/]],
    ["a region the catalog has not synced", ["--account", ACCOUNT, "--regions", "sa-east-1"], [/^--regions: the model catalog has no snapshot of sa-east-1 .* catalog sync --regions sa-east-1/]],
    ["--account twice", ["--account", ACCOUNT, "--account", "999999999999", "--regions", "us-east-1"], [/^--account given twice/]],
    ["an address the schema refuses", ["--account", ACCOUNT, "--regions", "us-east-1", "--alarm-email", "not-an-address"], [/^the environment init would write is invalid: alarms\.emails\[0\]: /]],
  ])("%s: exit 2, one line per mistake, nothing written", async (_case, args, messages) => {
    const parent = tempDir("init-bad");
    const dir = join(parent, "starter");
    const r = await init(args[0] === "a" || args[0] === "" ? args : [dir, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual(messages.map((m) => expect.stringMatching(m)));
    expect(r.stdout).toEqual([]);
    expect(readdirSync(parent)).toEqual([]);
  });

  it("refuses a non-empty directory without --force, naming what is there, and writes nothing", async () => {
    const dir = tempDir("init-nonempty");
    writeFileSync(join(dir, "notes.txt"), "mine");
    const r = await init([dir, "--account", ACCOUNT, "--regions", "us-east-1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([expect.stringMatching(/is not empty \("notes\.txt"\): choose an empty or new directory, or pass --force/)]);
    expect(tree(dir)).toEqual(["notes.txt"]);
  });

  it("--force writes into it, replacing same-named files only and keeping the rest", async () => {
    const dir = tempDir("init-force");
    writeFileSync(join(dir, "notes.txt"), "mine");
    writeFileSync(join(dir, "README.md"), "old");
    const r = await init([dir, "--account", ACCOUNT, "--regions", "us-east-1", "--force"]);
    expect(r.code).toBe(0);
    expect(tree(dir)).toEqual([...FILES, "notes.txt"].sort());
    expect(readFileSync(join(dir, "notes.txt"), "utf8")).toBe("mine");
    expect(readFileSync(join(dir, "README.md"), "utf8")).toContain("bedrock-baseline init");
  });

  it.each<[string, (dir: string) => void, RegExp]>([
    ["a directory where config/dev.json goes", (dir) => mkdirSync(join(dir, "config", "dev.json"), { recursive: true }), /config\/dev\.json is a directory, where init writes a file/],
    ["a file where the config folder goes", (dir) => writeFileSync(join(dir, "config"), ""), /config is not a directory, where init writes a folder/],
  ])("with --force, %s: exit 2 before anything is written", async (_case, prepare, message) => {
    const dir = tempDir("init-clash");
    prepare(dir);
    const before = tree(dir);
    const r = await init([dir, "--account", ACCOUNT, "--regions", "us-east-1", "--force"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([expect.stringMatching(message)]);
    expect(tree(dir)).toEqual(before);
  });

  it("a target that is a file, or below one: exit 2, nothing written", async () => {
    const parent = tempDir("init-file");
    writeFileSync(join(parent, "taken"), "x");
    for (const target of [join(parent, "taken"), join(parent, "taken", "starter")]) {
      const r = await init([target, "--account", ACCOUNT, "--regions", "us-east-1"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toEqual([expect.stringMatching(/is not a directory|cannot be used/)]);
    }
    expect(readdirSync(parent)).toEqual(["taken"]);
  });

  it("a directory it cannot write in: exit 2, nothing written (no staging left behind)", async () => {
    if (process.getuid?.() === 0) {
      // root writes anywhere: a read-only mount stands in (/proc refuses every write).
      const r = await init(["/proc/starter", "--account", ACCOUNT, "--regions", "us-east-1"]);
      expect(r.code).toBe(2);
      expect(existsSync("/proc/starter")).toBe(false);
      return;
    }
    const parent = tempDir("init-readonly");
    chmodSync(parent, 0o555);
    const r = await init([join(parent, "starter"), "--account", ACCOUNT, "--regions", "us-east-1"]);
    chmodSync(parent, 0o755);
    expect(r.code).toBe(2);
    expect(readdirSync(parent)).toEqual([]);
  });
});
