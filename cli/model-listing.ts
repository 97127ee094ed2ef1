import * as path from "node:path";
import { catalogModelRows, filterModelRows, filterValues, type ModelFilter, type ModelRow } from "../core/catalog";
import { closest, displayText, quote } from "../core/problems";
import { loadCatalog, shippedCatalog } from "./catalog-files";
import type { CommandIo } from "./command-io";
import { parseCommandLine } from "./command-line";

export const MODELS_USAGE = `usage: bedrock-baseline models [--region R]... [--provider P]... [--lifecycle STATE]... [--model TEXT] [--json] [--catalog-dir DIR]

What the model catalog knows, per region: the foundation-model IDs its snapshot lists (what catalog sync read from the
account's Bedrock), the system inference profiles that exist there, the lifecycle, and the curated output limit and
service tiers synth checks routes against. Offline: reads the catalog files only.

Options:
  --region R         only this region (repeatable); default every synced region
  --provider P       only this provider, e.g. Anthropic (repeatable)
  --lifecycle STATE  only this lifecycle state, e.g. ACTIVE or LEGACY (repeatable)
  --model TEXT       only model IDs containing TEXT, e.g. nova
  --json             one JSON array of rows (every field, profile IDs in full) instead of the table
  --catalog-dir DIR  the catalog (snapshot.json, overlay.json); default $BEDROCK_CATALOG_DIR, else the shipped one
  -h, --help         this text

Values match case-insensitively; an unknown region, provider or state is a usage error naming the nearest one.
Exit 0 (also when no model matches: the table says so), 1 an invalid catalog file (one line per problem), 2 usage.`;

interface ModelsArgs {
  readonly filter: ModelFilter;
  readonly json: boolean;
  readonly catalogDir?: string;
}

function parseModelsArgs(argv: readonly string[], env: NodeJS.ProcessEnv): ModelsArgs | "help" {
  const { values } = parseCommandLine({
    args: argv,
    allowPositionals: false,
    options: {
      region: { type: "string", multiple: true },
      provider: { type: "string", multiple: true },
      lifecycle: { type: "string", multiple: true },
      model: { type: "string" },
      json: { type: "boolean" },
      "catalog-dir": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return "help";
  const catalogDir = values["catalog-dir"] ?? (env.BEDROCK_CATALOG_DIR || undefined);
  return {
    filter: { regions: values.region, providers: values.provider, lifecycles: values.lifecycle, modelContains: values.model },
    json: values.json === true,
    ...(catalogDir ? { catalogDir } : {}),
  };
}

/** A usage error for each filter value no row has, naming the nearest known one. */
function unknownValues(filter: ModelFilter, rows: readonly ModelRow[]): string[] {
  const known = filterValues(rows);
  const check = (flag: string, given: readonly string[] | undefined, values: readonly string[]) =>
    (given ?? [])
      .filter((g) => !values.some((v) => v.toLowerCase() === g.toLowerCase()))
      .map((g) => {
        const near = closest(g, values, { max: 1 });
        return `${flag} ${quote(g, 60)} is not in the catalog${near.length ? `; did you mean ${near[0]}?` : ""} (known: ${values.join(", ")})`;
      });
  return [...check("--region", filter.regions, known.regions), ...check("--provider", filter.providers, known.providers), ...check("--lifecycle", filter.lifecycles, known.lifecycles)];
}

/** The table: one row per model and region, columns padded to their widest cell. */
export function modelTable(rows: readonly ModelRow[]): string[] {
  const head = ["REGION", "MODEL", "PROVIDER", "LIFECYCLE", "PROFILES", "OUTPUT", "TIERS"];
  const cells = rows.map((r) => [
    r.region,
    r.modelId,
    r.provider,
    [r.lifecycle.status, r.lifecycle.legacySince && `legacy ${r.lifecycle.legacySince}`, r.lifecycle.endOfLife && `EOL ${r.lifecycle.endOfLife}`].filter(Boolean).join(", "),
    [...r.profiles.map((p) => p.geography), ...(r.inferenceTypes.includes("ON_DEMAND") ? ["on-demand"] : [])].join(",") || "-",
    r.maxOutputTokens === undefined ? "?" : String(r.maxOutputTokens),
    r.serviceTiers?.join(",") ?? "default",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: readonly string[]) => c.map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i]))).join("  ");
  return [line(head), ...cells.map((c) => displayText(line(c), 400))];
}

/** `bedrock-baseline models`; returns the exit code. */
export async function modelsCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const args = parseModelsArgs(argv, io.env);
  if (args === "help") {
    io.stdout(MODELS_USAGE);
    return 0;
  }
  const catalog = args.catalogDir ? loadCatalog(path.resolve(args.catalogDir)) : shippedCatalog();
  const all = catalogModelRows(catalog);
  const unknown = unknownValues(args.filter, all);
  if (unknown.length) {
    for (const line of unknown) io.stderr(line);
    return 2;
  }
  const rows = filterModelRows(all, args.filter);
  if (args.json) {
    io.stdout(JSON.stringify(rows, null, 2));
    return 0;
  }
  if (rows.length === 0) {
    io.stdout("no model matches these filters (bedrock-baseline models lists every one)");
    return 0;
  }
  for (const line of modelTable(rows)) io.stdout(line);
  const regions = new Set(rows.map((r) => r.region));
  const readOn = [...new Set(rows.map((r) => r.readOn))].sort();
  const origin = catalog.snapshot.origin.live ? "read from a live account" : "not read from a live account: bedrock-baseline catalog sync reads yours";
  io.stdout(`${rows.length} models in ${regions.size} regions; catalog read ${readOn.join(", ")} (${origin})`);
  io.stdout("PROFILES: system inference profiles there (route with \"inference\": \"geo\" or \"global\"); on-demand: the bare ID works; OUTPUT ?: no curated limit");
  return 0;
}
