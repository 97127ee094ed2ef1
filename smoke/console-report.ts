import type { CheckResult, Summary } from "./check-result";

// Columns of the row printed as each check completes. Fixed widths: rows appear before the longest one is known.
const WIDTH = { region: 15, check: 56, result: 28, latency: 9, tokens: 9 } as const;

export function headerLine(): string {
  return [pad("REGION", WIDTH.region), pad("CHECK", WIDTH.check), pad("RESULT", WIDTH.result), padStart("LATENCY", WIDTH.latency), padStart("TOKENS", WIDTH.tokens), " HINT"].join("");
}

/** `us-east-1  converse us.anthropic...  PASS  412 ms  8/16  "pong pong"` */
export function rowLine(r: CheckResult): string {
  const result = r.verdict === "PASS" ? "PASS" : `${r.verdict} ${r.outcome}`;
  const latency = r.latencyMs !== undefined ? `${Math.round(r.latencyMs)} ms` : "-";
  const tokens = r.tokens ? `${r.tokens.input}/${r.tokens.output}` : "-";
  const attempts = r.attempts && r.attempts.length > 1 ? ` (${r.attempts.length} attempts)` : "";
  return [pad(r.region, WIDTH.region), pad(`${r.kind} ${r.subject}`, WIDTH.check), pad(result + attempts, WIDTH.result), padStart(latency, WIDTH.latency), padStart(tokens, WIDTH.tokens), ` ${r.hint}`].join("");
}

/** Summary lines: verdict counts, then failure/warning categories. */
export function summaryLines(s: Summary, wallMs: number): string[] {
  const lines = [`${s.total} checks in ${(wallMs / 1000).toFixed(1)} s: ${s.byVerdict.PASS} passed, ${s.byVerdict.FAIL} failed, ${s.byVerdict.WARN} warnings`];
  const cats = Object.entries(s.byCategory).sort(([a], [b]) => a.localeCompare(b));
  if (cats.length) lines.push(`by category: ${cats.map(([c, n]) => `${c} ${n}`).join(", ")}`);
  return lines;
}

/** Pads to the column; a longer value pushes the rest of the row right rather than losing its end. */
function pad(s: string, width: number): string {
  return `${s.padEnd(width - 1)} `;
}

function padStart(s: string, width: number): string {
  return s.padStart(width - 1).padEnd(width);
}
