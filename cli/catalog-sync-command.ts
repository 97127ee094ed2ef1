import * as fs from "node:fs";
import * as path from "node:path";
import { parseSyncArgs } from "./catalog-sync-cli";
import { endpointDescription, syncCatalog, syncReport } from "./catalog-sync";
import type { CommandIo } from "./command-io";
import { noteNodeSupport } from "./node-support";

/**
 * The project's catalog folder: where `bedrock-baseline catalog sync` writes the account's snapshot by default, and
 * where synth, check, eval and models read it (with the shipped overlay when the folder has none).
 */
export const PROJECT_CATALOG = "catalog";

/**
 * `bedrock-baseline catalog sync`: `npm run catalog:sync`, except that the snapshot goes to the project's
 * catalog/snapshot.json (not into the installed package) unless --snapshot says otherwise.
 */
export async function catalogSyncCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const args = parseSyncArgs(argv);
  if (args === "help") {
    io.stdout("usage: bedrock-baseline catalog sync --regions <r1,r2,...> [--endpoint-url <url>] [--snapshot <file>]   (default --snapshot catalog/snapshot.json)");
    return 0;
  }
  noteNodeSupport(io.stderr, io.env);
  const snapshotFile = args.snapshotFile ?? path.join(PROJECT_CATALOG, "snapshot.json");
  fs.mkdirSync(path.dirname(path.resolve(snapshotFile)), { recursive: true });
  io.stdout(`catalog sync: reading ${args.regions.join(", ")} from ${endpointDescription(args.endpointUrl)}`);
  const result = await syncCatalog({ ...args, snapshotFile });
  for (const line of syncReport(result)) io.stdout(line);
  return 0;
}
