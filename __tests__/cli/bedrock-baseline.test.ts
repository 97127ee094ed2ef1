import { runBinary } from "../../cli/bedrock-baseline";
import { COMMANDS } from "../../cli/command-table";
import { productVersion } from "../../cli/package-version";
import { ENVIRONMENTS_DIR } from "../fixtures";
import { recordingIo } from "./command-io";

// `bedrock-baseline`: one binary, a subcommand per command; every mistake is one line and exit 2.

async function run(args: string[]) {
  const r = recordingIo();
  const code = await runBinary(args, r.io);
  return { code, ...r };
}

describe("the binary", () => {
  it("--help lists every command with its summary; -h too", async () => {
    for (const flag of ["--help", "-h"]) {
      const r = await run([flag]);
      expect(r.code).toBe(0);
      for (const c of COMMANDS) expect(r.stdout).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^  ${c.name} +${c.summary.slice(0, 20).replace(/[()]/g, ".")}`))]));
      expect(r.stderr).toEqual([]);
    }
  });

  it("without a command: the overview on stderr, exit 2", async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toEqual([]);
    expect(r.stderr[0]).toMatch(/^usage: bedrock-baseline <command>/);
  });

  it("--version prints the one version of the product's packages", async () => {
    const r = await run(["--version"]);
    expect([r.code, r.stdout]).toEqual([0, [productVersion()]]);
    expect(productVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.each([
    [["sytnh"], /^unknown command "sytnh"; did you mean synth\? \(bedrock-baseline --help lists the commands\)$/],
    [["deplyo", "--env", "dev"], /did you mean deploy\?/],
    [["catalog"], /^catalog needs a subcommand: sync \(see bedrock-baseline --help\)$/],
    [["catalog", "snyc"], /^catalog needs a subcommand: sync \(not "snyc"\)/],
    [["--verison"], /^unknown option "--verison" before the command; did you mean --version\?/],
    [["--env", "dev", "synth"], /^unknown option "--env" before the command/],
    [["frobnicate"], /^unknown command "frobnicate" \(bedrock-baseline --help lists the commands\)$/],
  ])("%j: exit 2 with one line", async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([expect.stringMatching(message)]);
    expect(r.stdout).toEqual([]);
  });

  it("help <command> is <command> --help", async () => {
    const a = await run(["help", "models"]);
    const b = await run(["models", "--help"]);
    expect(a.code).toBe(0);
    expect(a.stdout).toEqual(b.stdout);
  });
});

describe.each(COMMANDS.map((c) => [c.name]))("bedrock-baseline %s", (name) => {
  const words = name.split(" ");

  it("--help: exit 0, its usage names the binary's subcommand, never an npm script", async () => {
    const r = await run([...words, "--help"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toEqual([]);
    const text = r.stdout.join("\n");
    expect(text.toLowerCase()).toContain(`bedrock-baseline ${name}`);
    expect(text).not.toMatch(/npm run (synth|smoke|toggle|eval|catalog:sync|local-endpoint|check:environments|diff|deploy)\b(?![:\w-])/);
  }, 60_000);

  it("an unknown flag: exit 2, one line with did-you-mean, nothing on stdout", async () => {
    const r = await run([...words, "--hepl"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([expect.stringMatching(/unknown option "--hepl"; did you mean --help\?/i)]);
    expect(r.stdout).toEqual([]);
  }, 60_000);
});

describe("a single-value flag given twice is refused, never last-wins", () => {
  it.each([
    [["synth", "--config-dir", ENVIRONMENTS_DIR, "--config-dir", "/elsewhere"], "--config-dir"],
    [["check", "--config-dir", ENVIRONMENTS_DIR, "--config-dir", "/elsewhere"], "--config-dir"],
    [["models", "--model", "nova", "--model", "haiku"], "--model"],
    [["init", "x", "--account", "111111111111", "--account", "222222222222", "--regions", "us-east-1"], "--account"],
    [["diff", "--env", "dev", "--config-dir", ENVIRONMENTS_DIR, "--config-dir", "/elsewhere"], "--config-dir"],
    [["deploy", "--env", "dev", "--config-dir", ENVIRONMENTS_DIR, "--config-dir", "/elsewhere"], "--config-dir"],
    [["smoke", "--env", "dev", "--env", "prod"], "--env"],
    [["toggle", "--env", "dev", "--env", "prod", "--disable", "amazon.nova-lite-v1:0", "--reason", "x"], "--env"],
    [["eval", "--env", "dev", "--env", "prod", "--task", "chat", "--candidate", "amazon.nova-lite-v1:0"], "--env"],
    [["catalog", "sync", "--regions", "us-east-1", "--regions", "eu-west-1"], "--regions"],
    [["local-endpoint", "--port", "1", "--port", "2"], "--port"],
  ])("%j", async (args, flag) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([expect.stringContaining(`${flag} given twice`)]);
    expect(r.stdout).toEqual([]);
  }, 60_000);
});
