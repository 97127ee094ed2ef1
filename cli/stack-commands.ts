import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { names } from "../core/aws";
import { closest, quote } from "../core/problems";
import { checkEnvName } from "./argument-values";
import type { CommandIo } from "./command-io";
import { parseCommandLine } from "./command-line";
import { checkDeployCredentials } from "./deploy-credentials";
import { type LoadedEnvironment, loadEnvironments } from "./environment-files";
import { findFrameworkCli, type FrameworkCli, frameworkRuntimeProblem } from "./framework-cli";
import { noteNodeSupport } from "./node-support";
import { TERRAFORM_INSTALL, terraformUnavailable } from "./terraform";
import { CliError } from "./user-error";

/** The two commands over an environment's stacks. */
export type StackCommandKind = "diff" | "deploy";

export const STACK_USAGE = (kind: StackCommandKind) => `usage: bedrock-baseline ${kind} [--env NAME]... [STACK|PATTERN]... [--config-dir DIR]${kind === "deploy" ? " [--auto-approve]" : ""} [-- CDKTF_OPTIONS]

${kind === "diff" ? "A Terraform plan (cdktf diff) of each selected stack" : "Applies (cdktf deploy) each selected stack"}, one stack after the other (cdktf ${kind} takes one
stack), stopping at the first that fails and naming it. Runs the cdktf app of cdktf.json in the current directory.

Stacks: --env NAME selects every stack of the environment (bedrock-NAME-<region> for each region, then
bedrock-NAME-account); a STACK names one, a PATTERN with * several (quote it: 'bedrock-prod-*').

Before anything runs: every environment validates, the cdktf CLI is installed and can run on this Node (cdktf-cli
0.21 cannot on Node 24: use Node 22), Terraform runs${kind === "deploy" ? ", and the AWS credentials belong to each selected environment's account (STS GetCallerIdentity)" : ""}.

Options:
  --env NAME         every stack of this environment (repeatable)
  --config-dir DIR   the environment files; default $BEDROCK_CONFIG_DIR, else config${kind === "deploy" ? "\n  --auto-approve     apply without cdktf's approval prompt (CI)" : ""}
  -h, --help         this text
  -- ...            anything after -- goes to every cdktf ${kind} call, e.g. -- --var-file prod.tfvars

Exit 0 every stack done, 1 a stack failed (named; the rest not run), 2 usage or a missing prerequisite.`;

interface StackArgs {
  readonly envs: readonly string[];
  readonly patterns: readonly string[];
  readonly configDir: string;
  readonly autoApprove: boolean;
  readonly passThrough: readonly string[];
}

function parseStackArgs(kind: StackCommandKind, argv: readonly string[], env: NodeJS.ProcessEnv): StackArgs | "help" {
  const dash = argv.indexOf("--");
  const own = dash < 0 ? argv : argv.slice(0, dash);
  const { values, positionals } = parseCommandLine({
    args: own,
    allowPositionals: true,
    options: {
      env: { type: "string", multiple: true },
      "config-dir": { type: "string" },
      ...(kind === "deploy" ? { "auto-approve": { type: "boolean" } } : {}),
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return "help";
  const envs = (values.env ?? []).map((e) => checkEnvName(e));
  if (envs.length === 0 && positionals.length === 0) throw new CliError(`${kind} needs --env NAME or stack names: bedrock-baseline ${kind} --env dev (see --help)`, 2);
  for (const p of positionals) if (!/^[a-z0-9*][a-z0-9*-]{0,99}$/.test(p)) throw new CliError(`${quote(p, 60)} is not a stack name or pattern (lowercase letters, digits, dashes and *, e.g. 'bedrock-prod-*')`, 2);
  return {
    envs,
    patterns: positionals,
    configDir: path.resolve(values["config-dir"] ?? (env.BEDROCK_CONFIG_DIR || "config")),
    autoApprove: (values as Record<string, unknown>)["auto-approve"] === true,
    passThrough: dash < 0 ? [] : argv.slice(dash + 1),
  };
}

/** Every stack of an environment, in the order they run: its regions' stacks, then the account stack. */
export function environmentStacks(l: LoadedEnvironment): string[] {
  const c = l.plan.config;
  return [...c.regions.map((r) => names.regionStack(c.name, r)), names.accountStack(c.name)];
}

/** The stacks the arguments select, in order, each once; a pattern that matches nothing is a usage error. */
export function selectStacks(loaded: readonly LoadedEnvironment[], envs: readonly string[], patterns: readonly string[]): { stacks: string[]; owners: LoadedEnvironment[] } {
  const all = loaded.flatMap((l) => environmentStacks(l).map((stack) => ({ stack, owner: l })));
  const chosen = new Map<string, LoadedEnvironment>();
  for (const e of envs) for (const s of all.filter((x) => x.owner.plan.config.name === e)) chosen.set(s.stack, s.owner);
  for (const p of patterns) {
    const re = new RegExp(`^${p.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
    const matched = all.filter((x) => re.test(x.stack));
    if (matched.length === 0) {
      // Suggest a stack, or an environment's pattern (`bedrock-prd-*` -> `bedrock-prod-*`).
      const near = closest(p, [...all.map((x) => x.stack), ...loaded.map((l) => `bedrock-${l.plan.config.name}-*`)], { max: 1 });
      throw new CliError(`no stack matches ${quote(p, 60)}${near.length ? `; did you mean ${near[0]}?` : ""} (stacks: ${all.map((x) => x.stack).join(", ")})`, 2);
    }
    for (const m of matched) chosen.set(m.stack, m.owner);
  }
  return { stacks: [...chosen.keys()], owners: [...new Set(chosen.values())] };
}

/** Runs the framework CLI once; resolves with its exit code (its output goes straight to the terminal). */
function runFramework(cli: FrameworkCli, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    // Offline by default: no version check or checkpoint calls (either may be set explicitly to opt back in).
    const child = spawn(process.execPath, [cli.script, ...args], { cwd, stdio: "inherit", env: { DISABLE_VERSION_CHECK: "true", CHECKPOINT_DISABLE: "1", ...env } });
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** Everything checked before the first stack runs; throws CliError (exit 2) naming the first missing prerequisite. */
async function preflight(kind: StackCommandKind, owners: readonly LoadedEnvironment[], cwd: string, io: CommandIo): Promise<FrameworkCli> {
  if (!fs.existsSync(path.join(cwd, "cdktf.json"))) throw new CliError(`no cdktf.json in ${cwd}: run ${kind} in the repository's root (bedrock-baseline init writes one)`, 2);
  const cli = findFrameworkCli(cwd);
  const runtime = frameworkRuntimeProblem(cli);
  if (runtime) throw new CliError(runtime, 2);
  const terraform = terraformUnavailable(io.env);
  if (terraform) throw new CliError(`${cli.command} ${kind} needs Terraform (${terraform}): install it from ${TERRAFORM_INSTALL} (or put it on PATH), then rerun; synth needs no Terraform`, 2);
  if (kind === "deploy") {
    noteNodeSupport(io.stderr, io.env);
    for (const o of owners) {
      const who = await checkDeployCredentials({ account: o.plan.config.account, region: o.plan.config.regions[0], file: o.displayName });
      io.stdout(`deploy: credentials of ${who.arn} (account ${who.account}) for ${o.plan.config.name}`);
    }
  }
  return cli;
}

/** `bedrock-baseline diff` / `deploy`; returns the exit code. */
export async function stackCommand(kind: StackCommandKind, argv: readonly string[], io: CommandIo, cwd: string = process.cwd()): Promise<number> {
  const args = parseStackArgs(kind, argv, io.env);
  if (args === "help") {
    io.stdout(STACK_USAGE(kind));
    return 0;
  }
  const loaded = loadEnvironments(args.configDir, args.patterns.length ? {} : { only: args.envs });
  const { stacks, owners } = selectStacks(loaded, args.envs, args.patterns);
  const cli = await preflight(kind, owners, cwd, io);
  for (const [i, stack] of stacks.entries()) {
    io.stdout(`${kind}: ${stack} (${i + 1} of ${stacks.length})`);
    // The first call synthesizes the app; the others reuse its output. cdktf deploy refuses one stack whose dependencies
    // are not selected with it (the account stack depends on the region stacks, whose state it reads): they run first
    // here, one by one, so the check is cdktf's --ignore-missing-stack-dependencies' to skip.
    const order = kind === "deploy" ? ["--ignore-missing-stack-dependencies"] : [];
    const extra = [...(i > 0 ? ["--skip-synth"] : []), ...order, ...(args.autoApprove ? ["--auto-approve"] : []), ...args.passThrough];
    const code = await runFramework(cli, [kind, stack, ...extra], cwd, io.env);
    if (code !== 0) {
      const rest = stacks.slice(i + 1);
      io.stderr(`${kind}: ${stack} failed (${cli.command} exited with ${code})${rest.length ? `; not run: ${rest.join(", ")}` : ""}`);
      return 1;
    }
  }
  io.stdout(`${kind}: ${stacks.length} stack${stacks.length === 1 ? "" : "s"} done: ${stacks.join(", ")}`);
  return 0;
}
