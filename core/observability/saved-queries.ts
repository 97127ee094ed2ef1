import { names } from "../aws";
import type { BaselinePlan } from "../environment";
import { ROUTING_DIMENSIONS as D, ROUTING_LOG_FIELDS as F } from "../runtime";

/*
 * Saved CloudWatch Logs Insights queries over the routing client's EMF records, the log events themselves: one JSON
 * object per call with the fields core/runtime/routing-metrics.ts names (Logs Insights discovers JSON fields:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_AnalyzeLogData-discoverable-fields.html; syntax:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax.html). The records never hold prompt or
 * answer text, so neither can a query's result. Created in every region (saved queries are regional), in a folder
 * named for the environment, on the applications' log groups (`observability.clientLogGroups`); without them a query
 * asks for log groups when it is run.
 */

/** One saved query. */
export interface SavedQuerySpec {
  /** Construct ID (Terraform addresses follow it). */
  readonly id: string;
  /** `bedrock-<env>/<title>`: the console shows the part before "/" as a folder. */
  readonly name: string;
  /** What it answers, for docs and the console's description. */
  readonly question: string;
  readonly queryString: string;
  readonly logGroupNames: readonly string[];
}

/** The client's call records, and no other log events of the groups. */
const RECORDS = `filter ispresent(${D.task}) and ispresent(${D.outcome}) and ispresent(LatencyMs)`;
/** Calls that got an answer (core/runtime/routing-metrics.ts), written with the comparison and Boolean operators only. */
const ANSWERED = `(${D.outcome} = "success" or ${D.outcome} = "guardrail" or ${D.outcome} = "refused")`;

/** The queries: what each answers and its text (commands joined by "|"). */
export const SAVED_QUERIES: ReadonlyArray<Omit<SavedQuerySpec, "name" | "logGroupNames"> & { readonly title: string }> = [
  {
    id: "top-tokens",
    title: "Top tasks and workloads by tokens",
    question: "Which tasks and workloads (where the application names its workload) used the most tokens, in and out, in how many calls",
    queryString: [
      RECORDS,
      "fields coalesce(InputTokens, 0) + coalesce(OutputTokens, 0) as tokens",
      `stats sum(InputTokens) as inputTokens, sum(OutputTokens) as outputTokens, sum(tokens) as totalTokens, count(*) as calls by ${D.task}, ${F.workload}`,
      "sort totalTokens desc",
      "limit 50",
    ].join("\n| "),
  },
  {
    id: "fallback-failure-reasons",
    title: "Fallback and failure reasons per task",
    question: "Per task, why calls fell back (FallbackCause: the failed attempt's cause, or passed-over) and why calls failed (Cause), with the outcome",
    queryString: [
      RECORDS,
      `filter ${D.fellBack} = "true" or not ${ANSWERED}`,
      `fields coalesce(${F.cause}, ${F.fallbackCause}) as reason`,
      `stats count(*) as calls by ${D.task}, ${D.outcome}, ${D.fellBack}, reason`,
      "sort calls desc",
      "limit 100",
    ].join("\n| "),
  },
  {
    id: "slowest-by-model",
    title: "Slowest calls by model",
    question: "End-to-end latency of answered calls per model that served them (p50, p90, p99, slowest), with attempts per call",
    queryString: [
      RECORDS,
      `filter ${ANSWERED}`,
      `stats count(*) as calls, pct(LatencyMs, 50) as p50Ms, pct(LatencyMs, 90) as p90Ms, pct(LatencyMs, 99) as p99Ms, max(LatencyMs) as slowestMs, avg(Attempts) as attemptsPerCall by ${D.model}`,
      "sort p99Ms desc",
    ].join("\n| "),
  },
  {
    id: "calls-per-variant",
    title: "Calls per variant during a canary",
    question: "Per task, variant (primary or canary), model and outcome: calls, failures, fallbacks and p99 latency, to compare a canary with the primary during its bake",
    queryString: [
      RECORDS,
      `filter ispresent(${D.variant})`,
      `stats count(*) as calls, sum(Failures) as failed, sum(Fallbacks) as fellBack, pct(LatencyMs, 99) as p99Ms by ${D.task}, ${D.variant}, ${D.model}, ${D.outcome}`,
      "sort calls desc",
    ].join("\n| "),
  },
];

/** The saved queries of an environment in a region (none when `observability.savedQueries` is off). */
export function savedQueries(plan: BaselinePlan): SavedQuerySpec[] {
  const o = plan.config.observability;
  if (o?.savedQueries === false) return [];
  return SAVED_QUERIES.map(({ title, ...q }) => ({ ...q, name: `${names.queryFolder(plan.config.name)}/${title}`, logGroupNames: [...(o?.clientLogGroups ?? [])] }));
}
