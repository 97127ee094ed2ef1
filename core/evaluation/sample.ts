import { type Classification, isRefusal } from "../runtime";
import { applyCheck } from "./answer-checks";
import type { CheckType, GoldenCase } from "./golden-set";
import type { JudgeVerdict } from "./judge";

/*
 * One sample: one case answered once by one model (the baseline or the candidate), scored. A sample either counts
 * (passed or failed) or is inconclusive: the run could not measure it (throttled to the end, the operator's access,
 * the judge's failure), and then it counts for neither model: the gate never passes on missing evidence.
 */

/** The two models a run compares. */
export const ARMS = ["baseline", "candidate"] as const;
export type Arm = (typeof ARMS)[number];

/** One check on one sample. */
export interface CheckResult {
  readonly label: string;
  /** A check type, or `expect` for the case's expectation (an answer, or a refusal). */
  readonly type: CheckType | "expect";
  readonly hard: boolean;
  readonly passed: boolean;
  /** Why it failed (never answer text). */
  readonly reason?: string;
  /** Judge checks: the score given. */
  readonly score?: number;
}

/** Token counts of a call as the response reported them. */
export interface CallUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** What one answered call brought back (text is scored, never stored). */
export interface Reply {
  readonly text: string;
  readonly stopReason: string;
  readonly latencyMs: number;
  readonly usage: CallUsage;
}

/** A judge check's outcome: the verdict, or the failure of the judge's call. */
export type JudgeOutcome = JudgeVerdict | { readonly failed: Classification };

export interface Sample {
  readonly caseId: string;
  /** 1-based. */
  readonly repeat: number;
  readonly arm: Arm;
  readonly outcome: "answered" | "refused" | "error";
  /** Undefined when inconclusive. */
  readonly passed?: boolean;
  /** Why the sample cannot count; absent when it counts. */
  readonly inconclusive?: string;
  readonly checks: readonly CheckResult[];
  readonly stopReason?: string;
  readonly latencyMs?: number;
  readonly usage?: CallUsage;
  /** The call's failure (outcome "error"). */
  readonly error?: { readonly category: string; readonly cause: string; readonly errorName?: string };
}

/**
 * Call failures that say something about the candidate: the request the route sends is refused for this model
 * (validation, a legacy or unknown model), the model errs, or its answer is not one. Capacity (throttled to the end),
 * access (the operator's credentials) and Marketplace subscription failures say nothing about quality.
 */
function countsAgainstCandidate(c: Classification): boolean {
  return c.category === "configuration" || c.category === "model";
}

/** The sample of a call that failed after its retries. */
export function failedSample(c: GoldenCase, arm: Arm, repeat: number, failure: Classification): Sample {
  const error = { category: failure.category, cause: failure.cause, ...(failure.errorName ? { errorName: failure.errorName } : {}) };
  const base = { caseId: c.id, repeat, arm, outcome: "error" as const, error };
  if (arm === "candidate" && countsAgainstCandidate(failure)) {
    const reason = `no answer (${failure.cause})`;
    return { ...base, passed: false, checks: [expectResult(c, false, reason), ...c.checks.map((k) => ({ label: k.label, type: k.type, hard: k.hard, passed: false, reason }))] };
  }
  return { ...base, checks: [], inconclusive: `${arm} call failed: ${failure.cause} (${failure.category})` };
}

function expectResult(c: GoldenCase, passed: boolean, reason?: string): CheckResult {
  return { label: `expect ${c.expect}`, type: "expect", hard: c.hard, passed, ...(passed || !reason ? {} : { reason }) };
}

/**
 * Scores an answered call: every check on the answer's text, judge checks from `judged` (by index in the case's
 * checks), and the case's expectation (an answer, not a refusal; or a refusal when the case expects one). The sample
 * passes when all of them pass.
 */
export function answeredSample(c: GoldenCase, arm: Arm, repeat: number, reply: Reply, judged: ReadonlyMap<number, JudgeOutcome> = new Map()): Sample {
  const refused = isRefusal(reply.stopReason);
  const expectation = c.expect === "refusal" ? expectResult(c, refused, "the model answered") : expectResult(c, !refused, `the model declined (${reply.stopReason})`);
  const results: CheckResult[] = [expectation];
  let inconclusive: string | undefined;
  c.checks.forEach((check, i) => {
    const base = { label: check.label, type: check.type, hard: check.hard };
    if (check.type !== "judge") {
      const o = applyCheck(check, reply.text);
      results.push({ ...base, passed: o.passed, ...(o.reason ? { reason: o.reason } : {}) });
      return;
    }
    const j = judged.get(i);
    if (!j) inconclusive ??= `${check.label} was not judged`;
    else if ("failed" in j) inconclusive ??= `${check.label}: the judge's call failed: ${j.failed.cause} (${j.failed.category})`;
    else if ("unreadable" in j) inconclusive ??= `${check.label}: ${j.unreadable}`;
    else results.push({ ...base, passed: j.score >= check.threshold, score: j.score, ...(j.score >= check.threshold ? {} : { reason: `scored ${j.score}, below ${check.threshold}` }) });
  });
  const common = { caseId: c.id, repeat, arm, outcome: refused ? ("refused" as const) : ("answered" as const), checks: results, stopReason: reply.stopReason, latencyMs: reply.latencyMs, usage: reply.usage };
  return inconclusive ? { ...common, inconclusive } : { ...common, passed: results.every((r) => r.passed) };
}

/** The failed hard checks of a sample. */
export function hardFailures(s: Sample): CheckResult[] {
  return s.checks.filter((r) => r.hard && !r.passed);
}
