import { randomUUID } from "node:crypto";
import { OUTCOME_REPORT } from "../core/runtime";
import type { Variant } from "./canary-split";
import type { EmfRecord } from "./metrics";
import { callerClassification } from "./request-check";
import { RoutingError } from "./routing-error";

/*
 * Quality during a canary's bake: the application reports how a routed call went for it (did the answer do the job,
 * and optionally a score), tied to the call's result by an opaque handle, and the router emits it as EMF: `TaskSuccess`
 * (1 or 0: Average is the success rate, SampleCount the reports) and `QualityScore` (0-1), with the dimensions Task,
 * Model and Variant (core/runtime/routing-metrics.ts OUTCOME_REPORT). The canary-quality alarm compares the canary's
 * success rate with the primary's on these (core/observability/quality-alarms.ts). A handle carries the task, the serving model, the variant and a call ID:
 * never prompt or answer text.
 */

/** How the call went, as the application judges it. */
export interface CallOutcome {
  /** The answer did what the application needed (a click, a passed validation, a resolved ticket). */
  readonly success: boolean;
  /** A quality score from 0 (worst) to 1 (best); default none. */
  readonly score?: number;
}

/** What a handle names. */
export interface OutcomeSubject {
  readonly task: string;
  readonly model: string;
  readonly variant: Variant;
  /** Unique per call: a second report of the same call is refused. */
  readonly id: string;
}

const SUCCESS = OUTCOME_REPORT.success;
const SCORE = OUTCOME_REPORT.score;
/** Longest handle read (a task name of the routing document is at most a few hundred characters). */
const MAX_HANDLE = 2048;

/** The handle of one call's result. */
export function outcomeHandle(task: string, model: string, variant: Variant): string {
  return Buffer.from(JSON.stringify({ v: 1, t: task, m: model, r: variant, id: randomUUID() })).toString("base64url");
}

/** What a handle names, or why it is not one of this router's handles. */
export function readOutcomeHandle(handle: unknown): OutcomeSubject | string {
  if (typeof handle !== "string" || handle === "" || handle.length > MAX_HANDLE) return "not a result's outcomeHandle (pass the RoutedResult or its outcomeHandle)";
  try {
    const o = JSON.parse(Buffer.from(handle, "base64url").toString("utf8")) as Record<string, unknown>;
    if (o.v === 1 && typeof o.t === "string" && typeof o.m === "string" && (o.r === "primary" || o.r === "canary") && typeof o.id === "string") return { task: o.t, model: o.m, variant: o.r, id: o.id };
  } catch {
    // Not base64url JSON: said below.
  }
  return "not a result's outcomeHandle (pass the RoutedResult or its outcomeHandle)";
}

/** Problems of a reported outcome; empty when it is well-formed. */
export function outcomeProblems(outcome: unknown): string[] {
  if (typeof outcome !== "object" || outcome === null) return ["the outcome must be an object { success, score? }"];
  const o = outcome as Record<string, unknown>;
  const out: string[] = [];
  if (typeof o.success !== "boolean") out.push("success: must be true or false");
  if (o.score !== undefined && !(typeof o.score === "number" && Number.isFinite(o.score) && o.score >= 0 && o.score <= 1)) out.push("score: must be a number from 0 to 1");
  const extra = Object.keys(o).filter((k) => k !== "success" && k !== "score");
  if (extra.length) out.push(`unknown fields ${extra.slice(0, 3).join(", ")}: an outcome carries success and score only (never text)`);
  return out;
}

/** The EMF record of one reported outcome. */
export function outcomeRecord(namespace: string, subject: OutcomeSubject, outcome: CallOutcome, timestamp: number): EmfRecord {
  const metrics = [{ Name: SUCCESS, Unit: OUTCOME_REPORT.units[SUCCESS] }, ...(outcome.score === undefined ? [] : [{ Name: SCORE, Unit: OUTCOME_REPORT.units[SCORE] }])];
  return {
    _aws: { Timestamp: timestamp, CloudWatchMetrics: [{ Namespace: namespace, Dimensions: OUTCOME_REPORT.dimensions, Metrics: metrics }] },
    Task: subject.task,
    Model: subject.model,
    Variant: subject.variant,
    [SUCCESS]: outcome.success ? 1 : 0,
    ...(outcome.score === undefined ? {} : { [SCORE]: outcome.score }),
  };
}

/** Call IDs already reported, the oldest forgotten first: a repeated report is refused, memory stays bounded. */
export class ReportedCalls {
  private readonly ids = new Set<string>();

  constructor(private readonly max = 10_000) {}

  /**
   * The call `result` (a routed result or its outcomeHandle) names, once `outcome` is valid and the call was not
   * reported before; a caller-mistake RoutingError naming every problem otherwise.
   */
  accept(result: unknown, outcome: unknown): OutcomeSubject {
    const subject = readOutcomeHandle(typeof result === "string" ? result : (result as { outcomeHandle?: unknown } | null)?.outcomeHandle);
    const problems = [...(typeof subject === "string" ? [subject] : []), ...outcomeProblems(outcome)];
    if (typeof subject !== "string" && problems.length === 0 && !this.add(subject.id)) problems.push("this call's outcome was reported already: report each call once");
    if (problems.length || typeof subject === "string")
      throw new RoutingError(`reportOutcome: ${problems.join("; ")}`, callerClassification("invalid-outcome", "pass a routed call's result (or its outcomeHandle) and { success: boolean, score?: 0..1 }, once per call"), { task: typeof subject === "string" ? "(none)" : subject.task, attempts: 0, routerCause: "invalid-request" });
    return subject;
  }

  /** False when `id` was reported already (and is still remembered). */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.max) this.ids.delete(this.ids.values().next().value as string);
    return true;
  }
}
