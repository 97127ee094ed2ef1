import { problemLines, UserInputError } from "../core/problems";

/**
 * An expected failure the user fixes by changing the command line or the environment (unknown option, unknown
 * environment, missing directory). Printed as one line, never with a stack trace.
 */
export class CliError extends Error {
  constructor(
    message: string,
    /** Process exit code. Default: 2 (usage error). */
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/** Several files with problems, reported together so the user sees everything in one run. */
export class UserInputErrors extends Error {
  constructor(readonly errors: readonly UserInputError[]) {
    super(errors.map((e) => e.message).join("\n"));
    this.name = "UserInputErrors";
  }
}

/** Exit code for configuration problems (a `UserInputError`). */
export const CONFIG_ERROR_EXIT_CODE = 1;

/**
 * Lines to print for an expected user error, with its exit code; undefined for anything else (a bug, which must keep
 * its stack trace).
 */
export function describeUserError(err: unknown): { lines: string[]; exitCode: number } | undefined {
  if (err instanceof UserInputErrors)
    return { lines: err.errors.flatMap((e) => problemLines(e.file, e.problems)), exitCode: CONFIG_ERROR_EXIT_CODE };
  // Copies of one mistake are counted, not repeated (core/problems/problem-lines.ts).
  if (err instanceof UserInputError) return { lines: problemLines(err.file, err.problems), exitCode: CONFIG_ERROR_EXIT_CODE };
  if (err instanceof CliError) return { lines: [err.message], exitCode: err.exitCode };
  // node:util parseArgs rejects unknown or malformed options with these codes: a usage error, not a bug.
  // (Checked by shape, not instanceof Error: errors from Node built-ins may come from another realm, e.g. under jest.)
  const e = err as { code?: unknown; message?: unknown } | null;
  if (typeof e?.code === "string" && e.code.startsWith("ERR_PARSE_ARGS_") && typeof e.message === "string") return { lines: [e.message], exitCode: 2 };
  return undefined;
}

/**
 * Runs a CLI entry point: expected user errors are printed to stderr one line each and set the exit code (1 for
 * configuration problems, 2 for usage); anything else is rethrown so Node prints it with its stack trace. The process
 * exits naturally (no `process.exit`), so buffered stdout is flushed.
 */
export function runCli(main: () => Promise<number | void> | number | void, io: { stderr: (line: string) => void } = { stderr: (l) => process.stderr.write(l + "\n") }): Promise<void> {
  return Promise.resolve()
    .then(main)
    .then(
      (code) => {
        if (typeof code === "number") process.exitCode = code;
      },
      (err: unknown) => {
        const user = describeUserError(err);
        if (!user) throw err;
        for (const line of user.lines) io.stderr(line);
        process.exitCode = user.exitCode;
      },
    );
}
