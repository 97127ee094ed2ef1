/**
 * "Did you mean": the known names closest to a mistyped one, by edit distance (Levenshtein, case-insensitive).
 * Suggestions are offered only when they are plausibly the same word: at most a third of the longer name differs
 * (at least 2 edits allowed), so `cassification` suggests `classification` and `xyz` suggests nothing.
 */

/** Names longer than this are not compared (the distance is quadratic; nobody mistypes a 2,000-character ID). */
const MAX_COMPARED = 256;

/** Edit distance between `a` and `b`, or undefined once it exceeds `limit` (rows are cut off early). */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number | undefined {
  if (Math.abs(a.length - b.length) > limit) return undefined;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      row.push(v);
      if (v < best) best = v;
    }
    if (best > limit) return undefined;
    prev = row;
  }
  const d = prev[b.length];
  return d <= limit ? d : undefined;
}

/** Up to `max` of `candidates` closest to `input`, best first (ties in the candidates' order); [] when none is close. */
export function closestNames(input: string, candidates: Iterable<string>, max = 1): string[] {
  if (input.length === 0 || input.length > MAX_COMPARED) return [];
  const needle = input.toLowerCase();
  const scored: Array<{ name: string; d: number; i: number }> = [];
  let i = 0;
  for (const name of new Set(candidates)) {
    i++;
    if (name.length > MAX_COMPARED || name === input) continue;
    const limit = Math.max(2, Math.floor(Math.max(name.length, input.length) / 3));
    const d = editDistance(needle, name.toLowerCase(), limit);
    if (d !== undefined) scored.push({ name, d, i });
  }
  return scored.sort((a, b) => a.d - b.d || a.i - b.i).slice(0, max).map((s) => s.name);
}
