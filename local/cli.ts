import * as path from "node:path";
import { parseArgs } from "node:util";
import { displayNameOf } from "../cli/environment-files";
import { describeUserError } from "../cli/user-error";
import { customStrategies } from "../core/routing";
import { type LocalEndpoint, startLocalEndpoint } from "./endpoint";
import { prepareEnvironment } from "./manifests";
import { ScenarioError } from "./scenario";
import { seedFromManifests } from "./seed";

/** Where the CLI writes; injectable so tests can run it in-process. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

const USAGE =
  "usage: local/cli.ts [--port N] [--scenario file.json] [--latency-ms N] [--env NAME [--config-dir DIR] [--manifest-dir DIR]]";

const HELP = `${USAGE}

Starts the local AWS stand-in on one port (Bedrock control plane and runtime, AppConfig, AppConfigData, Service
Quotas, STS) and serves until SIGINT/SIGTERM.

  --port N            TCP port on 127.0.0.1; default 0 (a free one, printed)
  --scenario FILE     scenario JSON: faults, quotas, catalog, AppConfig seeds (local/README.md), e.g.
                      local/scenarios/catalog.json
  --latency-ms N      latency added to every Bedrock Runtime call
  --env NAME          seed it as \`cdktf deploy\` would have left the account for config/NAME.json (routing document,
                      validator, deployment strategies, TPM quotas), synthesizing the manifests when missing or stale,
                      and print the smoke command to run against it
  --config-dir DIR    where NAME.json is; default config
  --manifest-dir DIR  where smoke reads the manifests; default cdktf.out/manifests`;

function nonNegativeInt(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new UsageError(`--${name} must be a non-negative integer, got "${raw}"`);
  return Number.parseInt(raw, 10);
}

class UsageError extends Error {}

/** A shell word as the user can paste it: quoted only when it needs to be. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Starts the endpoint from command-line arguments. Returns exit code 0 with the running endpoint, or a non-zero
 * code after printing what is wrong (2: bad arguments or scenario, 1: an invalid environment file, one line per
 * problem, or a port that cannot be listened on).
 */
export async function runCli(argv: string[], io: CliIo): Promise<{ code: number; endpoint?: LocalEndpoint }> {
  let port: number | undefined;
  let latencyMs: number | undefined;
  let scenario: string | undefined;
  let env: string | undefined;
  let configDir: string | undefined;
  let manifestDir: string | undefined;
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        port: { type: "string" },
        scenario: { type: "string" },
        "latency-ms": { type: "string" },
        env: { type: "string" },
        "config-dir": { type: "string" },
        "manifest-dir": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      for (const line of HELP.split("\n")) io.out(line);
      return { code: 0 };
    }
    port = nonNegativeInt("port", values.port);
    if (port !== undefined && port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`);
    latencyMs = nonNegativeInt("latency-ms", values["latency-ms"]);
    scenario = values.scenario;
    env = values.env;
    configDir = values["config-dir"];
    manifestDir = values["manifest-dir"];
    if (env === undefined && (configDir !== undefined || manifestDir !== undefined)) {
      throw new UsageError("--config-dir and --manifest-dir only apply with --env");
    }
    if (env !== undefined && !/^[\w-]+$/.test(env)) throw new UsageError(`--env must be an environment name such as dev, got ${JSON.stringify(env)}`);
  } catch (e) {
    io.err(`local endpoint: ${(e as Error).message.split("\n")[0]} (${USAGE})`);
    return { code: 2 };
  }

  let prepared: Awaited<ReturnType<typeof prepareEnvironment>> | undefined;
  try {
    if (env !== undefined) {
      prepared = await prepareEnvironment({
        env,
        ...(configDir !== undefined ? { configDir } : {}),
        ...(manifestDir !== undefined ? { manifestDir } : {}),
        log: (line) => io.out(line),
      });
    }
  } catch (e) {
    const user = describeUserError(e);
    if (!user) throw e;
    for (const line of user.lines) io.err(line);
    return { code: user.exitCode };
  }

  let endpoint: LocalEndpoint;
  try {
    endpoint = await startLocalEndpoint({
      ...(port !== undefined ? { port } : {}),
      ...(latencyMs !== undefined ? { latencyMs } : {}),
      ...(scenario !== undefined ? { scenario } : {}),
    });
  } catch (e) {
    if (e instanceof ScenarioError) {
      io.err(`local endpoint: bad scenario ${e.message}`);
      return { code: 2 };
    }
    const err = e as NodeJS.ErrnoException;
    io.err(`local endpoint: cannot start: ${err.code ?? ""}${err.code ? " " : ""}${err.message.split("\n")[0]}`);
    return { code: 1 };
  }

  io.out(`local endpoint listening on ${endpoint.url}`);
  if (prepared) {
    seedFromManifests(endpoint, prepared.plan, prepared.manifests);
    const strategies = customStrategies(prepared.plan.config).map((s) => s.name).join(", ");
    const regions = prepared.manifests.map((m) => m.region).join(", ");
    io.out(`  seeded ${env} as deployed in ${regions}: routing document and validator, strategies ${strategies}, TPM quotas`);
    const smokeArgs = ["--env", env!, "--endpoint-url", endpoint.url];
    if (prepared.manifestDir !== path.resolve("cdktf.out", "manifests")) smokeArgs.push("--manifest-dir", displayNameOf(prepared.manifestDir));
    io.out("  run the smoke test against it (another terminal):");
    io.out(`    AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local npm run smoke -- ${smokeArgs.map(shellWord).join(" ")}`);
  } else {
    io.out(`  point a client at it explicitly: endpoint ${endpoint.url} (smoke, toggle: --endpoint-url), keys AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local`);
    io.out("  nothing is seeded: --env NAME seeds an environment and prints the smoke command; --scenario FILE adds faults and data");
  }
  io.out("  (one port for Bedrock, Bedrock Runtime, AppConfig, AppConfigData, Service Quotas and STS; each client's region is the simulated region)");
  return { code: 0, endpoint };
}

async function main(): Promise<void> {
  const io: CliIo = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) };
  // Handlers go in before the "listening" line is printed: a supervisor may signal as soon as it reads it.
  let endpoint: LocalEndpoint | undefined;
  let stopping: string | undefined;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = signal;
    if (!endpoint) return; // still starting: stopped right after start below
    io.out(`local endpoint: ${signal}, shutting down`);
    void endpoint.close().then(() => process.exit(0));
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  const result = await runCli(process.argv.slice(2), io);
  if (!result.endpoint) {
    process.exit(result.code);
  }
  endpoint = result.endpoint;
  if (stopping) {
    const signal = stopping;
    stopping = undefined;
    stop(signal);
  }
}

if (require.main === module) void main();
