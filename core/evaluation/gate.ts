import { type ModelPrice, callCostUsd } from "./cost";
import { type Arm, hardFailures, type Sample } from "./sample";
import { type DifferenceInterval, minimumPairs, nonInferior, type PairedCounts, percentile, tangoInterval, Z_95 } from "./statistics";

/*
 * The gate: (1) every hard check of the candidate passes on every sample; (2) the candidate's pass rate is not worse
 * than the baseline's by the margin or more, by the paired score interval (core/evaluation/statistics.ts); (3) every
 * sample was measured. Refusal rates, latency, tokens and cost are reported side by side and do not decide.
 */

/** Default non-inferiority margin: 5 percentage points. */
export const DEFAULT_MARGIN = 0.05;
/** Confidence of the interval the gate reads (two-sided; its lower limit is a one-sided test at 2.5%). */
export const GATE_CONFIDENCE = 0.95;
/** The interval the gate uses, as reports name it. */
export const GATE_TEST = "Tango asymptotic score interval for the difference of paired proportions (two-sided 95%)";

export type Verdict = "pass" | "fail" | "inconclusive";

/** What one model did over the run. */
export interface ArmSummary {
  readonly samples: number;
  /** Samples that count (not inconclusive). */
  readonly measured: number;
  readonly passed: number;
  /** passed / measured; undefined with nothing measured. */
  readonly passRate?: number;
  readonly refusals: number;
  readonly refusalRate?: number;
  /** Calls that failed after their retries. */
  readonly errors: number;
  readonly latencyMs: { readonly p50?: number; readonly p90?: number };
  /** Mean per answered sample. */
  readonly inputTokensPerCase?: number;
  readonly outputTokensPerCase?: number;
  /** Mean estimated USD per answered sample at the catalog's price; undefined when the catalog has no price. */
  readonly costUsdPerCase?: number;
}

/** A failed hard check of the candidate. */
export interface HardFailure {
  readonly caseId: string;
  readonly repeat: number;
  readonly check: string;
  readonly reason?: string;
}

/** The non-inferiority part of the gate. */
export interface NonInferiority {
  readonly counts: PairedCounts;
  /** Undefined with no measured pairs. */
  readonly interval?: DifferenceInterval;
  readonly margin: number;
  readonly passed: boolean;
  /** Fewest pairs with which the test can pass at this margin (when every pair agrees). */
  readonly minimumPairs: number;
}

export interface GateResult {
  readonly verdict: Verdict;
  /** One line per reason the verdict is not "pass" (empty on pass). */
  readonly reasons: readonly string[];
  readonly hardFailures: readonly HardFailure[];
  readonly inconclusive: ReadonlyArray<{ readonly caseId: string; readonly repeat: number; readonly arm: Arm; readonly reason: string }>;
  readonly nonInferiority: NonInferiority;
  readonly arms: Readonly<Record<Arm, ArmSummary>>;
}

function mean(values: readonly number[]): number | undefined {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined;
}

/** Summary of one model's samples; `price` is the catalog's (undefined: cost unknown). */
export function summarizeArm(samples: readonly Sample[], price?: ModelPrice): ArmSummary {
  const measured = samples.filter((s) => s.passed !== undefined);
  const answered = samples.filter((s) => s.outcome !== "error" && s.usage);
  const passed = measured.filter((s) => s.passed).length;
  const refusals = samples.filter((s) => s.outcome === "refused").length;
  const latencies = answered.map((s) => s.latencyMs!).filter((x) => x !== undefined);
  const cost = price ? mean(answered.map((s) => callCostUsd(price, s.usage!))) : undefined;
  const inTokens = mean(answered.map((s) => s.usage!.inputTokens));
  const outTokens = mean(answered.map((s) => s.usage!.outputTokens));
  const p50 = percentile(latencies, 50);
  const p90 = percentile(latencies, 90);
  return {
    samples: samples.length,
    measured: measured.length,
    passed,
    ...(measured.length ? { passRate: passed / measured.length } : {}),
    refusals,
    ...(answered.length ? { refusalRate: refusals / answered.length } : {}),
    errors: samples.filter((s) => s.outcome === "error").length,
    latencyMs: { ...(p50 === undefined ? {} : { p50 }), ...(p90 === undefined ? {} : { p90 }) },
    ...(inTokens === undefined ? {} : { inputTokensPerCase: inTokens }),
    ...(outTokens === undefined ? {} : { outputTokensPerCase: outTokens }),
    ...(cost === undefined ? {} : { costUsdPerCase: cost }),
  };
}

/** Pairs in which both models were measured, and their disagreements. */
export function pairedCounts(samples: readonly Sample[]): PairedCounts {
  const key = (s: Sample) => `${s.caseId}\u0000${s.repeat}`;
  const baseline = new Map(samples.filter((s) => s.arm === "baseline" && s.passed !== undefined).map((s) => [key(s), s.passed!]));
  let pairs = 0;
  let candidateOnly = 0;
  let baselineOnly = 0;
  for (const s of samples) {
    if (s.arm !== "candidate" || s.passed === undefined || !baseline.has(key(s))) continue;
    const b = baseline.get(key(s))!;
    pairs += 1;
    if (s.passed && !b) candidateOnly += 1;
    if (!s.passed && b) baselineOnly += 1;
  }
  return { pairs, candidateOnly, baselineOnly };
}

const points = (x: number) => `${(x * 100).toFixed(1)} points`;

/** The gate's decision over a run's samples. */
export function decideGate(samples: readonly Sample[], options: { readonly margin?: number; readonly prices?: Partial<Record<Arm, ModelPrice>> } = {}): GateResult {
  const margin = options.margin ?? DEFAULT_MARGIN;
  const hard: HardFailure[] = samples
    .filter((s) => s.arm === "candidate")
    .flatMap((s) => hardFailures(s).map((r) => ({ caseId: s.caseId, repeat: s.repeat, check: r.label, ...(r.reason ? { reason: r.reason } : {}) })));
  const inconclusive = samples.flatMap((s) => (s.inconclusive ? [{ caseId: s.caseId, repeat: s.repeat, arm: s.arm, reason: s.inconclusive }] : []));
  const counts = pairedCounts(samples);
  const interval = tangoInterval(counts, Z_95);
  const needed = minimumPairs(margin, Z_95);
  const ni: NonInferiority = { counts, ...(interval ? { interval } : {}), margin, passed: interval !== undefined && nonInferior(interval, margin), minimumPairs: needed };

  const reasons: string[] = [];
  if (hard.length) reasons.push(`${hard.length} hard check${hard.length === 1 ? "" : "s"} of the candidate failed`);
  if (inconclusive.length) reasons.push(`${inconclusive.length} sample${inconclusive.length === 1 ? " was" : "s were"} not measured (see the inconclusive list); re-run when the cause is fixed`);
  if (!interval) reasons.push("no pair of samples was measured on both models");
  else if (!ni.passed) {
    const few = counts.pairs < needed ? `; with ${counts.pairs} pairs the test cannot pass at this margin even if every pair agrees (it needs ${needed}: raise --repeat or add cases)` : "";
    reasons.push(`pass rate difference ${points(interval.estimate)}, lower 95% limit ${points(interval.lower)} is not above -${points(margin)}${few}`);
  }
  // Hard failures decide against the candidate whatever else is missing; missing evidence never passes.
  const verdict = hard.length ? "fail" : inconclusive.length || !interval ? "inconclusive" : ni.passed ? "pass" : "fail";
  const arms = {
    baseline: summarizeArm(samples.filter((s) => s.arm === "baseline"), options.prices?.baseline),
    candidate: summarizeArm(samples.filter((s) => s.arm === "candidate"), options.prices?.candidate),
  };
  return { verdict, reasons, hardFailures: hard, inconclusive, nonInferiority: ni, arms };
}
