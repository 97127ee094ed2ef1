/**
 * Regenerates the shipped catalog snapshot (catalog/snapshot.json) by the sync's own code path: `catalog:sync` against
 * the local endpoint seeded with catalog/seed.json, for every seed region, read date = the seed's `asOf`, so the output
 * is deterministic and says where its facts come from. With an AWS account, use `npm run catalog:sync` instead.
 *
 *   npm run catalog:regenerate [-- --check] [--snapshot FILE] [--seed FILE]
 *
 * --check writes nothing and exits 1 when the committed snapshot differs from what the seed produces.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CATALOG_DIR, SNAPSHOT_FILE } from "../cli/catalog-files";
import { parseCommandLine } from "../cli/command-line";
import { checkWritableFile } from "../cli/output-directory";
import { readRegularFileIfExists, UnreadableFile } from "../cli/regular-file";
import { displayText } from "../core/problems";
import { syncCatalog, syncReport, type SyncResult } from "../cli/catalog-sync";
import { CliError, runCli } from "../cli/user-error";
import { startLocalEndpoint } from "../local/endpoint";
import { readSeed, seedEndpoint, seedOrigin } from "./catalog-seed";

/** Credentials the local endpoint verifies signatures with. */
const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

/** Runs the sync against a freshly seeded local endpoint and writes `snapshotFile`. */
export async function regenerateSnapshot(snapshotFile: string, seedFile?: string): Promise<SyncResult> {
  const seed = readSeed(seedFile);
  const endpoint = await startLocalEndpoint();
  try {
    seedEndpoint(endpoint, seed);
    return await syncCatalog({
      regions: seed.regions,
      endpointUrl: endpoint.url,
      credentials: LOCAL_CREDENTIALS,
      snapshotFile,
      now: () => new Date(`${seed.asOf}T00:00:00Z`),
      origin: seedOrigin(seed),
      // The port changes per run; the snapshot records what the endpoint was, not where it listened.
      endpointLabel: "local endpoint seeded from catalog/seed.json (npm run catalog:regenerate)",
    });
  } finally {
    await endpoint.close();
  }
}

export const USAGE = `usage: npm run catalog:regenerate [-- --check] [--snapshot <file>] [--seed <file>]

Regenerates the shipped catalog snapshot by catalog:sync's own code path against the local endpoint seeded with the
seed file (read date = the seed's asOf, so the output is deterministic).

  --check            write nothing; exit 1 when the snapshot differs from what the seed produces
  --snapshot <file>  the snapshot to write or check; default catalog/snapshot.json (a regular file, or a new name)
  --seed <file>      the seed; default catalog/seed.json
  -h, --help         show this help

Exit: 0 written (or, with --check, identical); 1 the snapshot differs or the seed is invalid; 2 usage.`;

/** The command line, checked before anything is read or written. */
export function parseRegenerateArgs(argv: readonly string[]): { check: boolean; snapshot: string; seed?: string } | "help" {
  const { values } = parseCommandLine({
    args: argv,
    options: { check: { type: "boolean" }, snapshot: { type: "string" }, seed: { type: "string" }, help: { type: "boolean", short: "h" } },
    allowPositionals: false,
  });
  if (values.help) return "help";
  const snapshot = path.resolve(values.snapshot ?? path.join(CATALOG_DIR, SNAPSHOT_FILE));
  // --check reads the file, the regeneration writes it: either way it must be a regular file (or, to write, a new name).
  checkWritableFile(snapshot, "--snapshot");
  return { check: values.check === true, snapshot, ...(values.seed !== undefined ? { seed: path.resolve(values.seed) } : {}) };
}

async function main(): Promise<number> {
  const args = parseRegenerateArgs(process.argv.slice(2));
  if (args === "help") {
    process.stdout.write(USAGE + "\n");
    return 0;
  }
  if (!args.check) {
    for (const line of syncReport(await regenerateSnapshot(args.snapshot, args.seed))) process.stdout.write(line + "\n");
    return 0;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "catalog-regenerate-"));
  try {
    const fresh = path.join(dir, SNAPSHOT_FILE);
    await regenerateSnapshot(fresh, args.seed);
    let committed: Buffer | undefined;
    try {
      committed = readRegularFileIfExists(args.snapshot);
    } catch (e) {
      if (e instanceof UnreadableFile) throw new CliError(`--snapshot ${displayText(args.snapshot, 200)}: ${e.reason}`, 2);
      throw e;
    }
    const same = committed !== undefined && committed.equals(fs.readFileSync(fresh));
    const shown = displayText(args.snapshot, 200);
    process.stdout.write(same ? `${shown} is what the seed produces\n` : `${shown} ${committed === undefined ? "does not exist" : "differs from what the seed produces"}: run npm run catalog:regenerate\n`);
    return same ? 0 : 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) void runCli(main);
