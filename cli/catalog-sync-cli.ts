/**
 * Refreshes the catalog snapshot from the account's own Bedrock and Service Quotas APIs.
 *
 *   npm run catalog:sync -- --regions us-east-1,eu-west-1 [--endpoint-url URL] [--snapshot FILE] [bounds]
 *
 * Default credential chain; real AWS unless --endpoint-url opts into another endpoint (printed either way, password
 * redacted). Exit 0 on success, 1 when an AWS call failed or an answer was refused (nothing written), 2 on usage errors.
 */
import * as path from "node:path";
import { REGION_PATTERN } from "../core/aws";
import { quoteList } from "../core/problems";
import { parseEndpointUrl, positiveInt } from "./argument-values";
import { endpointDescription, syncCatalog, syncReport, SYNC_DEFAULTS, type SyncOptions } from "./catalog-sync";
import { parseCommandLine } from "./command-line";
import { checkWritableFile } from "./output-directory";
import { noteNodeSupport } from "./node-support";
import { CliError, runCli } from "./user-error";

/** Regions one sync reads at most (AWS has fewer than 40 regions). */
const MAX_REGIONS = 40;

export const USAGE = `usage: npm run catalog:sync -- --regions <r1,r2,...> [--endpoint-url <url>] [--snapshot <file>]
                            [--timeout-ms <ms>] [--deadline-ms <ms>] [--max-pages <n>]

Reads ListFoundationModels, ListInferenceProfiles (system-defined) and Service Quotas' ListServiceQuotas (bedrock) in
each region with the default credential chain and rewrites the snapshot in one step (nothing is written unless every
region succeeds).

  --regions <list>      AWS regions, comma-separated (at most ${MAX_REGIONS})                        required
  --endpoint-url <url>  read another endpoint (the local stand-in); default: AWS. A password in it is never printed
                        or written
  --snapshot <file>     the snapshot to compare with and replace; default catalog/snapshot.json
  --timeout-ms <ms>     bound of one AWS call, SDK retries included (default ${SYNC_DEFAULTS.timeoutMs})
  --deadline-ms <ms>    bound of the whole sync (default ${SYNC_DEFAULTS.deadlineMs})
  --max-pages <n>       pages read at most per listing; a page token that comes back also stops it (default ${SYNC_DEFAULTS.maxPages})
  -h, --help            show this help

Exit: 0 written; 1 an AWS call failed, timed out or an answer was refused (one line each, nothing written); 2 usage.`;

/** Parses the command line; throws CliError (exit 2) on usage errors. */
export function parseSyncArgs(argv: readonly string[]): Pick<SyncOptions, "regions" | "endpointUrl" | "snapshotFile" | "timeoutMs" | "deadlineMs" | "maxPages"> | "help" {
  const { values } = parseCommandLine({
    args: argv,
    options: {
      regions: { type: "string" },
      "endpoint-url": { type: "string" },
      snapshot: { type: "string" },
      "timeout-ms": { type: "string" },
      "deadline-ms": { type: "string" },
      "max-pages": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: false,
  });
  if (values.help) return "help";
  if (!values.regions) throw new CliError(`--regions is required (see --help)`);
  const regions = [...new Set(values.regions.split(",").map((r) => r.trim()).filter(Boolean))];
  const bad = regions.filter((r) => !REGION_PATTERN.test(r));
  if (regions.length === 0 || bad.length) throw new CliError(`--regions takes AWS region names separated by commas${bad.length ? `; not a region: ${quoteList(bad, 5)}` : ""} (see --help)`);
  if (regions.length > MAX_REGIONS) throw new CliError(`--regions names ${regions.length} regions; at most ${MAX_REGIONS} (see --help)`);
  const endpoint = values["endpoint-url"] === undefined ? undefined : parseEndpointUrl(values["endpoint-url"]);
  let snapshotFile: string | undefined;
  if (values.snapshot !== undefined) {
    snapshotFile = path.resolve(values.snapshot);
    checkWritableFile(snapshotFile, "--snapshot");
  }
  return {
    regions,
    ...(endpoint ? { endpointUrl: endpoint.url } : {}),
    ...(snapshotFile ? { snapshotFile } : {}),
    timeoutMs: positiveInt(values["timeout-ms"], "--timeout-ms", SYNC_DEFAULTS.timeoutMs, 600_000),
    deadlineMs: positiveInt(values["deadline-ms"], "--deadline-ms", SYNC_DEFAULTS.deadlineMs, 3_600_000),
    maxPages: positiveInt(values["max-pages"], "--max-pages", SYNC_DEFAULTS.maxPages, 10_000),
  };
}

async function main(): Promise<number> {
  const args = parseSyncArgs(process.argv.slice(2));
  if (args === "help") {
    process.stdout.write(USAGE + "\n");
    return 0;
  }
  noteNodeSupport((line) => process.stderr.write(`${line}\n`));
  process.stdout.write(`catalog:sync: reading ${args.regions.join(", ")} from ${endpointDescription(args.endpointUrl)}\n`);
  const result = await syncCatalog(args);
  for (const line of syncReport(result)) process.stdout.write(line + "\n");
  return 0;
}

if (require.main === module) void runCli(main);
