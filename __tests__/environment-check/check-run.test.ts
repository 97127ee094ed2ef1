import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { names } from "../../core/aws";
import { loadEnvironments } from "../../cli/environment-files";
import { checkEnvironments, checkStacks } from "../../environment-check/check-run";
import { ENVIRONMENTS_DIR, NOVA_PRO, rawConfig, ROOT, tempDir, TODAY, TS_HOOK } from "../fixtures";

// `npm run check:environments` on environments of the tests' own: what a team's CI runs on config/.

function io(env: NodeJS.ProcessEnv = {}) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, io: { stdout: (l: string) => stdout.push(l), stderr: (l: string) => stderr.push(l), env } };
}

/** A config directory holding the given environments (name -> raw object or text). */
function configDir(files: Record<string, unknown>): string {
  const dir = join(tempDir("check-config"), "config");
  mkdirSync(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, `${name}.json`), typeof content === "string" ? content : JSON.stringify(content));
  return dir;
}

// A temp folder of this file's own, passed as the command's TMPDIR: other test files run check commands in parallel in
// the run's shared one, and their working directories are not this command's leftovers. (Setting process.env.TMPDIR
// here would not do: jest gives a test file a copy of process.env, and os.tmpdir() reads the real one.)
let privateTmp: string;
beforeAll(() => {
  privateTmp = tempDir("check-tmp");
});
const leftovers = () => readdirSync(privateTmp).filter((f) => f.startsWith("check-environments-"));

describe("npm run check:environments", () => {
  it("passes the test environments: valid, synthesized, a smoke plan and an IAM verdict per region stack, nothing left behind", async () => {
    const r = io({ TMPDIR: privateTmp });
    const made = jest.spyOn(require("node:fs") as typeof import("node:fs"), "mkdtempSync");
    expect(await checkEnvironments(["--config-dir", ENVIRONMENTS_DIR], r.io)).toBe(0);
    expect(made.mock.calls.map(([prefix]) => prefix)).toContain(join(privateTmp, "check-environments-")); // so the leftover check below can fail
    made.mockRestore();
    expect(r.stderr).toEqual([]);
    const prod = rawConfig("prod");
    const stacks = [...["us-east-1"].map((g) => names.regionStack("dev", g)), ...prod.regions.map((g: string) => names.regionStack("prod", g))];
    expect(r.stdout[0]).toBe("check:environments: 2 environments valid: __tests__/fixtures/environments/dev.json, __tests__/fixtures/environments/prod.json");
    for (const stack of stacks) {
      expect(r.stdout).toContain(`${stack}: ${readStackLine(r.stdout, stack)}`);
      expect(r.stdout).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${stack}: smoke plan: \\d+ Converse probes`)), expect.stringMatching(new RegExp(`^${stack}: IAM: \\d+ policies( and the endpoint policies)?, \\d+ requests decided as required$`))]));
    }
    expect(r.stdout[r.stdout.length - 1]).toMatch(/^check:environments: PASS \(2 environments, 5 region stacks, \d+ IAM requests\)$/);
    expect(leftovers()).toEqual([]);
  }, 120_000);

  it("the issue's case: a valid edit (a new route on Nova Pro) passes, and the smoke plan shows its probe", async () => {
    const dev = rawConfig("dev");
    dev.models.push({ id: NOVA_PRO.modelId });
    dev.routes.drafting = { primary: NOVA_PRO.modelId, maxTokens: 2048 };
    dev.workloads["support-bot"].routes.push("drafting");
    const r = io();
    expect(await checkEnvironments(["--config-dir", configDir({ dev })], r.io)).toBe(0);
    expect(r.stdout).toContain(`bedrock-dev-us-east-1:   probe ${NOVA_PRO.invokeId} (routes drafting)`);
    expect(r.stdout[r.stdout.length - 1]).toMatch(/^check:environments: PASS \(1 environment, 1 region stack, \d+ IAM requests\)$/);
  }, 120_000);

  it("--env checks one environment; --outdir keeps what synth wrote", async () => {
    const outdir = join(tempDir("check-out"), "out");
    const r = io();
    expect(await checkEnvironments(["--config-dir", ENVIRONMENTS_DIR, "--env", "dev", "--outdir", outdir], r.io)).toBe(0);
    expect(readdirSync(join(outdir, "stacks")).sort()).toEqual(["bedrock-dev-account", "bedrock-dev-us-east-1"]);
    expect(r.stdout[r.stdout.length - 1]).toMatch(/; stacks in .*out\)$/);
  }, 120_000);

  it("invalid environments: exit 1, every problem of every file as one line, nothing synthesized", async () => {
    const broken = rawConfig("dev");
    broken.routes.chat.maxTokens = 200000;
    broken.workloads["support-bot"].routes = ["no-such-route"];
    const outdir = join(tempDir("check-out"), "out");
    const r = io();
    expect(await checkEnvironments(["--config-dir", configDir({ dev: broken, typo: '{ "name": "typo", }' }), "--outdir", outdir], r.io)).toBe(1);
    expect(r.stdout).toEqual([]);
    expect(r.stderr).toHaveLength(3);
    expect(r.stderr).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/config\/dev\.json: routes\.chat\.maxTokens: 200000 exceeds .* -> /),
        expect.stringMatching(/config\/dev\.json: workloads\.support-bot\.routes\[0\]: unknown route "no-such-route" -> /),
        expect.stringMatching(/config\/typo\.json: invalid JSON at line 1, column \d+: trailing comma/),
      ]),
    );
    expect(existsSync(outdir)).toBe(false);
  });

  it.each<[string, string[], NodeJS.ProcessEnv, RegExp]>([
    ["an unknown option", ["--bogus"], {}, /^unknown option "--bogus" \(see --help\)$/],
    ["a misspelt option", ["--config-dri", "x"], {}, /^unknown option "--config-dri"; did you mean --config-dir\?/],
    ["a missing config directory", ["--config-dir", "/nonexistent/config"], {}, /^cannot read the config directory \/nonexistent\/config: /],
    ["an environment without a file", ["--config-dir", ENVIRONMENTS_DIR, "--env", "qa"], {}, /^no environment file for "qa" in .* \(available: dev, prod\)$/],
    ["a path as environment name", ["--config-dir", ENVIRONMENTS_DIR, "--env", "../package"], {}, /^--env "\.\.\/package" is not an environment name/],
    ["--config-dir twice", ["--config-dir", ENVIRONMENTS_DIR, "--config-dir", "config"], {}, /^--config-dir given twice \(".*" and "config"\): give it once/],
    ["an empty --outdir", ["--config-dir", ENVIRONMENTS_DIR, "--outdir", ""], {}, /^--outdir needs a value, got an empty string/],
    ["an empty BEDROCK_CONFIG_DIR", [], { BEDROCK_CONFIG_DIR: "" }, /^BEDROCK_CONFIG_DIR is empty/],
    ["an outdir below a file", ["--config-dir", ENVIRONMENTS_DIR, "--outdir", join(ENVIRONMENTS_DIR, "dev.json", "out")], {}, /is not a directory/],
  ])("%s: exit 2 with one line", async (_case, argv, env, message) => {
    const r = io(env);
    expect(await checkEnvironments(argv, r.io)).toBe(2);
    expect(r.stderr).toEqual([expect.stringMatching(message)]);
    expect(r.stdout).toEqual([]);
  });

  it("a synthesized policy that grants too much fails the check, naming the stack, policy and request", async () => {
    const outdir = join(tempDir("check-out"), "out");
    expect(await checkEnvironments(["--config-dir", ENVIRONMENTS_DIR, "--env", "dev", "--outdir", outdir], io().io)).toBe(0);
    // Tamper with what synth wrote: the ticket-triage policy (the account stack's) also allows every Bedrock model directly.
    const stackFile = join(outdir, "stacks", "bedrock-dev-account", "cdk.tf.json");
    const stack = JSON.parse(readFileSync(stackFile, "utf8"));
    const policyName = names.workloadPolicy("dev", "ticket-triage");
    const policy = Object.values<any>(stack.resource.aws_iam_policy).find((p) => p.name === policyName);
    const doc = JSON.parse(policy.policy);
    doc.Statement.push({ Effect: "Allow", Action: ["bedrock:InvokeModel"], Resource: ["arn:aws:bedrock:*::foundation-model/*"] });
    policy.policy = JSON.stringify(doc);
    writeFileSync(stackFile, JSON.stringify(stack));

    const r = io();
    const loaded = loadEnvironments(ENVIRONMENTS_DIR, { only: ["dev"], today: TODAY });
    expect(await checkStacks(loaded, outdir, r.io)).toBe(1);
    expect(r.stderr.length).toBeGreaterThan(0);
    for (const line of r.stderr) expect(line).toMatch(new RegExp(`^bedrock-dev-us-east-1: IAM: ${policyName}: (Allowed, expected denied: .+|and \\d+ more requests decided otherwise than required)$`));
    expect(r.stdout[r.stdout.length - 1]).toMatch(/^check:environments: FAIL \(\d+ problems; 1 environment, 1 region stack, \d+ IAM requests\)$/);
  }, 120_000);

  it("as a process: --help, and a usage error is one line with exit 2 and no stack trace", async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
        execFile(process.execPath, ["-r", TS_HOOK, join(ROOT, "environment-check", "cli.ts"), ...args], { cwd: ROOT, timeout: 110_000 }, (err, stdout, stderr) =>
          resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        ),
      );
    const help = await run(["--help"]);
    expect(help).toMatchObject({ code: 0, stderr: "" });
    expect(help.stdout).toMatch(/^usage: npm run check:environments -- \[--config-dir DIR\]/);
    const missing = await run(["--config-dir", join(ROOT, "no-such-config")]);
    expect(missing).toMatchObject({ code: 2, stdout: "" });
    expect(missing.stderr.trimEnd().split("\n")).toEqual([expect.stringMatching(/^cannot read the config directory .*no-such-config: /)]);
  }, 120_000);
});

/** The line synth printed for a stack (after "<stack>: "), so the check's output is compared with synth's own. */
function readStackLine(lines: readonly string[], stack: string): string {
  const line = lines.find((l) => l.startsWith(`${stack}: `) && /resources/.test(l));
  if (!line) throw new Error(`no synth line for ${stack}`);
  return line.slice(stack.length + 2);
}
