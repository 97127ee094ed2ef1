import { chmodSync, mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { findFrameworkCli, frameworkRuntimeProblem, PTY_MODULE } from "../../cli/framework-cli";
import { startLocalEndpoint, type LocalEndpoint } from "../../local/endpoint";
import { ENVIRONMENTS_DIR, ROOT, rawConfig, tempDir } from "../fixtures";
import { recordingIo } from "./command-io";
import { stackCommand } from "../../cli/stack-commands";
import { describeUserError } from "../../cli/user-error";

// `bedrock-baseline diff` / `deploy`: the environment's stacks one after the other through the cdktf CLI, after the
// runtime, Terraform and (for deploy) the credentials are checked. Terraform cannot plan offline, so the project here
// carries stand-ins for the cdktf CLI and for terraform: real programs that record how they were called.

const PROD_REGIONS: string[] = rawConfig("prod").regions;

/** A project with cdktf.json, a cdktf-cli that logs each call and fails on FAKE_FAIL_STACK, and a terraform on PATH. */
function project(): { dir: string; log: string; env: NodeJS.ProcessEnv } {
  const dir = tempDir("stack-project");
  writeFileSync(join(dir, "cdktf.json"), JSON.stringify({ language: "typescript", app: "true" }));
  const cli = join(dir, "node_modules", "cdktf-cli");
  mkdirSync(join(cli, "bin"), { recursive: true });
  writeFileSync(join(cli, "package.json"), JSON.stringify({ name: "cdktf-cli", version: "0.21.0", bin: { cdktf: "bin/cdktf.js" } }));
  writeFileSync(
    join(cli, "bin", "cdktf.js"),
    `const fs = require("node:fs");
fs.appendFileSync(process.env.FAKE_LOG, JSON.stringify({ args: process.argv.slice(2), cwd: process.cwd(), offline: [process.env.DISABLE_VERSION_CHECK, process.env.CHECKPOINT_DISABLE] }) + "\\n");
process.exit(process.argv[3] === process.env.FAKE_FAIL_STACK ? 3 : 0);
`,
  );
  const bin = join(dir, "bin");
  mkdirSync(bin);
  writeFileSync(join(bin, "terraform"), "#!/bin/sh\necho 'Terraform v1.9.8'\n");
  chmodSync(join(bin, "terraform"), 0o755);
  const log = join(dir, "calls.log");
  // The Node-support notice is said once per run and tested on its own (__tests__/cli/node-support.test.ts).
  return { dir, log, env: { PATH: `${bin}:/usr/bin:/bin`, FAKE_LOG: log, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" } };
}

const calls = (log: string) => (existsSync(log) ? readFileSync(log, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { args: string[]; cwd: string; offline: string[] }) : []);

/** Runs the command in the project as the binary would: a user error becomes its lines and exit code. */
async function stacks(kind: "diff" | "deploy", args: string[], p: ReturnType<typeof project>, env: NodeJS.ProcessEnv = {}) {
  const r = recordingIo({ ...p.env, ...env });
  let code: number;
  try {
    code = await stackCommand(kind, ["--config-dir", ENVIRONMENTS_DIR, ...args], r.io, p.dir);
  } catch (err) {
    const user = describeUserError(err);
    if (!user) throw err;
    for (const line of user.lines) r.io.stderr(line);
    code = user.exitCode;
  }
  return { code, ...r };
}

describe("bedrock-baseline diff", () => {
  it("--env: every stack of the environment, one cdktf diff each (region stacks, then the account stack), synthesized once, offline", async () => {
    const p = project();
    const r = await stacks("diff", ["--env", "prod"], p);
    expect(r.code).toBe(0);
    const expected = [...PROD_REGIONS.map((g) => `bedrock-prod-${g}`), "bedrock-prod-account"];
    expect(calls(p.log).map((c) => c.args)).toEqual(expected.map((s, i) => ["diff", s, ...(i > 0 ? ["--skip-synth"] : [])]));
    expect(calls(p.log).every((c) => c.cwd === p.dir && c.offline.join() === "true,1")).toBe(true);
    expect(r.stdout[r.stdout.length - 1]).toBe(`diff: ${expected.length} stacks done: ${expected.join(", ")}`);
  });

  it("the README's pattern ('bedrock-prod-*') selects the same stacks; a name selects one", async () => {
    const p = project();
    expect((await stacks("diff", ["bedrock-prod-*"], p)).code).toBe(0);
    expect((await stacks("diff", ["bedrock-dev-us-east-1"], p)).code).toBe(0);
    expect(calls(p.log).map((c) => c.args[1])).toEqual([...PROD_REGIONS.map((g) => `bedrock-prod-${g}`), "bedrock-prod-account", "bedrock-dev-us-east-1"]);
  });

  it("stops at the first stack that fails, names it and the stacks not run; exit 1", async () => {
    const p = project();
    const failing = `bedrock-prod-${PROD_REGIONS[1]}`;
    const r = await stacks("diff", ["--env", "prod"], p, { FAKE_FAIL_STACK: failing });
    expect(r.code).toBe(1);
    expect(calls(p.log).map((c) => c.args[1])).toEqual([`bedrock-prod-${PROD_REGIONS[0]}`, failing]);
    const rest = [...PROD_REGIONS.slice(2).map((g) => `bedrock-prod-${g}`), "bedrock-prod-account"];
    expect(r.stderr).toEqual([`diff: ${failing} failed (cdktf exited with 3); not run: ${rest.join(", ")}`]);
  });

  it.each<[string, string[], NodeJS.ProcessEnv, RegExp]>([
    ["no stacks named", [], {}, /^diff needs --env NAME or stack names/],
    ["a pattern matching nothing", ["bedrock-prd-*"], {}, /^no stack matches "bedrock-prd-\*"; did you mean bedrock-prod-\*\? \(stacks: bedrock-dev-us-east-1, /],
    ["an unknown environment", ["--env", "qa"], {}, /^no environment file for "qa"/],
    ["terraform missing", ["--env", "dev"], { PATH: "/nonexistent" }, /^cdktf diff needs Terraform \(terraform is not on PATH\): install it from https:\/\/developer\.hashicorp\.com\/terraform\/install/],
  ])("%s: exit 2 with one line, no cdktf call", async (_case, args, env, message) => {
    const p = project();
    const r = await stacks("diff", args, p, env);
    expect(r.code).toBe(2);
    expect(r.stderr.length).toBe(1);
    expect(r.stderr[0]).toMatch(message);
    expect(calls(p.log)).toEqual([]);
  });

  it("outside a cdktf project, or without the cdktf CLI: exit 2 saying what to do", async () => {
    const bare = tempDir("stack-bare");
    const r = recordingIo();
    await expect(stackCommand("diff", ["--config-dir", ENVIRONMENTS_DIR, "--env", "dev"], r.io, bare)).rejects.toThrow(/^no cdktf\.json in .*: run diff in the repository's root/);
    writeFileSync(join(bare, "cdktf.json"), "{}");
    expect(() => findFrameworkCli(bare, () => { throw new Error("not found"); })).toThrow(/npm install --save-dev cdktf-cli@0\.21\.0/);
  });
});

describe("the cdktf CLI on this Node", () => {
  const cli = findFrameworkCli(ROOT);

  it("the up-front check agrees with whether the terminal module really loads here (Node 24 cannot)", () => {
    // Ground truth from a fresh Node of the same version, as the cdktf CLI would load it.
    const entry = require.resolve(PTY_MODULE, { paths: [cli.dir] });
    const loads = spawnSync(process.execPath, ["-e", `require(${JSON.stringify(entry)})`], { encoding: "utf8" }).status === 0;
    const problem = frameworkRuntimeProblem(cli);
    expect(problem === undefined).toBe(loads);
    if (Number(process.versions.node.split(".")[0]) >= 24) expect(problem).toMatch(/cannot load on Node v24/);
  });

  it("when it cannot load, one line says to use Node 22, and diff stops before calling cdktf", () => {
    const problem = frameworkRuntimeProblem(cli, () => "MODULE_NOT_FOUND", "v24.22.3", "137");
    expect(problem).toBe(
      `cdktf-cli's terminal module (${PTY_MODULE}) cannot load on Node v24.22.3 (ABI 137; MODULE_NOT_FOUND), so cdktf diff/deploy would crash: run diff and deploy with Node 22 (nvm use 22, or bash .ci/node-runtime 22 in the product's repository prints one); synth, check and smoke work on this Node`,
    );
    expect(problem).not.toContain("\n");
  });
});

describe("bedrock-baseline deploy", () => {
  let ep: LocalEndpoint;
  const saved: Record<string, string | undefined> = {};
  const KEYS = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_EC2_METADATA_DISABLED"];

  beforeAll(async () => {
    ep = await startLocalEndpoint({ accountId: rawConfig("dev").account });
    for (const k of KEYS) saved[k] = process.env[k];
  });
  afterAll(async () => {
    await ep?.close();
  });
  afterEach(() => {
    for (const k of KEYS) if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  });

  /** The SDK reads credentials and endpoints from the process environment, as in production. */
  function credentials(vars: Record<string, string | undefined>): void {
    const none = join(tempDir("aws-none"), "none");
    Object.assign(process.env, { AWS_CONFIG_FILE: none, AWS_SHARED_CREDENTIALS_FILE: none, AWS_EC2_METADATA_DISABLED: "true", AWS_ENDPOINT_URL: ep.url });
    for (const [k, v] of Object.entries(vars)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }

  it("checks the credentials' account with STS first, says whose they are, then deploys each stack", async () => {
    credentials({ AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local", AWS_PROFILE: undefined, AWS_SESSION_TOKEN: undefined });
    const p = project();
    const r = await stacks("deploy", ["--env", "dev", "--auto-approve"], p);
    expect(r.code).toBe(0);
    expect(r.stdout[0]).toBe(`deploy: credentials of arn:aws:iam::${rawConfig("dev").account}:user/local (account ${rawConfig("dev").account}) for dev`);
    expect(calls(p.log).map((c) => c.args)).toEqual([
      ["deploy", "bedrock-dev-us-east-1", "--ignore-missing-stack-dependencies", "--auto-approve"],
      ["deploy", "bedrock-dev-account", "--skip-synth", "--ignore-missing-stack-dependencies", "--auto-approve"],
    ]);
    expect(ep.calls.filter((c) => c.service === "sts").length).toBeGreaterThan(0);
  });

  it.each<[string, Record<string, string | undefined>, RegExp]>([
    ["no credentials", { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_PROFILE: undefined }, /^no AWS credentials \(.*\): give the AWS SDK credentials/],
    ["credentials STS refuses (a wrong secret)", { AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "wrong" }, /^the AWS credentials were not accepted by STS \(SignatureDoesNotMatch: .*\): give the AWS SDK credentials/],
  ])("%s: exit 2 with one line before Terraform runs", async (_case, vars, message) => {
    credentials(vars);
    const p = project();
    const r = await stacks("deploy", ["--env", "dev"], p);
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([expect.stringMatching(message)]);
    expect(calls(p.log)).toEqual([]);
  });

  it("another account's credentials: exit 2 naming both accounts, nothing deployed", async () => {
    credentials({ AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local" });
    const p = project();
    const r = await stacks("deploy", ["--env", "prod"], p);
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([
      expect.stringMatching(new RegExp(`^the AWS credentials are for account ${rawConfig("dev").account} \\(arn:aws:iam::\\d+:user/local\\), but .*prod\\.json deploys to ${rawConfig("prod").account}: use credentials of ${rawConfig("prod").account}`)),
    ]);
    expect(calls(p.log)).toEqual([]);
  });
});
