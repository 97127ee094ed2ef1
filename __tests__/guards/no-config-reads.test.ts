import { execFileSync, spawnSync } from "node:child_process";
import { openSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ROOT } from "../fixtures";

// config/ belongs to the adopting team: a valid edit of config/dev.json must leave `npm test` green. Tests use
// __tests__/fixtures/environments. Two guards keep it so: this scan of the test sources for reads of config/, and
// config-read-guard.js, which makes any read of config/ fail at run time in jest and in every child process a test
// starts (a command run without --config-dir reads config/ by default, which no scan of the sources can see).

/**
 * Test sources that may read config/. Empty: a check of what config/ holds belongs in `npm run check:environments`,
 * which a team's CI runs on its own environments.
 */
const ALLOWED: readonly string[] = [];

/** The guards themselves name config/ to refuse it. */
const GUARD_FILES = ["__tests__/guards/no-config-reads.test.ts", "__tests__/guards/config-read-guard.js"];

/** Ways a test source reaches the checkout's config/: a path built from the checkout root, or a relative import. */
const READS: ReadonlyArray<[string, RegExp]> = [
  ["a path joined from the checkout root", /\b(?:join|resolve)\(\s*(?:ROOT|root|__dirname|process\.cwd\(\))\s*,(?:\s*["'](?:\.\.\/?)+["']\s*,)*\s*["']config(?:\/[^"']*)?["']/],
  ["a relative path up to config/", /["'](?:\.\.\/)+config(?:\/[^"']*)?["']/],
  ["a path relative to the working directory", /\b(?:readFileSync|readFile|readdirSync|readEnvironmentFile|loadEnvironments|listEnvironmentFiles)\(\s*["'`](?:\.\/)?config(?:\/|["'`])/],
];

/** One line per place in `text` that reads config/. */
export function configReads(file: string, text: string): string[] {
  return text.split("\n").flatMap((line, i) => READS.filter(([, re]) => re.test(line)).map(([what]) => `${file}:${i + 1}: ${what}: ${line.trim()}`));
}

const testSources = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "__tests__"], { cwd: ROOT, encoding: "utf8" })
  .split("\n")
  .filter((f) => /\.[cm]?[jt]s$/.test(f) && !GUARD_FILES.includes(f) && !ALLOWED.includes(f));

describe("no test reads config/ (the adopting team's environments)", () => {
  it.each<[string, boolean]>([
    ['readFileSync(join(ROOT, "config", `${name}.json`), "utf8")', true],
    ['JSON.parse(readFileSync(join(__dirname, "..", "..", "config", "dev.json"), "utf8"))', true],
    ['const dir = resolve(__dirname, "../../config");', true],
    ['import dev from "../../../config/dev.json";', true],
    ['require("../../../config/prod.json")', true],
    ['readEnvironmentFile("config/dev.json")', true],
    ['loadEnvironments("config")', true],
    // A team's layout rebuilt in a temporary directory, and config/ named in messages, are not reads of the checkout's.
    ['mkdirSync(join(dir, "config"));', false],
    ['validateEnvironment(raw, "config/dev.json", { today: TODAY })', false],
    ['expect(lines).toContain("config/dev.json: routes.chat.maxTokens: ...")', false],
    ['import dev from "../../fixtures/environments/dev.json";', false],
  ])("the scan flags %s: %s", (line, flagged) => {
    expect(configReads("x.test.ts", line).length > 0).toBe(flagged);
  });

  it("scans every test source and helper", () => {
    expect(testSources).toEqual(expect.arrayContaining(["__tests__/fixtures.ts", "__tests__/main.test.ts", "__tests__/smoke/fixtures.ts"]));
  });

  it("no test source or helper reads config/", () => {
    expect(testSources.flatMap((f) => configReads(f, readFileSync(join(ROOT, f), "utf8")))).toEqual([]);
  });

  it("at run time, a read of config/ fails in the test process, whichever fs call makes it", async () => {
    const file = join(ROOT, "config", "dev.json");
    const message = /config\/dev\.json \(\w+\): config\/ belongs to the adopting team -> use the test environments in __tests__\/fixtures\/environments/;
    expect(() => readFileSync(file, "utf8")).toThrow(message);
    expect(() => openSync(file, "r")).toThrow(/config\/dev\.json \(openSync\)/);
    await expect(readFile(file)).rejects.toThrow(message);
    // Reads elsewhere are untouched.
    expect(JSON.parse(readFileSync(join(ROOT, "__tests__", "fixtures", "environments", "dev.json"), "utf8")).name).toBe("dev");
  });

  it("at run time, a read of config/ fails in a child process a test starts (NODE_OPTIONS carries the guard)", () => {
    const child = spawnSync(process.execPath, ["-e", `require("node:fs").readFileSync(${JSON.stringify(join(ROOT, "config", "dev.json"))})`], { encoding: "utf8", env: process.env, timeout: 60_000 });
    expect(child.status).not.toBe(0);
    expect(child.stderr).toMatch(/ConfigReadError: a test read config\/dev\.json \(readFileSync\)/);
  });
});
