import type { Classification, ErrorCategory, RouteQuotaFigures } from "../core/runtime";
import type { AttemptRecord } from "../cli/retry";
import type { DailyQuotaReport } from "./daily-quota-check";

/** What a check looked at. */
export type CheckKind = "credentials" | "deployment" | "routing" | "converse" | "stream" | "quota" | "constraints";

export type Verdict = "PASS" | "FAIL" | "WARN";

/**
 * Bedrock error classes plus what smoke itself finds wrong: `refusal` (the model declined the probe) and `catalog` (the
 * live model contradicts, or settles, a request constraint of the catalog).
 */
export type Category = ErrorCategory | "deadline" | "deployment" | "routing-document" | "quota" | "refusal" | "catalog";

/** One attempt of a retried call, for the JSON report (cli/retry.ts, shared with eval). */
export type { AttemptRecord } from "../cli/retry";

export interface TokenUsage {
  readonly input: number;
  readonly output: number;
  readonly total: number;
}

/** Quota figures for one route on one model. */
export interface QuotaReport {
  readonly task: string;
  readonly modelId: string;
  readonly invokeId: string;
  readonly quotaCode?: string;
  readonly quotaName?: string;
  /** Where the value came from. */
  readonly source?: "GetServiceQuota" | "ListServiceQuotas";
  readonly maxTokens: number;
  readonly inputTokensEstimate: number;
  readonly outputBurndown: number;
  /** Absent when the quota was not found. */
  readonly figures?: RouteQuotaFigures;
}

/** One row of the report. */
export interface CheckResult {
  readonly region: string;
  readonly kind: CheckKind;
  /** Route and/or model the check is about, e.g. `us.anthropic.claude-haiku-4-5-20251001-v1:0`. */
  readonly subject: string;
  readonly verdict: Verdict;
  /** `ok`, `drift`, `throttled`, `marketplace-pending`, `deadline`, or the classification cause. */
  readonly outcome: string;
  readonly category?: Category;
  readonly errorName?: string;
  /** The error message as received (at most 300 characters; error messages carry no prompt or reply text). */
  readonly message?: string;
  /** What to do (failures, warnings) or what was seen (passes). */
  readonly hint: string;
  /** Whole check including retries and waits, ms. */
  readonly durationMs: number;
  /** Latency of the successful (or last) call, ms. */
  readonly latencyMs?: number;
  readonly attempts?: readonly AttemptRecord[];
  readonly tokens?: TokenUsage;
  /** maxTokens sent. */
  readonly maxTokens?: number;
  readonly stopReason?: string;
  /** ConverseStream: ms from the request to the first contentBlockDelta. */
  readonly timeToFirstTokenMs?: number;
  /** Probes of tiered routes: the tier that served the probe (the response's echo, else the tier requested). */
  readonly serviceTier?: string;
  /** Probes of guarded routes: the guardrail's name, and whether it intervened (a pass: the guardrail works). */
  readonly guardrail?: string;
  readonly guardrailIntervened?: boolean;
  readonly quota?: QuotaReport;
  /** A daily token quota row: the model's tokens per day, or the region's cross-model tokens per day. */
  readonly dailyQuota?: DailyQuotaReport;
  /** Routing check: JSON paths where the deployed document differs from the synthesized one. */
  readonly drift?: readonly string[];
  /** Deployment check: the latest deployment of the routing profile. */
  readonly deployment?: { readonly number: number; readonly state: string; readonly configurationVersion?: string; readonly reason?: string };
}

/**
 * The outcome a failure is reported under: Marketplace and throttling get their own names, because each has its own fix
 * (docs/operations.md, "Incidents").
 */
export function outcomeOf(c: Pick<Classification, "category" | "cause">): string {
  if (c.category === "marketplace-pending") return "marketplace-pending";
  if (c.cause === "throttled" || c.cause === "daily-quota-exhausted") return "throttled";
  return c.cause;
}

/** A row as a check returns it; the runner adds the duration. */
export type CheckRow = Omit<CheckResult, "durationMs">;

/** Where a row belongs. */
export type RowBase = Pick<CheckResult, "region" | "kind" | "subject">;

/** A FAIL row for a classified error. */
export function failedRow(base: RowBase, c: Pick<Classification, "category" | "cause" | "errorName" | "hint">, extra: Partial<CheckRow> = {}): CheckRow {
  return { ...base, verdict: "FAIL", outcome: outcomeOf(c), category: c.category, errorName: c.errorName, hint: c.hint, ...extra };
}

/** Verdict counts and failure/warning counts by category. */
export interface Summary {
  readonly total: number;
  readonly byVerdict: Readonly<Record<Verdict, number>>;
  /** Categories of FAIL and WARN rows. */
  readonly byCategory: Readonly<Record<string, number>>;
}

export function summarize(results: readonly CheckResult[]): Summary {
  const byVerdict: Record<Verdict, number> = { PASS: 0, FAIL: 0, WARN: 0 };
  const byCategory: Record<string, number> = {};
  for (const r of results) {
    byVerdict[r.verdict] += 1;
    if (r.verdict !== "PASS") byCategory[r.category ?? "other"] = (byCategory[r.category ?? "other"] ?? 0) + 1;
  }
  return { total: results.length, byVerdict, byCategory };
}

/** 0 when nothing failed (warnings included), 1 otherwise. */
export function exitCodeOf(results: readonly CheckResult[]): 0 | 1 {
  return results.some((r) => r.verdict === "FAIL") ? 1 : 0;
}

const KIND_ORDER: readonly CheckKind[] = ["credentials", "deployment", "routing", "converse", "stream", "constraints", "quota"];

/** Stable report order: by region (as given), then kind, then subject. */
export function sortResults(results: readonly CheckResult[], regions: readonly string[]): CheckResult[] {
  const regionIndex = (r: string) => {
    const i = regions.indexOf(r);
    return i < 0 ? regions.length : i;
  };
  return [...results].sort(
    (a, b) => regionIndex(a.region) - regionIndex(b.region) || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.subject.localeCompare(b.subject),
  );
}
