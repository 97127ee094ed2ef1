/**
 * Synthesizes the Bedrock baseline: validates every environment in config/ (all problems of all files at once,
 * nothing written on error), then writes Terraform JSON per stack to the outdir and a manifest per region stack to
 * <outdir>/manifests/<stack>.json (what smoke reads).
 *
 *   npm run synth [-- --env dev] [--config-dir DIR] [--catalog-dir DIR]
 *   env: BEDROCK_ENV (comma-separated environment names), BEDROCK_CONFIG_DIR, BEDROCK_CATALOG_DIR, CDKTF_OUTDIR (set by the cdktf CLI)
 *
 * Needs no terraform binary and no AWS access: models come from the committed catalog (catalog/snapshot.json and
 * catalog/overlay.json, or --catalog-dir), refreshed separately with `npm run catalog:sync`.
 */
import { App } from "./modules/terraform-cdk";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { REGION_PATTERN } from "./core/geography";
import { formatProblem } from "./core/problem";
import { buildManifest } from "./core/manifest";
import { displayNameOf, loadEnvironments } from "./cli/environment-files";
import { loadCatalog } from "./cli/catalog-files";
import { runCli } from "./cli/user-error";
import { alarmCount } from "./core/alarms";
import { synthesizeEnvironments } from "./modules/baseline";

const USAGE = "usage: main.ts [--env NAME]... [--config-dir DIR] [--catalog-dir DIR]   (env: BEDROCK_ENV, BEDROCK_CONFIG_DIR, BEDROCK_CATALOG_DIR, CDKTF_OUTDIR)";

/** Number of resources in a synthesized stack file. */
function resourceCount(stackFile: string): number {
  const json = JSON.parse(fs.readFileSync(stackFile, "utf8")) as { resource?: Record<string, Record<string, unknown>> };
  return Object.values(json.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { env: { type: "string", multiple: true }, "config-dir": { type: "string" }, "catalog-dir": { type: "string" }, help: { type: "boolean", short: "h" } },
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(USAGE + "\n");
    return 0;
  }
  const only = (values.env ?? (process.env.BEDROCK_ENV ? [process.env.BEDROCK_ENV] : []))
    .flatMap((e) => e.split(","))
    .map((e) => e.trim())
    .filter(Boolean);
  const configDir = path.resolve(values["config-dir"] ?? process.env.BEDROCK_CONFIG_DIR ?? "config");

  // Validate everything before the App exists, so a config error writes nothing.
  const catalogDir = values["catalog-dir"] ?? process.env.BEDROCK_CATALOG_DIR;
  const loaded = loadEnvironments(configDir, { only, ...(catalogDir ? { catalog: loadCatalog(path.resolve(catalogDir)) } : {}) });
  for (const l of loaded) for (const w of l.plan.warnings) process.stderr.write(formatProblem(l.displayName, w) + "\n");

  const outdir = path.resolve(process.env.CDKTF_OUTDIR ?? "cdktf.out");
  const app = new App({ outdir, stackTraces: false });
  const baseline = synthesizeEnvironments(
    app,
    loaded.map((l) => l.plan),
  );
  app.synth();

  const manifestDir = path.join(outdir, "manifests");
  fs.mkdirSync(manifestDir, { recursive: true });
  // Drop manifests of regions an environment no longer has, so smoke never probes a removed stack.
  // (Only `bedrock-<env>-<region>.json`: a prefix match alone would also hit an environment named `<env>-eu`.)
  for (const l of loaded) {
    const prefix = `bedrock-${l.plan.config.name}-`;
    for (const f of fs.readdirSync(manifestDir))
      if (f.startsWith(prefix) && f.endsWith(".json") && REGION_PATTERN.test(f.slice(prefix.length, -".json".length))) fs.rmSync(path.join(manifestDir, f));
  }
  const stackFile = (stack: string) => path.join(outdir, "stacks", stack, "cdk.tf.json");
  for (const s of baseline.regionStacks) {
    const stack = s.node.id;
    fs.writeFileSync(path.join(manifestDir, `${stack}.json`), JSON.stringify(buildManifest(s.plan, s.region), null, 2) + "\n");
    const models = Object.keys(s.plan.invocations[s.region]).length;
    process.stdout.write(`${stack}: ${resourceCount(stackFile(stack))} resources, ${models} models, ${alarmCount(s.plan, s.region)} alarms\n`);
  }
  for (const s of baseline.accountStacks) {
    const c = s.plan.config;
    process.stdout.write(`${s.node.id}: ${resourceCount(stackFile(s.node.id))} resources, budget ${c.budget.monthlyUsd} USD/month\n`);
  }
  const shown = displayNameOf(outdir);
  const stacks = baseline.regionStacks.length + baseline.accountStacks.length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  process.stdout.write(
    `Wrote ${plural(stacks, "stack")} to ${shown}/stacks/<stack>/cdk.tf.json and ${plural(baseline.regionStacks.length, "manifest")} to ${shown}/manifests/<stack>.json\n`,
  );
  return 0;
}

void runCli(main);
