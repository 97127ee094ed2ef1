import * as path from "node:path";
import { checkEnvName } from "../cli/argument-values";
import { parseCommandLine } from "../cli/command-line";
import { displayNameOf } from "../cli/environment-files";
import { describeUserError } from "../cli/user-error";
import { customStrategies } from "../core/routing";
import { displayText } from "../core/problems";
import { type LocalEndpoint, startLocalEndpoint } from "./endpoint";
import { prepareEnvironment, type PreparedEnvironment } from "./manifests";
import { ScenarioError } from "./scenario";
import { seedFromManifests } from "./seed";
import { watchStarter } from "./parent-watch";

/** Where the CLI writes; injectable so tests can run it in-process. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

const USAGE =
  "usage: local/cli.ts [--port N] [--scenario file.json] [--latency-ms N] [--env NAME [--config-dir DIR] [--manifest-dir DIR]]";

const HELP = `${USAGE}

Starts the local AWS stand-in on one port (Bedrock control plane and runtime, AppConfig, AppConfigData, Service
Quotas, STS) and serves until SIGINT/SIGTERM, which close it (the port is free when the process ends).

  --port N            TCP port on 127.0.0.1; default 0 (a free one, printed)
  --scenario FILE     scenario JSON: faults, quotas, catalog, AppConfig seeds (local/README.md), e.g.
                      local/scenarios/catalog.json
  --latency-ms N      latency added to every Bedrock Runtime call
  --env NAME          seed it as \`cdktf deploy\` would have left the account for config/NAME.json (routing document,
                      validator, deployment strategies, TPM quotas), synthesizing the manifests when missing or stale,
                      and print the smoke command to run against it
  --config-dir DIR    where NAME.json is; default config
  --manifest-dir DIR  where smoke reads the manifests; must end in /manifests (synth writes <outdir>/manifests);
                      default cdktf.out/manifests

Requests must be signed (SigV4) with keys it knows: local/local by default (a scenario's "credentials" adds others),
and keys its STS AssumeRole issued. Exit: 2 bad option or scenario, 1 invalid environment file or a port that cannot
be listened on.`;

class UsageError extends Error {}

function nonNegativeInt(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new UsageError(`--${name} must be a non-negative integer, got ${JSON.stringify(displayText(raw, 40))}`);
  return Number.parseInt(raw, 10);
}

/** A shell word as the user can paste it: quoted only when it needs to be. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The command line, checked. */
interface Options {
  port?: number;
  latencyMs?: number;
  scenario?: string;
  env?: string;
  configDir?: string;
  manifestDir?: string;
}

/** Parses argv; "help" for --help. Throws UsageError or CliError (both exit 2). */
function parseOptions(argv: string[]): Options | "help" {
  const { values } = parseCommandLine({
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
  if (values.help) return "help";
  const port = nonNegativeInt("port", values.port);
  if (port !== undefined && port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`);
  if (values.env === undefined && (values["config-dir"] !== undefined || values["manifest-dir"] !== undefined)) throw new UsageError("--config-dir and --manifest-dir only apply with --env");
  if (values.env !== undefined) checkEnvName(values.env);
  return {
    ...(port !== undefined ? { port } : {}),
    ...(values["latency-ms"] !== undefined ? { latencyMs: nonNegativeInt("latency-ms", values["latency-ms"]) } : {}),
    ...(values.scenario !== undefined ? { scenario: values.scenario } : {}),
    ...(values.env !== undefined ? { env: values.env } : {}),
    ...(values["config-dir"] !== undefined ? { configDir: values["config-dir"] } : {}),
    ...(values["manifest-dir"] !== undefined ? { manifestDir: values["manifest-dir"] } : {}),
  };
}

/** What the operator sees once the endpoint listens: where, what is seeded, and how to point a client at it. */
function announce(io: CliIo, endpoint: LocalEndpoint, o: Options, prepared: PreparedEnvironment | undefined): void {
  io.out(`local endpoint listening on ${endpoint.url}`);
  if (o.scenario !== undefined) io.out(`  scenario ${displayText(o.scenario, 160)} loaded`);
  if (prepared) {
    const strategies = customStrategies(prepared.plan.config).map((s) => s.name).join(", ");
    const regions = prepared.manifests.map((m) => m.region).join(", ");
    io.out(`  seeded ${o.env} as deployed in ${regions}: routing document and validator, strategies ${strategies}, TPM quotas`);
    const smokeArgs = ["--env", o.env!, "--endpoint-url", endpoint.url];
    if (prepared.manifestDir !== path.resolve("cdktf.out", "manifests")) smokeArgs.push("--manifest-dir", displayNameOf(prepared.manifestDir));
    io.out("  run the smoke test against it (another terminal):");
    io.out(`    AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local npm run smoke -- ${smokeArgs.map(shellWord).join(" ")}`);
  } else {
    io.out(`  point a client at it explicitly: endpoint ${endpoint.url} (smoke, toggle: --endpoint-url), keys AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local`);
    io.out(
      o.scenario !== undefined
        ? "  no environment is seeded beyond the scenario: --env NAME seeds one and prints the smoke command"
        : "  nothing is seeded: --env NAME seeds an environment and prints the smoke command; --scenario FILE adds faults and data",
    );
  }
  io.out("  (one port for Bedrock, Bedrock Runtime, AppConfig, AppConfigData, Service Quotas and STS; each client's region is the simulated region)");
}

/**
 * Starts the endpoint from command-line arguments. Returns exit code 0 with the running endpoint, or a non-zero
 * code after printing what is wrong (2: bad arguments or scenario, 1: an invalid environment file, one line per
 * problem, or a port that cannot be listened on).
 */
export async function runCli(argv: string[], io: CliIo): Promise<{ code: number; endpoint?: LocalEndpoint }> {
  let o: Options;
  let prepared: PreparedEnvironment | undefined;
  try {
    const parsed = parseOptions(argv);
    if (parsed === "help") {
      for (const line of HELP.split("\n")) io.out(line);
      return { code: 0 };
    }
    o = parsed;
    if (o.env !== undefined)
      prepared = await prepareEnvironment({ env: o.env, ...(o.configDir !== undefined ? { configDir: o.configDir } : {}), ...(o.manifestDir !== undefined ? { manifestDir: o.manifestDir } : {}), log: (line) => io.out(line) });
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`local endpoint: ${e.message} (${USAGE})`);
      return { code: 2 };
    }
    const user = describeUserError(e);
    if (!user) throw e;
    for (const line of user.lines) io.err(user.exitCode === 2 ? `local endpoint: ${line}` : line);
    return { code: user.exitCode };
  }

  let endpoint: LocalEndpoint;
  try {
    endpoint = await startLocalEndpoint({ ...(o.port !== undefined ? { port: o.port } : {}), ...(o.latencyMs !== undefined ? { latencyMs: o.latencyMs } : {}), ...(o.scenario !== undefined ? { scenario: o.scenario } : {}) });
  } catch (e) {
    if (e instanceof ScenarioError) {
      io.err(`local endpoint: bad scenario ${displayText(e.message, 400)}`);
      return { code: 2 };
    }
    const err = e as NodeJS.ErrnoException;
    io.err(`local endpoint: cannot start: ${err.code ?? ""}${err.code ? " " : ""}${displayText(err.message.split("\n")[0], 200)}`);
    return { code: 1 };
  }
  if (prepared) seedFromManifests(endpoint, prepared.plan, prepared.manifests);
  announce(io, endpoint, o, prepared);
  return { code: 0, endpoint };
}

/**
 * SIGINT and SIGTERM close the endpoint (every socket, hung requests included) and end the process; a second signal
 * while closing ends it at once. Handlers go in before the "listening" line: a supervisor may signal as soon as it
 * reads it, and `npm run` forwards the signal it gets to this process.
 */
export async function main(argv = process.argv.slice(2), io: CliIo = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) }): Promise<void> {
  let endpoint: LocalEndpoint | undefined;
  let stopping: string | undefined;
  const stop = (signal: string): void => {
    if (stopping && endpoint) process.exit(130);
    stopping = signal;
    if (!endpoint) return; // still starting: stopped right after start below
    // A closed stdout (the parent took the terminal or pipe with it) must not turn the shutdown into a crash.
    process.stdout.on("error", () => undefined);
    io.out(`local endpoint: ${signal}, shutting down`);
    void endpoint.close().then(() => process.exit(0));
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGHUP", () => stop("SIGHUP"));
  // A signal to `npm run local-endpoint` may not reach this process (local/parent-watch.ts): stop when npm is gone.
  watchStarter((who) => stop(who));
  const result = await runCli(argv, io);
  if (!result.endpoint) process.exit(result.code);
  endpoint = result.endpoint;
  if (stopping) {
    const signal = stopping;
    stopping = undefined;
    stop(signal);
  }
}

if (require.main === module) void main();
