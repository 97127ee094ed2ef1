import * as fs from "node:fs";
import * as path from "node:path";
import type { Catalog } from "../core/catalog";
import { validateEnvironment } from "../core/environment-validation";
import { Problem, UserInputError } from "../core/problem";
import { CliError, UserInputErrors } from "./user-error";
import { shippedCatalog } from "./catalog-files";
import { BaselinePlan } from "../core/baseline-plan";

/** One environment file, validated. */
export interface LoadedEnvironment {
  /** Absolute path of the file. */
  readonly file: string;
  /** How messages name the file: relative to the working directory when inside it, e.g. `config/dev.json`. */
  readonly displayName: string;
  readonly plan: BaselinePlan;
}

/** Options shared by the loaders. */
export interface LoadOptions {
  /** ISO date for lifecycle checks. Default: today (UTC). */
  readonly today?: string;
  /** Default: the shipped catalog (catalog/snapshot.json + catalog/overlay.json). */
  readonly catalog?: Catalog;
  /** Base for display names. Default: `process.cwd()`. */
  readonly cwd?: string;
}

/** `config/dev.json` for a file under the working directory, the absolute path otherwise. */
export function displayNameOf(file: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel.split(path.sep).join("/") : file;
}

/** BaselinePlan files in `dir` (`*.json`), sorted by name. Throws CliError when the directory is missing. */
export function listEnvironmentFiles(dir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    throw new CliError(`cannot read the config directory ${dir}: ${(err as Error).message}`, 2);
  }
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(".json"))
    .map((e) => path.resolve(dir, e.name))
    .sort();
}

/** The environment name a file must declare: its base name without `.json`. */
export function environmentNameOf(file: string): string {
  return path.basename(file, ".json");
}

/** Line and column (1-based) of a character offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split("\n");
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

/** JSON.parse with a Problem (path "", line and column) instead of a SyntaxError. */
export function parseJson(text: string): { value: unknown } | { problem: Problem } {
  try {
    return { value: JSON.parse(text) };
  } catch (err) {
    const message = (err as Error).message;
    // V8 reports "… in JSON at position N" (Node 20) and sometimes "(line L column C)"; "Unexpected end of JSON input"
    // has no position and means the end of the text.
    const lc = /line (\d+) column (\d+)/.exec(message);
    const pos = /at position (\d+)/.exec(message);
    const at = lc ? { line: Number(lc[1]), column: Number(lc[2]) } : lineColumnAt(text, pos ? Number(pos[1]) : text.length);
    const reason = message.replace(/\s*\(line \d+ column \d+\)/, "").replace(/ in JSON at position \d+/, "").replace(/^Unexpected end of JSON input$/, "unexpected end of input");
    return { problem: { path: "", message: `invalid JSON at line ${at.line}, column ${at.column}: ${reason}`, fix: "fix the JSON syntax (quotes, commas, brackets; JSON allows no comments or trailing commas)" } };
  }
}

/**
 * Reads, parses and validates one environment file; its `name` must equal the file's base name. Throws
 * UserInputError (named by the display name) with every problem in the file.
 */
export function readEnvironmentFile(file: string, options: LoadOptions = {}): LoadedEnvironment {
  const abs = path.resolve(file);
  const displayName = displayNameOf(abs, options.cwd);
  let text: string;
  try {
    text = fs.readFileSync(abs, "utf8");
  } catch (err) {
    throw new UserInputError(displayName, [{ path: "", message: `cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, fix: "check the path and permissions" }]);
  }
  const parsed = parseJson(text);
  if ("problem" in parsed) throw new UserInputError(displayName, [parsed.problem]);
  const plan = validateEnvironment(parsed.value, displayName, { expectedName: environmentNameOf(abs), today: options.today, catalog: options.catalog ?? shippedCatalog() });
  return { file: abs, displayName, plan };
}

/** Options for loading a directory. */
export interface LoadDirectoryOptions extends LoadOptions {
  /** Load only these environments (file base names). Default: every `*.json` in the directory. */
  readonly only?: readonly string[];
}

/**
 * Loads every environment file of `dir` (or the `only` ones), validating all of them before returning, so one run
 * reports every problem of every file. Throws UserInputErrors when any file has errors, CliError when the directory
 * is missing or empty or a requested environment has no file.
 */
export function loadEnvironments(dir: string, options: LoadDirectoryOptions = {}): LoadedEnvironment[] {
  const files = listEnvironmentFiles(dir);
  const shown = displayNameOf(path.resolve(dir), options.cwd);
  if (files.length === 0) throw new CliError(`no environment files (*.json) in ${shown}`, 2);
  let selected = files;
  if (options.only?.length) {
    const byName = new Map(files.map((f) => [environmentNameOf(f), f]));
    const missing = options.only.filter((n) => !byName.has(n));
    if (missing.length)
      throw new CliError(`no environment file for ${missing.map((m) => `"${m}"`).join(", ")} in ${shown} (available: ${[...byName.keys()].join(", ")})`, 2);
    selected = [...new Set(options.only)].map((n) => byName.get(n)!);
  }
  const loaded: LoadedEnvironment[] = [];
  const failed: UserInputError[] = [];
  for (const file of selected) {
    try {
      loaded.push(readEnvironmentFile(file, options));
    } catch (err) {
      if (err instanceof UserInputError) failed.push(err);
      else throw err;
    }
  }
  if (failed.length) throw new UserInputErrors(failed);
  return loaded;
}
