import { armRows, checkCounts, type EvalReport, type GoldenSet, JUDGE_PROMPT_VERSION, type RunPlan, type Sample } from "../core/evaluation";
import { displayText, plural } from "../core/problems";
import type { EvalTarget } from "./eval-target";
import type { SampleText } from "./eval-run";

// What `npm run eval` prints. Cases and checks by name; prompt and answer text only with --show-text, shortened.

const n = (x: number) => x.toLocaleString("en-US");

export function headerLine(t: EvalTarget, endpoints: string): string {
  return `eval ${t.env.plan.config.name}/${t.env.region} ${t.task}: baseline ${t.baseline.modelId} vs candidate ${t.candidate.modelId}, against ${endpoints}`;
}

/** The route's request shape as sent. */
export function shapeLine(t: EvalTarget): string {
  const s = t.shape;
  const parts = [`maxTokens ${s.maxTokens}`, s.temperature === undefined ? "temperature: the model's" : `temperature ${s.temperature}`, `tier ${s.serviceTier ?? "none"}`, `guardrail ${s.guardrail ? `${s.guardrail.name} v${s.guardrail.version}` : "none"}`];
  return `route ${t.task} as deployed: ${parts.join(", ")}`;
}

export function goldenLine(file: string, sha256: string, set: GoldenSet, t: EvalTarget): string {
  const c = checkCounts(set);
  const judged = c.judged ? `, ${c.judged} judged by ${[...t.judges.keys()].join(", ")} (prompt ${JUDGE_PROMPT_VERSION})` : "";
  return `golden set ${file}: ${plural(set.cases.length, "case")}, ${plural(c.total, "check")} (${c.hard} hard${judged}), sha256 ${sha256.slice(0, 12)}`;
}

export function planLines(plan: RunPlan, automatic: boolean, minimumPairs: number, cases: number, maxCalls: number): string[] {
  const c = plan.calls;
  const cost = plan.costUsdAtMost === undefined ? "cost unknown (a model has no catalog price)" : `at most ~$${plan.costUsdAtMost.toFixed(2)} at catalog prices`;
  const why = automatic ? ` (automatic: the fewest with which ${plural(cases, "case")} can show non-inferiority; --repeat to set)` : "";
  const lines = [
    `plan: repeat ${plan.repeat}${why}; ${n(c.total)} calls (${n(c.baseline)} baseline, ${n(c.candidate)} candidate, ${n(c.judge)} judge) of --max-calls ${n(maxCalls)}`,
    `plan: about ${n(plan.tokens.input)} input tokens and at most ${n(plan.tokens.output)} output tokens; ${cost}`,
  ];
  const pairs = cases * plan.repeat;
  if (pairs < minimumPairs) lines.push(`warning: ${n(pairs)} pairs cannot show non-inferiority at this margin even if the models agree on every sample (it takes ${n(minimumPairs)}): raise --repeat or --margin, or add cases`);
  return lines;
}

/** `[12/96] candidate refund-policy #2: PASS 812 ms` */
export function progressLine(s: Sample, done: number, total: number): string {
  const head = `[${done}/${total}] ${s.arm.padEnd(9)} ${s.caseId} #${s.repeat}:`;
  const latency = s.latencyMs === undefined ? "" : ` ${n(s.latencyMs)} ms`;
  if (s.inconclusive) return `${head} NOT MEASURED ${displayText(s.inconclusive, 160)}`;
  if (s.passed) return `${head} PASS${latency}${s.outcome === "refused" ? ` (declined: ${s.stopReason})` : ""}`;
  const failed = s.checks.filter((c) => !c.passed).map((c) => `${c.label}${c.hard ? " [hard]" : ""}`);
  return `${head} FAIL${latency} ${displayText(failed.join("; "), 240)}`;
}

/** Prompt and answer excerpts of a failing sample (--show-text only). */
export function textLines(text: SampleText): string[] {
  return [`    prompt: ${displayText(text.prompt.replace(/\s+/g, " "), 300)}`, ...(text.answer === undefined ? [] : [`    answer: ${displayText(text.answer.replace(/\s+/g, " "), 600)}`])];
}

/** The figures side by side, as an aligned table. */
export function tableLines(r: EvalReport): string[] {
  const rows: Array<[string, string, string]> = [["", "baseline", "candidate"], ...armRows(r.arms.baseline, r.arms.candidate)];
  const w0 = Math.max(...rows.map((x) => x[0].length));
  const w1 = Math.max(...rows.map((x) => x[1].length));
  return rows.map(([k, b, c]) => `${k.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`);
}
