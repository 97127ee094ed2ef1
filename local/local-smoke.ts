import { checkEnvName } from "../cli/argument-values";
import type { CommandIo } from "../cli/command-io";
import { parseCommandLine } from "../cli/command-line";
import { noteNodeSupport } from "../cli/node-support";
import { CliError } from "../cli/user-error";
import { displayText } from "../core/problems";
import { customStrategies } from "../core/routing";
import { main as smoke } from "../smoke/cli";
import { parseOptions } from "../smoke/options";
import { checkReportPath } from "../smoke/report-files";
import { startLocalEndpoint } from "./endpoint";
import { prepareEnvironment } from "./manifests";
import { loadScenarioFile, type Scenario, ScenarioError } from "./scenario";
import { seedFromManifests } from "./seed";

// The smoke test offline (npm run smoke:local, bedrock-baseline smoke --local): the local AWS stand-in seeded as the
// environment's deploy would have left the account, then the real smoke command against it, in this process.

const OWN = ["env", "config-dir", "scenario", "manifest-dir", "help"] as const;

export const LOCAL_SMOKE_USAGE = `usage: npm run smoke:local -- [--env NAME] [--config-dir DIR] [--scenario FILE] [--manifest-dir DIR] [smoke options...]

Runs the smoke test offline: starts the local AWS stand-in, seeds it as \`cdktf deploy\` would have left the account
(routing document behind its JSON Schema validator, the stack's deployment strategies, a TPM quota per model), then
runs \`npm run smoke\` against it with --endpoint-url and the static keys local/local. (In a team's repository:
bedrock-baseline smoke --local [options].)

Options of smoke:local:
  --env NAME          environment to test (config/NAME.json); default dev
  --config-dir DIR    where NAME.json is; default config
  --scenario FILE     scenario for the stand-in: scripted faults, quotas, catalog (see local/README.md), e.g.
                      local/scenarios/faults.json or local/scenarios/throttled.json
  --manifest-dir DIR  where smoke reads the manifests; synthesized there when missing or stale; must end in
                      /manifests (synth writes <outdir>/manifests and replaces stacks/ beside it); default
                      cdktf.out/manifests
  -h, --help          print this text

Every other option goes to smoke unchanged, e.g. --stream, --junit reports/smoke.xml (see npm run smoke -- --help).`;

/** The command line: smoke:local's own flags and what goes to smoke, all checked before anything runs. */
interface LocalRun {
  env: string;
  configDir?: string;
  scenario?: Scenario;
  manifestDir?: string;
  passThrough: string[];
}

/** Parses and checks every argument (smoke's too) before anything is written; "help" for --help. */
function parseLocalArgs(argv: readonly string[]): LocalRun | "help" {
  // Its own flags are checked like every command's (cli/command-line.ts); the rest goes to smoke.
  const { values, tokens } = parseCommandLine({
    args: argv,
    strict: false,
    allowPositionals: true,
    options: { env: { type: "string" }, "config-dir": { type: "string" }, scenario: { type: "string" }, "manifest-dir": { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) return "help";
  for (const name of ["env", "config-dir", "scenario", "manifest-dir"] as const) {
    if (values[name] !== undefined && typeof values[name] !== "string") throw new CliError(`--${name} needs a value\n${LOCAL_SMOKE_USAGE.split("\n")[0]}`);
  }
  const env = typeof values.env === "string" ? values.env : "dev";
  checkEnvName(env);
  // Everything this script does not consume goes to smoke unchanged.
  const own = new Set<string>(OWN);
  const passThrough: string[] = [];
  for (const t of tokens ?? []) {
    if (t.kind === "option" && own.has(t.name)) continue;
    if (t.kind === "option") passThrough.push(t.inlineValue ? `${t.rawName}=${t.value}` : t.rawName);
    else if (t.kind === "positional") passThrough.push(t.value);
  }
  const manifestDir = typeof values["manifest-dir"] === "string" ? values["manifest-dir"] : undefined;
  // Smoke's own options are checked now, not after the synth: a typo must not cost a synth first.
  const smoke = parseOptions(["--env", env, "--endpoint-url", "http://127.0.0.1:1", "--manifest-dir", manifestDir ?? "cdktf.out/manifests", ...passThrough]);
  if (smoke !== "help") {
    if (smoke.junitFile) checkReportPath(smoke.junitFile, "--junit");
    if (smoke.jsonFile) checkReportPath(smoke.jsonFile, "--json");
  }
  let scenario: Scenario | undefined;
  if (typeof values.scenario === "string") {
    try {
      scenario = loadScenarioFile(values.scenario);
    } catch (e) {
      throw e instanceof ScenarioError ? new CliError(`bad scenario ${displayText(e.message, 400)}`, 2) : e;
    }
  }
  const configDir = typeof values["config-dir"] === "string" ? values["config-dir"] : undefined;
  return { env, ...(configDir !== undefined ? { configDir } : {}), ...(scenario ? { scenario } : {}), ...(manifestDir !== undefined ? { manifestDir } : {}), passThrough };
}

/**
 * Runs `fn` with the process environment changed as `vars` says (undefined removes a variable), then restores it: the
 * smoke command's SDK clients read their credentials and endpoints from the process environment, as in production,
 * and against the stand-in they must use its keys and nothing of the operator's own AWS set-up.
 */
async function withProcessEnv<T>(vars: Readonly<Record<string, string | undefined>>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (values: Readonly<Record<string, string | undefined>>) => {
    for (const [k, v] of Object.entries(values)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  };
  apply(vars);
  try {
    return await fn();
  } finally {
    apply(saved);
  }
}

/** The whole command; returns the exit code (smoke's). Usage and configuration errors are thrown, one line each. */
export async function runLocalSmoke(argv: readonly string[], io: CommandIo): Promise<number> {
  const run = parseLocalArgs(argv);
  if (run === "help") {
    io.stdout(LOCAL_SMOKE_USAGE);
    return 0;
  }
  const prepared = await prepareEnvironment({
    env: run.env,
    ...(run.configDir !== undefined ? { configDir: run.configDir } : {}),
    ...(run.manifestDir !== undefined ? { manifestDir: run.manifestDir } : {}),
    log: io.stdout,
  });
  const endpoint = await startLocalEndpoint(run.scenario ? { scenario: run.scenario } : {});
  try {
    seedFromManifests(endpoint, prepared.plan, prepared.manifests);
    const strategies = customStrategies(prepared.plan.config).map((s) => s.name).join(", ");
    const regions = prepared.manifests.map((m) => m.region).join(", ");
    io.stdout(`Local AWS stand-in on ${endpoint.url}: seeded AppConfig (strategies ${strategies}) and TPM quotas for ${regions}`);
    io.stdout("");
    // Said once here (one line); the switch it sets keeps the smoke run and the SDK quiet.
    noteNodeSupport(io.stderr, io.env);
    const localKeys = { AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local", AWS_EC2_METADATA_DISABLED: "true", AWS_SESSION_TOKEN: undefined, AWS_PROFILE: undefined, AWS_ENDPOINT_URL: undefined };
    return await withProcessEnv(localKeys, () => smoke(["--env", run.env, "--endpoint-url", endpoint.url, "--manifest-dir", prepared.manifestDir, ...run.passThrough], io));
  } finally {
    await endpoint.close();
  }
}
