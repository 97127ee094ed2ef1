import * as path from "node:path";
import { closestRegions, isKnownRegion } from "../core/aws";
import { regionFacts } from "../core/catalog";
import { quote, UserInputError } from "../core/problems";
import { validateEnvironment } from "../core/validation";
import { checkEnvName } from "./argument-values";
import { loadCatalog, shippedCatalog } from "./catalog-files";
import type { CommandIo } from "./command-io";
import { parseCommandLine } from "./command-line";
import { displayNameOf } from "./json-file";
import { productVersion } from "./package-version";
import { starterFiles, starterModels, type StarterSpec, STARTER_MODELS } from "./starter-files";
import { writeFileSet } from "./file-set-writer";
import { CliError } from "./user-error";

export const INIT_USAGE = `usage: bedrock-baseline init [DIR] --account ID --regions R1[,R2...] [--env NAME] [--alarm-email ADDRESS]... [--force] [--catalog-dir DIR]

Writes a starter repository into DIR (default: the current directory): config/<env>.json for the account and
regions, cdktf.json, package.json depending on the baseline's packages at this version (${"${VERSION}"}), a thin main.ts,
tsconfig.json, .gitignore, a GitHub Actions workflow (synth, the environment check and an offline smoke test on every
change; a smoke test in the account after deploy) and a README. Then: cd DIR && npm install && npx bedrock-baseline synth.

Options:
  --account ID       the environment's 12-digit AWS account ID                                       required
  --regions R1,R2    the environment's regions, comma-separated (each must be in the model catalog)   required
  --env NAME         the environment's name (config/NAME.json; stacks bedrock-NAME-<region>); default dev
  --alarm-email ADDRESS
                     who gets the alarms and budget alerts (repeatable); without one, synth warns that nobody does
  --force            write into a directory that is not empty, replacing same-named files
  --catalog-dir DIR  the catalog the starter's models are chosen from; default the shipped one
  -h, --help         this text

Nothing is written unless every flag is valid and the generated environment passes the same validation as synth; the
files appear together or not at all. Exit 0 written, 2 usage errors (a non-empty DIR without --force included).`;

interface InitArgs {
  readonly dir: string;
  readonly env: string;
  readonly account: string;
  readonly regions: readonly string[];
  readonly alarmEmails: readonly string[];
  readonly force: boolean;
  readonly catalogDir?: string;
}

/** Parses and checks every flag; throws CliError (exit 2) listing every mistake at once. */
function parseInitArgs(argv: readonly string[]): InitArgs | "help" {
  const { values, positionals } = parseCommandLine({
    args: argv,
    allowPositionals: true,
    options: {
      account: { type: "string" },
      regions: { type: "string" },
      env: { type: "string" },
      "alarm-email": { type: "string", multiple: true },
      force: { type: "boolean" },
      "catalog-dir": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return "help";
  const mistakes: string[] = [];
  if (positionals.length > 1) mistakes.push(`init takes one directory, got ${positionals.length}: ${positionals.map((p) => quote(p, 60)).join(" ")}`);
  if (positionals[0] !== undefined && positionals[0].trim() === "") mistakes.push("the directory is empty: name one, or leave it out for the current directory");
  const env = values.env ?? "dev";
  try {
    checkEnvName(env);
  } catch (e) {
    mistakes.push((e as Error).message);
  }
  if (values.account === undefined) mistakes.push("--account is required: the environment's 12-digit AWS account ID (aws sts get-caller-identity --query Account)");
  else if (!/^\d{12}$/.test(values.account)) mistakes.push(`--account ${quote(values.account, 40)} must be a 12-digit AWS account ID, leading zeros included`);
  const regions = (values.regions ?? "").split(",").map((r) => r.trim()).filter(Boolean);
  if (values.regions === undefined) mistakes.push("--regions is required, e.g. --regions us-east-1,eu-west-1");
  for (const r of regions) if (!isKnownRegion(r)) mistakes.push(`--regions: ${quote(r, 40)} is not an AWS region; did you mean ${closestRegions(r, 1)[0]}?`);
  if (new Set(regions).size !== regions.length) mistakes.push(`--regions names a region twice: ${regions.join(",")}`);
  if (mistakes.length) throw new CliError(mistakes.join("\n"), 2);
  return { dir: positionals[0] ?? ".", env, account: values.account!, regions, alarmEmails: values["alarm-email"] ?? [], force: values.force === true, ...(values["catalog-dir"] ? { catalogDir: values["catalog-dir"] } : {}) };
}

/** A package.json name from the directory's name: lowercase letters, digits, `-`, `_`, `.`; `bedrock-baseline` otherwise. */
function packageNameOf(dir: string): string {
  const name = path.basename(path.resolve(dir)).toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[._-]+|[-]+$/g, "");
  return name.length > 0 && name.length <= 214 ? name : "bedrock-baseline";
}

/** `bedrock-baseline init`; returns the exit code. */
export async function initCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const args = parseInitArgs(argv);
  const version = productVersion();
  if (args === "help") {
    io.stdout(INIT_USAGE.replace("${VERSION}", version));
    return 0;
  }
  const catalog = args.catalogDir ? loadCatalog(path.resolve(args.catalogDir)) : shippedCatalog();
  const unsynced = args.regions.filter((r) => !regionFacts(catalog, r));
  if (unsynced.length)
    throw new CliError(
      `--regions: the model catalog has no snapshot of ${unsynced.join(", ")} (it has ${Object.keys(catalog.snapshot.regions).sort().join(", ")}): choose those, or run bedrock-baseline catalog sync --regions ${unsynced.join(",")} with the account's credentials and pass --catalog-dir`,
      2,
    );
  const models = starterModels(catalog, args.regions);
  if (models.length === 0)
    throw new CliError(`no starter model (${STARTER_MODELS.join(", ")}) has an inference profile in every one of ${args.regions.join(", ")}: start with fewer regions (bedrock-baseline models --region R shows each)`, 2);
  const spec: StarterSpec = { env: args.env, account: args.account, regions: args.regions, alarmEmails: args.alarmEmails, models, version, packageName: packageNameOf(args.dir) };
  const files = starterFiles(spec);
  // The environment passes synth's own validation before anything is written: init never writes a file synth refuses.
  const envFile = `config/${args.env}.json`;
  try {
    validateEnvironment(JSON.parse(files.get(envFile)!), envFile, { catalog, expectedName: args.env });
  } catch (err) {
    // Only the flags' values can make it invalid (an address the schema refuses): a usage error naming the key.
    if (err instanceof UserInputError) throw new CliError(err.problems.map((p) => `the environment init would write is invalid: ${p.path}: ${p.message} -> ${p.fix}`).join("\n"), 2);
    throw err;
  }
  writeFileSet(args.dir, files, { force: args.force, what: "the starter directory" });
  const shown = displayNameOf(path.resolve(args.dir));
  io.stdout(`Wrote a starter repository for ${args.env} (account ${args.account}, ${args.regions.join(", ")}; models ${models.join(", ")}) to ${shown}:`);
  for (const f of files.keys()) io.stdout(`  ${f}`);
  io.stdout("Next:");
  io.stdout(`  ${path.resolve(args.dir) === process.cwd() ? "" : `cd ${shown} && `}npm install`);
  io.stdout("  npx bedrock-baseline synth && npx bedrock-baseline check");
  io.stdout(`  npx bedrock-baseline smoke --local --env ${args.env}    (offline: the smoke test against the local AWS stand-in)`);
  return 0;
}
