import { jsonPath, type Problem } from "./problem";

/*
 * Size bounds on a parsed input document, checked before any rule looks at it. A list of 200,000 duplicate regions
 * made validation throw RangeError (a spread of 200,000 problems into one call) and print a stack trace; no sane
 * environment, catalog or scenario file is anywhere near these bounds (the largest organisation the project measures
 * has 200 workloads, 200 routes and 30 models), so a file beyond them is refused with one problem per oversized part.
 */

/** Bounds for `inputBoundProblems`. */
export interface InputBounds {
  /** Entries of one array. Default 10,000. */
  readonly maxListEntries?: number;
  /** Keys of one object. Default 10,000. */
  readonly maxObjectKeys?: number;
  /** Oversized parts reported before the walk stops. Default 20. */
  readonly maxProblems?: number;
}

export const DEFAULT_INPUT_BOUNDS: Required<InputBounds> = { maxListEntries: 10_000, maxObjectKeys: 10_000, maxProblems: 20 };

/** One problem per array or object of `value` beyond the bounds (none for a document within them). */
export function inputBoundProblems(value: unknown, bounds: InputBounds = {}): Problem[] {
  const b = { ...DEFAULT_INPUT_BOUNDS, ...bounds };
  const problems: Problem[] = [];
  // Iterative, so nesting depth cannot overflow the stack; each entry links to its parent, so a path is only built
  // for a problem (copying it at every level made a 100,000-deep document quadratic).
  type Entry = { v: unknown; key?: PropertyKey; parent?: Entry };
  const pathOf = (e: Entry): PropertyKey[] => {
    const keys: PropertyKey[] = [];
    for (let x: Entry | undefined = e; x?.parent; x = x.parent) keys.push(x.key!);
    return keys.reverse();
  };
  const stack: Entry[] = [{ v: value }];
  while (stack.length && problems.length < b.maxProblems) {
    const e = stack.pop()!;
    const v = e.v;
    if (Array.isArray(v)) {
      if (v.length > b.maxListEntries) {
        problems.push({ path: jsonPath(pathOf(e)), message: `a list of ${v.length.toLocaleString("en-US")} entries; at most ${b.maxListEntries.toLocaleString("en-US")} are read`, fix: "list each entry once; split what is really this large" });
        continue;
      }
      for (let i = v.length - 1; i >= 0; i--) if (v[i] !== null && typeof v[i] === "object") stack.push({ v: v[i], key: i, parent: e });
    } else if (v !== null && typeof v === "object") {
      const keys = Object.keys(v);
      if (keys.length > b.maxObjectKeys) {
        problems.push({ path: jsonPath(pathOf(e)), message: `an object of ${keys.length.toLocaleString("en-US")} keys; at most ${b.maxObjectKeys.toLocaleString("en-US")} are read`, fix: "keep the keys the file needs" });
        continue;
      }
      for (let i = keys.length - 1; i >= 0; i--) {
        const child = (v as Record<string, unknown>)[keys[i]];
        if (child !== null && typeof child === "object") stack.push({ v: child, key: keys[i], parent: e });
      }
    }
  }
  return problems;
}
