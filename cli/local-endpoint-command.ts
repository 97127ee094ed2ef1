import type { CommandIo } from "./command-io";

/**
 * `bedrock-baseline local-endpoint`: starts the local AWS stand-in (local/cli.ts) and serves until SIGINT, SIGTERM or
 * SIGHUP, or until the process that started it is gone (local/parent-watch.ts); resolves with the exit code once the
 * endpoint is closed. Unlike local/cli.ts's own entry it never calls process.exit: the binary ends when this returns.
 */
export async function localEndpointCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { runCli } = await import("../local/cli");
  const { watchStarter } = await import("../local/parent-watch");
  let stop: (signal: string) => void = () => undefined;
  const stopped = new Promise<string>((resolve) => (stop = resolve));
  const onSignal = (signal: NodeJS.Signals) => stop(signal);
  // Handlers go in before the "listening" line is printed: a supervisor may signal as soon as it reads it.
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  for (const s of signals) process.on(s, onSignal);
  const unwatch = watchStarter((who) => stop(who));
  try {
    const result = await runCli([...argv], { out: io.stdout, err: io.stderr });
    if (!result.endpoint) return result.code;
    const signal = await stopped;
    io.stdout(`local endpoint: ${signal}, shutting down`);
    await result.endpoint.close();
    return 0;
  } finally {
    unwatch();
    for (const s of signals) process.off(s, onSignal);
  }
}
