import { parseArgs, type ParseArgsConfig } from "node:util";
import { closest, displayText, quote } from "../core/problems";
import { CliError } from "./user-error";

/*
 * The one way every command of the repository reads its command line (synth, smoke, smoke:local, toggle,
 * local-endpoint, catalog:sync, catalog:regenerate, the benchmarks). node:util parseArgs keeps the last of a repeated
 * option and accepts `--snapshot ""`; both hid mistakes (`--env dev --env prod` ran against prod). Here:
 *   - a single-value option given twice is refused, naming both values;
 *   - an empty or blank value is refused (an empty path would mean "the current directory" or "the shipped file");
 *   - an unknown option gets "did you mean" from the declared ones;
 * each as one CliError line, exit 2, every echoed value escaped and shortened.
 */

/** What a command declares: parseArgs' own configuration (options, allowPositionals, strict). */
export type CommandLineConfig = Omit<ParseArgsConfig, "args" | "tokens"> & {
  /** The arguments (without node and the script). */
  readonly args: readonly string[];
  /** Appended to every refusal, e.g. "(see --help)". Default: "(see --help)". */
  readonly hint?: string;
};

type Parsed<T extends ParseArgsConfig> = ReturnType<typeof parseArgs<T & { tokens: true }>>;

/** Long option names a command declares, with their leading dashes, for "did you mean". */
function declaredFlags(options: ParseArgsConfig["options"]): string[] {
  return Object.keys(options ?? {}).map((name) => `--${name}`);
}

/** parseArgs' own refusal, reworded as one line: the flag named, Node's "To specify..." advice dropped. */
function usageFromNode(err: { code: string; message: string }, options: ParseArgsConfig["options"], hint: string): CliError {
  const first = err.message.split(/\.\s/)[0].replace(/\.$/, "");
  const quoted = /'([^']*)'/.exec(err.message)?.[1] ?? "";
  if (err.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const name = quoted.replace(/^-+/, "").split("=")[0];
    const near = closest(`--${name}`, declaredFlags(options), { max: 1 });
    return new CliError(`unknown option ${quote(quoted, 60)}${near.length ? `; did you mean ${near[0]}?` : ""} ${hint}`, 2);
  }
  if (err.code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") return new CliError(`unexpected argument ${quote(quoted, 60)}: options are --name value ${hint}`, 2);
  const flag = quoted.split(" ")[0];
  if (/does not take an argument/.test(err.message)) return new CliError(`${displayText(flag, 60)} takes no value ${hint}`, 2);
  return new CliError(`${displayText(first, 200)} ${hint}`, 2);
}

/**
 * What parseArgs words poorly, said first: a string option at the end (`--golden`) or followed by another option
 * (`--golden --show-text`, a forgotten value; `--golden=--x` is how a value starting with a dash is written).
 */
function missingValue(args: readonly string[], options: NonNullable<ParseArgsConfig["options"]>, hint: string): CliError | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--") return undefined;
    if (!a.startsWith("--") || a.includes("=")) continue;
    const name = a.slice(2);
    if (!Object.hasOwn(options, name) || options[name].type !== "string") continue;
    const next = args[i + 1];
    if (next === undefined) return new CliError(`--${name} needs a value ${hint}`, 2);
    if (next.startsWith("-") && next !== "-") return new CliError(`--${name} needs a value, not the option ${quote(next, 40)} ${hint}`, 2);
    i++;
  }
  return undefined;
}

/**
 * Parses `config.args` like node:util parseArgs (with `tokens`), then refuses what parseArgs lets through: a repeated
 * single-value option and an empty value. Throws CliError (exit 2) with one line.
 */
export function parseCommandLine<T extends CommandLineConfig>(config: T): Parsed<T> {
  const hint = config.hint ?? "(see --help)";
  const forgotten = missingValue(config.args, config.options ?? {}, hint);
  if (forgotten) throw forgotten;
  let parsed: Parsed<T>;
  try {
    parsed = parseArgs({ ...config, args: [...config.args], tokens: true } as T & { tokens: true }) as Parsed<T>;
  } catch (e) {
    // Checked by shape: errors of Node built-ins may come from another realm (jest).
    const err = e as { code?: unknown; message?: unknown };
    if (typeof err?.code === "string" && err.code.startsWith("ERR_PARSE_ARGS_") && typeof err.message === "string")
      throw usageFromNode({ code: err.code, message: err.message }, config.options, hint);
    throw e;
  }
  const options = config.options ?? {};
  const seen = new Map<string, string[]>();
  for (const t of parsed.tokens ?? []) {
    if (t.kind !== "option" || !Object.hasOwn(options, t.name)) continue;
    const spec = options[t.name];
    if (spec.type !== "string") continue;
    const value = t.value ?? "";
    if (value.trim() === "") throw new CliError(`--${t.name} needs a value, got ${value === "" ? "an empty string" : quote(value, 20)} ${hint}`, 2);
    if (spec.multiple) continue;
    const values = seen.get(t.name) ?? [];
    values.push(value);
    seen.set(t.name, values);
    if (values.length === 2)
      throw new CliError(`--${t.name} given twice (${quote(values[0], 60)} and ${quote(values[1], 60)}): give it once ${hint}`, 2);
  }
  return parsed;
}
