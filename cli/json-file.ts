import * as path from "node:path";
import { type DuplicateKey, inputBoundProblems, jsonPath, type JsonSyntaxError, type Problem, quote, readJsonBytes, readJsonText } from "../core/problems";
import { readRegularFile, UnreadableFile } from "./regular-file";

// What every JSON file the commands read shares (environment and catalog files alike): how a file is named in
// messages, and how a syntax error or a repeated key becomes a problem. Its own file so the environment and catalog
// loaders both use it without importing each other.

/** `config/dev.json` for a file under the working directory, the absolute path otherwise. */
export function displayNameOf(file: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel.split(path.sep).join("/") : file;
}

/** What to do about an empty environment file (the default of the parsers below). */
const EMPTY_ENVIRONMENT_FIX = "write the environment as one JSON object (start from config/dev.json)";

/** One problem for a syntax error, naming its line and column; `emptyFix` replaces the fix for an empty file. */
export function syntaxProblem(e: JsonSyntaxError, emptyFix?: string): Problem {
  return { path: "", message: `invalid JSON at line ${e.line}, column ${e.column}: ${e.message}`, fix: e.empty && emptyFix ? emptyFix : e.fix };
}

/** Problems for keys that appear twice in one object (JSON.parse would silently keep the last). */
export function duplicateKeyProblems(dups: readonly DuplicateKey[]): Problem[] {
  return dups.map((d) => ({
    path: jsonPath(d.path.slice(0, -1)),
    message: `key ${quote(d.path[d.path.length - 1])} appears twice (again at line ${d.line}, column ${d.column}); JSON keeps only the last`,
    fix: "keep one of them",
  }));
}

/** A parsed file: its value with duplicate-key and size problems (`oversized`: no rule may run on it), or why not. */
export type ParsedFile = { value: unknown; problems: Problem[]; oversized: boolean } | { problem: Problem };

function parsedProblems(r: ReturnType<typeof readJsonText>, emptyFix: string): ParsedFile {
  if ("error" in r) return { problem: syntaxProblem(r.error, emptyFix) };
  // Oversized lists and objects first: no rule runs on them (core/problems/input-bounds.ts).
  const bounds = inputBoundProblems(r.value);
  return { value: r.value, problems: [...bounds, ...duplicateKeyProblems(r.duplicateKeys)], oversized: bounds.length > 0 };
}

/**
 * Parses a file's bytes (UTF-8, see core/problems/json-text.ts): the value with its duplicate-key and size problems, or
 * one problem naming the cause, line and column. `emptyFix` says what an empty file should hold (default: an
 * environment).
 */
export function parseJsonBytes(bytes: Uint8Array, emptyFix = EMPTY_ENVIRONMENT_FIX): ParsedFile {
  return parsedProblems(readJsonBytes(bytes), emptyFix);
}

/** Parses JSON text: the value and duplicate-key problems, or one problem naming the cause, line and column. */
export function parseJson(text: string, emptyFix = EMPTY_ENVIRONMENT_FIX): ParsedFile {
  return parsedProblems(readJsonText(text), emptyFix);
}

/** The bytes of a file to parse, or the one problem that stops it being read (missing, a FIFO, a directory, a loop). */
export function readInputFile(file: string, fix = "check the path and permissions"): { bytes: Buffer } | { problem: Problem } {
  try {
    return { bytes: readRegularFile(file) };
  } catch (err) {
    if (!(err instanceof UnreadableFile)) throw err;
    return { problem: { path: "", message: `cannot read the file: it ${err.reason}`, fix: err.code === "ENOENT" || err.code === undefined ? fix : "check the path and permissions" } };
  }
}
