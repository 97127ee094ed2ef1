import * as fs from "node:fs";
import * as path from "node:path";
import { names, parseStackName } from "../core/aws";
import { readRegularFile } from "./regular-file";

/*
 * What a synth leaves in the outdir. cdktf rewrites <outdir>/manifest.json on every synth with only the stacks of that
 * run, but leaves older stack directories in place; `cdktf deploy` then saw one set of stacks listed and another on
 * disk. The rule: an environment a run synthesizes is replaced whole (stack directories and smoke manifests of regions
 * it no longer has are removed); an environment the run did not synthesize is kept as an earlier run wrote it only
 * when the run was limited (--env / BEDROCK_ENV) and its config file still exists; anything else in stacks/ and
 * manifests/ is removed. manifest.json then lists exactly the stack directories that remain.
 */

/** cdktf's <outdir>/manifest.json, as far as this reads it. */
interface CdktfManifest {
  stacks?: Record<string, unknown>;
  [key: string]: unknown;
}

function readManifest(file: string): CdktfManifest | undefined {
  try {
    // Never blocks on a FIFO or reads a directory (cli/regular-file.ts); anything unreadable counts as no manifest.
    const m = JSON.parse(readRegularFile(file, 16 * 1024 * 1024).toString("utf8")) as unknown;
    return typeof m === "object" && m !== null && !Array.isArray(m) ? (m as CdktfManifest) : undefined;
  } catch {
    return undefined;
  }
}

/** Reads the manifest an earlier run left (call before app.synth(), which overwrites it). */
export function previousStacks(outdir: string): ReadonlyMap<string, unknown> {
  const stacks = readManifest(path.join(outdir, "manifest.json"))?.stacks;
  return new Map(stacks && typeof stacks === "object" ? Object.entries(stacks) : []);
}

/**
 * Applies the rule above after app.synth(). `synthesized`: this run's stack names; `keepEnvironments`: environments
 * whose earlier output survives (empty for an unlimited run). Returns the stack names kept from earlier runs.
 */
export function reconcileOutdir(outdir: string, synthesized: ReadonlySet<string>, previous: ReadonlyMap<string, unknown>, keepEnvironments: ReadonlySet<string>): string[] {
  const stacksDir = path.join(outdir, "stacks");
  const kept = (stack: string) => {
    if (synthesized.has(stack)) return true;
    const owner = parseStackName(stack);
    return owner !== undefined && keepEnvironments.has(owner.env) && previous.has(stack) && fs.existsSync(path.join(stacksDir, stack, "cdk.tf.json"));
  };
  const fromEarlier: string[] = [];
  for (const stack of fs.existsSync(stacksDir) ? fs.readdirSync(stacksDir) : []) {
    if (!kept(stack)) fs.rmSync(path.join(stacksDir, stack), { recursive: true, force: true });
    else if (!synthesized.has(stack)) fromEarlier.push(stack);
  }
  const manifestsDir = path.join(outdir, "manifests");
  for (const f of fs.existsSync(manifestsDir) ? fs.readdirSync(manifestsDir) : [])
    if (!f.endsWith(".json") || !kept(f.slice(0, -".json".length)) || !fs.existsSync(path.join(stacksDir, f.slice(0, -".json".length))))
      fs.rmSync(path.join(manifestsDir, f), { recursive: true, force: true });
  const file = path.join(outdir, "manifest.json");
  const current = readManifest(file) ?? { stacks: {} };
  const stacks: Record<string, unknown> = { ...(current.stacks ?? {}) };
  for (const stack of fromEarlier.sort()) stacks[stack] = previous.get(stack);
  fs.writeFileSync(file, JSON.stringify({ ...current, stacks }, null, 2) + "\n");
  return fromEarlier.sort();
}

/** The environment a guard file belongs to (`bedrock-<env>-scp.json`), undefined for other files. */
function guardOwner(file: string): string | undefined {
  const m = /^bedrock-(.+)-scp\.json$/.exec(file);
  return m ? m[1] : undefined;
}

/**
 * Writes `<outdir>/guards/<names.organizationGuardFile(env)>` for each environment in `guards` (env -> file content) and
 * applies the outdir rule to the folder: a guard of an environment this run synthesized exists exactly when the run
 * wrote it (so switching the guard off, or to `managementAccount`, removes the file), one of another environment
 * survives only when `keepEnvironments` has it, and nothing else stays. Returns the file names written.
 */
export function writeGuards(outdir: string, guards: ReadonlyMap<string, string>, keepEnvironments: ReadonlySet<string>): string[] {
  const dir = path.join(outdir, "guards");
  const written = [...guards.keys()].map((env) => names.organizationGuardFile(env));
  for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    const owner = guardOwner(f);
    if (!written.includes(f) && (owner === undefined || !keepEnvironments.has(owner))) fs.rmSync(path.join(dir, f), { recursive: true, force: true });
  }
  if (guards.size) fs.mkdirSync(dir, { recursive: true });
  for (const [env, content] of guards) fs.writeFileSync(path.join(dir, names.organizationGuardFile(env)), content);
  if (fs.existsSync(dir) && fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
  return written;
}
