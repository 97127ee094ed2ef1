/**
 * Every path argument of every command is checked before anything is written, and no command hangs on or trips over
 * a file that is not what it expects: FIFOs, directories where a file belongs, files where a directory belongs,
 * symbolic links to nothing or in a loop, empty values. The table runs each command against each kind of hostile path
 * in a fresh sandbox and asserts the class: a non-zero exit, a few one-line problems, no stack trace, and the
 * filesystem exactly as it was.
 */
import { execFileSync } from "node:child_process";
import { cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CATALOG_DIR, loadCatalog, OVERLAY_FILE, readSnapshot, SNAPSHOT_FILE } from "../../cli/catalog-files";
import { parseSyncArgs } from "../../cli/catalog-sync-cli";
import { describeUserError } from "../../cli/user-error";
import { runCli as localEndpointCli } from "../../local/cli";
import { prepareEnvironment } from "../../local/manifests";
import { synth } from "../../main";
import { parseRegenerateArgs } from "../../scripts/catalog-regenerate";
import { main as smoke } from "../../smoke/cli";
import { configDirWith, hardeningEnvironment } from "./environment";

const sandboxes: string[] = [];
afterAll(() => {
  for (const d of sandboxes) rmSync(d, { recursive: true, force: true });
});
function sandbox(): string {
  const d = mkdtempSync(join(tmpdir(), "paths-"));
  sandboxes.push(d);
  return d;
}

/** Every path under `root` with its kind and size: what "nothing was written" compares. */
function tree(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir).sort()) {
      const st = lstatSync(join(dir, name));
      const kind = st.isDirectory() ? "dir" : st.isFIFO() ? "fifo" : st.isSymbolicLink() ? "link" : "file";
      out.push(`${rel}${name} ${kind} ${kind === "file" ? st.size : ""}`);
      if (kind === "dir") walk(join(dir, name), `${rel}${name}/`);
    }
  };
  walk(root, "");
  return out;
}

/** What one command run printed and returned, from its error or its io. */
interface Outcome {
  code: number;
  lines: string[];
}

async function outcomeOf(run: () => Promise<number | { code: number }> | number): Promise<Outcome> {
  try {
    const r = await run();
    return { code: typeof r === "number" ? r : r.code, lines: [] };
  } catch (e) {
    const user = describeUserError(e);
    if (!user) throw e;
    return { code: user.exitCode, lines: user.lines };
  }
}

/** Hostile things a path argument can name, made inside `dir`; each returns the path to pass. */
const KINDS: Record<string, (dir: string) => string> = {
  fifo: (dir) => {
    const p = join(dir, "named-pipe.json");
    execFileSync("mkfifo", [p]);
    return p;
  },
  "a directory": (dir) => {
    const p = join(dir, "a-directory.json");
    mkdirSync(p);
    return p;
  },
  "a file": (dir) => {
    const p = join(dir, "a-file");
    writeFileSync(p, "x");
    return p;
  },
  "below a file": (dir) => {
    writeFileSync(join(dir, "plain"), "x");
    return join(dir, "plain", "below");
  },
  "a dangling link": (dir) => {
    const p = join(dir, "dangling.json");
    symlinkSync(join(dir, "nowhere"), p);
    return p;
  },
  "a link loop": (dir) => {
    symlinkSync(join(dir, "loop-b.json"), join(dir, "loop-a.json"));
    symlinkSync(join(dir, "loop-a.json"), join(dir, "loop-b.json"));
    return join(dir, "loop-a.json");
  },
  "an empty string": () => "",
};

const quiet = { stdout: () => undefined, stderr: () => undefined };
const env = hardeningEnvironment("hx");

/** Each command and path argument, and which kinds of path are wrong for it. */
const COMMANDS: Array<{ name: string; wrong: string[]; run: (path: string, dir: string) => Promise<Outcome> }> = [
  { name: "synth --config-dir", wrong: ["fifo", "a file", "below a file", "a dangling link", "a link loop", "an empty string"], run: (p, dir) => outcomeOf(() => synth(["--config-dir", p], { env: { CDKTF_OUTDIR: join(dir, "out") }, ...quiet })) },
  { name: "synth CDKTF_OUTDIR", wrong: ["fifo", "a file", "below a file", "a dangling link", "a link loop"], run: (p, dir) => outcomeOf(() => synth(["--config-dir", configDirIn(dir)], { env: { CDKTF_OUTDIR: p }, ...quiet })) },
  { name: "synth BEDROCK_CONFIG_DIR", wrong: ["an empty string"], run: (p, dir) => outcomeOf(() => synth([], { env: { CDKTF_OUTDIR: join(dir, "out"), BEDROCK_CONFIG_DIR: p }, ...quiet })) },
  { name: "synth --catalog-dir", wrong: ["fifo", "a file", "a dangling link", "a link loop", "an empty string"], run: (p, dir) => outcomeOf(() => synth(["--config-dir", configDirIn(dir), "--catalog-dir", p], { env: { CDKTF_OUTDIR: join(dir, "out") }, ...quiet })) },
  { name: "catalog:sync --snapshot", wrong: ["fifo", "a directory", "below a file", "a dangling link", "a link loop", "an empty string"], run: (p) => outcomeOf(() => (parseSyncArgs(["--regions", "us-east-1", "--snapshot", p]), readSnapshot(p), 0)) },
  { name: "catalog:regenerate --snapshot", wrong: ["fifo", "a directory", "below a file", "a link loop", "an empty string"], run: (p) => outcomeOf(() => (parseRegenerateArgs(["--check", "--snapshot", p]), 0)) },
  { name: "local-endpoint --scenario", wrong: ["fifo", "a directory", "a file", "below a file", "a dangling link", "a link loop", "an empty string"], run: (p) => localRun(["--scenario", p]) },
  { name: "local-endpoint --env --manifest-dir", wrong: ["fifo", "a directory", "a file", "below a file", "a dangling link", "a link loop", "an empty string"], run: (p, dir) => outcomeOf(() => prepareEnvironment({ env: "hx", configDir: configDirIn(dir), manifestDir: p }).then(() => 0)) },
  { name: "smoke --manifest-dir", wrong: ["fifo", "a file", "below a file", "a dangling link", "a link loop", "an empty string"], run: (p) => smokeRun(["--env", "hx", "--manifest-dir", p]) },
  { name: "smoke --json", wrong: ["fifo", "a directory", "below a file", "an empty string"], run: (p, dir) => smokeRun(["--env", "hx", "--manifest-dir", manifestsIn(dir), "--json", p]) },
];

/** A config directory holding the fixture environment, inside the sandbox. */
function configDirIn(dir: string): string {
  const c = join(dir, "cfg");
  mkdirSync(c, { recursive: true });
  writeFileSync(join(c, "hx.json"), JSON.stringify(env));
  return c;
}
/** A manifests directory with one (unreadable-to-AWS, but well-named) manifest, inside the sandbox. */
function manifestsIn(dir: string): string {
  const m = join(dir, "out", "manifests");
  mkdirSync(m, { recursive: true });
  return m;
}

async function localRun(argv: string[]): Promise<Outcome> {
  const lines: string[] = [];
  const r = await localEndpointCli(argv, { out: () => undefined, err: (l) => lines.push(l) });
  await r.endpoint?.close();
  return { code: r.code, lines };
}

async function smokeRun(argv: string[]): Promise<Outcome> {
  const lines: string[] = [];
  const code = await smoke(argv, { stdout: () => undefined, stderr: (l) => lines.push(l) });
  return { code, lines };
}

describe.each(COMMANDS)("$name", ({ wrong, run }) => {
  it.each(wrong)("refuses %s: non-zero exit, one line per problem, no stack trace, nothing written", async (kind) => {
    const dir = sandbox();
    const p = KINDS[kind](dir);
    const before = tree(dir);
    const r = await run(p, dir);
    expect(r.code).toBeGreaterThan(0);
    expect(r.lines.length).toBeGreaterThan(0);
    expect(r.lines.length).toBeLessThanOrEqual(3);
    for (const l of r.lines) expect(l).not.toMatch(/\n|^\s+at /);
    expect(tree(dir).filter((e) => !/^cfg|^out( |\/manifests)/.test(e))).toEqual(before.filter((e) => !/^cfg|^out( |\/manifests)/.test(e)));
  }, 60_000);
});

describe("the synth output directory", () => {
  const run = (outdir: string, dir: string) => outcomeOf(() => synth(["--config-dir", configDirIn(dir)], { env: { CDKTF_OUTDIR: outdir }, ...quiet }));

  it("a --manifest-dir that does not end in /manifests is refused before synth touches its parent (the data-loss repro)", async () => {
    const dir = sandbox();
    // A directory that looks like someone's synth output: its stacks and manifest.json must survive the typo.
    mkdirSync(join(dir, "work", "stacks", "bedrock-other-us-east-1"), { recursive: true });
    writeFileSync(join(dir, "work", "stacks", "bedrock-other-us-east-1", "cdk.tf.json"), "{}");
    writeFileSync(join(dir, "work", "manifest.json"), JSON.stringify({ version: "0.21.0", stacks: { "bedrock-other-us-east-1": {} } }));
    const before = tree(dir);
    const r = await outcomeOf(() => prepareEnvironment({ env: "hx", configDir: configDirIn(dir), manifestDir: join(dir, "work", "manifest") }).then(() => 0));
    expect(r).toEqual({ code: 2, lines: [expect.stringMatching(/^--manifest-dir ".*work\/manifest" must end in \/manifests: synth writes manifests to <outdir>\/manifests/)] });
    expect(tree(dir).filter((e) => !e.startsWith("cfg"))).toEqual(before.filter((e) => !e.startsWith("cfg")));
  });

  it.each<[string, (out: string) => void, RegExp]>([
    ["stacks that no synth wrote", (out) => mkdirSync(join(out, "stacks", "photos"), { recursive: true }), /holds what synth did not write: "stacks\/photos"/],
    ["a manifest.json that is no cdktf manifest", (out) => writeFileSync(join(out, "manifest.json"), "[]"), /"manifest\.json \(not a cdktf manifest\)"/],
    ["a manifest.json that is a FIFO", (out) => execFileSync("mkfifo", [join(out, "manifest.json")]), /"manifest\.json \(not a cdktf manifest\)"/],
    ["a stacks folder that is a symbolic link", (out) => symlinkSync(tmpdir(), join(out, "stacks")), /"stacks \(a symbolic link\)"/],
  ])("CDKTF_OUTDIR holding %s is refused (exit 2) and left as it was", async (_name, make, message) => {
    const dir = sandbox();
    const out = join(dir, "out");
    mkdirSync(out);
    make(out);
    const before = tree(out);
    const r = await run(out, dir);
    expect(r).toEqual({ code: 2, lines: [expect.stringMatching(message)] });
    expect(tree(out)).toEqual(before);
  });

  it("a CDKTF_OUTDIR whose parent does not exist is created (cdktf alone failed with ENOENT)", async () => {
    const dir = sandbox();
    const r = await run(join(dir, "deep", "er", "out"), dir);
    expect(r).toEqual({ code: 0, lines: [] });
    expect(readdirSync(join(dir, "deep", "er", "out")).sort()).toEqual(["manifest.json", "manifests", "stacks"]);
  }, 120_000);

  it("an earlier synth's output is replaced as before", async () => {
    const dir = sandbox();
    const out = join(dir, "out");
    expect((await run(out, dir)).code).toBe(0);
    expect((await run(out, dir)).code).toBe(0);
  }, 120_000);
});

describe("environment files that are not regular files are named, not skipped or hung on", () => {
  it.each<[string, (config: string) => void, RegExp]>([
    ["a symbolic link loop", (c) => (symlinkSync(join(c, "b.json"), join(c, "a.json")), symlinkSync(join(c, "a.json"), join(c, "b.json"))), /^cfg\/a\.json: cannot read the file: it is a symbolic link loop -> /],
    ["a dangling link", (c) => symlinkSync(join(c, "gone"), join(c, "a.json")), /^cfg\/a\.json: cannot read the file: it does not exist -> /],
    ["a FIFO", (c) => execFileSync("mkfifo", [join(c, "a.json")]), /^cfg\/a\.json: cannot read the file: it is a FIFO \(named pipe\), not a regular file -> /],
  ])("%s", async (_name, make, line) => {
    const dir = sandbox();
    const config = configDirIn(dir);
    make(config);
    const r = await outcomeOf(() => synth(["--config-dir", config], { env: { CDKTF_OUTDIR: join(dir, "out") }, ...quiet }));
    expect(r.code).toBe(1);
    expect(r.lines[0].replace(dir + "/", "")).toMatch(line);
  });
});

describe("--env names are names, never paths", () => {
  it.each([["synth", (e: string) => outcomeOf(() => synth(["--env", e], { env: { CDKTF_OUTDIR: join(sandbox(), "out") }, ...quiet }))], ["smoke:local / local-endpoint", (e: string) => outcomeOf(() => prepareEnvironment({ env: e }).then(() => 0))]] as const)(
    "%s --env ../package is refused before anything is read",
    async (_name, run) => {
      expect(await run("../package")).toEqual({ code: 2, lines: [expect.stringMatching(/^--env "\.\.\/package" is not an environment name/)] });
    },
  );
});

describe("repeated problems are counted, not printed one by one", () => {
  it("200,000 duplicate regions: one line (the list is beyond the bounds), no RangeError", async () => {
    const dir = sandbox();
    const config = configDirWith({ "hx.json": { ...env, regions: Array(200_000).fill("us-east-1") } });
    sandboxes.push(config.root);
    const r = await outcomeOf(() => synth(["--config-dir", config.configDir], { env: { CDKTF_OUTDIR: join(dir, "out") }, ...quiet }));
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([expect.stringMatching(/hx\.json: regions: a list of 200,000 entries; at most 10,000 are read -> /)]);
  });

  it("500 duplicates of one mistake: ten lines, then one line counting the rest", async () => {
    const dir = sandbox();
    const config = configDirWith({ "hx.json": { ...env, regions: Array(501).fill("us-east-1") } });
    sandboxes.push(config.root);
    const r = await outcomeOf(() => synth(["--config-dir", config.configDir], { env: { CDKTF_OUTDIR: join(dir, "out") }, ...quiet }));
    expect(r.code).toBe(1);
    const dup = r.lines.filter((l) => /region "us-east-1" is listed twice/.test(l));
    expect(dup).toHaveLength(11);
    expect(dup[10]).toMatch(/regions\[11\]: region "us-east-1" is listed twice \(first at \[0\]\) \(and 489 more problems like it, not shown\) -> list it once$/);
  });
});

describe("catalog files", () => {
  function loadWith(edit: (dir: string) => void): Outcome {
    const dir = sandbox();
    cpSync(CATALOG_DIR, dir, { recursive: true });
    edit(dir);
    try {
      loadCatalog(dir, dir);
      return { code: 0, lines: [] };
    } catch (e) {
      const user = describeUserError(e)!;
      return { code: user.exitCode, lines: user.lines };
    }
  }
  const editSnapshot = (dir: string, edit: (s: any) => void) => {
    const s = JSON.parse(readFileSync(join(dir, SNAPSHOT_FILE), "utf8"));
    edit(s);
    writeFileSync(join(dir, SNAPSHOT_FILE), JSON.stringify(s));
  };
  it.each<[string, (dir: string) => void, RegExp]>([
    ["a FIFO snapshot", (d) => (rmSync(join(d, SNAPSHOT_FILE)), execFileSync("mkfifo", [join(d, SNAPSHOT_FILE)])), /^snapshot\.json: cannot read the catalog file: it is a FIFO \(named pipe\), not a regular file -> /],
    ["a directory overlay", (d) => (rmSync(join(d, OVERLAY_FILE)), mkdirSync(join(d, OVERLAY_FILE))), /^overlay\.json: cannot read the catalog file: it is a directory, not a regular file -> /],
    ["an empty overlay (the fix is the catalog's, not an environment's)", (d) => writeFileSync(join(d, OVERLAY_FILE), "  \n"), /^overlay\.json: invalid JSON at line 1, column 1: the file is empty -> restore it from git \(git checkout -- <file>\), or run npm run catalog:sync$/],
    ["a read date that is no calendar day", (d) => editSnapshot(d, (s) => (s.regions["us-east-1"].read.on = "2026-02-30")), /^snapshot\.json: regions\.us-east-1\.read\.on: must be a calendar date YYYY-MM-DD -> /],
    ["a read date in the future", (d) => editSnapshot(d, (s) => (s.regions["us-east-1"].read.on = "2099-01-01")), /^snapshot\.json: regions\.us-east-1\.read\.on: read on 2099-01-01, after today \(\d{4}-\d\d-\d\d\): the snapshot's age could never be checked -> re-run npm run catalog:sync -- --regions us-east-1/],
    ["a lower-case lifecycle status", (d) => editSnapshot(d, (s) => (Object.values<any>(s.regions["us-east-1"].models)[0].lifecycle.status = "legacy")), /^snapshot\.json: regions\.us-east-1\.models\[".*"\]\.lifecycle\.status: must be a lifecycle status as the API writes it/],
  ])("%s: one line naming the file and field", (_name, edit, line) => {
    const r = loadWith(edit);
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([expect.stringMatching(line)]);
  });
});

describe("local-endpoint --scenario", () => {
  it("a loaded scenario is announced; the banner no longer says nothing is seeded", async () => {
    const dir = sandbox();
    const file = join(dir, "s.json");
    writeFileSync(file, JSON.stringify({ latencyMs: 1 }));
    const out: string[] = [];
    const r = await localEndpointCli(["--scenario", file], { out: (l) => out.push(l), err: (l) => out.push(l) });
    await r.endpoint?.close();
    expect(r.code).toBe(0);
    expect(out).toContain(`  scenario ${file} loaded`);
    expect(out.join("\n")).not.toContain("nothing is seeded");
    expect(out).toContain("  no environment is seeded beyond the scenario: --env NAME seeds one and prints the smoke command");
  });
});
