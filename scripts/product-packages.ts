/**
 * The product's three packages as a team gets them: `npm pack` of client/, modules/ and cli/ (each prepack builds it),
 * and a starter repository written by `bedrock-baseline init` with the tarballs installed into it. Used by the starter
 * test (__tests__/packages/starter.test.ts) and `npm run bench:starter`.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { runBinary } from "../cli/bedrock-baseline";
import { cleanEnv, packClient, type PackedClient, REPO_ROOT } from "./client-package";

const run = promisify(execFile);

/** What `npm pack --json` reports for one tarball. */
export type PackedPackage = PackedClient & { readonly name: string; readonly version: string };

/** The packages, by the folder each is built from. */
export const PACKAGE_NAMES = { client: "@bedrock-access-baseline/routing-client", cdktf: "@bedrock-access-baseline/cdktf", cli: "@bedrock-access-baseline/cli" } as const;

/** `npm pack` of one package folder (its prepack builds dist/ first) into `destination`. */
export async function packFolder(folder: "modules" | "cli", destination: string): Promise<PackedPackage> {
  const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", destination], { cwd: join(REPO_ROOT, folder), env: cleanEnv(), maxBuffer: 16 * 1024 * 1024 });
  const [info] = JSON.parse(stdout) as Array<{ name: string; version: string; filename: string; files: Array<{ path: string }>; size: number; unpackedSize: number }>;
  return { name: info.name, version: info.version, tarball: join(destination, info.filename), files: info.files.map((f) => f.path), size: info.size, unpackedSize: info.unpackedSize };
}

/** All three packages, packed one after the other (each build uses a core: the machine is shared). */
export async function packAll(destination: string): Promise<{ client: PackedPackage; cdktf: PackedPackage; cli: PackedPackage }> {
  const client = await packClient(destination);
  const clientManifest = JSON.parse(readFileSync(join(REPO_ROOT, "client", "package.json"), "utf8")) as { name: string; version: string };
  const cdktf = await packFolder("modules", destination);
  const cli = await packFolder("cli", destination);
  return { client: { ...client, name: clientManifest.name, version: clientManifest.version }, cdktf, cli };
}

/** `bedrock-baseline init <dir> ...args`, run from this repository's code as a team runs it once; throws on a non-zero exit. */
export async function initStarter(dir: string, args: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runBinary(["init", dir, ...args], { stdout: (l) => out.push(l), stderr: (l) => err.push(l), env: process.env });
  if (code !== 0) throw new Error(`init exited with ${code}: ${err.join("\n")}`);
  return out;
}

/**
 * `npm install <tarballs>` in the starter: its package.json's registry dependencies come from the npm cache the
 * repository's own install filled (--prefer-offline), the product's packages from the tarballs. Returns the wall ms.
 */
export async function installStarter(dir: string, tarballs: readonly string[]): Promise<number> {
  const t0 = process.hrtime.bigint();
  await run("npm", ["install", ...tarballs, "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir, env: cleanEnv(), maxBuffer: 64 * 1024 * 1024, timeout: 1_200_000 });
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** Runs the starter's installed binary (node_modules/.bin/bedrock-baseline) in the starter, as `npx bedrock-baseline` does. */
export function starterBinary(dir: string, args: readonly string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const t0 = process.hrtime.bigint();
  return run(join(dir, "node_modules", ".bin", "bedrock-baseline"), [...args], { cwd: dir, env: cleanEnv(env), maxBuffer: 64 * 1024 * 1024, timeout: 600_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr, ms: Number(process.hrtime.bigint() - t0) / 1e6 }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "", ms: Number(process.hrtime.bigint() - t0) / 1e6 }),
  );
}
