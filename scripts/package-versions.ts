/**
 * The product's packages are versioned together: one version in the repository's package.json, the routing client's
 * (client/), the construct library's (modules/) and the CLI's (cli/), and in package-lock.json.
 *
 *   npm run versions                     prints them; exit 1 when they differ
 *   npm run versions -- --set 0.2.0      sets all of them (then write the CHANGELOG.md section for 0.2.0)
 *
 * The versions test (__tests__/packages/versions.test.ts) fails when they differ or CHANGELOG.md has no section for
 * the version.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseCommandLine } from "../cli/command-line";
import { CliError, runCli } from "../cli/user-error";

export const ROOT = path.resolve(__dirname, "..");
/** Each product package's directory, relative to the repository (`` is the repository itself). */
export const PACKAGE_DIRS = ["", "client", "modules", "cli"] as const;
const SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

const manifestFile = (dir: string) => path.join(ROOT, dir, "package.json");
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown> & { version: string; name: string };

/** Package name -> version, for every product package and the lock file's entries of them. */
export function productVersions(): Map<string, string> {
  const out = new Map<string, string>();
  for (const dir of PACKAGE_DIRS) {
    const m = readJson(manifestFile(dir));
    out.set(m.name, m.version);
  }
  const lock = readJson(path.join(ROOT, "package-lock.json")) as unknown as { version: string; packages: Record<string, { version?: string }> };
  out.set("package-lock.json", lock.version);
  out.set("package-lock.json packages[client]", lock.packages.client?.version ?? "(missing)");
  return out;
}

/** Writes `version` into every product package.json and the lock file, keeping their formatting (two spaces). */
function setVersion(version: string): void {
  for (const dir of PACKAGE_DIRS) {
    const file = manifestFile(dir);
    fs.writeFileSync(file, JSON.stringify({ ...readJson(file), version }, null, 2) + "\n");
  }
  const lockFile = path.join(ROOT, "package-lock.json");
  const lock = readJson(lockFile) as unknown as { version: string; packages: Record<string, { version?: string }> };
  lock.version = version;
  lock.packages[""].version = version;
  if (lock.packages.client) lock.packages.client.version = version;
  fs.writeFileSync(lockFile, JSON.stringify(lock, null, 2) + "\n");
}

function main(): number {
  const { values } = parseCommandLine({ args: process.argv.slice(2), options: { set: { type: "string" }, help: { type: "boolean", short: "h" } }, allowPositionals: false });
  if (values.help) {
    process.stdout.write("usage: npm run versions [-- --set X.Y.Z]\n");
    return 0;
  }
  if (values.set !== undefined) {
    if (!SEMVER.test(values.set)) throw new CliError(`--set ${JSON.stringify(values.set)} is not a version (X.Y.Z)`, 2);
    setVersion(values.set);
    process.stdout.write(`set ${values.set} in ${PACKAGE_DIRS.map((d) => path.join(d, "package.json")).join(", ")} and package-lock.json; now write its section in CHANGELOG.md\n`);
  }
  const versions = productVersions();
  for (const [name, version] of versions) process.stdout.write(`${name.padEnd(42)} ${version}\n`);
  const distinct = new Set(versions.values());
  if (distinct.size > 1) {
    process.stderr.write(`the product's packages disagree (${[...distinct].join(", ")}): npm run versions -- --set X.Y.Z\n`);
    return 1;
  }
  return 0;
}

if (require.main === module) void runCli(main);
