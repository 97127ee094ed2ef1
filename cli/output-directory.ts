import * as fs from "node:fs";
import * as path from "node:path";
import { parseStackName } from "../core/aws";
import { quote, quoteList } from "../core/problems";
import { errnoReason, fileKind, readRegularFile } from "./regular-file";
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

/** The target of `p` when it is a symbolic link whose target does not exist; undefined otherwise. */
function danglingLinkTarget(p: string): string | undefined {
  try {
    return fs.lstatSync(p).isSymbolicLink() ? fs.readlinkSync(p) : undefined;
  } catch {
    return undefined;
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
    // A symbolic link to nothing cannot be created through (mkdir fails with ENOENT halfway through a run).
    const link = danglingLinkTarget(probe);
    if (link !== undefined) throw fail(`${probe === path.resolve(dir) ? "it" : probe} is a symbolic link to ${quote(link, 120)}, which does not exist`);
    const parent = path.dirname(probe);
    if (parent === probe) throw fail("no part of the path exists");
    probe = parent;
  }
}

/**
 * Checks, before anything is written, that `file` can be written as a whole file: an existing regular file (or a
 * symbolic link to one) or a new name in a directory that exists or can be created and is writable. Throws CliError
 * (exit 2) naming the flag otherwise: a directory, a FIFO or a device, a path below a file.
 */
export function checkWritableFile(file: string, flag: string): void {
  const shown = quote(file, 200);
  let st: fs.Stats | undefined;
  try {
    st = statOrUndefined(file);
  } catch (err) {
    throw new CliError(`${flag} ${shown} cannot be used: ${errnoReason(err).reason}`, 2);
  }
  if (st && !st.isFile()) throw new CliError(`${flag} ${shown} is ${fileKind(st)}, not a regular file: name a file`, 2);
  checkOutputDirectory(path.dirname(path.resolve(file)), `the directory of ${flag}`);
}

/** The folders synth replaces in its output directory, and how an entry it wrote there is named. */
const SYNTH_FOLDERS: ReadonlyArray<{ folder: string; ours: (name: string) => boolean }> = [
  { folder: "stacks", ours: (n) => parseStackName(n) !== undefined },
  { folder: "manifests", ours: (n) => /^bedrock-.+\.json$/.test(n) },
  { folder: "guards", ours: (n) => /^bedrock-.+-scp\.json$/.test(n) },
];

/** What in `outdir` synth would delete or overwrite although no synth wrote it (empty when nothing). */
function foreignSynthEntries(outdir: string): string[] {
  const foreign: string[] = [];
  const manifest = path.join(outdir, "manifest.json");
  if (fs.existsSync(manifest) || isSymlink(manifest)) {
    let ok = false;
    try {
      const m = JSON.parse(readRegularFile(manifest, 16 * 1024 * 1024).toString("utf8")) as { stacks?: unknown };
      ok = m !== null && typeof m === "object" && typeof m.stacks === "object" && m.stacks !== null;
    } catch {
      ok = false;
    }
    if (!ok) foreign.push("manifest.json (not a cdktf manifest)");
  }
  for (const { folder, ours } of SYNTH_FOLDERS) {
    const dir = path.join(outdir, folder);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(dir);
    } catch {
      continue;
    }
    // A symbolic link would make synth delete inside whatever it points at.
    if (!st.isDirectory()) {
      foreign.push(`${folder} (${fileKind(st)})`);
      continue;
    }
    for (const name of fs.readdirSync(dir)) if (!ours(name)) foreign.push(`${folder}/${name}`);
  }
  return foreign;
}

function isSymlink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * Checks an output directory synth is about to write (checkOutputDirectory), and that it holds nothing synth would
 * delete or overwrite that a synth did not write: synth replaces `stacks/`, `manifests/` and `guards/` and rewrites
 * `manifest.json`, so a typo pointing it at a directory of other files must not cost those files. Throws CliError
 * (exit 2) before anything is written.
 */
export function checkSynthOutdir(outdir: string, what: string): void {
  checkOutputDirectory(outdir, what);
  const foreign = foreignSynthEntries(path.resolve(outdir));
  if (foreign.length)
    throw new CliError(
      `${what} ${quote(outdir, 200)} holds what synth did not write: ${quoteList(foreign, 3)}; synth replaces stacks/, manifests/ and guards/ there and rewrites manifest.json, so it does not write into it: choose an empty or new directory`,
      2,
    );
}

/**
 * The synth output directory a `--manifest-dir` implies (its parent: synth writes manifests to <outdir>/manifests),
 * checked before anything is written: the name must be `manifests` and the parent must pass checkSynthOutdir.
 */
export function outdirOfManifestDir(manifestDir: string, flag = "--manifest-dir"): string {
  const abs = path.resolve(manifestDir);
  if (path.basename(abs) !== "manifests")
    throw new CliError(`${flag} ${quote(manifestDir, 200)} must end in /manifests: synth writes manifests to <outdir>/manifests and replaces what else is in <outdir> (e.g. ${flag} cdktf.out/manifests)`, 2);
  return path.dirname(abs);
}
