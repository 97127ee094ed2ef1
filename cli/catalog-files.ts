import * as fs from "node:fs";
import * as path from "node:path";
import type { z } from "zod";
import { type Catalog, catalogOverlaySchema, type CatalogOverlay, catalogSnapshotSchema, type CatalogSnapshot } from "../core/catalog";
import { docRef, jsonPath, type Problem, UserInputError } from "../core/problems";
import { displayNameOf, parseJson } from "./json-file";
import { UserInputErrors } from "./user-error";

/** The catalog shipped with the code: catalog/snapshot.json (synced) and catalog/overlay.json (curated). */
export const CATALOG_DIR = path.resolve(__dirname, "..", "catalog");
export const SNAPSHOT_FILE = "snapshot.json";
export const OVERLAY_FILE = "overlay.json";

/** Reads and checks one catalog file; throws UserInputError (named by its display name) listing every problem. */
function readChecked<T>(file: string, schema: z.ZodType<T>, fix: string, cwd?: string): T {
  const shown = displayNameOf(file, cwd);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new UserInputError(shown, [{ path: "", message: `cannot read the catalog file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, fix: "restore it from git, or run npm run catalog:sync" }]);
  }
  const parsed = parseJson(text);
  if ("problem" in parsed) throw new UserInputError(shown, [parsed.problem]);
  const r = schema.safeParse(parsed.value);
  // Duplicate keys too: JSON.parse keeps the last silently, and a hand-edited overlay could hide a fact that way.
  const problems = [...parsed.problems, ...(r.success ? [] : r.error.issues.map((i): Problem => ({ path: jsonPath(i.path), message: i.message, fix })))];
  if (problems.length || !r.success) throw new UserInputError(shown, problems);
  return r.data;
}

/** The snapshot at `file`, or undefined when there is none yet (a first sync). */
export function readSnapshot(file: string, cwd?: string): CatalogSnapshot | undefined {
  if (!fs.existsSync(file)) return undefined;
  return readChecked(file, catalogSnapshotSchema, "the file is written by npm run catalog:sync: re-run it rather than editing by hand", cwd);
}

export function readOverlay(file: string, cwd?: string): CatalogOverlay {
  return readChecked(file, catalogOverlaySchema, `fix the entry (${docRef("docs/configuration.md", "The model catalog")})`, cwd);
}

/**
 * Loads snapshot and overlay from `dir` (default: the shipped catalog), reporting the problems of both files at once.
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
  const snapshot = attempt(() => readSnapshot(snapshotFile, cwd) ?? readChecked(snapshotFile, catalogSnapshotSchema, "", cwd));
  const overlay = attempt(() => readOverlay(path.join(dir, OVERLAY_FILE), cwd));
  if (snapshot && overlay) {
    const known = new Set([...Object.keys(overlay.models), ...Object.values(snapshot.regions).flatMap((r) => Object.keys(r.models))]);
    const bad = Object.entries(overlay.models).flatMap(([id, m]): Problem[] =>
      m.replacement && !known.has(m.replacement.value)
        ? [{ path: jsonPath(["models", id, "replacement", "value"]), message: `${m.replacement.value} is not a model of the catalog`, fix: "name a foundation-model ID the snapshot or the overlay knows" }]
        : [],
    );
    if (bad.length) failed.push(new UserInputError(displayNameOf(path.join(dir, OVERLAY_FILE), cwd), bad));
  }
  if (failed.length) throw new UserInputErrors(failed);
  return { snapshot: snapshot!, overlay: overlay! };
}

let shipped: Catalog | undefined;

/** The shipped catalog, read once per process. */
export function shippedCatalog(): Catalog {
  return (shipped ??= loadCatalog());
}
