/**
 * Regenerates the shipped catalog snapshot (catalog/snapshot.json) by the sync's own code path: `catalog:sync` against
 * the local endpoint seeded with catalog/seed.json, for every seed region, read date = the seed's `asOf`, so the output
 * is deterministic and says where its facts come from. With an AWS account, use `npm run catalog:sync` instead.
 *
 *   npm run catalog:regenerate [-- --check] [--snapshot FILE]
 *
 * --check writes nothing and exits 1 when the committed snapshot differs from what the seed produces.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { CATALOG_DIR, SNAPSHOT_FILE } from "../cli/catalog-files";
import { syncCatalog, syncReport, type SyncResult } from "../cli/catalog-sync";
import { runCli } from "../cli/user-error";
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

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { check: { type: "boolean" }, snapshot: { type: "string" } }, allowPositionals: false });
  const committed = path.resolve(values.snapshot ?? path.join(CATALOG_DIR, SNAPSHOT_FILE));
  if (!values.check) {
    for (const line of syncReport(await regenerateSnapshot(committed))) process.stdout.write(line + "\n");
    return 0;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "catalog-regenerate-"));
  try {
    const fresh = path.join(dir, SNAPSHOT_FILE);
    await regenerateSnapshot(fresh);
    const same = fs.existsSync(committed) && fs.readFileSync(committed, "utf8") === fs.readFileSync(fresh, "utf8");
    process.stdout.write(same ? `${committed} is what catalog/seed.json produces\n` : `${committed} differs from what catalog/seed.json produces: run npm run catalog:regenerate\n`);
    return same ? 0 : 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) void runCli(main);
