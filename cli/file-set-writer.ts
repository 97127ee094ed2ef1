import * as fs from "node:fs";
import * as path from "node:path";
import { quote, quoteList } from "../core/problems";
import { checkOutputDirectory } from "./output-directory";
import { CliError } from "./user-error";

// Writes a set of files into a directory all or nothing: every path is checked first, the contents are written to a
// staging directory beside the target (same file system, so moves are renames), then moved in; a failure part-way
// moves back what was replaced and removes what was added. Used by `bedrock-baseline init`.

/** Relative path (with `/`) -> content. */
export type FileSet = ReadonlyMap<string, string>;

/** How the target directory may be used. */
export interface FileSetOptions {
  /** Write into a directory that already holds files, replacing same-named ones. @default false */
  readonly force?: boolean;
  /** How the directory is named in messages, e.g. `the starter directory`. */
  readonly what: string;
}

/** Entries of `dir` (empty when it does not exist); throws CliError when `dir` exists but is not a directory. */
function entriesOf(dir: string, what: string): string[] {
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new CliError(`${what} ${quote(dir, 200)} cannot be used (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, 2);
  }
  if (!st.isDirectory()) throw new CliError(`${what} ${quote(dir, 200)} is not a directory`, 2);
  return fs.readdirSync(dir);
}

/** Checks everything that can be checked before writing; throws CliError (exit 2) naming the first problem. */
function checkTarget(dir: string, files: FileSet, options: FileSetOptions): void {
  for (const rel of files.keys())
    if (path.isAbsolute(rel) || rel.split("/").some((part) => part === ".." || part === "" || part === ".")) throw new Error(`file-set-writer: ${rel} is not a plain relative path`);
  const existing = entriesOf(dir, options.what);
  if (existing.length && !options.force)
    throw new CliError(`${options.what} ${quote(dir, 200)} is not empty (${quoteList(existing.sort(), 5)}): choose an empty or new directory, or pass --force to write into it (same-named files are replaced)`, 2);
  checkOutputDirectory(dir, options.what);
  // A file where a directory must go (or the other way round) would fail half-way: refuse it now.
  for (const rel of files.keys()) {
    const parts = rel.split("/");
    for (let i = 1; i <= parts.length; i++) {
      const p = path.join(dir, ...parts.slice(0, i));
      const st = fs.lstatSync(p, { throwIfNoEntry: false });
      if (!st) break;
      const mustBeFile = i === parts.length;
      if (mustBeFile ? !st.isFile() : !st.isDirectory())
        throw new CliError(`${options.what} ${quote(dir, 200)}: ${parts.slice(0, i).join("/")} is ${st.isDirectory() ? "a directory" : "not a directory"}, where init writes ${mustBeFile ? "a file" : "a folder"}: move it away first`, 2);
    }
  }
}

/**
 * Writes `files` into `dir` (created with its parents when missing), all or nothing. Throws CliError (exit 2) before
 * writing anything when `dir` is a file, not writable, or not empty without `force`.
 */
export function writeFileSet(dir: string, files: FileSet, options: FileSetOptions): void {
  const target = path.resolve(dir);
  checkTarget(target, files, options);
  const parent = path.dirname(target);
  fs.mkdirSync(parent, { recursive: true });
  const staging = fs.mkdtempSync(path.join(parent, `.${path.basename(target)}.staging-`));
  try {
    for (const [rel, content] of files) {
      fs.mkdirSync(path.dirname(path.join(staging, "new", rel)), { recursive: true });
      fs.writeFileSync(path.join(staging, "new", rel), content);
    }
    if (!fs.existsSync(target)) {
      // A new directory appears whole or not at all.
      fs.renameSync(path.join(staging, "new"), target);
      return;
    }
    moveIn(target, staging, [...files.keys()]);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** Moves the staged files into an existing `target`, undoing every move when one fails. */
function moveIn(target: string, staging: string, rels: readonly string[]): void {
  const undo: Array<() => void> = [];
  try {
    for (const rel of rels) {
      const to = path.join(target, rel);
      const createdDirs: string[] = [];
      for (let d = path.dirname(to); !fs.existsSync(d); d = path.dirname(d)) createdDirs.unshift(d);
      for (const d of createdDirs) {
        fs.mkdirSync(d);
        undo.push(() => fs.rmdirSync(d));
      }
      if (fs.existsSync(to)) {
        const backup = path.join(staging, "old", rel);
        fs.mkdirSync(path.dirname(backup), { recursive: true });
        fs.renameSync(to, backup);
        undo.push(() => fs.renameSync(backup, to));
      }
      fs.renameSync(path.join(staging, "new", rel), to);
      undo.push(() => fs.rmSync(to, { force: true }));
    }
  } catch (err) {
    for (const step of undo.reverse()) {
      try {
        step();
      } catch {
        // Best effort: keep undoing the rest.
      }
    }
    throw new CliError(`could not write into ${quote(target, 200)} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); nothing was changed`, 2);
  }
}
