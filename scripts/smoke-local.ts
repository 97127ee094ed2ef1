/**
 * Offline smoke demo: `npm run smoke:local [-- --env dev] [--scenario local/scenarios/faults.json] [smoke options...]`.
 * Starts the local AWS stand-in (local/endpoint.ts), synthesizes the environment's manifests if they are missing or
 * stale, seeds it as a deployed stack would be (local/seed.ts), then runs the real smoke command against it
 * (`--endpoint-url`, static keys local/local). Needs no AWS account. Any other option is passed to smoke.
 */
import { parseCommandLine } from "../cli/command-line";
import { noteNodeSupport } from "../cli/node-support";
import { CliError, runCli } from "../cli/user-error";
import { customStrategies } from "../core/routing";
import { displayText } from "../core/problems";
import { startLocalEndpoint } from "../local/endpoint";
import { prepareEnvironment } from "../local/manifests";
import { loadScenarioFile, type Scenario, ScenarioError } from "../local/scenario";
import { checkEnvName } from "../cli/argument-values";
import { parseOptions } from "../smoke/options";
import { checkReportPath } from "../smoke/report-files";
import { seedFromManifests } from "../local/seed";
import { runTs } from "../local/ts-entry";

const OWN = ["env", "config-dir", "scenario", "manifest-dir", "help"] as const;

export const USAGE = `usage: npm run smoke:local -- [--env NAME] [--config-dir DIR] [--scenario FILE] [--manifest-dir DIR] [smoke options...]

Runs the smoke test offline: starts the local AWS stand-in, seeds it as \`cdktf deploy\` would have left the account
(routing document behind its JSON Schema validator, the stack's deployment strategies, a TPM quota per model), then
runs \`npm run smoke\` against it with --endpoint-url and the static keys local/local.

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
    if (values[name] !== undefined && typeof values[name] !== "string") throw new CliError(`--${name} needs a value\n${USAGE.split("\n")[0]}`);
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

async function main(): Promise<number> {
  const run = parseLocalArgs(process.argv.slice(2));
  if (run === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const prepared = await prepareEnvironment({
    env: run.env,
    ...(run.configDir !== undefined ? { configDir: run.configDir } : {}),
    ...(run.manifestDir !== undefined ? { manifestDir: run.manifestDir } : {}),
    log: (line) => process.stdout.write(`${line}\n`),
  });
  const endpoint = await startLocalEndpoint(run.scenario ? { scenario: run.scenario } : {});
  try {
    seedFromManifests(endpoint, prepared.plan, prepared.manifests);
    const strategies = customStrategies(prepared.plan.config).map((s) => s.name).join(", ");
    const regions = prepared.manifests.map((m) => m.region).join(", ");
    process.stdout.write(`Local AWS stand-in on ${endpoint.url}: seeded AppConfig (strategies ${strategies}) and TPM quotas for ${regions}\n\n`);
    // Said once here (one line); the switch it sets keeps the smoke child and the SDK quiet.
    noteNodeSupport((line) => process.stderr.write(`${line}\n`));
    const smokeEnv: NodeJS.ProcessEnv = { ...process.env, AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local", AWS_EC2_METADATA_DISABLED: "true" };
    delete smokeEnv.AWS_SESSION_TOKEN;
    delete smokeEnv.AWS_PROFILE;
    delete smokeEnv.AWS_ENDPOINT_URL;
    return await runTs("smoke/cli.ts", ["--env", run.env, "--endpoint-url", endpoint.url, "--manifest-dir", prepared.manifestDir, ...run.passThrough], smokeEnv);
  } finally {
    await endpoint.close();
  }
}

// Config and usage problems print as one line (cli/user-error); anything else keeps its stack.
if (require.main === module) void runCli(main);
