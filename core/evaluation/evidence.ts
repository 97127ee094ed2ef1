import { displayText } from "../problems";
import type { CheckedReport } from "./report";

/*
 * Whether an evaluation report is the evidence an upgrade needs: a passing report for this environment, region, task
 * and candidate, made with the golden set as it is now, recent enough. The toggle calls this before a canary or a
 * promotion; a refusal is one line that names the command producing the evidence.
 */

/** Days a passing report stays valid evidence when the environment sets nothing else. */
export const DEFAULT_EVIDENCE_MAX_AGE_DAYS = 7;
/** A report dated this far after `now` is refused (clock skew between machines is allowed for). */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

/** What the upgrade is, and the golden set and clock as they are now. */
export interface EvidenceRequest {
  readonly environment: string;
  readonly region: string;
  readonly task: string;
  /** Foundation-model ID of the model to canary or promote. */
  readonly candidate: string;
  /** SHA-256 (hex) of the task's golden set file as it is now. */
  readonly goldenSha256: string;
  readonly now: Date;
  /** Default: DEFAULT_EVIDENCE_MAX_AGE_DAYS. */
  readonly maxAgeDays?: number;
}

export type EvidenceVerdict = { readonly valid: true } | { readonly valid: false; readonly reason: string };

/** The command that produces the evidence for `r`. */
export function evalCommand(r: Pick<EvidenceRequest, "environment" | "region" | "task" | "candidate">): string {
  return `npm run eval -- --env ${r.environment} --region ${r.region} --task ${r.task} --candidate ${r.candidate}`;
}

const shown = (s: string) => displayText(s, 120);

/**
 * Judges a report (already checked by parseEvalReport; undefined when there is none) against the request: valid, or
 * the first reason it is not, naming the command to run.
 */
export function evaluateEvidence(report: CheckedReport | undefined, req: EvidenceRequest): EvidenceVerdict {
  const run = `run ${evalCommand(req)}`;
  const no = (why: string): EvidenceVerdict => ({ valid: false, reason: `${why}: ${run}` });
  const subject = `${req.environment}/${req.region} ${req.task} with ${req.candidate}`;
  if (!report) return no(`no evaluation report for ${subject}`);
  const mismatch = (["environment", "region", "task"] as const).find((k) => report[k] !== req[k]);
  if (mismatch) return no(`the evaluation report is for ${mismatch} ${shown(report[mismatch])}, not ${shown(req[mismatch])}`);
  if (report.candidate.modelId !== req.candidate) return no(`the evaluation report is for candidate ${shown(report.candidate.modelId)}, not ${shown(req.candidate)}`);
  if (report.verdict !== "pass") return no(`the evaluation of ${subject} did not pass (verdict ${report.verdict}); fix what its report names, then`);
  if (report.goldenSet.sha256 !== req.goldenSha256)
    return no(`the golden set changed since the evaluation (report sha256 ${report.goldenSet.sha256.slice(0, 12)}…, now ${req.goldenSha256.slice(0, 12)}…)`);
  const finished = Date.parse(report.finishedAt);
  const ageMs = req.now.getTime() - finished;
  if (ageMs < -FUTURE_TOLERANCE_MS) return no(`the evaluation report is dated ${report.finishedAt}, after now (${req.now.toISOString()}); check the clocks`);
  const maxAgeDays = req.maxAgeDays ?? DEFAULT_EVIDENCE_MAX_AGE_DAYS;
  if (ageMs > maxAgeDays * 86_400_000) return no(`the evaluation report is ${Math.floor(ageMs / 86_400_000)} days old (finished ${report.finishedAt}; at most ${maxAgeDays})`);
  return { valid: true };
}
