import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkEnvName } from "../cli/argument-values";
import { loadCatalog } from "../cli/catalog-files";
import { displayNameOf, type LoadedEnvironment, loadEnvironments } from "../cli/environment-files";
import { checkOutputDirectory } from "../cli/output-directory";
import { parseCommandLine } from "../cli/command-line";
import { CliError, describeUserError } from "../cli/user-error";
import { names } from "../core/aws";
import type { StackManifest } from "../core/routing";
import { synth } from "../main";
import { checkEndpoints } from "./endpoint-matrix";
import { checkPolicy, policySubjects } from "./iam-matrix";
import { ENABLE_IAM_MATRIX, IAM_EVALUATOR, iamEvaluator, type IamSimulateModule } from "./iam-evaluator-loader";
import { evaluatePolicy } from "./iam-simulator";
import { probePlan, probePlanLines, probeRequests } from "./probe-plan";
import { policyFromSynth, type StackJson } from "./synthesized-policies";

export const USAGE = `usage: npm run check:environments -- [--config-dir DIR] [--env NAME]... [--catalog-dir DIR] [--outdir DIR]

Checks the environment files a team keeps in config/ the way its CI should before any apply, offline (no AWS account):
  1. validates every file (every problem of every file, one line each: file: path: message -> fix);
  2. synthesizes every stack (as npm run synth does);
  3. shows each region stack's smoke plan (what npm run smoke will probe after apply) and proves the smoke role may
     make every probe;
  4. runs the IAM matrix over each synthesized workload and smoke policy with a real policy evaluator: the models a
     workload's routes name are allowed through the region's profile, and neighbouring calls (other model, other
     profile, direct foundation-model call, other action, other account, API keys, the Mantle endpoint) are denied;
     with aws:SourceVpce required, allowed through the region's endpoint and denied without it; through the interface
     endpoints, what the policies allow passes and nothing else. The evaluator, ${IAM_EVALUATOR.name}, is
     ${IAM_EVALUATOR.licence} and an optional dependency: without it the matrix is skipped with one line saying so (to
     enable: ${"npm install --save-dev " + IAM_EVALUATOR.name + "@" + IAM_EVALUATOR.version}).

Options:
  --config-dir DIR   the environment files (*.json); default: $BEDROCK_CONFIG_DIR, else config
  --env NAME         check only this environment (repeatable); default: every file
  --catalog-dir DIR  the model catalog (snapshot.json; overlay.json, else the shipped one); default:
                     $BEDROCK_CATALOG_DIR, else the committed catalog/
  --outdir DIR       keep the synthesized stacks and manifests there; default: a temporary directory, removed after
  --require-iam-matrix
                     fail (exit 2) when the IAM evaluator is not installed, instead of skipping the matrix
  -h, --help         print this text

Exit 0 when every check passes (warnings are printed), 1 when an environment is invalid or a check fails, 2 on usage
errors (unknown option, missing config directory, unknown environment, the evaluator missing with
--require-iam-matrix).`;

/** Where the check prints: progress on stdout, problems on stderr. */
export interface CheckIo {
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
  readonly env: NodeJS.ProcessEnv;
}

/** Problem lines shown per policy before the rest are counted. */
const PROBLEMS_SHOWN = 20;

interface CheckArgs {
  readonly configDir: string;
  readonly only: readonly string[];
  readonly catalogDir?: string;
  readonly outdir?: string;
  /** Absence of the IAM evaluator is an error instead of a skipped matrix. */
  readonly requireIamMatrix: boolean;
}

/** Parses the command line; throws CliError (exit 2) on usage errors; "help" for --help. */
export function parseCheckArgs(argv: readonly string[], env: NodeJS.ProcessEnv): CheckArgs | "help" {
  // Repeated single-value flags and empty values are refused there, unknown ones get "did you mean".
  const { values } = parseCommandLine({
    args: argv,
    options: {
      "config-dir": { type: "string" },
      env: { type: "string", multiple: true },
      "catalog-dir": { type: "string" },
      outdir: { type: "string" },
      "require-iam-matrix": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: false,
  });
  if (values.help) return "help";
  if (env.BEDROCK_CONFIG_DIR === "" && values["config-dir"] === undefined) throw new CliError("BEDROCK_CONFIG_DIR is empty: name a directory or unset it");
  return {
    configDir: path.resolve(values["config-dir"] ?? env.BEDROCK_CONFIG_DIR ?? "config"),
    only: [...new Set((values.env ?? []).map((e) => checkEnvName(e)))],
    // BEDROCK_CATALOG_DIR as synth reads it, so the check validates against the catalog synth uses.
    ...((values["catalog-dir"] ?? env.BEDROCK_CATALOG_DIR) ? { catalogDir: path.resolve(values["catalog-dir"] ?? env.BEDROCK_CATALOG_DIR!) } : {}),
    ...(values.outdir !== undefined ? { outdir: path.resolve(values.outdir) } : {}),
    requireIamMatrix: values["require-iam-matrix"] === true,
  };
}

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, "utf8"));
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * Every check of one region stack: the smoke plan and (unless `iam` is false) the IAM matrix of the region's calls,
 * over the account stack's policies (`account`: its synthesized JSON; IAM is global, so the policies are the
 * environment's). Returns the problem lines.
 */
async function checkRegionStack(loaded: LoadedEnvironment, region: string, outdir: string, account: StackJson, io: CheckIo, iam: boolean): Promise<{ problems: string[]; requests: number }> {
  const plan = loaded.plan;
  const stack = names.regionStack(plan.config.name, region);
  const manifest = readJson(path.join(outdir, "manifests", `${stack}.json`)) as StackManifest;
  const regionJson = readJson(path.join(outdir, "stacks", stack, "cdk.tf.json")) as StackJson;
  const json = account;
  const problems: string[] = [];

  const smokePlan = probePlan(manifest);
  for (const line of probePlanLines(smokePlan)) io.stdout(line);
  const probes = probeRequests(plan, smokePlan);
  problems.push(...probes.problems);
  if (!iam) return { problems, requests: 0 };
  const smokePolicy = policyFromSynth(json, names.smokePolicy(plan.config.name), plan);
  for (const r of probes.requests) {
    const decision = await evaluatePolicy(smokePolicy, plan.config.account, r);
    if (decision !== "Allowed") problems.push(`${stack}: IAM: the smoke policy gives ${decision} to ${r.label}, expected Allowed`);
  }

  let requests = probes.requests.length;
  const subjects = policySubjects(plan).filter((s) => s.region === region);
  for (const subject of subjects) {
    const verdict = await checkPolicy(plan, json, subject);
    requests += verdict.requests;
    const shown = verdict.problems.slice(0, PROBLEMS_SHOWN).map((p) => `${stack}: IAM: ${subject.policyName}: ${p}`);
    const more = verdict.problems.length - shown.length;
    problems.push(...shown, ...(more > 0 ? [`${stack}: IAM: ${subject.policyName}: and ${more} more requests decided otherwise than required`] : []));
  }
  // The interface endpoints' policies, when the stack has endpoints: what the policies allow still passes, nothing else.
  const endpoints = await checkEndpoints(plan, { region: regionJson, account: json }, region, subjects);
  requests += endpoints.requests;
  problems.push(...endpoints.problems.slice(0, PROBLEMS_SHOWN).map((p) => `${stack}: IAM: ${p}`));
  io.stdout(`${stack}: IAM: ${subjects.length} policies${endpoints.requests ? " and the endpoint policies" : ""}, ${requests} requests decided${problems.length ? `, ${problems.length} problems` : " as required"}`);
  return { problems, requests };
}

/**
 * Checks what synth wrote to `outdir` for the loaded environments (every region stack's smoke plan and IAM matrix),
 * prints the problems and the verdict, and returns the exit code (0 pass, 1 a check failed).
 */
export async function checkStacks(loaded: readonly LoadedEnvironment[], outdir: string, io: CheckIo, note = "", iam = true): Promise<number> {
  const problems: string[] = [];
  let requests = 0;
  let stacks = 0;
  for (const l of loaded) {
    const account = readJson(path.join(outdir, "stacks", names.accountStack(l.plan.config.name), "cdk.tf.json")) as StackJson;
    for (const region of l.plan.config.regions) {
      const r = await checkRegionStack(l, region, outdir, account, io, iam);
      problems.push(...r.problems);
      requests += r.requests;
      stacks++;
    }
  }
  for (const p of problems) io.stderr(p);
  const figures = `${plural(loaded.length, "environment")}, ${plural(stacks, "region stack")}, ${iam ? plural(requests, "IAM request") : "IAM matrix skipped"}`;
  io.stdout(problems.length ? `check:environments: FAIL (${problems.length} problems; ${figures})` : `check:environments: PASS (${figures}${note})`);
  return problems.length ? 1 : 0;
}

/** Synthesizes the loaded environments into `outdir` with the synth command itself (its lines go to `io`). */
async function synthesize(args: CheckArgs, outdir: string, io: CheckIo): Promise<void> {
  const lines = (write: (l: string) => void) => (text: string) => text.split("\n").filter(Boolean).forEach(write);
  const synthArgs = ["--config-dir", args.configDir, ...args.only.flatMap((e) => ["--env", e]), ...(args.catalogDir ? ["--catalog-dir", args.catalogDir] : [])];
  await synth(synthArgs, { env: { CDKTF_OUTDIR: outdir }, stdout: lines(io.stdout), stderr: lines(io.stderr) });
}

/** What the check loads besides its inputs; tests pass their own. */
export interface CheckDeps {
  /** The IAM evaluator, or undefined when it is not installed. @default the optional peer, when installed */
  readonly iamEvaluator?: () => IamSimulateModule | undefined;
}

/**
 * Whether the IAM matrix runs: the evaluator is installed, or the check says in one line that it skips the matrix and
 * how to enable it; with --require-iam-matrix its absence is a usage error (exit 2).
 */
function iamMatrixRuns(args: CheckArgs, io: CheckIo, deps: CheckDeps): boolean {
  if ((deps.iamEvaluator ?? iamEvaluator)() !== undefined) return true;
  const missing = `the IAM matrix needs ${IAM_EVALUATOR.name}, which is not installed`;
  if (args.requireIamMatrix) throw new CliError(`${missing} (--require-iam-matrix): ${ENABLE_IAM_MATRIX}`, 2);
  io.stdout(`check:environments: IAM matrix skipped: ${missing}; to enable it: ${ENABLE_IAM_MATRIX}`);
  return false;
}

/** The whole check; returns the exit code. Usage and configuration errors print one line each, never a stack trace. */
export async function checkEnvironments(argv: readonly string[], io: CheckIo, deps: CheckDeps = {}): Promise<number> {
  let temporary: string | undefined;
  try {
    const args = parseCheckArgs(argv, io.env);
    if (args === "help") {
      io.stdout(USAGE);
      return 0;
    }
    // A usage error before any work: an outdir that is a file or cannot be created would otherwise fail after synth.
    if (args.outdir) checkOutputDirectory(args.outdir, "--outdir");
    const iam = iamMatrixRuns(args, io, deps);
    const loaded = loadEnvironments(args.configDir, { only: args.only, ...(args.catalogDir ? { catalog: loadCatalog(args.catalogDir) } : {}) });
    io.stdout(`check:environments: ${plural(loaded.length, "environment")} valid: ${loaded.map((l) => l.displayName).join(", ")}`);
    // The temp folder of the command's own environment (process.env when run as a command; a test's own in tests).
    const outdir = args.outdir ?? (temporary = fs.mkdtempSync(path.join(io.env.TMPDIR || os.tmpdir(), "check-environments-")));
    await synthesize(args, outdir, io);

    return await checkStacks(loaded, outdir, io, args.outdir ? `; stacks in ${displayNameOf(outdir)}` : "", iam);
  } catch (err) {
    const user = describeUserError(err);
    if (!user) throw err;
    for (const line of user.lines) io.stderr(line);
    return user.exitCode;
  } finally {
    if (temporary) fs.rmSync(temporary, { recursive: true, force: true });
  }
}
