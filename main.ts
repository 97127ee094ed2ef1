/**
 * Synthesizes the Bedrock baseline: validates every environment in config/ (all problems of all files at once,
 * nothing written on error), then writes Terraform JSON per stack to the outdir and a manifest per region stack to
 * <outdir>/manifests/<stack>.json (what smoke reads). The outdir then holds exactly this run's stacks, plus, when the
 * run is limited with --env, the other environments' stacks from earlier runs (cli/synth-output.ts).
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
import { docRef, problemLines } from "./core/problems";
import { displayNameOf, environmentNameOf, listEnvironmentFiles, loadEnvironments } from "./cli/environment-files";
import { loadCatalog } from "./cli/catalog-files";
import { checkSynthOutdir } from "./cli/output-directory";
import { errnoReason } from "./cli/regular-file";
import { parseCommandLine } from "./cli/command-line";
import { checkEnvName } from "./cli/argument-values";
import { previousStacks, reconcileOutdir, writeGuards } from "./cli/synth-output";
import { organizationGuardPolicy } from "./core/iam";
import { postureItems } from "./core/environment";
import { CliError, runCli } from "./cli/user-error";
import { synthesizeEnvironments } from "./modules/baseline";

const USAGE = "usage: main.ts [--env NAME]... [--config-dir DIR] [--catalog-dir DIR]   (env: BEDROCK_ENV, BEDROCK_CONFIG_DIR, BEDROCK_CATALOG_DIR, CDKTF_OUTDIR)";

/** Where synth reads and writes, and where it prints. */
export interface SynthIo {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** Number of resources in a synthesized stack file. */
function resourceCount(stackFile: string): number {
  const json = JSON.parse(fs.readFileSync(stackFile, "utf8")) as { resource?: Record<string, Record<string, unknown>> };
  return Object.values(json.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
}

/** The synth command; returns the exit code. Usage and config errors are thrown for runCli to print. */
export async function synth(args: readonly string[], io: SynthIo): Promise<number> {
  const { values } = parseCommandLine({
    args,
    options: { env: { type: "string", multiple: true }, "config-dir": { type: "string" }, "catalog-dir": { type: "string" }, help: { type: "boolean", short: "h" } },
    allowPositionals: false,
  });
  if (values.help) {
    io.stdout(USAGE + "\n");
    return 0;
  }
  const only = (values.env ?? (io.env.BEDROCK_ENV ? [io.env.BEDROCK_ENV] : []))
    .flatMap((e) => e.split(","))
    .map((e) => e.trim())
    .filter(Boolean);
  for (const e of only) checkEnvName(e, "--env");
  // An empty variable is a mistake, not "the current directory" (which would read package.json as an environment).
  const configDir = path.resolve(values["config-dir"] ?? nonEmptyVariable(io.env, "BEDROCK_CONFIG_DIR") ?? "config");
  const outdir = path.resolve(io.env.CDKTF_OUTDIR || "cdktf.out");
  // A usage error before any work: an outdir that is a file, cannot be created, or holds what synth did not write
  // (synth replaces stacks/, manifests/ and guards/ in it) would otherwise fail mid-write or lose files.
  checkSynthOutdir(outdir, "CDKTF_OUTDIR");

  // Validate everything before the App exists, so a config error writes nothing.
  const catalogDir = values["catalog-dir"] ?? nonEmptyVariable(io.env, "BEDROCK_CATALOG_DIR");
  const loaded = loadEnvironments(configDir, { only, ...(catalogDir ? { catalog: loadCatalog(path.resolve(catalogDir)) } : {}) });
  for (const l of loaded) for (const line of problemLines(l.displayName, l.plan.warnings)) io.stderr(line + "\n");

  const previous = previousStacks(outdir);
  // cdktf creates the outdir without its parents (ENOENT for a CDKTF_OUTDIR whose parent is missing).
  try {
    fs.mkdirSync(outdir, { recursive: true });
  } catch (err) {
    throw new CliError(`CDKTF_OUTDIR ${displayNameOf(outdir)} cannot be created: it ${errnoReason(err).reason}`, 2);
  }
  const app = new App({ outdir, stackTraces: false });
  const baseline = synthesizeEnvironments(
    app,
    loaded.map((l) => l.plan),
  );
  app.synth();

  const synthesized = new Set([...baseline.regionStacks, ...baseline.accountStacks].map((s) => s.node.id));
  const synthesizedEnvs = new Set(loaded.map((l) => l.plan.config.name));
  const keep = only.length ? new Set(listEnvironmentFiles(configDir).map(environmentNameOf).filter((e) => !synthesizedEnvs.has(e))) : new Set<string>();
  const fromEarlier = reconcileOutdir(outdir, synthesized, previous, keep);

  // Each region stack wrote its manifest during app.synth() (modules/stack-manifest.ts).
  const stackFile = (stack: string) => path.join(outdir, "stacks", stack, "cdk.tf.json");
  for (const s of baseline.regionStacks) {
    const stack = s.node.id;
    const profiles = s.baseline.applicationProfiles.length ? `, ${s.baseline.applicationProfiles.length} application profiles` : "";
    io.stdout(`${stack}: ${resourceCount(stackFile(stack))} resources, ${s.baseline.invocations.length} models${profiles}, ${s.baseline.alarms.length} alarms\n`);
    // What a security review asks about, on or off, per region (docs/security.md).
    io.stdout(`  security: ${postureItems(s.baseline.security.posture).join("; ")}\n`);
  }
  for (const s of baseline.accountStacks) {
    const c = s.plan.config;
    const workloadBudgets = s.costAttribution?.budgets.size ? `, ${s.costAttribution.budgets.size} workload budgets` : "";
    io.stdout(`${s.node.id}: ${resourceCount(stackFile(s.node.id))} resources, budget ${c.budget.monthlyUsd} USD/month${workloadBudgets}\n`);
  }
  const shown = displayNameOf(outdir);
  const stacks = baseline.regionStacks.length + baseline.accountStacks.length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  io.stdout(
    `Wrote ${plural(stacks, "stack")} to ${shown}/stacks/<stack>/cdk.tf.json and ${plural(baseline.regionStacks.length, "manifest")} to ${shown}/manifests/<stack>.json\n`,
  );
  // The organization guard of environments that enable it without creating it: a file to hand to the management account.
  const guards = new Map(
    loaded.flatMap((l) => {
      const g = l.plan.config.organizationGuard;
      return g.enabled && !g.managementAccount ? [[l.plan.config.name, JSON.stringify(organizationGuardPolicy(), null, 2) + "\n"] as const] : [];
    }),
  );
  for (const file of writeGuards(outdir, guards, keep))
    io.stdout(`Wrote the organization guard to ${shown}/guards/${file}: attach it as a service control policy from the management account (${docRef("docs/architecture.md", "Bearer-token API keys and the Mantle endpoint")})\n`);
  if (fromEarlier.length) io.stdout(`Kept ${plural(fromEarlier.length, "stack")} of other environments from an earlier run: ${fromEarlier.join(", ")}\n`);
  return 0;
}

/** The value of an environment variable, undefined when unset; set but empty (or blank) is a usage error. */
function nonEmptyVariable(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name];
  if (v === undefined) return undefined;
  if (v.trim() === "") throw new CliError(`${name} is set but empty: unset it for the default, or name a directory`, 2);
  return v;
}

if (require.main === module)
  void runCli(() => synth(process.argv.slice(2), { env: process.env, stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) }));
