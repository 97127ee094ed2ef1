/** Where a subcommand of `bedrock-baseline` prints and what environment it reads; tests pass their own. */
export interface CommandIo {
  /** One line of the command's output (no trailing newline). */
  readonly stdout: (line: string) => void;
  /** One line of a problem or a notice. */
  readonly stderr: (line: string) => void;
  /** Environment variables (BEDROCK_CONFIG_DIR, AWS_*, ...). */
  readonly env: NodeJS.ProcessEnv;
}

/** The process's own streams and environment. */
export const processIo: CommandIo = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
};
