import { displayText, jsonPath } from "../problems";

/*
 * What differs between two routing documents (or any two JSON values), leaf by leaf: what `toggle --dry-run` prints
 * before anything is written, and what `status` shows of a live document a toggle changed since the stack's deploy.
 * Arrays (fallbacks) are compared whole: their order is their meaning.
 */

/** One difference: the JSON path, and the value on each side (absent on the side that lacks the key). */
export interface DocumentChange {
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Every leaf that differs, in key order (sorted, so the same change always reads the same). */
export function documentChanges(before: unknown, after: unknown, path: readonly (string | number)[] = []): DocumentChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => {
      const inBefore = Object.hasOwn(before, k);
      const inAfter = Object.hasOwn(after, k);
      if (inBefore && inAfter) return documentChanges(before[k], after[k], [...path, k]);
      return [{ path: jsonPath([...path, k]), ...(inBefore ? { before: before[k] } : {}), ...(inAfter ? { after: after[k] } : {}) }];
    });
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path: jsonPath(path), before, after }];
}

const shown = (v: unknown) => (v === undefined ? "(none)" : displayText(JSON.stringify(v), 200));

/** `routes.chat.primary: "a" -> "b"`, one line per change. */
export function changeLines(changes: readonly DocumentChange[]): string[] {
  return changes.map((c) => `${c.path}: ${shown(c.before)} -> ${shown(c.after)}`);
}
