import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../fixtures";

// `npm test` once left standalone-* directories in the machine's temp folder on every run. Each run now has a temp
// folder of its own (scripts/jest-temp-setup.js) whose teardown fails the run when a test left anything there.
const { checkTempRoot } = require("../../scripts/jest-temp-teardown.js") as { checkTempRoot: (root: string) => void };

describe("the run's temp folder", () => {
  it("is this run's own (TMPDIR), which child processes inherit", () => {
    expect(process.env.BEDROCK_TEST_TMPDIR).toBeDefined();
    expect(process.env.TMPDIR).toBe(process.env.BEDROCK_TEST_TMPDIR);
    expect(tempDir("probe").startsWith(`${process.env.BEDROCK_TEST_TMPDIR}/probe-`)).toBe(true);
  });

  it("the teardown fails naming what a test left, and removes the folder either way", () => {
    const root = join(tempDir("teardown"), "run");
    mkdirSync(join(root, "standalone-abc123"), { recursive: true });
    writeFileSync(join(root, "report.json"), "{}");
    mkdirSync(join(root, "cdktf.outdir.x1y2z3")); // cdktf's Testing.app() leaves these: not a test's to remove
    expect(() => checkTempRoot(root)).toThrow(/^tests left 2 entries in the temp folder: report\.json, standalone-abc123 -> /);
    expect(existsSync(root)).toBe(false);
  });

  it("passes when only a library's leftovers remain", () => {
    const root = join(tempDir("teardown"), "run");
    mkdirSync(join(root, "cdktf.outdir.x1y2z3"), { recursive: true });
    mkdirSync(join(root, "v8-compile-cache-0")); // ts-node's compile cache, shared by its child processes
    mkdirSync(join(root, "node-compile-cache")); // Node >= 22.1's module compile cache, which tsc turns on
    expect(() => checkTempRoot(root)).not.toThrow();
    expect(existsSync(root)).toBe(false);
  });
});
