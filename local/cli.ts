import { parseArgs } from "node:util";
import { type LocalEndpoint, startLocalEndpoint } from "./endpoint";
import { ScenarioError } from "./scenario";

/** Where the CLI writes; injectable so tests can run it in-process. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

const USAGE = "usage: local/cli.ts [--port N] [--scenario file.json] [--latency-ms N]";

function nonNegativeInt(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new UsageError(`--${name} must be a non-negative integer, got "${raw}"`);
  return Number.parseInt(raw, 10);
}

class UsageError extends Error {}

/**
 * Starts the endpoint from command-line arguments. Returns exit code 0 with the running endpoint, or a non-zero
 * code after printing exactly one line (2: bad arguments or scenario, 1: could not listen).
 */
export async function runCli(argv: string[], io: CliIo): Promise<{ code: number; endpoint?: LocalEndpoint }> {
  let port: number | undefined;
  let latencyMs: number | undefined;
  let scenario: string | undefined;
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        port: { type: "string" },
        scenario: { type: "string" },
        "latency-ms": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      io.out(USAGE);
      return { code: 0 };
    }
    port = nonNegativeInt("port", values.port);
    if (port !== undefined && port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`);
    latencyMs = nonNegativeInt("latency-ms", values["latency-ms"]);
    scenario = values.scenario;
  } catch (e) {
    io.err(`local endpoint: ${(e as Error).message.split("\n")[0]} (${USAGE})`);
    return { code: 2 };
  }

  try {
    const endpoint = await startLocalEndpoint({
      ...(port !== undefined ? { port } : {}),
      ...(latencyMs !== undefined ? { latencyMs } : {}),
      ...(scenario !== undefined ? { scenario } : {}),
    });
    io.out(`local endpoint listening on ${endpoint.url}`);
    io.out(`  export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_ENDPOINT_URL=${endpoint.url}`);
    io.out("  (AWS_REGION selects the simulated region; Bedrock, AppConfig, AppConfigData, Service Quotas and STS share this port)");
    return { code: 0, endpoint };
  } catch (e) {
    if (e instanceof ScenarioError) {
      io.err(`local endpoint: bad scenario ${e.message}`);
      return { code: 2 };
    }
    const err = e as NodeJS.ErrnoException;
    io.err(`local endpoint: cannot start: ${err.code ?? ""}${err.code ? " " : ""}${err.message.split("\n")[0]}`);
    return { code: 1 };
  }
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
