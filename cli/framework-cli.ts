import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { displayText } from "../core/problems";
import { CliError } from "./user-error";

// The Terraform-CDK CLI (cdktf-cli, or cdktn-cli after the switch to CDK Terrain,
// docs/decisions/0001-cdktf-and-cdk-terrain.md) that `diff` and `deploy` drive, found in the project that runs them,
// and checked before it runs: on a Node it cannot run on it would print a raw stack trace mid-way.

/** The CLI packages that can drive the stacks, in order of preference. */
export const FRAMEWORK_CLIS = ["cdktf-cli", "cdktn-cli"] as const;

/** A framework CLI found on disk. */
export interface FrameworkCli {
  /** `cdktf-cli`. */
  readonly packageName: string;
  /** The command it installs, e.g. `cdktf`. */
  readonly command: string;
  /** Its bin script. */
  readonly script: string;
  /** Its package directory. */
  readonly dir: string;
}

/**
 * The framework CLI installed for the project in `projectDir` (resolved from there, so a team's own devDependency is
 * used), else the one next to this code (the repository's). Throws CliError (exit 2) saying what to install.
 */
export function findFrameworkCli(projectDir: string, resolve: (request: string, paths: string[]) => string = (r, p) => require.resolve(r, { paths: p })): FrameworkCli {
  for (const packageName of FRAMEWORK_CLIS) {
    for (const from of [projectDir, __dirname]) {
      let manifest: string;
      try {
        manifest = resolve(`${packageName}/package.json`, [from]);
      } catch {
        continue;
      }
      const bin = (JSON.parse(fs.readFileSync(manifest, "utf8")) as { bin?: Record<string, string> }).bin ?? {};
      const [command, script] = Object.entries(bin)[0] ?? [];
      if (command && script) return { packageName, command, script: path.join(path.dirname(manifest), script), dir: path.dirname(manifest) };
    }
  }
  throw new CliError("diff and deploy drive the cdktf CLI, which is not installed here: npm install --save-dev cdktf-cli@0.21.0 (bedrock-baseline init's package.json has it)", 2);
}

/** The terminal module cdktf-cli 0.21 loads for diff and deploy (a native addon with prebuilt binaries per Node ABI). */
export const PTY_MODULE = "@cdktf/node-pty-prebuilt-multiarch";

/**
 * Loads `entry` in a fresh Node of this version, as the framework CLI would: a native module that fails prints its own
 * error output (the pty loader does), and one that loads stays out of this process. Undefined when it loads, else why
 * not (the error's code, or its first line).
 */
export function childLoadFailure(entry: string): string | undefined {
  const script = `try { require(${JSON.stringify(entry)}) } catch (e) { process.stdout.write(String(e && e.code || (e && e.message || e)).split("\\n")[0]); process.exit(3) }`;
  const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 30_000, stdio: ["ignore", "pipe", "ignore"] });
  if (r.status === 0) return undefined;
  return r.stdout.trim() || (r.error ? r.error.message : `exit ${r.status ?? r.signal}`);
}

/**
 * Why the framework CLI cannot run on this Node, or undefined when it can: cdktf-cli 0.21 loads its terminal module for
 * diff and deploy, and that module has no build for Node 24 (ABI 137; its prebuilds end at Node 22's 127), so the CLI
 * crashes with a stack trace after synth. Loading the module first (`loadFailure`) tells before anything runs.
 */
export function frameworkRuntimeProblem(cli: FrameworkCli, loadFailure: (entry: string) => string | undefined = childLoadFailure, version = process.version, abi = process.versions.modules): string | undefined {
  let entry: string;
  try {
    entry = require.resolve(PTY_MODULE, { paths: [cli.dir] });
  } catch {
    // cdktn-cli and later CLIs need no such module.
    return undefined;
  }
  const reason = loadFailure(entry);
  if (reason === undefined) return undefined;
  return (
    `${cli.packageName}'s terminal module (${PTY_MODULE}) cannot load on Node ${version} (ABI ${abi}; ${displayText(reason, 80)}), so ${cli.command} diff/deploy would crash: ` +
    "run diff and deploy with Node 22 (nvm use 22, or bash .ci/node-runtime 22 in the product's repository prints one); synth, check and smoke work on this Node"
  );
}
