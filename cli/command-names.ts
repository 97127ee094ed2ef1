// The repository's commands are npm scripts (`npm run smoke -- --env dev`); the same code ships in the CLI package as
// subcommands of one binary (`bedrock-baseline smoke --env dev`). Usage texts, hints and errors name the npm scripts,
// so the binary rewrites those names in every line it prints: one table, here, instead of two wordings of every
// message in every command.

/** The binary of the CLI package. */
export const BINARY = "bedrock-baseline";

/** npm script (or entry file) -> subcommand of the binary. */
export const SCRIPT_SUBCOMMANDS: ReadonlyArray<readonly [script: string, subcommand: string]> = [
  ["check:environments", "check"],
  ["catalog:sync", "catalog sync"],
  ["local-endpoint", "local-endpoint"],
  ["smoke:local", "smoke --local"],
  ["smoke", "smoke"],
  ["synth", "synth"],
  ["toggle:status", "status"],
  ["toggle", "toggle"],
  ["eval", "eval"],
  ["diff", "diff"],
  ["deploy", "deploy"],
];

/** Entry files whose usage lines name themselves (`usage: main.ts ...`). */
const ENTRY_FILES: ReadonlyArray<readonly [file: string, subcommand: string]> = [
  ["main.ts", "synth"],
  ["local/cli.ts", "local-endpoint"],
];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

// `npm run smoke -- --env dev` and `npm run smoke` (at a word boundary: `npm run smoke:local` is another script).
const SCRIPT_PATTERN = new RegExp(`npm run (${SCRIPT_SUBCOMMANDS.map(([s]) => escape(s)).join("|")})(?![\\w:-])( --(?= |$))?`, "g");
const ENTRY_PATTERN = new RegExp(`(usage: )(${ENTRY_FILES.map(([f]) => escape(f)).join("|")})(?=[ \\n]|$)`, "gi");

/** Labels commands start their lines with (`check:environments: PASS ...`), as the binary names the command. */
const LINE_LABELS: ReadonlyArray<readonly [label: string, subcommand: string]> = [
  ["check:environments:", "check:"],
  ["catalog:sync:", "catalog sync:"],
];

/** A line as the binary prints it: npm script names replaced by the binary's subcommands. */
export function asBinaryText(line: string): string {
  for (const [label, replacement] of LINE_LABELS) if (line.startsWith(`${label} `)) line = replacement + line.slice(label.length);
  const byScript = new Map(SCRIPT_SUBCOMMANDS);
  const byEntry = new Map(ENTRY_FILES);
  return line
    .replace(SCRIPT_PATTERN, (_m, script: string) => `${BINARY} ${byScript.get(script)}`)
    .replace(ENTRY_PATTERN, (_m, prefix: string, file: string) => `${prefix}${BINARY} ${byEntry.get(file)}`);
}
