import { displayText, plural } from "../core/problems";
import type { CheckResult, Summary } from "./check-result";

/**
 * What smoke prints (stdout): one short progress line per finished check (in completion order, so a long run shows it
 * is alive), then the table sorted by region, check and subject (stdout), fitted to a terminal: no line is longer than
 * TERMINAL_WIDTH. Long subjects are shortened in the middle and passing hints cut; a failure's or warning's hint wraps
 * onto continuation lines (up to HINT_LINES). The JSON and JUnit reports keep every text in full.
 */

/** Columns every line fits in. */
export const TERMINAL_WIDTH = 160;
/** Most lines a failure's hint wraps onto. */
export const HINT_LINES = 6;
/** Narrower than this, the hint moves below its row. */
const MIN_HINT_WIDTH = 40;
const MAX = { region: 20, check: 72, result: 34 } as const;
const LATENCY = 9;
const TOKENS = 10;

/** Cut to `width`, keeping both ends of IDs (`us.anthropic.claude-…-v1:0`). */
function middle(s: string, width: number): string {
  if (s.length <= width) return s;
  const head = Math.ceil((width - 1) / 2);
  return `${s.slice(0, head)}…${s.slice(s.length - (width - 1 - head))}`;
}

function end(s: string, width: number): string {
  return s.length <= width ? s : `${s.slice(0, width - 1)}…`;
}

/** Word-wraps to `width` (hard-breaking words longer than it). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (let word of text.split(/ +/)) {
    while (word.length > width) {
      if (line) lines.push(line);
      lines.push(word.slice(0, width));
      word = word.slice(width);
      line = "";
    }
    if (!line) line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

function cells(r: CheckResult) {
  const attempts = r.attempts && r.attempts.length > 1 ? ` (${plural(r.attempts.length, "attempt")})` : "";
  return {
    region: displayText(r.region, MAX.region),
    check: displayText(`${r.kind} ${r.subject}`, 400),
    result: displayText(r.verdict === "PASS" ? `PASS${attempts}` : `${r.verdict} ${r.outcome}${attempts}`, 200),
    latency: r.latencyMs !== undefined ? `${Math.round(r.latencyMs)} ms` : "-",
    tokens: r.tokens ? `${r.tokens.input}/${r.tokens.output}` : "-",
    hint: displayText(r.hint, 4000),
  };
}

/** `[3] us-east-1 converse us.anthropic.claude-haiku-4-5-20251001-v1:0: PASS 412 ms` (stderr). */
export function progressLine(r: CheckResult, done: number): string {
  const c = cells(r);
  const latency = r.latencyMs !== undefined ? ` ${c.latency}` : "";
  return end(`[${done}] ${c.region} ${c.check}: ${c.result}${latency}`, TERMINAL_WIDTH);
}

/** The header and one or more lines per check, in the order given (callers sort first). */
export function tableLines(results: readonly CheckResult[], width = TERMINAL_WIDTH): string[] {
  const rows = results.map((r) => ({ r, c: cells(r) }));
  const w = {
    region: Math.max("REGION".length, ...rows.map(({ c }) => c.region.length)),
    check: Math.min(MAX.check, Math.max("CHECK".length, ...rows.map(({ c }) => c.check.length))),
    result: Math.min(MAX.result, Math.max("RESULT".length, ...rows.map(({ c }) => c.result.length))),
  };
  const prefix = (region: string, check: string, result: string, latency: string, tokens: string) =>
    `${region.padEnd(w.region)}  ${middle(check, w.check).padEnd(w.check)}  ${end(result, w.result).padEnd(w.result)}${latency.padStart(LATENCY)}${tokens.padStart(TOKENS)}  `;
  const prefixWidth = prefix("", "", "", "", "").length;
  const inline = width - prefixWidth >= MIN_HINT_WIDTH;
  const hintWidth = inline ? width - prefixWidth : width - 4;
  const indent = " ".repeat(inline ? prefixWidth : 4);

  const lines = [prefix("REGION", "CHECK", "RESULT", "LATENCY", "TOKENS") + "HINT"];
  for (const { r, c } of rows) {
    let hint = wrap(c.hint, hintWidth);
    if (r.verdict === "PASS") hint = hint.length > 1 ? [end(`${hint[0]} ${hint[1]}`, hintWidth)] : hint;
    else if (hint.length > HINT_LINES) hint = [...hint.slice(0, HINT_LINES - 1), end(`${hint[HINT_LINES - 1]} … (full text in --json / --junit)`, hintWidth)];
    const head = prefix(c.region, c.check, c.result, c.latency, c.tokens);
    if (inline) {
      lines.push(head + hint[0]);
      for (const more of hint.slice(1)) lines.push(indent + more);
    } else {
      lines.push(head.trimEnd());
      for (const h of hint) lines.push(indent + h);
    }
  }
  return lines.map((l) => l.trimEnd());
}

/** Summary lines: verdict counts, then failure/warning categories. */
export function summaryLines(s: Summary, wallMs: number): string[] {
  const lines = [`${plural(s.total, "check")} in ${(wallMs / 1000).toFixed(1)} s: ${s.byVerdict.PASS} passed, ${s.byVerdict.FAIL} failed, ${plural(s.byVerdict.WARN, "warning")}`];
  const cats = Object.entries(s.byCategory).sort(([a], [b]) => a.localeCompare(b));
  if (cats.length) lines.push(`by category: ${cats.map(([c, n]) => `${c} ${n}`).join(", ")}`);
  return lines;
}
