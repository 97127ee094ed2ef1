/**
 * Refreshes the catalog snapshot from the account's own Bedrock and Service Quotas APIs.
 *
 *   npm run catalog:sync -- --regions us-east-1,eu-west-1 [--endpoint-url URL] [--snapshot FILE]
 *
 * Default credential chain; real AWS unless --endpoint-url opts into another endpoint (printed either way). Exit 0 on
 * success, 1 when an AWS call failed (nothing written), 2 on usage errors.
 */
import { parseArgs } from "node:util";
import { REGION_PATTERN } from "../core/aws";
import { endpointDescription, syncCatalog, syncReport } from "./catalog-sync";
import { noteNodeSupport } from "./node-support";
import { CliError, runCli } from "./user-error";

const USAGE = "usage: npm run catalog:sync -- --regions <r1,r2,...> [--endpoint-url <url>] [--snapshot <file>]";

/** Parses the command line; throws CliError (exit 2) on usage errors. */
export function parseSyncArgs(argv: readonly string[]): { regions: string[]; endpointUrl?: string; snapshotFile?: string } | "help" {
  const { values } = parseArgs({
    args: [...argv],
    options: { regions: { type: "string" }, "endpoint-url": { type: "string" }, snapshot: { type: "string" }, help: { type: "boolean", short: "h" } },
    allowPositionals: false,
  });
  if (values.help) return "help";
  if (!values.regions) throw new CliError(`--regions is required\n${USAGE}`);
  const regions = values.regions.split(",").map((r) => r.trim()).filter(Boolean);
  const bad = regions.filter((r) => !REGION_PATTERN.test(r));
  if (regions.length === 0 || bad.length) throw new CliError(`--regions takes AWS region names separated by commas${bad.length ? `; not a region: ${bad.map((b) => JSON.stringify(b)).join(", ")}` : ""}\n${USAGE}`);
  const endpointUrl = values["endpoint-url"];
  if (endpointUrl !== undefined && !/^https?:\/\/\S+$/.test(endpointUrl)) throw new CliError(`--endpoint-url must be an http(s) URL, got ${JSON.stringify(endpointUrl)}`);
  return { regions, ...(endpointUrl ? { endpointUrl } : {}), ...(values.snapshot ? { snapshotFile: values.snapshot } : {}) };
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
