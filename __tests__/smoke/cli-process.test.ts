import * as fs from "node:fs";
import * as path from "node:path";
import { main } from "../../smoke/cli";
import { NODE_WARNING_SWITCH, nodeSupportNotice } from "../../cli/node-support";
import { names } from "../../core/aws";
import { type ProcessResult, REGION, runTs } from "../fixtures";
import { devEnvironment, runSmoke, startFixture, useSharedFixture } from "./fixtures";
import { routeCandidates } from "../../core/environment";

const f = useSharedFixture();

/**
 * The real command (`npm run smoke` runs exactly this), as a child process; the endpoint keeps serving meanwhile.
 * Children run one at a time with a generous timeout: each start loads the command's modules, which takes seconds on a
 * busy 2-core machine, and several at once used to exceed jest's default timeout.
 */
function smokeProcess(args: readonly string[], options: { nodeNotice?: boolean } = {}): Promise<ProcessResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local", [NODE_WARNING_SWITCH]: "true" };
  // As a user runs it: the switch unset, so on Node < 22 the command says its notice (once) and the SDK says nothing.
  if (options.nodeNotice) delete env[NODE_WARNING_SWITCH];
  return runTs(["smoke/cli.ts", ...args], env);
}

/** A child process can take this long on a loaded machine; the assertions never depend on its speed. */
const CHILD_TIMEOUT_MS = 180_000;

const localArgs = () => ["--env", "dev", "--endpoint-url", f().endpoint.url, "--manifest-dir", f().manifestDir];

describe("the real command, as a child process (one at a time)", () => {
  test(
    "a failing check exits 1 with the JSON report written; the process ends on its own",
    async () => {
      const failing = await startFixture();
      failing.endpoint.inject({ modelId: failing.haiku, fault: "eol" });
      const childJson = path.join(failing.workDir, "child.json");
      try {
        const fail = await smokeProcess(["--env", "dev", "--endpoint-url", failing.endpoint.url, "--manifest-dir", failing.manifestDir, "--json", childJson]);
        expect(fail.code).toBe(1);
        expect(fail.stdout).toMatch(/smoke: FAIL\n$/);
        expect(JSON.parse(fs.readFileSync(childJson, "utf8")).exitCode).toBe(1);
        expect(fail.stderr).not.toMatch(/\n\s+at /);
      } finally {
        await failing.close();
      }
    },
    CHILD_TIMEOUT_MS,
  );

  test(
    "a passing run exits 0 (on Node < 22 with one line saying what to do, never the SDK's warning); a usage error exits 2 with one line on stderr and nothing on stdout",
    async () => {
      const pass = await smokeProcess(localArgs(), { nodeNotice: true });
      expect(pass.code).toBe(0);
      expect(pass.stdout).toMatch(/smoke: PASS\n$/);
      const notice = nodeSupportNotice(process.version);
      expect(pass.stderr).toBe(notice === undefined ? "" : `${notice}\n`);
      expect(pass.stderr).not.toContain("NodeVersionSupportWarning");
      const unknown = await smokeProcess(["--env", "dev", "--bogus"]);
      expect(unknown).toMatchObject({ code: 2, stdout: "" });
      expect(unknown.stderr.trim()).toBe('unknown option "--bogus" (see --help)');
    },
    2 * CHILD_TIMEOUT_MS,
  );
});

describe("missing manifests", () => {
  test("exit 2 naming the fix, no stack trace, nothing called", async () => {
    const err: string[] = [];
    const code = await main(["--env", "dev", "--manifest-dir", path.join(f().workDir, "nowhere")], { stdout: () => undefined, stderr: (l) => err.push(l) });
    expect(code).toBe(2);
    expect(err.join("\n")).toContain("run `npm run synth` first");
    expect(err.join("\n")).not.toMatch(/\n\s+at /);
    expect(f().endpoint.calls).toHaveLength(0);
  });
});

describe("usage and configuration errors: one line on stderr, exit 2, nothing called", () => {
  test.each([
    [["--env", "dev", "--concurrency", "0"], /--concurrency "0" must be a whole number from 1 to 64/],
    [["--env", "dev", "--timeout-ms", "soon"], /--timeout-ms "soon" must be a whole number/],
    [["--region", "us-east-1"], /--env is required/],
    [["--env", "Dev!"], /is not an environment name/],
    [["--env", "dev", "--role-arn", "ci-deployer"], /is not an IAM role ARN/],
    [["--env", "dev", "stray"], /unexpected argument "stray"/],
  ])("%j", async (argv, message) => {
    const err: string[] = [];
    const out: string[] = [];
    const code = await main([...argv, "--manifest-dir", f().manifestDir], { stdout: (l) => out.push(l), stderr: (l) => err.push(l) });
    expect({ code, out }).toEqual({ code: 2, out: [] });
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(message);
  });

  test("a region the environment does not have names the regions it has", async () => {
    const err: string[] = [];
    const code = await main([...localArgs(), "--region", "eu-west-1"], { stdout: () => undefined, stderr: (l) => err.push(l) });
    expect(code).toBe(2);
    expect(err[0]).toMatch(/no stack in eu-west-1 \(its regions: us-east-1\)/);
    expect(f().endpoint.calls).toHaveLength(0);
  });

  test("--help prints usage and exits 0", async () => {
    const out: string[] = [];
    expect(await main(["--help"], { stdout: (l) => out.push(l), stderr: () => undefined })).toBe(0);
    expect(out.join("\n")).toMatch(/--deadline-ms/);
  });
});

describe("--role-arn", () => {
  const role = "arn:aws:iam::123456789012:role/ci-deployer";

  test("Bedrock and AppConfigData run as the assumed role; deployment status and quotas stay with the caller", async () => {
    const r = await runSmoke(f(), ["--role-arn", role]);
    expect(r.code).toBe(0);
    expect(r.check("credentials", role).verdict).toBe("PASS");
    expect(f().endpoint.calls.filter((c) => c.operation === "AssumeRole")).toHaveLength(1);
    const runtime = f().endpoint.calls.filter((c) => c.service === "bedrock-runtime" || c.operation === "StartConfigurationSession" || c.operation === "GetLatestConfiguration");
    const operator = f().endpoint.calls.filter((c) => c.service === "servicequotas" || c.operation === "ListDeployments");
    expect(runtime.length).toBeGreaterThan(0);
    expect(operator.length).toBeGreaterThan(0);
    expect(new Set(runtime.map((c) => c.principal))).toEqual(new Set([role]));
    expect(operator.filter((c) => c.principal === role)).toEqual([]);
  });

  test("a workload's baseline role probes only the models of its routes", async () => {
    // support-bot keeps only the single-model chat route, so its role may call a strict subset of the models.
    const env = devEnvironment((raw) => (raw.workloads["support-bot"].routes = ["chat"]));
    const own = await startFixture(env);
    try {
      const workloadRole = `arn:aws:iam::${env.config.account}:role/${names.workloadRole(env.config.name, REGION, "support-bot")}`;
      const expected = new Set(routeCandidates(env, "chat").map((id) => env.invocations[REGION][id].invokeId));
      expect(expected.size).toBeLessThan(Object.keys(env.invocations[REGION]).length);
      const r = await runSmoke(own, ["--role-arn", workloadRole]);
      expect(r.code).toBe(0);
      expect(new Set(own.endpoint.calls.filter((c) => c.operation === "Converse").map((c) => c.modelId))).toEqual(expected);
    } finally {
      await own.close();
    }
  });

  test("a refused AssumeRole is one failed credentials row and no other call", async () => {
    f().endpoint.denyAssumeRole(role);
    const r = await runSmoke(f(), ["--role-arn", role]);
    expect(r.code).toBe(1);
    const c = r.check("credentials", role);
    expect({ verdict: c.verdict, category: c.category }).toEqual({ verdict: "FAIL", category: "access" });
    expect(c.hint).toContain("sts:AssumeRole");
    expect(r.json.checks).toHaveLength(1);
    expect(f().endpoint.calls.filter((x) => x.service !== "sts")).toHaveLength(0);
  });
});
