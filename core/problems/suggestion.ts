/**
 * Edit distance counting insertions, deletions, substitutions and swaps of two neighbouring characters (optimal string
 * alignment): a swap is the commonest typo ("emial"), and as two substitutions it kept short keys out of reach.
 */
export function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) next[j] = Math.min(next[j], before[j - 2] + 1);
    }
    before = row;
    row = next;
  }
  return row[b.length];
}

/**
 * The candidates closest to a mistyped `value`, nearest first, for "did you mean" fixes. Only the first 64 characters
 * of `value` are compared (a huge input costs nothing); candidates further than `maxDistance` are left out.
 */
export function closest(value: string, candidates: Iterable<string>, options: { max?: number; maxDistance?: number } = {}): string[] {
  const probe = value.slice(0, 64).toLowerCase();
  const maxDistance = options.maxDistance ?? Math.max(2, Math.floor(probe.length / 3));
  return [...candidates]
    .map((c) => ({ c, d: editDistance(probe, c.toLowerCase()) }))
    .filter((x) => x.d <= maxDistance)
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .slice(0, options.max ?? 3)
    .map((x) => x.c);
}
