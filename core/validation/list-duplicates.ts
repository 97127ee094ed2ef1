import { jsonPath, type Problem, quote } from "../problems";

/** Entries of `list` equal (by `key`) to an earlier one: a problem at each later index. */
export function duplicates(list: readonly unknown[] | undefined, at: readonly PropertyKey[], what: string, key: (v: string) => string = (v) => v, explain = ""): Problem[] {
  const seen = new Map<string, number>();
  const out: Problem[] = [];
  (list ?? []).forEach((v, i) => {
    if (typeof v !== "string") return;
    const k = key(v);
    const first = seen.get(k);
    if (first === undefined) seen.set(k, i);
    else
      out.push({
        path: jsonPath([...at, i]),
        message: list![first] === v ? `${what} ${quote(v)} is listed twice (first at [${first}])` : `${quote(v)} is the same ${what} as [${first}] ${quote(list![first])}${explain}`,
        fix: "list it once",
      });
  });
  return out;
}
