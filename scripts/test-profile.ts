/**
 * Where the suite's time goes: runs jest (every argument is jest's, e.g. `npm run test:profile -- __tests__/local`)
 * with BEDROCK_TEST_PROFILE set, so scripts/jest-profile-setup.js records one line per test file (wall, the worker's
 * own CPU, the CPU of the child processes it started), then prints the run's totals and the costliest files.
 *
 *   npm run test:profile [-- <jest arguments>]
 *
 * The lines go to a temp file removed afterwards, or, when BEDROCK_TEST_PROFILE is already set, to that file (appended
 * to and kept; checked before jest starts: exit 2 when it is not a regular file or has no directory). Otherwise exits
 * with jest's exit code. CPU time is the load-independent figure: wall time on a shared machine mostly measures
 * the others' load.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";

/** One test file's line, as scripts/jest-profile-setup.js writes it. */
export interface FileProfile {
  readonly file: string;
  readonly wallS: number;
  readonly selfCpuS: number;
  readonly childCpuS: number;
}

/** The lines of a profile file; lines that are not a file's record (a run cut short) are skipped. */
export function readProfile(text: string): FileProfile[] {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .flatMap((line) => {
      try {
        const p = JSON.parse(line) as FileProfile;
        return typeof p.file === "string" && [p.wallS, p.selfCpuS, p.childCpuS].every(Number.isFinite) ? [p] : [];
      } catch {
        return [];
      }
    });
}

/** The report: totals, then the `top` files by CPU (own + children) and by wall time, paths relative to `root`. */
export function profileReport(files: readonly FileProfile[], root: string, top = 15): string[] {
  const sum = (f: (p: FileProfile) => number) => files.reduce((n, p) => n + f(p), 0);
  const row = (p: FileProfile) =>
    `  ${p.wallS.toFixed(1).padStart(7)} ${p.selfCpuS.toFixed(1).padStart(7)} ${p.childCpuS.toFixed(1).padStart(7)}   ${relative(root, p.file)}`;
  const head = `  ${"wall s".padStart(7)} ${"CPU s".padStart(7)} ${"child s".padStart(7)}   test file`;
  const byCpu = [...files].sort((a, b) => b.selfCpuS + b.childCpuS - (a.selfCpuS + a.childCpuS));
  const byWall = [...files].sort((a, b) => b.wallS - a.wallS);
  return [
    `${files.length} test files: wall ${sum((p) => p.wallS).toFixed(1)} s summed over files, CPU ${sum((p) => p.selfCpuS).toFixed(1)} s in the workers + ${sum((p) => p.childCpuS).toFixed(1)} s in child processes`,
    `costliest ${Math.min(top, files.length)} by CPU (worker + children):`,
    head,
    ...byCpu.slice(0, top).map(row),
    `longest ${Math.min(top, files.length)} by wall time:`,
    head,
    ...byWall.slice(0, top).map(row),
  ];
}

/** CPU seconds of this process's reaped children (jest and everything it waited for); 0 without /proc. */
function reapedChildrenCpuS(): number {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[13]) + Number(fields[14])) / 100; // cutime, cstime in USER_HZ ticks: proc(5)
  } catch {
    return 0;
  }
}

/** Why `file` cannot take the profile lines (not a regular file, or no directory to hold it); undefined when it can. */
export function profileFileProblem(file: string): string | undefined {
  try {
    return statSync(file).isFile() ? undefined : `BEDROCK_TEST_PROFILE ${JSON.stringify(file)} is not a regular file -> name a file (it is appended to) or unset it`;
  } catch {
    try {
      return statSync(dirname(file)).isDirectory() ? undefined : `BEDROCK_TEST_PROFILE ${JSON.stringify(file)}: its parent is not a directory -> name a file in an existing directory`;
    } catch {
      return `BEDROCK_TEST_PROFILE ${JSON.stringify(file)}: its directory does not exist -> create it or name a file in an existing directory`;
    }
  }
}

async function main(): Promise<number> {
  const root = join(__dirname, "..");
  const given = process.env.BEDROCK_TEST_PROFILE || undefined; // empty means unset: a temp file
  const problem = given === undefined ? undefined : profileFileProblem(resolve(given));
  if (problem) {
    console.error(`test:profile: ${problem}`);
    return 2;
  }
  const dir = given ? undefined : mkdtempSync(join(tmpdir(), "test-profile-"));
  const file = given === undefined ? join(dir!, "profile.jsonl") : resolve(given);
  const started = performance.now();
  try {
    const code = await new Promise<number>((resolve, reject) => {
      const jest = spawn(process.execPath, [require.resolve("jest/bin/jest"), ...process.argv.slice(2)], { cwd: root, stdio: "inherit", env: { ...process.env, BEDROCK_TEST_PROFILE: file } });
      jest.on("error", reject);
      jest.on("exit", (c, signal) => resolve(c ?? (signal ? 1 : 0)));
    });
    let text = "";
    try {
      text = readFileSync(file, "utf8");
    } catch {
      // no test file finished: the report says 0 files
    }
    console.log(`\ntest:profile: jest took ${((performance.now() - started) / 1000).toFixed(1)} s wall, ${reapedChildrenCpuS().toFixed(1)} s CPU in all (workers, children, transform)`);
    for (const line of profileReport(readProfile(text), root)) console.log(line);
    return code;
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module)
  main().then(
    (code) => process.exit(code),
    (e: Error) => {
      console.error(`test:profile: ${e.message}`);
      process.exit(1);
    },
  );
