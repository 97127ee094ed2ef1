import * as fs from "node:fs";
import * as path from "node:path";
import type { z } from "zod";
import { type Catalog, catalogOverlaySchema, type CatalogOverlay, catalogSnapshotSchema, type CatalogSnapshot, futureReadProblems } from "../core/catalog";
import { docRef, escapeControls, jsonPath, type Problem, UserInputError } from "../core/problems";
import { displayNameOf, parseJsonBytes, readInputFile } from "./json-file";
import { UserInputErrors } from "./user-error";

/** The catalog shipped with the code: catalog/snapshot.json (synced) and catalog/overlay.json (curated). */
export const CATALOG_DIR = path.resolve(__dirname, "..", "catalog");
export const SNAPSHOT_FILE = "snapshot.json";
export const OVERLAY_FILE = "overlay.json";

/** What to do about a catalog file that cannot be read or is empty. */
const RESTORE = "restore it from git (git checkout -- <file>), or run npm run catalog:sync";

/** Reads and checks one catalog file; throws UserInputError (named by its display name) listing every problem. */
function readChecked<T>(file: string, schema: z.ZodType<T>, fix: string, cwd?: string, extra?: (value: T) => Problem[]): T {
  const shown = escapeControls(displayNameOf(file, cwd));
  // Only a regular file is read (a FIFO would block, a directory throw): cli/regular-file.ts.
  const read = readInputFile(file, RESTORE);
  if ("problem" in read) throw new UserInputError(shown, [{ ...read.problem, message: read.problem.message.replace("the file", "the catalog file") }]);
  const parsed = parseJsonBytes(read.bytes, RESTORE);
  if ("problem" in parsed) throw new UserInputError(shown, [parsed.problem]);
  if (parsed.oversized) throw new UserInputError(shown, parsed.problems);
  const r = schema.safeParse(parsed.value);
  // Duplicate keys too: JSON.parse keeps the last silently, and a hand-edited overlay could hide a fact that way.
  const problems = [...parsed.problems, ...(r.success ? (extra?.(r.data) ?? []) : r.error.issues.map((i): Problem => ({ path: jsonPath(i.path), message: i.message, fix })))];
  if (problems.length || !r.success) throw new UserInputError(shown, problems);
  return r.data;
}

/** Options for reading a snapshot. */
export interface SnapshotReadOptions {
  /** Base for display names. Default: process.cwd(). */
  readonly cwd?: string;
  /** The clock read dates are checked against. Default: now. */
  readonly now?: Date;
}

/** The snapshot at `file`, or undefined when there is none yet (a first sync). */
export function readSnapshot(file: string, o: SnapshotReadOptions = {}): CatalogSnapshot | undefined {
  if (!fs.existsSync(file) && !isLink(file)) return undefined;
  const today = (o.now ?? new Date()).toISOString().slice(0, 10);
  return readChecked(file, catalogSnapshotSchema, "the file is written by npm run catalog:sync: re-run it rather than editing by hand", o.cwd, (s) => futureReadProblems(s, today));
}

/** True for a symbolic link (a dangling one is not "no snapshot yet": reading it says what is wrong). */
function isLink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

export function readOverlay(file: string, cwd?: string): CatalogOverlay {
  return readChecked(file, catalogOverlaySchema, `fix the entry (${docRef("docs/configuration.md", "The model catalog")})`, cwd);
}

/**
 * Loads snapshot and overlay from `dir` (default: the shipped catalog), reporting the problems of both files at once;
 * without an overlay.json of its own, `dir` gets the shipped overlay (a team's folder holds only what its sync read).
 * An overlay replacement must name a model the catalog knows, so a typo cannot send users to a model that does not exist.
 */
export function loadCatalog(dir = CATALOG_DIR, cwd?: string): Catalog {
  const failed: UserInputError[] = [];
  const attempt = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch (err) {
      if (err instanceof UserInputError) failed.push(err);
      else throw err;
      return undefined;
    }
  };
  const snapshotFile = path.join(dir, SNAPSHOT_FILE);
  const snapshot = attempt(() => readSnapshot(snapshotFile, { cwd }) ?? readChecked(snapshotFile, catalogSnapshotSchema, "", cwd));
  // A team's catalog folder holds the snapshot its sync read; the curated overlay is the product's unless it has its own.
  const overlayFile = fs.existsSync(path.join(dir, OVERLAY_FILE)) ? path.join(dir, OVERLAY_FILE) : path.join(CATALOG_DIR, OVERLAY_FILE);
  const overlay = attempt(() => readOverlay(overlayFile, cwd));
  if (snapshot && overlay) {
    const known = new Set([...Object.keys(overlay.models), ...Object.values(snapshot.regions).flatMap((r) => Object.keys(r.models))]);
    const bad = Object.entries(overlay.models).flatMap(([id, m]): Problem[] =>
      m.replacement && !known.has(m.replacement.value)
        ? [{ path: jsonPath(["models", id, "replacement", "value"]), message: `${m.replacement.value} is not a model of the catalog`, fix: "name a foundation-model ID the snapshot or the overlay knows" }]
        : [],
    );
    if (bad.length) failed.push(new UserInputError(displayNameOf(overlayFile, cwd), bad));
  }
  if (failed.length) throw new UserInputErrors(failed);
  return { snapshot: snapshot!, overlay: overlay! };
}

let shipped: Catalog | undefined;

/** The shipped catalog, read once per process. */
export function shippedCatalog(): Catalog {
  return (shipped ??= loadCatalog());
}
