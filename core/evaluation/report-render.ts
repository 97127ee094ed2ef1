import { xmlEscape } from "../problems";
import type { ArmSummary } from "./gate";
import type { EvalReport, ReportSample } from "./report";

/*
 * The report for people: a Markdown summary fit for a pull-request comment, and JUnit XML for CI test views. Both are
 * rendered from the JSON report, so they say nothing it does not; neither carries prompt or answer text.
 */

const pct = (x: number | undefined) => (x === undefined ? "n/a" : `${(x * 100).toFixed(1)}%`);
const pts = (x: number | undefined) => (x === undefined ? "n/a" : `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}`);
const ms = (x: number | undefined) => (x === undefined ? "n/a" : `${Math.round(x).toLocaleString("en-US")} ms`);
const num = (x: number | undefined, digits = 0) => (x === undefined ? "n/a" : x.toLocaleString("en-US", { maximumFractionDigits: digits }));
const usd = (x: number | undefined) => (x === undefined ? "unknown (no catalog price)" : x === 0 ? "$0" : `$${x.toPrecision(3)}`);

/** Text inside a Markdown table cell or inline code: no pipes, backticks or line breaks. */
function cell(s: string): string {
  return s.replace(/[|`\r\n]/g, " ");
}

/** One row per figure, baseline and candidate side by side. */
export function armRows(b: ArmSummary, c: ArmSummary): Array<[string, string, string]> {
  return [
    ["pass rate", `${b.passed}/${b.measured} (${pct(b.passRate)})`, `${c.passed}/${c.measured} (${pct(c.passRate)})`],
    ["refusals", `${b.refusals} (${pct(b.refusalRate)})`, `${c.refusals} (${pct(c.refusalRate)})`],
    ["failed calls", String(b.errors), String(c.errors)],
    ["latency p50 / p90", `${ms(b.latencyMs.p50)} / ${ms(b.latencyMs.p90)}`, `${ms(c.latencyMs.p50)} / ${ms(c.latencyMs.p90)}`],
    ["input tokens per case", num(b.inputTokensPerCase), num(c.inputTokensPerCase)],
    ["output tokens per case", num(b.outputTokensPerCase), num(c.outputTokensPerCase)],
    ["estimated cost per case", usd(b.costUsdPerCase), usd(c.costUsdPerCase)],
  ];
}

/** The gate's three conditions, each with its numbers. */
export function gateLines(r: EvalReport): string[] {
  const g = r.gate;
  const hard = g.hardFailures.length
    ? `FAIL: ${g.hardFailures.length} hard check failure${g.hardFailures.length === 1 ? "" : "s"} of the candidate`
    : `PASS: every hard check of the candidate passed (${r.goldenSet.hardChecks} hard checks x ${r.run.repeat} repeats)`;
  const interval = g.difference === undefined ? "no measured pairs" : `difference ${pts(g.difference)} points, 95% interval [${pts(g.lower)}, ${pts(g.upper)}]`;
  const counts = `${g.pairs} pairs; baseline-only passes ${g.baselineOnly}, candidate-only passes ${g.candidateOnly}`;
  const needed = g.pairs < g.minimumPairs ? `; at least ${g.minimumPairs} pairs are needed to pass at this margin` : "";
  return [
    `hard checks: ${hard}`,
    `non-inferiority (margin ${(g.margin * 100).toFixed(1)} points): ${g.nonInferior ? "PASS" : "FAIL"}: ${interval} (${counts}${needed})`,
    `measured: ${g.inconclusive.length ? `INCONCLUSIVE: ${g.inconclusive.length} samples not measured` : "every sample"}`,
  ];
}

/** Failing candidate samples per case: `case-id #2: checks[1] regex (no match for the pattern)`. */
export function failingCaseLines(r: EvalReport, max = 20): string[] {
  const lines: string[] = [];
  for (const c of r.cases) {
    for (const s of c.samples.candidate) {
      if (s.passed !== false && !s.inconclusive) continue;
      const what = s.inconclusive ? `not measured: ${s.inconclusive}` : s.failed.map((f) => `${f.check}${f.hard ? " [hard]" : ""}${f.reason ? ` (${f.reason})` : ""}`).join("; ");
      lines.push(`${c.id} #${s.repeat}: ${what}`);
    }
  }
  return lines.length > max ? [...lines.slice(0, max), `... and ${lines.length - max} more (see the JSON report)`] : lines;
}

/** The Markdown summary. */
export function reportMarkdown(r: EvalReport): string {
  const verdict = r.verdict.toUpperCase();
  const out = [
    `### Model evaluation: \`${cell(r.task)}\` in ${cell(r.environment)}/${cell(r.region)}: ${verdict}`,
    "",
    `Candidate \`${cell(r.candidate.modelId)}\` against the route's baseline \`${cell(r.baseline.modelId)}\`, golden set \`${cell(r.goldenSet.file)}\` ` +
      `(${r.goldenSet.cases} cases x ${r.run.repeat} repeats, sha256 \`${r.goldenSet.sha256.slice(0, 12)}\`), catalog snapshot ${r.catalogSnapshotDate ?? "n/a"}, finished ${r.finishedAt}.`,
    "",
    "| | baseline | candidate |",
    "|---|---|---|",
    ...armRows(r.arms.baseline, r.arms.candidate).map(([k, b, c]) => `| ${k} | ${cell(b)} | ${cell(c)} |`),
    "",
    "**Gate**",
    "",
    ...gateLines(r).map((l) => `- ${cell(l)}`),
  ];
  const failing = failingCaseLines(r);
  if (failing.length) out.push("", "**Failing or unmeasured candidate samples**", "", ...failing.map((l) => `- ${cell(l)}`));
  if (r.gate.reasons.length) out.push("", "**Why not a pass**", "", ...r.gate.reasons.map((l) => `- ${cell(l)}`));
  const judge = r.judge ? `; judged by ${r.judge.models.map((m) => `\`${cell(m)}\``).join(", ")} with prompt ${r.judge.promptVersion}` : "";
  out.push("", `<sub>npm run eval; ${r.run.calls.made} calls; ${cell(r.gate.test)}${judge}.</sub>`, "");
  return out.join("\n");
}

const seconds = (msValue: number) => (msValue / 1000).toFixed(3);

function sampleFailure(s: ReportSample): string {
  return s.inconclusive ? `#${s.repeat} not measured: ${s.inconclusive}` : `#${s.repeat}: ${s.failed.map((f) => `${f.check}${f.reason ? ` (${f.reason})` : ""}`).join("; ")}`;
}

/** JUnit XML: the gate's three conditions and one test case per golden case (the candidate's samples). */
export function reportJunit(r: EvalReport): string {
  const name = `eval ${r.environment}/${r.region} ${r.task} ${r.candidate.modelId}`;
  const g = r.gate;
  const cases: Array<{ name: string; failure?: string }> = [
    { name: "gate: hard checks", ...(g.hardFailures.length ? { failure: g.hardFailures.map((h) => `${h.caseId} #${h.repeat} ${h.check}`).join("; ") } : {}) },
    { name: "gate: non-inferiority", ...(g.nonInferior ? {} : { failure: gateLines(r)[1] }) },
    { name: "gate: every sample measured", ...(g.inconclusive.length ? { failure: `${g.inconclusive.length} samples not measured` } : {}) },
    ...r.cases.map((c) => {
      const bad = c.samples.candidate.filter((s) => s.passed === false || s.inconclusive);
      return { name: `case ${c.id}`, ...(bad.length ? { failure: bad.map(sampleFailure).join("\n") } : {}) };
    }),
  ];
  const failures = cases.filter((c) => c.failure).length;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlEscape(name)}" tests="${cases.length}" failures="${failures}" errors="0" time="${seconds(r.wallMs)}">`,
    `  <testsuite name="${xmlEscape(name)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" time="${seconds(r.wallMs)}" timestamp="${xmlEscape(r.startedAt)}">`,
    "    <properties>",
    ...[
      ["baseline", r.baseline.modelId],
      ["candidate", r.candidate.modelId],
      ["verdict", r.verdict],
      ["goldenSetSha256", r.goldenSet.sha256],
    ].map(([k, v]) => `      <property name="${k}" value="${xmlEscape(v)}"/>`),
    "    </properties>",
  ];
  for (const c of cases) {
    const open = `    <testcase classname="${xmlEscape(`eval.${r.environment}.${r.region}.${r.task}`)}" name="${xmlEscape(c.name)}"`;
    if (!c.failure) lines.push(`${open}/>`);
    else lines.push(`${open}>`, `      <failure message="${xmlEscape(c.failure.split("\n")[0])}" type="eval">${xmlEscape(c.failure)}</failure>`, "    </testcase>");
  }
  lines.push("  </testsuite>", "</testsuites>", "");
  return lines.join("\n");
}
