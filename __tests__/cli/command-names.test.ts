import { asBinaryText } from "../../cli/command-names";

// The binary prints the npm scripts' usage texts and hints with its own subcommands.

describe("asBinaryText", () => {
  it.each([
    ["usage: npm run smoke -- --env <env> [options]", "usage: bedrock-baseline smoke --env <env> [options]"],
    ["run npm run synth -- --env dev to see why", "run bedrock-baseline synth --env dev to see why"],
    ["then npm run synth", "then bedrock-baseline synth"],
    ["npm run catalog:sync -- --regions us-east-1", "bedrock-baseline catalog sync --regions us-east-1"],
    ["usage: npm run check:environments -- [--config-dir DIR]", "usage: bedrock-baseline check [--config-dir DIR]"],
    ["(see npm run smoke -- --help)", "(see bedrock-baseline smoke --help)"],
    ["usage: main.ts [--env NAME]...", "usage: bedrock-baseline synth [--env NAME]..."],
    ["usage: local/cli.ts [--port N]", "usage: bedrock-baseline local-endpoint [--port N]"],
    ["check:environments: PASS (1 environment)", "check: PASS (1 environment)"],
    ["usage: npm run smoke:local -- [--env NAME]", "usage: bedrock-baseline smoke --local [--env NAME]"],
    ["catalog:sync: reading us-east-1 from AWS", "catalog sync: reading us-east-1 from AWS"],
    ["npm run toggle -- --env dev && npm run deploy -- --env dev", "bedrock-baseline toggle --env dev && bedrock-baseline deploy --env dev"],
  ])("%s", (line, expected) => {
    expect(asBinaryText(line)).toBe(expected);
  });

  it.each([
    // Scripts the binary has no subcommand for, and words that merely contain a script's name, stay as they are.
    "npm run synthesize",
    "npm run bench:synth",
    "npm run smokey",
    "see main.ts.bak",
  ])("leaves %s alone", (line) => {
    expect(asBinaryText(line)).toBe(line);
  });
});
