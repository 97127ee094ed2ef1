import { escapeControls, formatProblem, type Problem } from "./problem";

/*
 * A file with 100,000 copies of one mistake printed 99,999 lines: every problem is worth reading once, its copies are
 * not. Problems of one kind (same message and fix once the values, indices and numbers in them are set aside) are
 * printed up to a limit, then counted in one line; a file's lines are capped as a whole too.
 */

/** Bounds for `problemLines`. */
export interface ProblemLineLimits {
  /** Problems of one kind printed before the rest are counted. Default 10. */
  readonly perKind?: number;
  /** Problems of one file printed in all before the rest are counted. Default 200. */
  readonly perFile?: number;
}

export const DEFAULT_PROBLEM_LINE_LIMITS: Required<ProblemLineLimits> = { perKind: 10, perFile: 200 };

/** What stays the same between copies of one mistake: the message and fix with quoted values and numbers blanked. */
export function problemKind(p: Problem): string {
  const blank = (s: string) => s.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\d+/g, "0");
  return `${p.severity ?? "error"}|${blank(p.path)}|${blank(p.message)}|${blank(p.fix)}`;
}

/** `1 more problem`, `99,989 more problems`. */
function more(n: number, what = "problem"): string {
  return `${n.toLocaleString("en-US")} more ${what}${n === 1 ? "" : "s"}`;
}

/**
 * The lines to print for `problems` of `file`, in order, with copies of one kind and the file's total capped: the
 * problems left out are counted in one line per kind (naming the first left out) and one for the file.
 */
export function problemLines(file: string, problems: readonly Problem[], limits: ProblemLineLimits = {}): string[] {
  const perKind = limits.perKind ?? DEFAULT_PROBLEM_LINE_LIMITS.perKind;
  const perFile = limits.perFile ?? DEFAULT_PROBLEM_LINE_LIMITS.perFile;
  const lines: string[] = [];
  const shown = new Map<string, number>();
  const skipped = new Map<string, { count: number; first: Problem }>();
  let beyondFile = 0;
  for (const p of problems) {
    const kind = problemKind(p);
    const n = shown.get(kind) ?? 0;
    if (n >= perKind) {
      const s = skipped.get(kind);
      if (s) s.count++;
      else skipped.set(kind, { count: 1, first: p });
      continue;
    }
    if (lines.length >= perFile) {
      beyondFile++;
      continue;
    }
    shown.set(kind, n + 1);
    lines.push(formatProblem(file, p));
  }
  for (const { count, first } of skipped.values())
    lines.push(formatProblem(file, count === 1 ? first : { ...first, message: `${first.message} (and ${more(count - 1)} like it, not shown)` }));
  if (beyondFile) lines.push(escapeControls(`${file}: ${more(beyondFile)} not shown (the first ${perFile} are above): fix those and rerun`));
  return lines;
}
