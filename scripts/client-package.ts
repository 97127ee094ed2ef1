/**
 * Packs the routing client like a release would (`npm pack` in client/, whose prepack builds it) and installs the
 * tarball into a fresh application directory like an application team would: nothing else from this repository.
 * Used by the package-install test and `npm run bench:package`.
 */
import { execFile } from "node:child_process";
import { mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
export const REPO_ROOT = join(__dirname, "..");
export const CLIENT_DIR = join(REPO_ROOT, "client");
export const PACKAGE_NAME = "@bedrock-access-baseline/routing-client";

/**
 * The environment without npm's per-run variables (`npm_config_*`, `npm_package_*`, ...): a child npm started from
 * `npm test` must read its own project's configuration, not the parent's workspace settings.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) && k !== "INIT_CWD") env[k] = v;
  return { ...env, ...extra };
}

/** What `npm pack --json` reports for one tarball. */
export interface PackedClient {
  readonly tarball: string;
  /** Paths inside the package, e.g. `dist/client/router.js`. */
  readonly files: string[];
  readonly size: number;
  readonly unpackedSize: number;
}

/** `npm pack` of client/ into `destination` (its prepack script compiles dist/ first). */
export async function packClient(destination: string): Promise<PackedClient> {
  const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", destination], { cwd: CLIENT_DIR, env: cleanEnv(), maxBuffer: 16 * 1024 * 1024 });
  // prepack output goes to stderr with --json; stdout is the JSON array alone.
  const [info] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }>; size: number; unpackedSize: number }>;
  return { tarball: join(destination, info.filename), files: info.files.map((f) => f.path), size: info.size, unpackedSize: info.unpackedSize };
}

/**
 * A new application in `dir` (a bare package.json) with `specs` installed, as an application team would run it; the
 * npm cache the repository's own install filled serves the same dependency versions (the registry is allowed).
 */
export async function installApp(dir: string, specs: readonly string[]): Promise<void> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "routing-client-app", version: "1.0.0", private: true }, null, 2));
  await run("npm", ["install", ...specs, "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir, env: cleanEnv(), maxBuffer: 16 * 1024 * 1024 });
}

/** Names of every package installed under `nodeModules`, nested ones included (`@scope/name` or `name`). */
export function installedPackages(nodeModules: string): Set<string> {
  const out = new Set<string>();
  const visit = (dir: string) => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.startsWith(".")) continue;
      if (e.startsWith("@")) {
        for (const s of readdirSync(join(dir, e))) {
          out.add(`${e}/${s}`);
          visit(join(dir, e, s, "node_modules"));
        }
      } else {
        out.add(e);
        visit(join(dir, e, "node_modules"));
      }
    }
  };
  visit(nodeModules);
  return out;
}

/** Bytes of every file below `dir` (apparent size, symlinks not followed). */
export function treeBytes(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) total += treeBytes(p);
    else if (e.isFile()) total += statSync(p).size;
  }
  return total;
}
