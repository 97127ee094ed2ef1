import * as path from "node:path";
import { endpointDescription, syncCatalog, syncReport } from "./catalog-sync";
import { parseSyncArgs, USAGE } from "./catalog-sync-cli";
import type { CommandIo } from "./command-io";
import { noteNodeSupport } from "./node-support";
import { checkWritableFile } from "./output-directory";

/**
 * The project's catalog folder: where `bedrock-baseline catalog sync` writes the account's snapshot by default
 * (relative to the working directory, never into the installed package), and what synth, check, models and eval read
 * with --catalog-dir catalog or BEDROCK_CATALOG_DIR=catalog (docs/adopting.md, "The model catalog").
 */
export const PROJECT_CATALOG = "catalog";

/** `bedrock-baseline catalog sync`: `npm run catalog:sync` with the project's catalog/snapshot.json as the default file. */
export async function catalogSyncCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const args = parseSyncArgs(argv);
  if (args === "help") {
    io.stdout(USAGE);
    return 0;
  }
  const snapshotFile = args.snapshotFile ?? path.resolve(PROJECT_CATALOG, "snapshot.json");
  // Checked before any AWS call, like an explicit --snapshot (parseSyncArgs checks that one).
  checkWritableFile(snapshotFile, "the snapshot (catalog/snapshot.json)");
  noteNodeSupport(io.stderr, io.env);
  io.stdout(`catalog:sync: reading ${args.regions.join(", ")} from ${endpointDescription(args.endpointUrl)}`);
  const result = await syncCatalog({ ...args, snapshotFile });
  for (const line of syncReport(result)) io.stdout(line);
  return 0;
}
