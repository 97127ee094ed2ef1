import { CliError } from "../../cli/user-error";
import { DEFAULTS, parseOptions, USAGE } from "../../evaluation/options";

const REQUIRED = ["--env", "prod", "--task", "summarization", "--candidate", "amazon.nova-pro-v1:0"];
const parse = (args: string[], env: NodeJS.ProcessEnv = {}) => parseOptions([...REQUIRED, ...args], env);
const refusal = (args: string[], env: NodeJS.ProcessEnv = {}, base = REQUIRED): string => {
  try {
    parseOptions([...base, ...args], env);
  } catch (e) {
    expect(e).toBeInstanceOf(CliError);
    expect((e as CliError).exitCode).toBe(2);
    return (e as Error).message;
  }
  throw new Error("expected a usage error");
};

describe("npm run eval options", () => {
  it("has the issue's interface and documented defaults", () => {
    expect(parse([])).toEqual({
      env: "prod",
      task: "summarization",
      candidate: "amazon.nova-pro-v1:0",
      maxCalls: 500,
      margin: 0.05,
      concurrency: DEFAULTS.concurrency,
      timeoutMs: DEFAULTS.timeoutMs,
      deadlineMs: DEFAULTS.deadlineMs,
      reportDir: "reports/eval",
      configDir: "config",
      showText: false,
      planOnly: false,
    });
    const all = parse(["--region", "eu-west-1", "--golden", "g.jsonl", "--endpoint-url", "http://u:secret@127.0.0.1:4566", "--repeat", "3", "--max-calls", "40", "--margin", "2.5", "--judge-model", "amazon.nova-lite-v1:0", "--baseline", "amazon.nova-micro-v1:0", "--show-text"]);
    expect(all).toMatchObject({ region: "eu-west-1", golden: "g.jsonl", repeat: 3, maxCalls: 40, margin: 0.025, judgeModel: "amazon.nova-lite-v1:0", baseline: "amazon.nova-micro-v1:0", showText: true });
    expect(all).toMatchObject({ endpointUrl: "http://u:secret@127.0.0.1:4566", endpointShown: "http://***@127.0.0.1:4566" });
    expect(parse([], { BEDROCK_CONFIG_DIR: "envs", BEDROCK_CATALOG_DIR: "cat" })).toMatchObject({ configDir: "envs", catalogDir: "cat" });
    expect(parseOptions(["--help"])).toBe("help");
    for (const flag of ["--repeat", "--max-calls", "--margin", "--timeout-ms", "--deadline-ms", "--concurrency", "--report-dir", "--config-dir", "--show-text", "--plan-only"]) expect(USAGE).toContain(flag);
    expect(USAGE).toMatch(/--timeout-ms <ms>\s+timeout per AWS call \(default 60000\)/);
    expect(USAGE).toMatch(/--deadline-ms <ms>\s+whole-run deadline.*\(default 1800000\)/);
  });

  it.each<[string, string[], RegExp, NodeJS.ProcessEnv?, string[]?]>([
    ["a missing required flag", [], /^--candidate is required, e\.g\. --candidate amazon\.nova-pro-v1:0/, {}, ["--env", "prod", "--task", "t"]],
    ["a single-value flag given twice (never last one wins)", ["--repeat", "2", "--repeat", "3"], /^--repeat given twice \("2" and "3"\): give it once \(see --help\)$/],
    ["an unknown flag, with a suggestion", ["--max-call", "3"], /^unknown option "--max-call"; did you mean --max-calls\?/],
    ["a positional argument", ["extra"], /^unexpected argument "extra"/],
    ["a flag without its value", ["--golden"], /^--golden needs a value/],
    ["a flag whose value is the next option", ["--golden", "--show-text"], /^--golden needs a value, not the option "--show-text"/],
    ["a value on a switch", ["--show-text=yes"], /^--show-text takes no value/],
    ["an empty path", ["--report-dir", ""], /^--report-dir needs a value, got an empty string/],
    ["an empty BEDROCK_CONFIG_DIR", [], /^BEDROCK_CONFIG_DIR is empty/, { BEDROCK_CONFIG_DIR: "" }],
    ["an environment name that is a path", [], /^--env "\.\.\/package" is not an environment name/, {}, ["--env", "../package", "--task", "t", "--candidate", "amazon.nova-pro-v1:0"]],
    ["a task name that is a path", [], /^--task "\.\.\/x" is not a route name/, {}, ["--env", "prod", "--task", "../x", "--candidate", "amazon.nova-pro-v1:0"]],
    ["a candidate that is not a model ID", [], /^--candidate "claude" is not a foundation-model ID/, {}, ["--env", "prod", "--task", "t", "--candidate", "claude"]],
    ["a repeat out of range", ["--repeat", "21"], /^--repeat "21" must be a whole number from 1 to 20/],
    ["a margin of zero", ["--margin", "0"], /^--margin "0" must be a number of percentage points above 0 and at most 50/],
    ["a margin as a fraction of one hundred", ["--margin", "75"], /at most 50/],
    ["a bad region", ["--region", "moon-1"], /^--region "moon-1" is not an AWS region name/],
    ["an endpoint with a query, its password redacted", ["--endpoint-url", "http://u:pw@h:1/?x=1"], /^--endpoint-url http:\/\/\*\*\*@h:1\/\?x=1 must not have a query string/],
  ])("refuses %s", (_label, args, message, env = {}, base = REQUIRED) => {
    const text = refusal(args, env, base);
    expect(text).toMatch(message);
    expect(text).not.toContain("\n");
    expect(text).not.toContain("pw@");
  });
});
