import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { displayNameOf, lineColumnAt, loadEnvironments, parseJson } from "../cli/environment-files";
import { describeUserError, UserInputErrors } from "../cli/user-error";
import { formatProblem, UserInputError } from "../core/problem";
import { TODAY } from "./fixtures";

const ROOT = join(__dirname, "..");
const TS_NODE = require.resolve("ts-node/register/transpile-only");
const ALARM_KINDS_PER_MODEL = 5; // throttles, server errors, client errors, latency p99, legacy invocations

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  cwd: string;
  outdir: string;
}

/** Runs main.ts in a fresh process with `cwd` holding a config/ dir and a temp CDKTF_OUTDIR. */
function runMain(cwd: string, args: string[] = [], env: Record<string, string> = {}): Promise<Run> {
  const outdir = join(cwd, "out");
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["-r", TS_NODE, join(ROOT, "main.ts"), ...args],
      {
        cwd,
        env: { ...process.env, TS_NODE_PROJECT: join(ROOT, "tsconfig.json"), CDKTF_OUTDIR: outdir, BEDROCK_CONFIG_DIR: "config", BEDROCK_ENV: "", ...env },
        timeout: 60000,
      },
      (err, stdout, stderr) => resolve({ code: err ? ((err as any).code ?? 1) : 0, stdout, stderr, cwd, outdir }),
    );
  });
}

/** A temp working directory with config/<name>.json files. */
function workdir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "bedrock-main-"));
  mkdirSync(join(dir, "config"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, "config", name), text);
  return dir;
}

const repoConfig = (name: string) => readFileSync(join(ROOT, "config", `${name}.json`), "utf8");
const enabledModels = (raw: any) => raw.models.filter((m: any) => m.enabled !== false).map((m: any) => m.id);

/** Resources in a written stack file. */
function resourceCount(outdir: string, stack: string): number {
  const json = JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
  return Object.values<any>(json.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
}

// The invalid environment: three independent mistakes in one file, so "every problem at once" is observable.
const broken = (() => {
  const c = JSON.parse(repoConfig("dev"));
  c.name = "staging"; // file is broken.json
  c.routes.chat.maxTokens = 200000; // Haiku 4.5 allows 64000
  c.workloads["support-bot"].routes = ["no-such-route"];
  return JSON.stringify(c, null, 2);
})();
const SYNTAX_ERROR = '{\n  "name": "typo",\n  "account": "111111111111",\n}\n'; // trailing comma on line 3

const runs: Record<string, Promise<Run>> = {};
const dirs: string[] = [];
beforeAll(() => {
  const valid = workdir({ "dev.json": repoConfig("dev"), "prod.json": repoConfig("prod") });
  // Left over from earlier runs: a region dev no longer has, and a stack of another environment named "dev-eu".
  mkdirSync(join(valid, "out", "manifests"), { recursive: true });
  writeFileSync(join(valid, "out", "manifests", "bedrock-dev-eu-west-3.json"), "{}");
  writeFileSync(join(valid, "out", "manifests", "bedrock-dev-eu-us-east-1.json"), "{}");
  const invalid = workdir({ "dev.json": repoConfig("dev"), "broken.json": broken, "typo.json": SYNTAX_ERROR });
  const oneEnv = workdir({ "dev.json": repoConfig("dev"), "prod.json": repoConfig("prod") });
  const unknownEnv = workdir({ "dev.json": repoConfig("dev") });
  dirs.push(valid, invalid, oneEnv, unknownEnv);
  // Started together: each is a separate Node process.
  runs.valid = runMain(valid);
  runs.invalid = runMain(invalid);
  runs.oneEnv = runMain(oneEnv, ["--env", "prod"]);
  runs.unknownEnv = runMain(unknownEnv, [], { BEDROCK_ENV: "qa" });
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("main.ts (child process)", () => {
  it("valid configs: writes every stack and a manifest per region stack, one line per stack", async () => {
    const r = await runs.valid;
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    for (const name of ["dev", "prod"]) {
      const raw = JSON.parse(repoConfig(name));
      const models = enabledModels(raw);
      for (const region of raw.regions) {
        const stack = `bedrock-${name}-${region}`;
        expect(lines).toContain(`${stack}: ${resourceCount(r.outdir, stack)} resources, ${models.length} models, ${models.length * ALARM_KINDS_PER_MODEL} alarms`);
        const manifest = JSON.parse(readFileSync(join(r.outdir, "manifests", `${stack}.json`), "utf8"));
        expect(manifest).toMatchObject({ stack, environment: name, account: raw.account, region });
        expect(Object.keys(manifest.models).sort()).toEqual([...models].sort());
        expect(Object.keys(manifest.routes).sort()).toEqual(Object.keys(raw.routes).sort());
      }
      const account = `bedrock-${name}-account`;
      expect(lines.some((l) => l.startsWith(`${account}: ${resourceCount(r.outdir, account)} resources`))).toBe(true);
    }
    const stacks = readdirSync(join(r.outdir, "stacks"));
    expect(lines.filter((l) => /^bedrock-[a-z0-9-]+: \d+ resources/.test(l))).toHaveLength(stacks.length);
    expect(r.stdout).toContain("out/stacks"); // says where it wrote them
    // Stale manifests of dev's removed regions are dropped; another environment's are kept.
    expect(existsSync(join(r.outdir, "manifests", "bedrock-dev-eu-west-3.json"))).toBe(false);
    expect(existsSync(join(r.outdir, "manifests", "bedrock-dev-eu-us-east-1.json"))).toBe(true);
    expect(r.stdout).toContain("out/manifests");
  });

  it("--env limits synth to that environment", async () => {
    const r = await runs.oneEnv;
    expect(r.code).toBe(0);
    const prod = JSON.parse(repoConfig("prod"));
    expect(readdirSync(join(r.outdir, "stacks")).sort()).toEqual([...prod.regions.map((x: string) => `bedrock-prod-${x}`), "bedrock-prod-account"].sort());
    expect(r.stdout).not.toContain("bedrock-dev-");
  });

  it("invalid configs: exit 1, every problem of every file as `file: path: message -> fix`, no stack trace, nothing written", async () => {
    const r = await runs.invalid;
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines.filter((l) => /^\s+at /.test(l))).toEqual([]);
    for (const l of lines) expect(l).toMatch(/^config\/[a-z]+\.json: .+ -> .+$/);
    // Each mistake planted above shows up, named by its JSON path.
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^config\/broken\.json: name: "staging" does not match the file name "broken" -> /),
        expect.stringMatching(/^config\/broken\.json: routes\.chat\.maxTokens: 200000 exceeds .*64000.* -> /),
        expect.stringMatching(/^config\/broken\.json: workloads\.support-bot\.routes\[0\]: unknown route "no-such-route" -> /),
        expect.stringMatching(/^config\/typo\.json: invalid JSON at line 4, column 1: .+ -> /),
      ]),
    );
    expect(lines.some((l) => l.startsWith("config/dev.json"))).toBe(false);
    expect(existsSync(r.outdir)).toBe(false);
    expect(r.stdout).toBe("");
  });

  it("an unknown environment name: usage error listing what exists, no stack trace", async () => {
    const r = await runs.unknownEnv;
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`no environment file for "qa" in config (available: dev)`);
    expect(existsSync(r.outdir)).toBe(false);
  });
});

describe("cli/environment-files", () => {
  it.each<[string, number, number]>([
    ['{\n  "a": 1,\n}', 3, 1],
    ['{"a" 1}', 1, 6],
    ['{\n  "a": [1, 2\n', 3, 1],
    ["", 1, 1],
  ])("parseJson reports line and column: %j", (text, line, column) => {
    const r = parseJson(text);
    expect("problem" in r && r.problem).toMatchObject({ path: "", message: expect.stringContaining(`line ${line}, column ${column}`) });
  });

  it("parseJson passes valid JSON through", () => {
    expect(parseJson('{"a":[1]}')).toEqual({ value: { a: [1] } });
  });

  it("lineColumnAt counts from 1", () => {
    expect(lineColumnAt("ab\ncd", 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumnAt("ab\ncd", 4)).toEqual({ line: 2, column: 2 });
  });

  it("display names are relative to the working directory when inside it", () => {
    expect(displayNameOf("/w/config/dev.json", "/w")).toBe("config/dev.json");
    expect(displayNameOf("/elsewhere/dev.json", "/w")).toBe("/elsewhere/dev.json");
  });

  it("loadEnvironments validates every file before failing, and runs extra checks", () => {
    const dir = workdir({ "dev.json": repoConfig("dev"), "broken.json": broken, "typo.json": SYNTAX_ERROR });
    try {
      let thrown: unknown;
      try {
        loadEnvironments(join(dir, "config"), { cwd: dir, today: TODAY });
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(UserInputErrors);
      expect((thrown as UserInputErrors).errors.map((e) => e.file).sort()).toEqual(["config/broken.json", "config/typo.json"]);
      const loaded = loadEnvironments(join(dir, "config"), { cwd: dir, only: ["dev"], today: TODAY });
      expect(loaded.map((l) => l.plan.config.name)).toEqual(["dev"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("describeUserError prints problems one per line and leaves bugs alone", () => {
    const e = new UserInputError("config/a.json", [{ path: "p", message: "m", fix: "f" }]);
    expect(describeUserError(e)).toEqual({ lines: [formatProblem("config/a.json", e.problems[0])], exitCode: 1 });
    expect(describeUserError(new TypeError("boom"))).toBeUndefined();
  });

  it("an unknown command-line option is a usage error (exit 2), not a bug", () => {
    let err: unknown;
    try {
      parseArgs({ args: ["--bogus"], options: { env: { type: "string" } } });
    } catch (e) {
      err = e;
    }
    expect(describeUserError(err)).toEqual({ lines: [expect.stringContaining("--bogus")], exitCode: 2 });
  });
});
