#!/usr/bin/env node
/**
 * `bedrock-baseline <command> [options]`: the binary of @bedrock-access-baseline/cli (docs/adopting.md). Every
 * subcommand is one of the repository's npm scripts (cli/command-table.ts); `bedrock-baseline <command> --help` says
 * its options. Exit 0 success, 1 the checked thing failed, 2 usage or configuration error.
 */
import { closest, quote } from "../core/problems";
import { asBinaryText, BINARY } from "./command-names";
import { type CommandIo, processIo } from "./command-io";
import { type Command, COMMANDS } from "./command-table";
import { productVersion } from "./package-version";
import { describeUserError } from "./user-error";

/** What `bedrock-baseline --help` prints. */
export function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `usage: ${BINARY} <command> [options]        (${BINARY} <command> --help for a command's options)`,
    "",
    "The Bedrock access baseline: one environment file per environment (config/<env>.json) becomes per-region IAM,",
    "alarms, a dashboard, guardrails and an AppConfig routing document (cdktf), checked by a smoke test after apply.",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Options:",
    "  -h, --help     this text",
    "  -V, --version  the version (the construct library and the routing client of the same release share it)",
    "",
    "Exit codes: 0 success, 1 the checked thing failed (an invalid environment, a failed check), 2 usage or",
    "configuration error. Documentation: docs/adopting.md in the product's repository.",
  ].join("\n");
}

/** The command `args` names and the arguments left for it; a usage error names the nearest command. */
function resolveCommand(args: readonly string[]): { command: Command; rest: string[] } | { error: string } {
  const [first = "", second] = args;
  const twoWords = COMMANDS.find((c) => c.name === `${first} ${second ?? ""}`);
  if (twoWords) return { command: twoWords, rest: args.slice(2) };
  const one = COMMANDS.find((c) => c.name === first);
  if (one) return { command: one, rest: args.slice(1) };
  const groups = COMMANDS.filter((c) => c.name.startsWith(`${first} `));
  if (groups.length)
    return { error: `${first} needs a subcommand: ${groups.map((c) => c.name.split(" ")[1]).join(", ")}${second === undefined ? "" : ` (not ${quote(second, 40)})`} (see ${BINARY} --help)` };
  const near = closest(first, [...new Set(COMMANDS.map((c) => c.name.split(" ")[0]))], { max: 1 });
  return { error: `unknown command ${quote(first, 40)}${near.length ? `; did you mean ${near[0]}?` : ""} (${BINARY} --help lists the commands)` };
}

/** Runs the binary with `args` (without node and the script); resolves with the exit code. */
export async function runBinary(args: readonly string[], io: CommandIo = processIo): Promise<number> {
  const out: CommandIo = { stdout: (l) => io.stdout(asBinaryText(l)), stderr: (l) => io.stderr(asBinaryText(l)), env: io.env };
  const [first] = args;
  if (first === undefined || first === "-h" || first === "--help") {
    (first === undefined ? out.stderr : out.stdout)(overview());
    return first === undefined ? 2 : 0;
  }
  if (first === "-V" || first === "--version") {
    out.stdout(productVersion());
    return 0;
  }
  if (first === "help") return args.length > 1 ? runBinary([...args.slice(1), "--help"], io) : runBinary(["--help"], io);
  if (first.startsWith("-")) {
    const near = closest(first.split("=")[0], ["--help", "--version"], { max: 1 });
    out.stderr(`unknown option ${quote(first, 40)} before the command${near.length ? `; did you mean ${near[0]}?` : ""} (${BINARY} --help)`);
    return 2;
  }
  const resolved = resolveCommand(args);
  if ("error" in resolved) {
    out.stderr(resolved.error);
    return 2;
  }
  try {
    return await resolved.command.run(resolved.rest, out);
  } catch (err) {
    const user = describeUserError(err);
    if (!user) throw err;
    for (const line of user.lines) out.stderr(line);
    return user.exitCode;
  }
}

if (require.main === module)
  runBinary(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      // A bug, not a user mistake: keep the stack trace.
      console.error(err);
      process.exitCode = 1;
    },
  );
