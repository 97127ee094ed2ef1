/**
 * Offline smoke demo: `npm run smoke:local [-- --env dev] [--scenario faults.json] [smoke options...]`.
 * Starts the local AWS stand-in (local/endpoint.ts), synthesizes the environment's manifests if they are missing,
 * seeds AppConfig (the synthesized routing document behind its JSON Schema validator, and the stack's deployment
 * strategies) and the TPM quotas named in the manifests, then runs the real smoke command against it (`--endpoint-url`, static keys local/local). Needs no AWS
 * account. Any other option is passed to smoke (e.g. --stream, --junit reports/smoke.xml).
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { readEnvironmentFile } from "../cli/environment-files";
import { CliError, runCli } from "../cli/user-error";
import type { StackManifest } from "../core/manifest";
import { type LocalEndpoint, type StrategySeed, startLocalEndpoint } from "../local/endpoint";
import { customStrategies } from "../core/deployment-strategy";
import { ScenarioError } from "../local/scenario";
import type { QuotaSeed } from "../local/service-quotas";
import { loadManifests } from "../smoke/manifest-files";
import { type BaselinePlan } from "../core/baseline-plan";
import { routingJsonSchema } from "../core/routing-baseline";

const ROOT = path.resolve(__dirname, "..");
const TS_NODE = require.resolve("ts-node/dist/bin.js");

/** Applied TPM quota the demo account gets per model. */
export const LOCAL_TPM_QUOTA = 2_000_000;

/** Quota names as the Service Quotas console words them, per way of invoking (bedrock.md §6). */
export function quotaDisplayName(model: StackManifest["models"][string]): string {
  const family = { geo: "Cross-region model inference", global: "Global cross-region model inference", "on-demand": "On-demand model inference" }[model.kind];
  return `${family} tokens per minute for ${model.quotaName}`;
}

/**
 * The custom deployment strategies the region stack creates (modules/routing-config.ts): always the emergency one,
 * used by `npm run toggle -- --disable`; the routine one only when the config declares a custom strategy instead of a
 * predefined `AppConfig.*` name.
 */
export function stackStrategies(environment: BaselinePlan): StrategySeed[] {
  return customStrategies(environment.config);
}

/**
 * What a deployed stack would have: per region manifest, the AppConfig application/environment/profile with the
 * synthesized routing document deployed behind the routing JSON Schema validator, the stack's deployment strategies,
 * and an applied TPM quota per model (listed under its catalog code, or a local code when the catalog has none, so
 * smoke's name-match fallback runs; `tpmQuota` false seeds none).
 */
export function seedFromManifests(endpoint: LocalEndpoint, environment: BaselinePlan, manifests: readonly StackManifest[], tpmQuota: number | false = LOCAL_TPM_QUOTA): void {
  for (const m of manifests) {
    endpoint.seedAppConfig({
      region: m.region,
      application: m.appConfig.application,
      environment: m.appConfig.environment,
      profile: m.appConfig.profile,
      content: JSON.stringify(m.routingDocument),
      contentType: "application/json",
      jsonSchema: JSON.stringify(routingJsonSchema(environment, m.region)),
      versionLabel: "synth",
      strategies: stackStrategies(environment),
    });
    if (tpmQuota === false) continue;
    const quotas: QuotaSeed[] = Object.values(m.models).map((model, i) => ({
      code: model.tpmQuotaCode ?? `L-LOCAL${String(i).padStart(3, "0")}`,
      name: quotaDisplayName(model),
      value: tpmQuota,
    }));
    endpoint.seedQuotas(m.region, quotas);
  }
}

/** Runs a TypeScript entry point of this repository in a child process; resolves with its exit code. */
export function runTs(script: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve, reject) => {
    // Async spawn: the endpoint in this process must keep serving while the child runs.
    const child = spawn(process.execPath, [TS_NODE, "--transpile-only", script, ...args], { cwd: ROOT, env, stdio: "inherit" });
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(): Promise<number> {
  const { values, tokens } = parseArgs({
    args: process.argv.slice(2),
    strict: false,
    allowPositionals: true,
    tokens: true,
    options: { env: { type: "string" }, scenario: { type: "string" }, "manifest-dir": { type: "string" } },
  });
  const env = typeof values.env === "string" ? values.env : "dev";
  const manifestDir = typeof values["manifest-dir"] === "string" ? values["manifest-dir"] : path.join("cdktf.out", "manifests");
  // Everything this script does not consume goes to smoke unchanged.
  const own = new Set(["env", "scenario", "manifest-dir"]);
  const passThrough: string[] = [];
  for (const t of tokens ?? []) {
    if (t.kind === "option" && own.has(t.name)) continue;
    if (t.kind === "option") passThrough.push(t.inlineValue ? `${t.rawName}=${t.value}` : t.rawName);
    else if (t.kind === "positional") passThrough.push(t.value);
  }

  const loaded = readEnvironmentFile(path.join(ROOT, "config", `${env}.json`));
  let manifests: StackManifest[];
  try {
    manifests = loadManifests(manifestDir, env);
  } catch {
    // Missing or stale: what a fresh clone has. Synth writes them where smoke reads them (<outdir>/manifests).
    process.stdout.write(`No usable manifests for ${env} in ${manifestDir}: synthesizing (npm run synth -- --env ${env})\n`);
    const code = await runTs("main.ts", ["--env", env], { ...process.env, CDKTF_OUTDIR: path.resolve(path.dirname(manifestDir)) });
    if (code !== 0) return 2;
    manifests = loadManifests(manifestDir, env);
  }

  const endpoint = await startLocalEndpoint(typeof values.scenario === "string" ? { scenario: values.scenario } : {}).catch((e: unknown) => {
    throw e instanceof ScenarioError ? new CliError(`bad scenario ${e.message}`, 2) : e;
  });
  try {
    seedFromManifests(endpoint, loaded.plan, manifests);
    const strategies = stackStrategies(loaded.plan).map((s) => s.name).join(", ");
    process.stdout.write(`Local AWS stand-in on ${endpoint.url}: seeded AppConfig (strategies ${strategies}) and TPM quotas for ${manifests.map((m) => m.region).join(", ")}\n\n`);
    // The SDK's Node 20 end-of-support notice is for whoever upgrades the runtime, not for a newcomer's first run.
    const smokeEnv: NodeJS.ProcessEnv = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", ...process.env, AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local", AWS_EC2_METADATA_DISABLED: "true" };
    delete smokeEnv.AWS_SESSION_TOKEN;
    delete smokeEnv.AWS_PROFILE;
    return await runTs("smoke/cli.ts", ["--env", env, "--endpoint-url", endpoint.url, "--manifest-dir", manifestDir, ...passThrough], smokeEnv);
  } finally {
    await endpoint.close();
  }
}

// Config and usage problems print as one line (cli/user-error); anything else keeps its stack.
if (require.main === module) void runCli(main);
