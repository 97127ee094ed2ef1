import * as path from "node:path";
import { type DuplicateKey, jsonPath, type JsonSyntaxError, type Problem, quote, readJsonText } from "../core/problems";

// What every JSON file the commands read shares (environment and catalog files alike): how a file is named in
// messages, and how a syntax error or a repeated key becomes a problem. Its own file so the environment and catalog
// loaders both use it without importing each other.

/** `config/dev.json` for a file under the working directory, the absolute path otherwise. */
export function displayNameOf(file: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel.split(path.sep).join("/") : file;
}

/** One problem for a syntax error, naming its line and column. */
export function syntaxProblem(e: JsonSyntaxError): Problem {
  return { path: "", message: `invalid JSON at line ${e.line}, column ${e.column}: ${e.message}`, fix: e.fix };
}

/** Problems for keys that appear twice in one object (JSON.parse would silently keep the last). */
export function duplicateKeyProblems(dups: readonly DuplicateKey[]): Problem[] {
  return dups.map((d) => ({
    path: jsonPath(d.path.slice(0, -1)),
    message: `key ${quote(d.path[d.path.length - 1])} appears twice (again at line ${d.line}, column ${d.column}); JSON keeps only the last`,
    fix: "keep one of them",
  }));
}

/** Parses JSON text: the value and duplicate-key problems, or one problem naming the cause, line and column. */
export function parseJson(text: string): { value: unknown; problems: Problem[] } | { problem: Problem } {
  const r = readJsonText(text);
  return "error" in r ? { problem: syntaxProblem(r.error) } : { value: r.value, problems: duplicateKeyProblems(r.duplicateKeys) };
}
