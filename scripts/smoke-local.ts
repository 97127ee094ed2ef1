/**
 * Offline smoke demo: `npm run smoke:local [-- --env dev] [--scenario local/scenarios/faults.json] [smoke options...]`.
 * Starts the local AWS stand-in (local/endpoint.ts), synthesizes the environment's manifests if they are missing or
 * stale, seeds it as a deployed stack would be (local/seed.ts), then runs the real smoke command against it
 * (`--endpoint-url`, static keys local/local). Needs no AWS account. Any other option is passed to smoke.
 */
import { parseArgs } from "node:util";
import { noteNodeSupport } from "../cli/node-support";
import { CliError, runCli } from "../cli/user-error";
import { customStrategies } from "../core/routing";
import { startLocalEndpoint } from "../local/endpoint";
import { prepareEnvironment } from "../local/manifests";
import { ScenarioError } from "../local/scenario";
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
  --manifest-dir DIR  where smoke reads the manifests; synthesized there when missing or stale; default
                      cdktf.out/manifests
  -h, --help          print this text

Every other option goes to smoke unchanged, e.g. --stream, --junit reports/smoke.xml (see npm run smoke -- --help).`;

async function main(): Promise<number> {
  const { values, tokens } = parseArgs({
    args: process.argv.slice(2),
    strict: false,
    allowPositionals: true,
    tokens: true,
    options: { env: { type: "string" }, "config-dir": { type: "string" }, scenario: { type: "string" }, "manifest-dir": { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  for (const name of ["env", "config-dir", "scenario", "manifest-dir"] as const) {
    if (values[name] !== undefined && typeof values[name] !== "string") throw new CliError(`--${name} needs a value\n${USAGE.split("\n")[0]}`);
  }
  const env = typeof values.env === "string" ? values.env : "dev";
  // Everything this script does not consume goes to smoke unchanged.
  const own = new Set<string>(OWN);
  const passThrough: string[] = [];
  for (const t of tokens ?? []) {
    if (t.kind === "option" && own.has(t.name)) continue;
    if (t.kind === "option") passThrough.push(t.inlineValue ? `${t.rawName}=${t.value}` : t.rawName);
    else if (t.kind === "positional") passThrough.push(t.value);
  }

  const prepared = await prepareEnvironment({
    env,
    ...(typeof values["config-dir"] === "string" ? { configDir: values["config-dir"] } : {}),
    ...(typeof values["manifest-dir"] === "string" ? { manifestDir: values["manifest-dir"] } : {}),
    log: (line) => process.stdout.write(`${line}\n`),
  });
  const endpoint = await startLocalEndpoint(typeof values.scenario === "string" ? { scenario: values.scenario } : {}).catch((e: unknown) => {
    throw e instanceof ScenarioError ? new CliError(`bad scenario ${e.message}`, 2) : e;
  });
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
    return await runTs("smoke/cli.ts", ["--env", env, "--endpoint-url", endpoint.url, "--manifest-dir", prepared.manifestDir, ...passThrough], smokeEnv);
  } finally {
    await endpoint.close();
  }
}

// Config and usage problems print as one line (cli/user-error); anything else keeps its stack.
if (require.main === module) void runCli(main);
