/**
 * One mechanism reads every command line (cli/command-line.ts): a single-value flag given twice is refused (never
 * "last one wins"), an empty value is refused, an unknown flag gets "did you mean". Checked on the mechanism, on every
 * command that has one, and by a guard that no command parses its arguments another way.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { parseSyncArgs } from "../../cli/catalog-sync-cli";
import { parseCommandLine } from "../../cli/command-line";
import { describeUserError } from "../../cli/user-error";
import { runCli as localEndpointCli } from "../../local/cli";
import { synth } from "../../main";
import { parseRegenerateArgs } from "../../scripts/catalog-regenerate";
import { parseOptions as parseEvalOptions } from "../../evaluation/options";
import { parseCheckArgs } from "../../environment-check/check-run";
import { main as smoke } from "../../smoke/cli";
import { parseToggleArgs } from "../../toggle/options";
import { ROOT, TS_HOOK } from "../fixtures";

const usage = async (run: () => unknown): Promise<{ lines: string[]; exitCode: number } | undefined> => {
  try {
    await run();
  } catch (e) {
    return describeUserError(e);
  }
  return undefined;
};

describe("parseCommandLine", () => {
  const options = { env: { type: "string" }, region: { type: "string", multiple: true }, stream: { type: "boolean" } } as const;
  it.each<[string, string[], RegExp]>([
    ["a repeated single-value flag", ["--env", "dev", "--env", "prod"], /^--env given twice \("dev" and "prod"\): give it once \(see --help\)$/],
    ["a repeated flag in = form", ["--env=dev", "--env=prod"], /^--env given twice/],
    ["an empty value", ["--env", ""], /^--env needs a value, got an empty string/],
    ["a blank value", ["--env", "  "], /^--env needs a value, got "  "/],
    ["an unknown flag", ["--evn", "dev"], /^unknown option "--evn"; did you mean --env\? \(see --help\)$/],
    ["a missing value", ["--env"], /^--env needs a value \(see --help\)$/],
    ["a value forgotten before the next flag", ["--env", "--stream"], /^--env needs a value, not the option "--stream"/],
    ["a value on a switch", ["--stream=yes"], /^--stream takes no value/],
    ["a stray argument", ["extra"], /^unexpected argument "extra": options are --name value/],
    ["control characters are escaped", ["--e\u001b[31mnv", "x"], /^unknown option "--e\\u001b\[31mnv"/],
  ])("refuses %s with one line (exit 2)", async (_name, args, line) => {
    expect(await usage(() => parseCommandLine({ args, options }))).toEqual({ lines: [expect.stringMatching(line)], exitCode: 2 });
  });

  it("keeps multiple-value flags and booleans as parseArgs does", () => {
    expect(parseCommandLine({ args: ["--region", "a", "--region", "b", "--stream"], options }).values).toEqual({ region: ["a", "b"], stream: true });
  });

  it("property: any flag given twice with any values is refused, naming both values escaped and bounded", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 300 }).filter((s) => s.trim() !== "" && !s.startsWith("-")), fc.string({ minLength: 1, maxLength: 300 }).filter((s) => s.trim() !== "" && !s.startsWith("-")), async (a, b) => {
        const r = await usage(() => parseCommandLine({ args: ["--env", a, "--env", b], options }));
        expect(r?.exitCode).toBe(2);
        expect(r?.lines).toHaveLength(1);
        expect(r!.lines[0]).toMatch(/^--env given twice \(".*" and ".*"\): give it once/);
        expect(r!.lines[0]).not.toMatch(/[\u0000-\u001f\u007f]/);
        expect(r!.lines[0].length).toBeLessThan(400);
      }),
      { numRuns: 200, seed: 16 },
    );
  });
});

describe("every command refuses a single-value flag given twice (exit 2, one line)", () => {
  const quiet = { stdout: () => undefined, stderr: () => undefined };
  it.each<[string, () => Promise<unknown>]>([
    ["synth --config-dir", () => synth(["--config-dir", "a", "--config-dir", "b"], { env: {}, ...quiet })],
    ["synth --catalog-dir", () => synth(["--catalog-dir", "a", "--catalog-dir", "b"], { env: {}, ...quiet })],
    ["toggle --env", async () => parseToggleArgs(["--env", "dev", "--env", "prod", "--disable", "m"])],
    ["toggle --disable", async () => parseToggleArgs(["--env", "dev", "--disable", "a", "--disable", "b"])],
    ["toggle --canary", async () => parseToggleArgs(["--env", "dev", "--canary", "chat=a:10", "--canary", "chat=b:20"])],
    ["catalog:sync --snapshot", async () => parseSyncArgs(["--regions", "us-east-1", "--snapshot", "a.json", "--snapshot", "b.json"])],
    ["catalog:regenerate --snapshot", async () => parseRegenerateArgs(["--snapshot", "a.json", "--snapshot", "b.json"])],
    ["eval --candidate", async () => parseEvalOptions(["--env", "dev", "--task", "chat", "--candidate", "amazon.nova-pro-v1:0", "--candidate", "amazon.nova-lite-v1:0"])],
    ["check:environments --outdir", async () => parseCheckArgs(["--outdir", "a", "--outdir", "b"], {})],
  ])("%s", async (_name, run) => {
    expect(await usage(run)).toEqual({ lines: [expect.stringMatching(/^--[\w-]+ given twice \(".*" and ".*"\): give it once/)], exitCode: 2 });
  });

  it("smoke --env", async () => {
    const err: string[] = [];
    expect(await smoke(["--env", "dev", "--env", "prod"], { stdout: () => undefined, stderr: (l) => err.push(l) })).toBe(2);
    expect(err).toEqual(['--env given twice ("dev" and "prod"): give it once (see --help)']);
  });

  it("local-endpoint --port", async () => {
    const err: string[] = [];
    const r = await localEndpointCli(["--port", "1", "--port", "2"], { out: () => undefined, err: (l) => err.push(l) });
    expect(r).toEqual({ code: 2 });
    expect(err).toEqual(['local endpoint: --port given twice ("1" and "2"): give it once (see --help)']);
  });

  it("smoke:local and the benchmarks, as processes (their entry points parse at start)", () => {
    for (const [script, args] of [
      ["scripts/smoke-local.ts", ["--env", "dev", "--env", "prod"]],
      ["scripts/bench-client.ts", ["--calls", "1", "--calls", "2"]],
    ] as const) {
      let stderr = "";
      let status = 0;
      try {
        execFileSync(process.execPath, ["-r", TS_HOOK, join(ROOT, script), ...args], { cwd: ROOT, env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" }, stdio: "pipe", timeout: 90_000 });
      } catch (e) {
        status = (e as { status: number }).status;
        stderr = String((e as { stderr: Buffer }).stderr);
      }
      expect([script, status !== 0]).toEqual([script, true]);
      expect(stderr).toMatch(/given twice/);
      expect(stderr).not.toMatch(/\n\s+at /);
    }
  }, 180_000);
});

describe("guard: no command parses its arguments another way", () => {
  const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "*.ts"], { cwd: ROOT, encoding: "utf8" })
    .split("\n")
    .filter((f) => f && !f.startsWith("__tests__/") && f !== "cli/command-line.ts");
  it.each(files)("%s does not call node:util parseArgs itself", (f) => {
    const text = readFileSync(join(ROOT, f), "utf8");
    expect(text).not.toMatch(/\bparseArgs\s*\(/);
  });
});
