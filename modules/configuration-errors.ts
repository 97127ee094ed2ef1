import { BaselineConfigurationError } from "./environment-source";

/**
 * Runs a cdktf app's entry (sync or async) and turns a BaselineConfigurationError into what synth prints: one line per
 * problem on stderr and exit code 1, no stack trace. Any other error is a bug and is rethrown with its stack.
 */
export function reportConfigurationErrors(main: () => void | Promise<void>, stderr: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<void> {
  return Promise.resolve()
    .then(main)
    .catch((err: unknown) => {
      if (!(err instanceof BaselineConfigurationError)) throw err;
      for (const line of err.lines) stderr(line);
      process.exitCode = 1;
    });
}
