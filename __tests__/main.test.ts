import { execFile } from "node:child_process";
import { existsSync, symlinkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { displayNameOf, lineColumnAt, loadEnvironments, parseJson, readEnvironmentFile } from "../cli/environment-files";
import { describeUserError, UserInputErrors } from "../cli/user-error";
import { formatProblem, UserInputError } from "../core/problems";
import { synth } from "../main";
import { environmentText, TODAY, TS_HOOK } from "./fixtures";

// main.ts runs twice as a child process, one after the other (never in parallel: on a busy 2-core machine parallel
// starts were what exceeded the timeout), each run serving several assertions; the usage errors and the
// --env run go through the same entry point in-process.

const ROOT = join(__dirname, "..");
const ALARM_KINDS_PER_MODEL = 5; // throttles, server errors, client errors, latency p99, legacy invocations
/** Candidates of the streaming routes of a config: each gets a TTFT alarm. */
const streamedModels = (raw: any) => new Set(Object.values<any>(raw.routes).filter((r) => r.streaming).flatMap((r) => [r.primary, ...(r.fallbacks ?? [])]));
const CHILD_TIMEOUT = 180_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  outdir: string;
}

/** Runs main.ts in a fresh process with `cwd` holding a config/ dir and CDKTF_OUTDIR `cwd/out`. */
function runMain(cwd: string, args: string[] = []): Promise<Run> {
  const outdir = join(cwd, "out");
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["-r", TS_HOOK, join(ROOT, "main.ts"), ...args],
      { cwd, env: { ...process.env, CDKTF_OUTDIR: outdir, BEDROCK_CONFIG_DIR: "config", BEDROCK_ENV: "" }, timeout: CHILD_TIMEOUT - 10_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as any).code ?? 1) : 0, stdout, stderr, outdir }),
    );
  });
}

const dirs: string[] = [];
/** A temp working directory with config/<name>.json files (string or raw bytes). */
/** What loading every environment file of `dir`/config throws (undefined when it loads). */
function loadErrorOf(dir: string): unknown {
  try {
    loadEnvironments(join(dir, "config"), { cwd: dir, today: TODAY });
  } catch (err) {
    return err;
  }
  return undefined;
}

function workdir(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), "bedrock-main-"));
  dirs.push(dir);
  mkdirSync(join(dir, "config"));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, "config", name), content);
  return dir;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A test environment file's text (its copies in each workdir are named config/<name>.json, as a team's would be). */
const repoConfig = environmentText;
const enabledModels = (raw: any) => raw.models.filter((m: any) => m.enabled !== false).map((m: any) => m.id);
const stacksOf = (raw: any) => [...raw.regions.map((r: string) => `bedrock-${raw.name}-${r}`), `bedrock-${raw.name}-account`];
const cdktfManifestStacks = (outdir: string) => Object.keys(JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")).stacks).sort();

/** Resources in a written stack file. */
function resourceCount(outdir: string, stack: string): number {
  const json = JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
  return Object.values<any>(json.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
}

// Three independent semantic mistakes plus a shape error in another section: "every problem at once" is observable.
const broken = (() => {
  const c = JSON.parse(repoConfig("dev"));
  c.name = "staging"; // file is broken.json
  c.routes.chat.maxTokens = 200000; // Haiku 4.5 allows 64000
  c.workloads["support-bot"].routes = ["no-such-route"];
  c.alarms.periodSeconds = "300"; // a string: a shape error that must not hide the three above
  return JSON.stringify(c, null, 2);
})();
// Values that must be treated as data: a route and workload named like Object.prototype members, the same email twice,
// principals the old construct IDs could not tell apart, and an ANSI escape in a tag.
const hostile = (() => {
  const c = JSON.parse(repoConfig("dev"));
  c.name = "hostile";
  c.routes.constructor = c.routes.chat;
  c.workloads.constructor = { routes: ["constructor", "toString"], principals: ["arn:aws:iam::111111111111:role/team/x", "arn:aws:iam::111111111111:role/team_x"] };
  c.alarms.emails = ["oncall@example.com", "ONCALL@example.com"];
  c.tags["\u001b[2Jcolour"] = "x\ny";
  return JSON.stringify(c);
})();
const SYNTAX_ERROR = '{\n  "name": "typo",\n  "account": "111111111111",\n}\n'; // trailing comma on line 3

describe("main.ts (child process)", () => {
  let valid: string;

  it(
    "valid configs: writes every stack and a manifest per region stack, one line per stack; the outdir holds this run only",
    async () => {
      valid = workdir({ "dev.json": repoConfig("dev"), "prod.json": repoConfig("prod") });
      // Left over from earlier runs: a region dev no longer has, an environment that no longer has a file.
      for (const stale of ["bedrock-dev-eu-west-3", "bedrock-dev-eu-us-east-1"]) {
        mkdirSync(join(valid, "out", "stacks", stale), { recursive: true });
        mkdirSync(join(valid, "out", "manifests"), { recursive: true });
        writeFileSync(join(valid, "out", "manifests", `${stale}.json`), "{}");
      }
      mkdirSync(join(valid, "out", "guards"));
      writeFileSync(join(valid, "out", "guards", "bedrock-gone-scp.json"), "{}"); // an environment without a file
      const r = await runMain(valid);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.code).toBe(0);
      const lines = r.stdout.trim().split("\n");
      const expectedStacks: string[] = [];
      for (const name of ["dev", "prod"] as const) {
        const raw = JSON.parse(repoConfig(name));
        expectedStacks.push(...stacksOf(raw));
        const models = enabledModels(raw);
        for (const region of raw.regions) {
          const stack = `bedrock-${name}-${region}`;
          const manifest = JSON.parse(readFileSync(join(r.outdir, "manifests", `${stack}.json`), "utf8"));
          // The five kinds per model, quota usage per model with a known TPM quota code, refusal rate per model, TTFT per
          // streamed model, a fallback-rate and a failure-rate alarm per route, and canary quality per canaried route.
          const quotaAlarms = Object.values<any>(manifest.models).filter((m) => m.tpmQuotaCode).length;
          const canaried = Object.values<any>(raw.routes).filter((r) => r.canary).length;
          const alarms = models.length * (ALARM_KINDS_PER_MODEL + 1) + quotaAlarms + streamedModels(raw).size + 2 * Object.keys(raw.routes).length + canaried;
          expect(lines).toContain(`${stack}: ${resourceCount(r.outdir, stack)} resources, ${models.length} models, ${alarms} alarms`);
          // The next line says what the stack switches on of the security controls, as the file declares them.
          const security = lines[lines.indexOf(`${stack}: ${resourceCount(r.outdir, stack)} resources, ${models.length} models, ${alarms} alarms`) + 1];
          const logging = raw.invocationLogging?.enabled ? "invocation logging on (metadata only; CloudWatch Logs; 365 d; change alert)" : "invocation logging off";
          const endpoints = raw.privateEndpoints?.enabled ? `private endpoints on (${raw.privateEndpoints.services.join(", ")}; private DNS)` : "private endpoints off";
          const kms = raw.encryption?.keys === "create" ? "KMS: customer managed key (created, rotation on)" : "KMS: AWS managed keys";
          const vpce = raw.privateEndpoints?.requireSourceVpce ? "aws:SourceVpce required" : "aws:SourceVpce off";
          expect(security.startsWith("  security: organization guard SCP ")).toBe(true);
          for (const part of [logging, endpoints, vpce, kms]) expect(security).toContain(part);
          expect(manifest).toMatchObject({ stack, environment: name, account: raw.account, region });
          expect(Object.keys(manifest.models).sort()).toEqual([...models].sort());
          expect(Object.keys(manifest.routes).sort()).toEqual(Object.keys(raw.routes).sort());
        }
        const account = `bedrock-${name}-account`;
        expect(lines.some((l) => l.startsWith(`${account}: ${resourceCount(r.outdir, account)} resources`))).toBe(true);
      }
      // Exactly this run's stacks on disk, in cdktf's manifest.json and as smoke manifests: the stale ones are gone.
      expect(readdirSync(join(r.outdir, "stacks")).sort()).toEqual(expectedStacks.sort());
      expect(cdktfManifestStacks(r.outdir)).toEqual(expectedStacks.sort());
      expect(readdirSync(join(r.outdir, "manifests")).sort()).toEqual(expectedStacks.filter((s) => !s.endsWith("-account")).map((s) => `${s}.json`).sort());
      expect(lines.filter((l) => /^bedrock-[a-z0-9-]+: \d+ resources/.test(l))).toHaveLength(expectedStacks.length);
      expect(r.stdout).toContain("out/stacks");
      expect(r.stdout).toContain("out/manifests");
      // prod enables the organization guard without creating it: written next to the stacks, and said so.
      expect(JSON.parse(repoConfig("prod")).organizationGuard).toEqual({ enabled: true });
      expect(readdirSync(join(r.outdir, "guards"))).toEqual(["bedrock-prod-scp.json"]);
      expect(lines).toContain(
        'Wrote the organization guard to out/guards/bedrock-prod-scp.json: attach it as a service control policy from the management account (docs/architecture.md, "Bearer-token API keys and the Mantle endpoint")',
      );
      const scp = JSON.parse(readFileSync(join(r.outdir, "guards", "bedrock-prod-scp.json"), "utf8"));
      expect(scp.Statement.flatMap((st: any) => st.Action).sort()).toEqual(["bedrock-mantle:CallWithBearerToken", "bedrock:CallWithBearerToken", "iam:CreateServiceSpecificCredential"]);
    },
    CHILD_TIMEOUT,
  );

  it(
    "invalid files: exit 1, every problem of every file as one `file: path: message -> fix` line, no stack trace, nothing written",
    async () => {
      const dir = workdir({
        "dev.json": repoConfig("dev"),
        "broken.json": broken,
        "typo.json": SYNTAX_ERROR,
        "bom.json": "\ufeff" + repoConfig("dev").replace('"dev"', '"bom"'),
        "latin1.json": Buffer.concat([Buffer.from('{"name": "latin1", "tags": {"x": "caf'), Buffer.from([0xe9]), Buffer.from('"}}')]),
        "Dev2.json": repoConfig("dev").replace('"dev"', '"dev2"'),
        "hostile.json": hostile,
      });
      const r = await runMain(dir);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe("");
      expect(existsSync(r.outdir)).toBe(false);
      const lines = r.stderr.trimEnd().split("\n");
      expect(lines.filter((l) => /^\s+at /.test(l))).toEqual([]);
      for (const l of lines) expect(l).toMatch(/^config\/[A-Za-z0-9]+\.json(: \S.*)?: .+ -> .+$/);
      // No raw control character reaches the terminal (the tag key's ANSI escape and newline are printed escaped).
      expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
      expect(lines).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^config\/broken\.json: name: "staging" does not match the file name "broken" -> /),
          expect.stringMatching(/^config\/broken\.json: routes\.chat\.maxTokens: 200000 exceeds .*64000.* -> /),
          expect.stringMatching(/^config\/broken\.json: workloads\.support-bot\.routes\[0\]: unknown route "no-such-route" -> /),
          expect.stringMatching(/^config\/broken\.json: alarms\.periodSeconds: must be a number, not "300" -> /),
          expect.stringMatching(/^config\/typo\.json: invalid JSON at line 3, column 28: trailing comma before "}" -> remove the comma$/),
          expect.stringMatching(/^config\/bom\.json: invalid JSON at line 1, column 1: the file starts with a byte-order mark \(BOM\) -> /),
          expect.stringMatching(/^config\/latin1\.json: invalid JSON at line 1, column 38: invalid UTF-8 \(byte 0xE9\) -> save the file as UTF-8$/),
          expect.stringMatching(/^config\/Dev2\.json: the file name "Dev2" is not a valid environment name: .* -> rename the file to dev2\.json/),
          expect.stringMatching(/^config\/hostile\.json: workloads\.constructor\.routes\[1\]: unknown route "toString" -> /),
          expect.stringMatching(/^config\/hostile\.json: alarms\.emails\[1\]: "ONCALL@example\.com" is the same address as \[0\] "oncall@example\.com"/),
          expect.stringMatching(/^config\/hostile\.json: tags\["\\u001b\[2Jcolour"\]: tag key may contain only .* -> /),
        ]),
      );
      // The file name problem is the only one for Dev2.json: no `"name": "Dev2"` advice.
      expect(lines.filter((l) => l.startsWith("config/Dev2.json"))).toHaveLength(1);
      expect(lines.some((l) => l.startsWith("config/dev.json"))).toBe(false);
      // The colliding principals are two different roles: no problem is reported for them.
      expect(lines.some((l) => l.includes("team_x"))).toBe(false);
    },
    CHILD_TIMEOUT,
  );

  it(
    "--env after a full run: that environment is replaced, the others' stacks are kept and stay listed in manifest.json",
    async () => {
      // In-process, in the directory of the first run (same entry point; the child-process cost is paid once).
      const out: string[] = [];
      const stale = join(valid, "out", "stacks", "bedrock-prod-ap-south-1"); // a region prod no longer has
      mkdirSync(stale, { recursive: true });
      const code = await synth(["--env", "prod", "--config-dir", join(valid, "config")], { env: { CDKTF_OUTDIR: join(valid, "out") }, stdout: (t) => out.push(t), stderr: (t) => out.push(t) });
      expect(code).toBe(0);
      const prod = stacksOf(JSON.parse(repoConfig("prod")));
      const dev = stacksOf(JSON.parse(repoConfig("dev")));
      expect(out.join("")).not.toMatch(/^bedrock-dev-.*resources/m);
      expect(out.join("")).toContain(`Kept 2 stacks of other environments from an earlier run: ${dev.sort().join(", ")}`);
      expect(existsSync(stale)).toBe(false);
      expect(readdirSync(join(valid, "out", "stacks")).sort()).toEqual([...prod, ...dev].sort());
      expect(cdktfManifestStacks(join(valid, "out"))).toEqual([...prod, ...dev].sort());
    },
    CHILD_TIMEOUT,
  );
});

describe("main.ts: the organization guard file follows the switch", () => {
  it(
    "written when enabled, removed when switched off or created by the account stack instead",
    async () => {
      const dir = workdir({});
      const write = (guard: unknown) => {
        const c = JSON.parse(repoConfig("dev"));
        c.organizationGuard = guard;
        writeFileSync(join(dir, "config", "dev.json"), JSON.stringify(c));
      };
      const run = async () => {
        const out: string[] = [];
        expect(await synth(["--config-dir", join(dir, "config")], { env: { CDKTF_OUTDIR: join(dir, "out") }, stdout: (t) => out.push(t), stderr: (t) => out.push(t) })).toBe(0);
        return out.join("");
      };
      const guardFile = join(dir, "out", "guards", "bedrock-dev-scp.json");
      const accountPolicies = () => Object.keys(JSON.parse(readFileSync(join(dir, "out", "stacks", "bedrock-dev-account", "cdk.tf.json"), "utf8")).resource.aws_organizations_policy ?? {});

      write({ enabled: true });
      expect(await run()).toContain("Wrote the organization guard to");
      expect(existsSync(guardFile)).toBe(true);
      expect(accountPolicies()).toEqual([]);

      write({ enabled: false });
      const off = await run();
      expect(off).not.toContain("Wrote the organization guard");
      // The security summary says it is off.
      expect(off).toContain("  security: organization guard SCP off;");
      expect(existsSync(join(dir, "out", "guards"))).toBe(false);

      write({ enabled: true, managementAccount: true, targets: ["ou-ab12-cdef3456"] });
      const created = await run();
      expect(created).not.toContain("Wrote the organization guard");
      expect(created).toContain("  security: organization guard SCP on (created);");
      expect(existsSync(guardFile)).toBe(false);
      expect(accountPolicies()).toHaveLength(1);
    },
    CHILD_TIMEOUT,
  );
});

describe("main.ts usage errors (exit 2 before any work)", () => {
  const io = (outdir: string) => ({ env: { CDKTF_OUTDIR: outdir }, stdout: () => undefined, stderr: () => undefined });
  const usage = async (args: string[], outdir: string) => {
    try {
      await synth(args, io(outdir));
    } catch (err) {
      return describeUserError(err);
    }
    return undefined;
  };

  it("an unknown environment name lists what exists", async () => {
    const dir = workdir({ "dev.json": repoConfig("dev") });
    expect(await usage(["--env", "qa", "--config-dir", join(dir, "config")], join(dir, "out"))).toEqual({ lines: [expect.stringMatching(/^no environment file for "qa" in .*config \(available: dev\)$/)], exitCode: 2 });
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  it.each([
    ["a file", (dir: string) => join(dir, "config", "dev.json"), /is not a directory/],
    ["below a file", (dir: string) => join(dir, "config", "dev.json", "out"), /config\/dev\.json is not a directory/],
    ["under /proc", () => "/proc/bedrock-baseline/out", /cannot write in \/proc/],
  ])("CDKTF_OUTDIR %s", async (_name, outdirOf, message) => {
    const dir = workdir({ "dev.json": repoConfig("dev") });
    const result = await usage(["--config-dir", join(dir, "config")], outdirOf(dir));
    expect(result).toEqual({ lines: [expect.stringMatching(message)], exitCode: 2 });
    expect(readdirSync(dir)).toEqual(["config"]);
  });
});

describe("cli/environment-files", () => {
  it.each<[string, number, number, RegExp]>([
    ['{\n  "a": 1,\n}', 2, 9, /trailing comma before "}"/],
    ['{"a" 1}', 1, 6, /expected ":" after the key/],
    ['{\n  "a": [1, 2\n', 3, 1, /the file ends inside an array opened at line 2, column 8/],
    ["", 1, 1, /the file is empty/],
  ])("parseJson reports the cause, line and column: %j", (text, line, column, cause) => {
    const r = parseJson(text);
    expect("problem" in r && r.problem).toMatchObject({ path: "", message: expect.stringMatching(new RegExp(`^invalid JSON at line ${line}, column ${column}: ${cause.source}`)) });
  });

  it("parseJson passes valid JSON through and reports duplicate keys", () => {
    expect(parseJson('{"a":[1]}')).toEqual({ value: { a: [1] }, problems: [], oversized: false });
    expect(parseJson('{"a": {"b": 1, "b": 2}}')).toEqual({ value: { a: { b: 2 } }, problems: [{ path: "a", message: 'key "b" appears twice (again at line 1, column 16); JSON keeps only the last', fix: "keep one of them" }], oversized: false });
  });

  it("lineColumnAt counts from 1, columns in characters", () => {
    expect(lineColumnAt("ab\ncd", 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumnAt("ab\ncd", 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumnAt("\u{1F600}x", 2)).toEqual({ line: 1, column: 2 });
  });

  it("display names are relative to the working directory when inside it", () => {
    expect(displayNameOf("/w/config/dev.json", "/w")).toBe("config/dev.json");
    expect(displayNameOf("/elsewhere/dev.json", "/w")).toBe("/elsewhere/dev.json");
  });

  it("loadEnvironments refuses two environments of one account that both provision invocation logging in a region", () => {
    const logging = (name: string, regions: string[]) => {
      const raw = JSON.parse(repoConfig("dev"));
      return JSON.stringify({ ...raw, name, regions, invocationLogging: { enabled: true } });
    };
    const dir = workdir({ "alpha.json": logging("alpha", ["us-east-1", "us-west-2"]), "beta.json": logging("beta", ["us-west-2"]), "gamma.json": repoConfig("dev").replace('"dev"', '"gamma"') });
    const thrown = loadErrorOf(dir);
    expect(thrown).toBeInstanceOf(UserInputErrors);
    const [error] = (thrown as UserInputErrors).errors;
    expect((thrown as UserInputErrors).errors).toHaveLength(1);
    expect(error.file).toBe("config/beta.json");
    expect(error.problems.map((p) => [p.path, p.message])).toEqual([
      ["invocationLogging.enabled", "config/alpha.json already provisions model invocation logging in account 111111111111, us-west-2: there is one configuration per account and Region, and each apply would overwrite the other's"],
    ]);
    // Either alone is fine, and so is another environment of the account without logging.
    expect(loadEnvironments(join(dir, "config"), { cwd: dir, only: ["alpha", "gamma"], today: TODAY }).map((l) => l.plan.config.name)).toEqual(["alpha", "gamma"]);
  });

  it("loadEnvironments validates every file before failing, follows symlinks, and skips what is not a file", () => {
    const dir = workdir({ "dev.json": repoConfig("dev"), "broken.json": broken, "typo.json": SYNTAX_ERROR });
    const thrown = loadErrorOf(dir);
    expect(thrown).toBeInstanceOf(UserInputErrors);
    expect((thrown as UserInputErrors).errors.map((e) => e.file).sort()).toEqual(["config/broken.json", "config/typo.json"]);
    const loaded = loadEnvironments(join(dir, "config"), { cwd: dir, only: ["dev"], today: TODAY });
    expect(loaded.map((l) => l.plan.config.name)).toEqual(["dev"]);
    writeFileSync(join(dir, "elsewhere.json"), repoConfig("dev").replace('"dev"', '"alias"'));
    symlinkSync(join(dir, "elsewhere.json"), join(dir, "config", "alias.json"));
    mkdirSync(join(dir, "config", "folder.json"));
    expect(loadEnvironments(join(dir, "config"), { cwd: dir, only: ["alias"], today: TODAY }).map((l) => l.plan.config.name)).toEqual(["alias"]);
    expect(() => loadEnvironments(join(dir, "config"), { cwd: dir, only: ["folder"], today: TODAY })).toThrow(/no environment file for "folder"/);
    expect(() => readEnvironmentFile(join(dir, "config"), { cwd: dir })).toThrow(/cannot read the file: it is a directory, not a regular file/);
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
