import { z } from "zod";
import { displayText, jsonPath } from "../problems";
import type { ModelPrice } from "./cost";
import { type ArmSummary, GATE_CONFIDENCE, GATE_TEST, type GateResult, type Verdict } from "./gate";
import { checkCounts, type GoldenSet } from "./golden-set";
import type { Arm, Sample } from "./sample";

/*
 * The evaluation report (reports/eval/<env>.<region>.<task>.<candidate>.json): what was compared, on which golden set
 * (its SHA-256), with which catalog, when, the verdict and every number behind it. It names cases and checks, never a
 * prompt or an answer. The toggle reads it as evidence (core/evaluation/evidence.ts), through reportSchema below.
 */

/** Current report format; bump when a reader must change. */
export const EVAL_REPORT_VERSION = 1;
/** `kind` of every evaluation report, so another JSON file is never taken for one. */
export const EVAL_REPORT_KIND = "bedrock-eval-report";

/** A model as the run called it. */
export interface ReportModel {
  readonly modelId: string;
  readonly invokeId: string;
  /** The catalog's price (undefined: none recorded). */
  readonly price?: ModelPrice;
}

/** One sample as the report keeps it: no text, the failed checks by label. */
export interface ReportSample {
  readonly repeat: number;
  readonly outcome: Sample["outcome"];
  readonly passed?: boolean;
  readonly inconclusive?: string;
  readonly stopReason?: string;
  readonly latencyMs?: number;
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  readonly failed: ReadonlyArray<{ readonly check: string; readonly hard: boolean; readonly reason?: string; readonly score?: number }>;
  readonly judgeScores?: readonly number[];
  readonly error?: Sample["error"];
}

export interface EvalReport {
  readonly reportVersion: typeof EVAL_REPORT_VERSION;
  readonly kind: typeof EVAL_REPORT_KIND;
  readonly environment: string;
  readonly region: string;
  readonly task: string;
  readonly baseline: ReportModel;
  readonly candidate: ReportModel;
  /** Judge models used and the judge prompt version; absent when the set has no judge checks. */
  readonly judge?: { readonly models: readonly string[]; readonly promptVersion: string };
  readonly goldenSet: { readonly file: string; readonly sha256: string; readonly cases: number; readonly checks: number; readonly hardChecks: number; readonly judgeChecks: number };
  /** Date the catalog snapshot read the region (catalog:sync); absent when the region is not in the snapshot. */
  readonly catalogSnapshotDate?: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly wallMs: number;
  /** What the requests carried (the route's shape) and how the run went. */
  readonly run: {
    readonly repeat: number;
    readonly concurrency: number;
    readonly maxTokens: number;
    readonly temperature?: number;
    readonly serviceTier?: string;
    readonly guardrail?: string;
    /** `AWS`, or the endpoint URL with credentials redacted. */
    readonly endpoint: string;
    readonly calls: { readonly planned: number; readonly made: number };
  };
  readonly verdict: Verdict;
  readonly gate: {
    readonly reasons: readonly string[];
    readonly test: string;
    readonly confidence: number;
    readonly margin: number;
    readonly pairs: number;
    readonly candidateOnly: number;
    readonly baselineOnly: number;
    readonly difference?: number;
    readonly lower?: number;
    readonly upper?: number;
    readonly minimumPairs: number;
    readonly nonInferior: boolean;
    readonly hardFailures: GateResult["hardFailures"];
    readonly inconclusive: GateResult["inconclusive"];
  };
  readonly arms: Readonly<Record<Arm, ArmSummary>>;
  readonly cases: ReadonlyArray<{ readonly id: string; readonly line: number; readonly hard: boolean; readonly samples: Readonly<Record<Arm, readonly ReportSample[]>> }>;
}

/** What the command knows besides the samples, to build a report. */
export interface ReportContext {
  readonly environment: string;
  readonly region: string;
  readonly task: string;
  readonly baseline: ReportModel;
  readonly candidate: ReportModel;
  readonly judgeModels: readonly string[];
  readonly judgePromptVersion: string;
  readonly goldenFile: string;
  readonly goldenSha256: string;
  readonly catalogSnapshotDate?: string;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly run: EvalReport["run"];
}

function reportSample(s: Sample): ReportSample {
  const scores = s.checks.filter((c) => c.score !== undefined).map((c) => c.score!);
  return {
    repeat: s.repeat,
    outcome: s.outcome,
    ...(s.passed === undefined ? {} : { passed: s.passed }),
    ...(s.inconclusive ? { inconclusive: s.inconclusive } : {}),
    ...(s.stopReason ? { stopReason: s.stopReason } : {}),
    ...(s.latencyMs === undefined ? {} : { latencyMs: s.latencyMs }),
    ...(s.usage ? { inputTokens: s.usage.inputTokens, outputTokens: s.usage.outputTokens } : {}),
    failed: s.checks.filter((c) => !c.passed).map((c) => ({ check: c.label, hard: c.hard, ...(c.reason ? { reason: c.reason } : {}), ...(c.score === undefined ? {} : { score: c.score }) })),
    ...(scores.length ? { judgeScores: scores } : {}),
    ...(s.error ? { error: s.error } : {}),
  };
}

/** The report of a finished run. */
export function buildReport(ctx: ReportContext, set: GoldenSet, samples: readonly Sample[], gate: GateResult): EvalReport {
  const counts = checkCounts(set);
  const ni = gate.nonInferiority;
  const of = (id: string, arm: Arm) => samples.filter((s) => s.caseId === id && s.arm === arm).sort((a, b) => a.repeat - b.repeat).map(reportSample);
  return {
    reportVersion: EVAL_REPORT_VERSION,
    kind: EVAL_REPORT_KIND,
    environment: ctx.environment,
    region: ctx.region,
    task: ctx.task,
    baseline: ctx.baseline,
    candidate: ctx.candidate,
    ...(counts.judged ? { judge: { models: [...ctx.judgeModels], promptVersion: ctx.judgePromptVersion } } : {}),
    goldenSet: { file: ctx.goldenFile, sha256: ctx.goldenSha256, cases: set.cases.length, checks: counts.total, hardChecks: counts.hard, judgeChecks: counts.judged },
    ...(ctx.catalogSnapshotDate ? { catalogSnapshotDate: ctx.catalogSnapshotDate } : {}),
    startedAt: ctx.startedAt.toISOString(),
    finishedAt: ctx.finishedAt.toISOString(),
    wallMs: Math.max(0, ctx.finishedAt.getTime() - ctx.startedAt.getTime()),
    run: ctx.run,
    verdict: gate.verdict,
    gate: {
      reasons: gate.reasons,
      test: GATE_TEST,
      confidence: GATE_CONFIDENCE,
      margin: ni.margin,
      pairs: ni.counts.pairs,
      candidateOnly: ni.counts.candidateOnly,
      baselineOnly: ni.counts.baselineOnly,
      ...(ni.interval ? { difference: ni.interval.estimate, lower: ni.interval.lower, upper: ni.interval.upper } : {}),
      minimumPairs: ni.minimumPairs,
      nonInferior: ni.passed,
      hardFailures: gate.hardFailures,
      inconclusive: gate.inconclusive,
    },
    arms: gate.arms,
    cases: set.cases.map((c) => ({ id: c.id, line: c.line, hard: c.hard, samples: { baseline: of(c.id, "baseline"), candidate: of(c.id, "candidate") } })),
  };
}

/**
 * The fields a reader of a report relies on, checked at the boundary (a hand-edited or truncated file is refused with
 * one line, never half-read). Other fields are kept as they are.
 */
export const reportSchema = z.looseObject({
  reportVersion: z.literal(EVAL_REPORT_VERSION),
  kind: z.literal(EVAL_REPORT_KIND),
  environment: z.string().min(1),
  region: z.string().min(1),
  task: z.string().min(1),
  candidate: z.looseObject({ modelId: z.string().min(1) }),
  goldenSet: z.looseObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/, "must be a SHA-256 in hex") }),
  finishedAt: z.iso.datetime({ offset: true }),
  verdict: z.enum(["pass", "fail", "inconclusive"]),
});

/** A report as reportSchema checked it. */
export type CheckedReport = z.infer<typeof reportSchema>;

/** Parses a report's text; the report, or a one-line reason it is not a usable evaluation report. Never throws. */
export function parseEvalReport(text: string): CheckedReport | string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return `is not JSON (${displayText(e instanceof Error ? e.message : String(e), 120)})`;
  }
  const r = reportSchema.safeParse(raw);
  if (r.success) return r.data;
  const first = r.error.issues[0];
  return `is not an evaluation report of this version (${displayText(jsonPath(first.path), 80) || "(document)"}: ${displayText(first.message, 120)})`;
}

/** Default directory of the reports, relative to the working directory. */
export const DEFAULT_REPORT_DIR = "reports/eval";

/**
 * File name, without extension, of the reports of one comparison: `<env>.<region>.<task>.<candidate>` (`.json`, `.md`,
 * `.xml`), the candidate's `:` and other characters file systems dislike as `_`. A new run replaces the previous
 * reports of the same comparison: the latest evidence is the one that counts.
 */
export function reportBaseName(r: { readonly environment: string; readonly region: string; readonly task: string; readonly candidate: string }): string {
  return [r.environment, r.region, r.task, r.candidate.replace(/[^A-Za-z0-9.-]/g, "_")].join(".");
}
