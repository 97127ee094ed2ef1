import type { CommandIo } from "../../cli/command-io";

/** A CommandIo that records what a command prints, one entry per line. */
export function recordingIo(env: NodeJS.ProcessEnv = {}): { io: CommandIo; stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const split = (into: string[]) => (line: string) => into.push(...line.split("\n"));
  return { io: { stdout: split(stdout), stderr: split(stderr), env }, stdout, stderr };
}
