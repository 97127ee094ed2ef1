/**
 * Evaluation benchmark: `npm run eval` for every route of the example environments (config/dev.json and
 * config/prod.json, first region), each with its shipped golden set (evals/<task>.jsonl) and automatic repeats,
 * against the local stand-in with LATENCY_MS added to every Bedrock call, concurrency CONCURRENCY, in-process.
 *
 *   npm run bench:eval [-- --check]
 *
 * The candidate of a route is its first fallback, else its canary, else the first other enabled model. The models
 * give the stand-in's canned answer and the judge always scores 5, so the verdicts (mostly FAIL: canned answers miss
 * hard checks) are not the point: the figures are the calls each run makes and its wall time.
 *
 * Target per run: wall <= 1.3 x ceil(calls / concurrency) x latency + 2 s (the calls' critical path with 30%
 * scheduling slack, 2 s for loading the environment, reading AppConfig and writing the reports). Exit policy:
 * scripts/bench-policy.ts.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadEnvironments } from "../cli/environment-files";
import type { BaselinePlan } from "../core/environment";
import { buildManifest } from "../core/routing";
import { main } from "../evaluation/cli";
import { startLocalEndpoint } from "../local/endpoint";
import { seedFromManifests } from "../local/seed";
import { benchArgs, BenchReport, runBench } from "./bench-policy";

const LATENCY_MS = 100;
const CONCURRENCY = 8;
const ENVIRONMENTS = ["dev", "prod"];

function candidateOf(plan: BaselinePlan, task: string): string {
  const r = plan.config.routes[task];
  const enabled = Object.keys(plan.invocations[plan.config.regions[0]]);
  return r.fallbacks[0] ?? r.canary?.model ?? enabled.find((id) => id !== r.primary)!;
}

async function benchEnvironment(plan: BaselinePlan, bench: BenchReport, totals: { calls: number; wallS: number }): Promise<void> {
  const endpoint = await startLocalEndpoint({ latencyMs: LATENCY_MS });
  const reports = fs.mkdtempSync(path.join(os.tmpdir(), "bench-eval-"));
  try {
    seedFromManifests(endpoint, plan, plan.config.regions.map((r) => buildManifest(plan, r)));
    endpoint.scriptAnswer({ requestMetadata: { purpose: "eval-judge" }, text: '{"score": 5, "reason": "bench"}' });
    for (const task of Object.keys(plan.config.routes)) {
      const candidate = candidateOf(plan, task);
      const lines: string[] = [];
      const t0 = performance.now();
      const code = await main(["--env", plan.config.name, "--task", task, "--candidate", candidate, "--endpoint-url", endpoint.url, "--concurrency", String(CONCURRENCY), "--report-dir", reports], {
        stdout: (l) => lines.push(l),
        stderr: (l) => lines.push(l),
      });
      const wallS = (performance.now() - t0) / 1000;
      const report = JSON.parse(fs.readFileSync(path.join(reports, fs.readdirSync(reports).find((f) => f.startsWith(`${plan.config.name}.`) && f.includes(`.${task}.`) && f.endsWith(".json"))!), "utf8"));
      const calls: number = report.run.calls.made;
      totals.calls += calls;
      totals.wallS += wallS;
      const target = 1.3 * Math.ceil(calls / CONCURRENCY) * (LATENCY_MS / 1000) + 2;
      bench.figure({
        label: `${plan.config.name} ${task}`,
        value: wallS,
        target,
        bound: "<=",
        format: (x) => `${x.toFixed(2)} s`,
        note: `${calls} calls (${report.goldenSet.cases} cases x ${report.run.repeat} repeats x 2 models + judges), verdict ${report.verdict}, exit ${code}, candidate ${candidate}`,
      });
    }
  } finally {
    await endpoint.close();
    fs.rmSync(reports, { recursive: true, force: true });
  }
}

async function bench(bench: BenchReport): Promise<number> {
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  console.log(`bench:eval: every route of ${ENVIRONMENTS.join(" and ")} with its shipped golden set; ${LATENCY_MS} ms per Bedrock call; concurrency ${CONCURRENCY}`);
  const totals = { calls: 0, wallS: 0 };
  for (const loaded of loadEnvironments("config", { only: ENVIRONMENTS })) await benchEnvironment(loaded.plan, bench, totals);
  bench.info("all runs", `${totals.calls} calls in ${totals.wallS.toFixed(1)} s`);
  return bench.finish();
}

runBench(() => bench(new BenchReport(benchArgs().check)));
