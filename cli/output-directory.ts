import * as fs from "node:fs";
import * as path from "node:path";
import { quote } from "../core/problems";
import { CliError } from "./user-error";

function statOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw err;
  }
}

/**
 * Checks, before any work, that `dir` is a directory this process can write, or one it can create; throws CliError
 * (exit 2, a usage error) naming what is wrong. Leaves nothing behind: when `dir` does not exist yet, the nearest
 * existing ancestor is tested instead.
 */
export function checkOutputDirectory(dir: string, what: string): void {
  const shown = quote(dir, 200);
  const fail = (why: string) => new CliError(`${what} ${shown} cannot be used: ${why}`, 2);
  let probe = path.resolve(dir);
  for (;;) {
    let st: fs.Stats | undefined;
    try {
      st = statOrUndefined(probe);
    } catch (err) {
      throw fail(`${probe}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    if (st) {
      if (!st.isDirectory()) throw fail(probe === path.resolve(dir) ? "it is not a directory" : `${probe} is not a directory`);
      // access(2) goes by permission bits, which root ignores, and /proc or a read-only mount refuse anyway: create and
      // remove a scratch directory to know.
      try {
        fs.rmdirSync(fs.mkdtempSync(path.join(probe, ".write-check-")));
      } catch (err) {
        throw fail(`cannot write in ${probe} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
      }
      return;
    }
    const parent = path.dirname(probe);
    if (parent === probe) throw fail("no part of the path exists");
    probe = parent;
  }
}
