import * as fs from "node:fs";
import * as path from "node:path";
import type { Catalog } from "../core/catalog";
import { sharedAccountProblems, validateEnvironment } from "../core/validation";
import { escapeControls, quoteList, UserInputError } from "../core/problems";
import { displayNameOf, parseJsonBytes, readInputFile } from "./json-file";
import { errnoReason } from "./regular-file";
import { CliError, UserInputErrors } from "./user-error";
import { shippedCatalog } from "./catalog-files";
import { BaselinePlan } from "../core/environment";

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

/**
 * BaselinePlan files in `dir` (`*.json`), sorted by name. Throws CliError when the directory is missing. Directories
 * named `*.json` are skipped; anything else so named is listed, so that reading it names what is wrong (a FIFO, a
 * symbolic link to nothing or in a loop) instead of the file silently not counting.
 */
export function listEnvironmentFiles(dir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    throw new CliError(`cannot read the config directory ${escapeControls(dir)}: it ${errnoReason(err).reason}`, 2);
  }
  const isDirectory = (e: fs.Dirent) => {
    if (e.isDirectory()) return true;
    if (!e.isSymbolicLink()) return false;
    try {
      return fs.statSync(path.join(dir, e.name)).isDirectory();
    } catch {
      return false; // a dangling link or a loop: listed, and reported when read
    }
  };
  return entries
    .filter((e) => e.name.endsWith(".json") && !isDirectory(e))
    .map((e) => path.resolve(dir, e.name))
    .sort();
}

/** The environment name a file must declare: its base name without `.json`. */
export function environmentNameOf(file: string): string {
  return path.basename(file, ".json");
}

// Re-exported where callers have always found them.
export { lineColumnAt } from "../core/problems";
export { displayNameOf, parseJson, parseJsonBytes, readInputFile } from "./json-file";

/**
 * Reads, parses and validates one environment file; its `name` must equal the file's base name. Throws
 * UserInputError (named by the display name) with every problem in the file.
 */
export function readEnvironmentFile(file: string, options: LoadOptions = {}): LoadedEnvironment {
  const abs = path.resolve(file);
  const displayName = escapeControls(displayNameOf(abs, options.cwd));
  // Only a regular file is read (a FIFO would block, a directory throw): cli/regular-file.ts.
  const read = readInputFile(abs, "point at a JSON file");
  if ("problem" in read) throw new UserInputError(displayName, [read.problem]);
  const parsed = parseJsonBytes(read.bytes);
  if ("problem" in parsed) throw new UserInputError(displayName, [parsed.problem]);
  const duplicates = parsed.problems;
  // A document beyond the size bounds is not validated: its size is the problem.
  if (parsed.oversized) throw new UserInputError(displayName, duplicates);
  let plan: BaselinePlan;
  try {
    plan = validateEnvironment(parsed.value, displayName, { expectedName: environmentNameOf(abs), today: options.today, catalog: options.catalog ?? shippedCatalog() });
  } catch (err) {
    if (err instanceof UserInputError) throw new UserInputError(displayName, [...duplicates, ...err.problems]);
    throw err;
  }
  if (duplicates.length) throw new UserInputError(displayName, duplicates);
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
  const shown = escapeControls(displayNameOf(path.resolve(dir), options.cwd));
  if (files.length === 0) throw new CliError(`no environment files (*.json) in ${shown}`, 2);
  let selected = files;
  if (options.only?.length) {
    const byName = new Map(files.map((f) => [environmentNameOf(f), f]));
    const missing = options.only.filter((n) => !byName.has(n));
    if (missing.length)
      throw new CliError(`no environment file for ${quoteList(missing)} in ${shown} (available: ${[...byName.keys()].map(escapeControls).join(", ")})`, 2);
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
  // Settings one account and Region hold once, across the environments loaded together.
  const shared = sharedAccountProblems(loaded.map((l) => ({ displayName: l.displayName, config: l.plan.config })));
  if (shared.length) throw new UserInputErrors(shared.map((s) => new UserInputError(s.displayName, s.problems)));
  return loaded;
}
