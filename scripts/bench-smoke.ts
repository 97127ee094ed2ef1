/**
 * Smoke benchmark: the bench fleet (6 models x 6 regions, scripts/bench-synth.ts) against the local stand-in with
 * 300 ms added to every Bedrock call, concurrency 8, the whole smoke command in-process.
 *
 *   npm run bench:smoke [-- --check]
 *
 * Exit policy (scripts/bench-policy.ts): every figure printed with its target, exit 0; --check exits 1 on a miss
 * (a smoke run that does not pass counts as a miss).
 *
 * Target: wall <= 1.3 x ceil(probes / concurrency) x latency + 1 s (the probes' critical path, 30% scheduling slack,
 * 1 s for the AppConfig and quota checks). Also reports the largest reservation any probe made, from the endpoint's
 * call log: input + maxTokens must stay within input + PROBE_MAX_TOKENS.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROBE_MAX_TOKENS } from "../core/runtime";
import { buildManifest } from "../core/routing";
import { startLocalEndpoint } from "../local/endpoint";
import type { JsonReport } from "../smoke/json-report";
import { main } from "../smoke/cli";
import { fleetEnvironments } from "./bench-synth";
import { seedFromManifests } from "../local/seed";
import { benchArgs, BenchReport, runBench } from "./bench-policy";

const LATENCY_MS = 300;
const CONCURRENCY = 8;

async function bench(bench: BenchReport): Promise<number> {
  const environment = fleetEnvironments()[0];
  const manifests = environment.config.regions.map((r) => buildManifest(environment, r));
  const probes = manifests.reduce((n, m) => n + Object.keys(m.models).length, 0);
  const targetS = 1.3 * Math.ceil(probes / CONCURRENCY) * (LATENCY_MS / 1000) + 1;

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-smoke-"));
  for (const m of manifests) fs.writeFileSync(path.join(dir, `${m.stack}.json`), JSON.stringify(m));
  const endpoint = await startLocalEndpoint({ latencyMs: LATENCY_MS });
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  try {
    seedFromManifests(endpoint, environment, manifests);
    const jsonFile = path.join(dir, "report.json");
    const lines: string[] = [];
    const t0 = performance.now();
    const code = await main(
      ["--env", environment.config.name, "--endpoint-url", endpoint.url, "--manifest-dir", dir, "--concurrency", String(CONCURRENCY), "--json", jsonFile],
      { stdout: (l) => lines.push(l), stderr: (l) => lines.push(l) },
    );
    const wallS = (performance.now() - t0) / 1000;
    const report = JSON.parse(fs.readFileSync(jsonFile, "utf8")) as JsonReport;

    // Reservation per probe: maxTokens as the endpoint received it, input tokens as it counted them (the usage it
    // returned, recorded in the report; the call log carries no input count).
    const inputBy = new Map(report.checks.filter((c) => c.kind === "converse" && c.tokens).map((c) => [`${c.region}|${c.subject}`, c.tokens!.input]));
    const calls = endpoint.calls.filter((c) => c.operation === "Converse");
    const reserved = calls.map((c) => ({ maxTokens: c.maxTokens ?? Number.POSITIVE_INFINITY, input: inputBy.get(`${c.region}|${c.modelId}`) ?? 0 }));
    const worst = reserved.reduce((a, b) => (b.input + b.maxTokens > a.input + a.maxTokens ? b : a), { input: 0, maxTokens: 0 });

    const s = report.summary;
    console.log(`bench:smoke: ${manifests[0].environment} fleet, ${Object.keys(manifests[0].models).length} models x ${manifests.length} regions = ${probes} probes; ${LATENCY_MS} ms per Bedrock call; concurrency ${CONCURRENCY}`);
    console.log(`checks: ${s.total} (${s.byVerdict.PASS} passed, ${s.byVerdict.FAIL} failed, ${s.byVerdict.WARN} warnings), ${calls.length} Converse calls, ${endpoint.calls.length} calls in all; exit ${code}`);
    bench.figure({ label: "smoke wall", value: wallS, target: targetS, bound: "<=", format: (x) => `${x.toFixed(2)} s`, note: `1.3 x ceil(${probes}/${CONCURRENCY}) x ${LATENCY_MS / 1000} s + 1 s` });
    bench.figure({ label: "largest probe maxTokens", value: Math.max(...reserved.map((x) => x.maxTokens)), target: PROBE_MAX_TOKENS, bound: "<=", format: (x) => String(x), note: `reserves ${worst.input + worst.maxTokens} (input ${worst.input} + maxTokens ${worst.maxTokens})` });
    bench.figure({ label: "smoke exit code", value: code, target: 0, bound: "=", format: (x) => String(x) });
    if (code !== 0) for (const l of lines.filter((x) => / FAIL /.test(x))) console.log(l);
    return bench.finish();
  } finally {
    await endpoint.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

runBench(() => bench(new BenchReport(benchArgs().check)));
