/**
 * Routing-client package figures, as an application gets it: `npm pack` of client/, installed alone into an empty
 * application directory. Prints the tarball and installed sizes (the package with all its dependencies) and the load
 * time of `require` / `import()` of the package in a cold process (median of several runs; each run a fresh `node`).
 * Run: npm run bench:package [-- --runs 9]
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseCommandLine } from "../cli/command-line";
import { promisify } from "node:util";
import { cleanEnv, installApp, installedPackages, packClient, PACKAGE_NAME, treeBytes } from "./client-package";

const run = promisify(execFile);
const { values } = parseCommandLine({ args: process.argv.slice(2), options: { runs: { type: "string", default: "9" } } });
const RUNS = Math.max(1, Number(values.runs));

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** Runs `code` in a fresh node in `cwd`; returns [time the code reports, whole-process wall ms]. */
async function cold(cwd: string, args: string[]): Promise<[number, number]> {
  const t0 = process.hrtime.bigint();
  const { stdout } = await run(process.execPath, args, { cwd, env: cleanEnv() });
  return [Number(stdout.trim()), Number(process.hrtime.bigint() - t0) / 1e6];
}

/** Median of RUNS cold runs per variant, interleaved so machine-load swings hit every variant alike. */
async function interleaved(cwd: string, variants: Record<string, string[]>): Promise<Record<string, { inner: number; wall: number }>> {
  const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, { inner: [] as number[], wall: [] as number[] }]));
  for (let i = 0; i < RUNS; i++) {
    for (const [name, args] of Object.entries(variants)) {
      const [a, b] = await cold(cwd, args);
      samples[name].inner.push(a);
      samples[name].wall.push(b);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, { inner: median(v.inner), wall: median(v.wall) }]));
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "bench-package-"));
  try {
    const packed = await packClient(work);
    const app = join(work, "app");
    await installApp(app, [packed.tarball]);
    const nodeModules = join(app, "node_modules");
    const installed = treeBytes(nodeModules);
    const own = treeBytes(join(nodeModules, PACKAGE_NAME));
    const packages = installedPackages(nodeModules).size;

    const timed = (load: string) => `const t=process.hrtime.bigint();${load};process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
    const { req, esm, bare } = await interleaved(app, {
      req: ["-e", timed(`require(${JSON.stringify(PACKAGE_NAME)})`)],
      esm: ["--input-type=module", "-e", timed(`await import(${JSON.stringify(PACKAGE_NAME)})`)],
      bare: ["-e", timed("")],
    });

    console.log(`routing client package (${PACKAGE_NAME}), node ${process.version}, ${RUNS} cold runs each (median)`);
    console.log(`  tarball                         ${kb(packed.size)} (${packed.files.length} files, ${kb(packed.unpackedSize)} unpacked)`);
    console.log(`  installed, with dependencies    ${mb(installed)} in ${packages} packages (the package itself: ${kb(own)})`);
    console.log(`  require() of the package        ${req.inner.toFixed(0)} ms (whole process ${req.wall.toFixed(0)} ms; bare node ${bare.wall.toFixed(0)} ms)`);
    console.log(`  import() of the package         ${esm.inner.toFixed(0)} ms (whole process ${esm.wall.toFixed(0)} ms)`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
