/**
 * Scale benchmark: generated environments (scripts/large-environment.ts) from a small team to the largest organisation
 * the project supports, each validated and synthesized in a fresh child process (so peak RSS is its own), with per size:
 * wall time (process start to exit, module loading included), validation and synth times, peak RSS, stacks and resources, the
 * most baseline policies (managed-policy parts) any principal gets, the largest routing document and AppConfig
 * validator of any region, the most dashboards of a region, and whether it validates.
 *
 *   npm run bench:scale [-- --only NAME] [--check]
 *
 * Sizes (regions x workloads x routes x models): team 1 x 10 x 10 x 5, department 4 x 50 x 50 x 12, the issue's
 * measurement 8 x 50 x 35 x 12, organisation 17 x 200 x 200 x 30. Targets for the largest (2 cores): validates and
 * synthesizes, no principal over 10 baseline policies (IAM's default quota), under 60 s wall and 1.5 GB peak RSS. Needs
 * no terraform binary. Exit policy (scripts/bench-policy.ts): figures printed with their targets, exit 0; --check exits 1
 * on a miss; a usage error exits 2.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { App } from "../modules/terraform-cdk";
import { shippedCatalog } from "../cli/catalog-files";
import { parseCommandLine } from "../cli/command-line";
import { CliError, runCli } from "../cli/user-error";
import { closest } from "../core/problems";
import { principalIdentity } from "../core/environment";
import { environmentPolicies } from "../core/iam";
import { regionDashboards } from "../core/observability";
import { buildRoutingDocument, MAX_VALIDATOR_BYTES, routingValidator } from "../core/routing";
import { checkEnvironment } from "../core/validation";
import { synthesizeEnvironments } from "../modules/baseline";
import { BenchReport } from "./bench-policy";
import { largeEnvironment, type LargeEnvironmentShape, SEVENTEEN_REGIONS } from "./large-environment";

/** AppConfig's hosted configuration store takes configurations up to 1 MB (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-appconfig-hostedconfigurationversion.html). */
const MAX_HOSTED_CONFIGURATION_BYTES = 1024 * 1024;
const TARGET_WALL_S = 60;
const TARGET_RSS_MB = 1536;
const TARGET_POLICIES = 10;

/** The sizes, smallest first; the last is the one the targets are for. */
const SIZES: ReadonlyArray<{ name: string; shape: LargeEnvironmentShape }> = [
  { name: "team", shape: { regions: ["us-east-1"], workloads: 10, routes: 10, models: 5, existingPrincipals: true, candidates: "shared" } },
  { name: "department", shape: { regions: SEVENTEEN_REGIONS.filter((r) => /^(us-east-1|us-west-2|eu-west-1|ap-northeast-1)$/.test(r)), workloads: 50, routes: 50, models: 12, existingPrincipals: true, candidates: "shared" } },
  { name: "issue-8-regions", shape: { regions: SEVENTEEN_REGIONS.filter((r) => /^(us-|eu-central-1|eu-west-1|ap-northeast-1|ap-southeast-2)/.test(r)).slice(0, 8), workloads: 50, routes: 35, models: 12, existingPrincipals: true } },
  { name: "organisation", shape: { regions: SEVENTEEN_REGIONS, workloads: 200, routes: 200, models: 30, existingPrincipals: true } },
];

/** What one child measures. */
interface SizeFigures {
  readonly name: string;
  readonly valid: boolean;
  readonly errors: number;
  readonly warnings: number;
  readonly validateMs: number;
  readonly synthMs: number;
  readonly maxRssMb: number;
  readonly stacks: number;
  readonly resources: number;
  /** The most managed-policy parts attached to one principal (an existing role or user, or a created role). */
  readonly maxPolicies: number;
  readonly maxDocumentBytes: number;
  readonly maxValidatorBytes: number;
  readonly maxDashboards: number;
}

/** Parts attached to each principal: existing principals sum every policy they get; each created role gets its workload's. */
function maxPoliciesPerPrincipal(plan: Parameters<typeof environmentPolicies>[0]): number {
  const attached = new Map<string, number>();
  for (const p of environmentPolicies(plan))
    for (const who of [...p.principals.map(principalIdentity), ...p.roles.map((r) => `role:${r}`)]) attached.set(who, (attached.get(who) ?? 0) + p.partSizes.length);
  return Math.max(0, ...attached.values());
}

/** Runs in the child: validates and synthesizes one size, prints one JSON line. */
function child(name: string): void {
  const size = SIZES.find((s) => s.name === name)!;
  const t0 = performance.now();
  const result = checkEnvironment(largeEnvironment(size.shape), { catalog: shippedCatalog(), expectedName: "large" });
  const validateMs = performance.now() - t0;
  const errors = result.problems.filter((p) => p.severity !== "warning");
  const base = { name, valid: errors.length === 0 && result.plan !== undefined, errors: errors.length, warnings: result.problems.length - errors.length, validateMs };
  const plan = result.plan;
  if (!base.valid || !plan) {
    process.stdout.write(JSON.stringify({ ...base, synthMs: 0, maxRssMb: process.resourceUsage().maxRSS / 1024, stacks: 0, resources: 0, maxPolicies: 0, maxDocumentBytes: 0, maxValidatorBytes: 0, maxDashboards: 0 }) + "\n");
    return;
  }
  const outdir = mkdtempSync(join(tmpdir(), "bench-scale-"));
  try {
    const t1 = performance.now();
    const app = new App({ outdir, stackTraces: false });
    synthesizeEnvironments(app, [plan]);
    app.synth();
    const synthMs = performance.now() - t1;
    const stackDirs = readdirSync(join(outdir, "stacks"));
    const resources = stackDirs.reduce((n, s) => {
      const json = JSON.parse(readFileSync(join(outdir, "stacks", s, "cdk.tf.json"), "utf8"));
      return n + Object.values<Record<string, unknown>>(json.resource ?? {}).reduce((m, byName) => m + Object.keys(byName).length, 0);
    }, 0);
    const regions = plan.config.regions;
    const figures: SizeFigures = {
      ...base,
      synthMs,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      stacks: stackDirs.length,
      resources,
      maxPolicies: maxPoliciesPerPrincipal(plan),
      maxDocumentBytes: Math.max(...regions.map((r) => Buffer.byteLength(JSON.stringify(buildRoutingDocument(plan, r))))),
      maxValidatorBytes: Math.max(...regions.map((r) => routingValidator(plan, r).bytes)),
      maxDashboards: Math.max(...regions.map((r) => regionDashboards(plan, r).length)),
    };
    process.stdout.write(JSON.stringify(figures) + "\n");
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Spawns a fresh Node process for one size (through the transpile cache, as `npm run synth` starts); its figures and the wall time seen from outside. */
function runChild(name: string): Promise<SizeFigures & { wallMs: number }> {
  const started = performance.now();
  const args = ["-r", require.resolve("../cli/transpile-cache.js"), __filename, "--child", name];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { env: process.env, maxBuffer: 16 * 1024 * 1024, timeout: 10 * 60_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${name} child failed: ${err.message}\n${stderr.slice(-2000)}`));
      resolve({ ...(JSON.parse(stdout.trim().split("\n").pop()!) as SizeFigures), wallMs: performance.now() - started });
    });
  });
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

async function parent(only: string | undefined, report: BenchReport): Promise<number> {
  const sizes = only ? SIZES.filter((s) => s.name === only) : SIZES;
  console.log(`Scale: ${sizes.length} generated environment(s), each in a fresh process; Node ${process.version}, ${cpus().length} CPUs`);
  console.log("size              regions x workloads x routes x models   valid  wall s  validate s  synth s  peak MB  stacks  resources  max policies/principal  max document  max validator  dashboards/region");
  const results: Array<SizeFigures & { wallMs: number }> = [];
  // Sequential, so the sizes never compete for the CPUs.
  for (const s of sizes) {
    const r = await runChild(s.name);
    results.push(r);
    const shape = `${s.shape.regions?.length ?? 1} x ${s.shape.workloads} x ${s.shape.routes} x ${s.shape.models}`;
    console.log(
      `${s.name.padEnd(17)} ${shape.padEnd(38)} ${(r.valid ? "yes" : `NO (${r.errors})`).padEnd(6)} ${(r.wallMs / 1000).toFixed(1).padStart(6)}  ${(r.validateMs / 1000).toFixed(2).padStart(10)}  ${(r.synthMs / 1000).toFixed(1).padStart(7)}  ${r.maxRssMb.toFixed(0).padStart(7)}  ${String(r.stacks).padStart(6)}  ${String(r.resources).padStart(9)}  ${String(r.maxPolicies).padStart(22)}  ${kb(r.maxDocumentBytes).padStart(12)}  ${kb(r.maxValidatorBytes).padStart(13)}  ${String(r.maxDashboards).padStart(17)}`,
    );
  }
  const largest = results.find((r) => r.name === SIZES[SIZES.length - 1].name);
  if (!largest) return report.finish();
  console.log(`targets for ${largest.name} (2 cores; wall = process start to exit, including module loading):`);
  report.figure({ label: "validates and synthesizes", value: largest.valid ? 1 : 0, target: 1, bound: "=", format: (x) => (x === 1 ? "yes" : "no") });
  report.figure({ label: "baseline policies, most per principal", value: largest.maxPolicies, target: TARGET_POLICIES, bound: "<=", format: (x) => String(x) });
  report.figure({ label: "wall", value: largest.wallMs / 1000, target: TARGET_WALL_S, bound: "<=", format: (x) => `${x.toFixed(1)} s` });
  report.figure({ label: "peak RSS", value: largest.maxRssMb, target: TARGET_RSS_MB, bound: "<=", format: (x) => `${x.toFixed(0)} MB` });
  report.figure({ label: "largest AppConfig validator", value: largest.maxValidatorBytes, target: MAX_VALIDATOR_BYTES, bound: "<=", format: (x) => `${x} B` });
  report.figure({ label: "largest routing document", value: largest.maxDocumentBytes, target: MAX_HOSTED_CONFIGURATION_BYTES, bound: "<=", format: (x) => `${x} B` });
  return report.finish();
}

/** `--only NAME` (once, a size's name) and `--check`; a usage error otherwise. */
function parseBenchArgs(argv: readonly string[]): { only?: string; check: boolean } {
  // The shared parser refuses a repeated --only and unknown flags with a usage error.
  const { values } = parseCommandLine({ args: [...argv], options: { only: { type: "string" }, check: { type: "boolean" } }, allowPositionals: false });
  const only = values.only;
  if (only !== undefined && !SIZES.some((s) => s.name === only)) {
    const near = closest(only, SIZES.map((s) => s.name), { max: 1 });
    throw new CliError(`--only ${JSON.stringify(only.slice(0, 40))} is not a size${near.length ? `; did you mean ${near[0]}?` : ""} (sizes: ${SIZES.map((s) => s.name).join(", ")})`, 2);
  }
  return { ...(only !== undefined ? { only } : {}), check: values.check === true };
}

const argv = process.argv.slice(2);
if (require.main !== module) {
  // Imported: run nothing.
} else if (argv[0] === "--child") child(argv[1]);
else
  void runCli(async () => {
    const args = parseBenchArgs(argv);
    return parent(args.only, new BenchReport(args.check));
  });
