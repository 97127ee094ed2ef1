import * as fs from "node:fs";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { readEnvironmentFile } from "../cli/environment-files";
import { CliError } from "../cli/user-error";
import { checkEnvName } from "../cli/argument-values";
import { checkSynthOutdir, outdirOfManifestDir } from "../cli/output-directory";
import { readRegularFile } from "../cli/regular-file";
import { buildManifest, type StackManifest } from "../core/routing";
import { names } from "../core/aws";
import { synth } from "../main";
import { type BaselinePlan } from "../core/environment";

/** Where an environment comes from and where smoke will read its manifests; defaults as the commands use them. */
export interface EnvironmentSource {
  /** BaselinePlan name: config/<env>.json. */
  env: string;
  /** Default: config (relative to the working directory, as every command reads it). */
  configDir?: string;
  /** Default: cdktf.out/manifests; synth writes manifests to `<outdir>/manifests`, so the name must end in manifests. */
  manifestDir?: string;
  /** Progress lines (the synth itself prints to the inherited stdout). */
  log?: (line: string) => void;
}

/** A validated environment and the manifests of its region stacks, identical to those on disk. */
export interface PreparedEnvironment {
  plan: BaselinePlan;
  manifests: StackManifest[];
  manifestDir: string;
  /** True when the manifests were missing or stale and synth ran. */
  synthesized: boolean;
}

/** True when `dir` holds exactly the manifests synth would write for `plan` now (no missing, stale or extra). */
function manifestsCurrent(dir: string, plan: BaselinePlan, expected: readonly StackManifest[]): boolean {
  const prefix = names.regionStack(plan.config.name, "");
  let files: string[];
  try {
    files = fs.readdirSync(dir).filter((f) => f.startsWith(prefix) && f.endsWith(".json"));
  } catch {
    return false;
  }
  const onDisk = new Map<string, unknown>();
  for (const f of files) {
    try {
      const m = JSON.parse(readRegularFile(path.join(dir, f)).toString("utf8")) as { environment?: unknown };
      // `bedrock-prod-eu-…` files also start with `bedrock-prod-`: only this environment's count.
      if (m.environment === plan.config.name) onDisk.set(f, m);
    } catch {
      return false;
    }
  }
  return onDisk.size === expected.length && expected.every((m) => isDeepStrictEqual(onDisk.get(`${m.stack}.json`), JSON.parse(JSON.stringify(m))));
}

/**
 * Validates config/<env>.json and makes sure the manifests smoke reads are the ones this config synthesizes, running
 * synth (main.ts's synth, in this process) when they are missing or stale, the way a fresh clone needs it. Throws the config's
 * UserInputError, or CliError when synth fails or writes elsewhere.
 */
export async function prepareEnvironment(source: EnvironmentSource): Promise<PreparedEnvironment> {
  // Every path argument is checked before anything is read or written: `--env ../package` is no environment name,
  // and a --manifest-dir not ending in /manifests would make synth replace what is in its parent.
  checkEnvName(source.env, "--env");
  const configDir = path.resolve(source.configDir ?? "config");
  const manifestDir = path.resolve(source.manifestDir ?? path.join("cdktf.out", "manifests"));
  const outdir = outdirOfManifestDir(manifestDir);
  const { plan } = readEnvironmentFile(path.join(configDir, `${source.env}.json`));
  const manifests = plan.config.regions.map((r) => buildManifest(plan, r));
  if (manifestsCurrent(manifestDir, plan, manifests)) return { plan, manifests, manifestDir, synthesized: false };
  checkSynthOutdir(outdir, "--manifest-dir's parent (the synth output directory)");

  source.log?.(`No current manifests for ${source.env} in ${manifestDir}: synthesizing (npm run synth -- --env ${source.env})`);
  // In this process, as the command that needs it runs before anything listens: synth's own errors reach the caller
  // as they are (one line per problem), and no TypeScript runtime is needed (the CLI package ships JavaScript).
  const log = (text: string) => text.replace(/\n$/, "").split("\n").forEach((l) => source.log?.(l));
  const code = await synth(["--env", source.env, "--config-dir", configDir], { env: { ...process.env, CDKTF_OUTDIR: outdir }, stdout: log, stderr: log });
  if (code !== 0) throw new CliError(`synth of ${source.env} failed (exit ${code}); run npm run synth -- --env ${source.env} to see why`, 2);
  if (!manifestsCurrent(manifestDir, plan, manifests)) {
    throw new CliError(`synth of ${source.env} did not write current manifests to ${manifestDir}; run npm run synth -- --env ${source.env} to see why`, 2);
  }
  return { plan, manifests, manifestDir, synthesized: true };
}
