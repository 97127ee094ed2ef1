import type { CommandIo } from "./command-io";

/**
 * `bedrock-baseline local-endpoint`: starts the local AWS stand-in (local/cli.ts) and serves until SIGINT or SIGTERM;
 * resolves with the exit code once it has stopped.
 */
export async function localEndpointCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { runCli } = await import("../local/cli");
  let stop: (signal: string) => void = () => undefined;
  const stopped = new Promise<string>((resolve) => (stop = resolve));
  const onSignal = (signal: NodeJS.Signals) => stop(signal);
  // Handlers go in before the "listening" line is printed: a supervisor may signal as soon as it reads it.
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const result = await runCli([...argv], { out: io.stdout, err: io.stderr });
    if (!result.endpoint) return result.code;
    const signal = await stopped;
    io.stdout(`local endpoint: ${signal}, shutting down`);
    await result.endpoint.close();
    return 0;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
