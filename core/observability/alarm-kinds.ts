import { type Invocation, MAX_ALARM_METRICS } from "../aws";
import type { AlarmConfig } from "../environment";
import { BEDROCK_NAMESPACE, type MetricSource } from "./bedrock-metrics";

/**
 * A threshold known at synth, or a share of the model's applied tokens-per-minute quota, which Terraform reads when it
 * plans (modules/tpm-quotas.ts renders it as an expression over the Service Quotas data source).
 */
export type AlarmThreshold = { readonly value: number } | { readonly quotaPercent: number; readonly quotaCode: string };

/** One metric an alarm's expression reads. */
export interface MathMetric {
  /** Its name in the expression (a lowercase letter, then letters, digits, _). */
  readonly id: string;
  readonly namespace: string;
  readonly metricName: string;
  /** A statistic (Sum, Maximum) or a percentile (p99). */
  readonly stat: string;
  readonly source: MetricSource;
}

/**
 * An alarm on a metric math expression over at most MAX_ALARM_METRICS metrics: what a model's alarm watches when its
 * calls go through several application profiles, or what a daily-quota alarm adds up.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create-alarm-on-metric-math-expression.html
 */
export interface AlarmMath {
  readonly expression: string;
  readonly metrics: readonly MathMetric[];
}

/** What a kind needs to decide one model's alarm in one region. */
export interface AlarmContext {
  readonly inv: Invocation;
  /** Where the model's calls are measured (core/observability/bedrock-metrics.ts modelSources). Default: its invoke ID. */
  readonly sources?: readonly MetricSource[];
  /** The model's output burndown (quota tokens per output token). Default: 1. */
  readonly burndown?: number;
  /** The model's tokens-per-day quota code in the region, when known. */
  readonly tpdCode?: string;
  /** The environment's `alarms` settings. */
  readonly settings: AlarmConfig;
  /** The model's tokens-per-minute quota code where it is invoked, when known. */
  readonly quotaCode?: string;
  /** The model's TTFT threshold and the streaming routes it comes from, when a streaming route uses it. */
  readonly ttft?: { readonly thresholdMs: number; readonly routes: readonly string[] };
}

/** One model's alarm of a kind: what differs from model to model. */
export interface KindAlarm {
  readonly threshold: AlarmThreshold;
  readonly period: number;
  readonly evaluationPeriods: number;
  readonly description: string;
  /** An expression of the kind's own (else the kind's metric, summed or maxed over several sources). */
  readonly math?: AlarmMath;
}

/** One kind of per-model alarm on a Bedrock runtime metric (https://docs.aws.amazon.com/bedrock/latest/userguide/monitoring.html). */
export interface AlarmKind {
  readonly kind: string;
  readonly metricName: string;
  /** `statistic` (Sum, Maximum) or `extendedStatistic` (a percentile such as p99). */
  readonly statistic: { readonly statistic: string } | { readonly extendedStatistic: string };
  /** A member of the composite alarm AppConfig watches to roll routing deployments back. */
  readonly rollback: boolean;
  /** The alarm a model gets in a region, or undefined when it gets none of this kind. */
  alarmOf(c: AlarmContext): KindAlarm | undefined;
}

/** A kind whose threshold is an `alarms` setting, on every model, over the environment's period. */
function everyModel(kind: string, metricName: string, statistic: AlarmKind["statistic"], setting: "throttles" | "serverErrors" | "clientErrors" | "latencyP99Ms" | "legacyInvocations", rollback: boolean): AlarmKind {
  return {
    kind,
    metricName,
    statistic,
    rollback,
    alarmOf: ({ inv, settings: s }) => ({
      threshold: { value: s[setting] },
      period: s.periodSeconds,
      evaluationPeriods: s.evaluationPeriods,
      description: `${metricName} of ${inv.invokeId} (${inv.modelId}) above ${s[setting]} per ${s.periodSeconds} s`,
    }),
  };
}

/** The quota-usage alarm's metric, statistic and period, which the dashboard's quota graph shares. */
export const QUOTA_USAGE = { metricName: "EstimatedTPMQuotaUsage", statistic: "Maximum", periodSeconds: 60 } as const;

/**
 * Quota headroom (https://docs.aws.amazon.com/bedrock/latest/userguide/monitoring-runtime-metrics.html): `Maximum` of
 * `EstimatedTPMQuotaUsage` per minute above `alarms.quotaUsagePercent` of the model's
 * applied tokens-per-minute quota, read at plan time. Only for models whose quota code is known for the way they are
 * invoked in the region (validation warns about the others). One minute, one period: the metric is a per-minute count
 * against a per-minute quota, and the point is to warn before the minute that throttles.
 */
const QUOTA_USAGE_ALARM: AlarmKind = {
  kind: "quota-usage",
  metricName: QUOTA_USAGE.metricName,
  statistic: { statistic: QUOTA_USAGE.statistic },
  rollback: false,
  alarmOf: ({ inv, settings: s, quotaCode }) =>
    quotaCode === undefined
      ? undefined
      : {
          threshold: { quotaPercent: s.quotaUsagePercent, quotaCode },
          period: QUOTA_USAGE.periodSeconds,
          evaluationPeriods: 1,
          description: `${QUOTA_USAGE.metricName} of ${inv.invokeId} (${inv.modelId}) above ${s.quotaUsagePercent}% of its applied tokens-per-minute quota (${quotaCode}, read at plan time) in a minute: throttling is near`,
        },
};

/**
 * Time to first token, p90, for the models of streaming routes (`TimeToFirstToken` is reported for streaming calls
 * only); threshold: the strictest `timeToFirstTokenP90Ms` of the streaming routes that use the model.
 */
const TTFT_ALARM: AlarmKind = {
  kind: "ttft-p90",
  metricName: "TimeToFirstToken",
  statistic: { extendedStatistic: "p90" },
  rollback: false,
  alarmOf: ({ inv, settings: s, ttft }) =>
    ttft && {
      threshold: { value: ttft.thresholdMs },
      period: s.periodSeconds,
      evaluationPeriods: s.evaluationPeriods,
      description: `p90 TimeToFirstToken of ${inv.invokeId} (${inv.modelId}) above ${ttft.thresholdMs} ms per ${s.periodSeconds} s (streaming routes ${ttft.routes.join(", ")})`,
    },
};

/** `FILL(m, 0)` for each id, in an array: idle sources count as 0 rather than blanking the whole expression. */
export const filled = (ids: readonly string[]) => `[${ids.map((id) => `FILL(${id}, 0)`).join(", ")}]`;

/** The day's quota tokens over some sources: input + burndown x output (UNCONFIRMED that daily quotas count output burndown as the per-minute ones do). */
export function dailyTokensMath(sources: readonly MetricSource[], burndown: number): AlarmMath {
  const metrics = sources.flatMap((source, i): MathMetric[] => [
    { id: `in${i + 1}`, namespace: BEDROCK_NAMESPACE, metricName: "InputTokenCount", stat: "Sum", source },
    { id: `out${i + 1}`, namespace: BEDROCK_NAMESPACE, metricName: "OutputTokenCount", stat: "Sum", source },
  ]);
  const sum = (prefix: string) => `SUM(${filled(sources.map((_, i) => `${prefix}${i + 1}`))})`;
  return { expression: burndown === 1 ? `${sum("in")} + ${sum("out")}` : `${sum("in")} + ${burndown} * ${sum("out")}`, metrics };
}

/** One day, the window of a tokens-per-day quota (UNCONFIRMED whether Bedrock's day is the UTC calendar day or a rolling 24 hours). */
export const DAY_SECONDS = 86400;

/**
 * The day's token usage of a model (input + output x burndown, over every invoke ID its calls use) above
 * `alarms.dailyQuotaUsagePercent` of its tokens-per-day quota, read at plan time
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/quotas-runtime.html). Only where the quota code is known and
 * the sum fits an alarm's 10 metrics (two per source; validation warns about the models it leaves out).
 */
const DAILY_QUOTA_ALARM: AlarmKind = {
  kind: "daily-quota",
  metricName: "InputTokenCount",
  statistic: { statistic: "Sum" },
  rollback: false,
  alarmOf: ({ inv, settings: s, tpdCode, sources, burndown }) => {
    const from = sources ?? [{ invokeId: inv.invokeId }];
    if (tpdCode === undefined || 2 * from.length > MAX_ALARM_METRICS) return undefined;
    return {
      threshold: { quotaPercent: s.dailyQuotaUsagePercent, quotaCode: tpdCode },
      period: DAY_SECONDS,
      evaluationPeriods: 1,
      description: `The day's tokens of ${inv.modelId} in ${inv.region} (input + ${burndown ?? 1} x output) above ${s.dailyQuotaUsagePercent}% of its tokens-per-day quota (${tpdCode}, read at plan time): calls will be throttled for the rest of the day`,
      math: dailyTokensMath(from, burndown ?? 1),
    };
  },
};

/**
 * Every per-model alarm kind, in the order a model's alarms are created. Throttles and server errors are the rollback
 * composite's members: a routing deployment is rolled back for harm it causes. Quota usage nearing the quota is a
 * capacity warning that organic growth raises as well, and rolling back would not lower it (the throttles alarm catches
 * the minute it turns into harm); latency and slow first tokens are not harm of that kind either. A new kind is one
 * entry here (and, with a threshold of its own, its key in core/environment/alarm-config.ts).
 */
export const ALARM_KINDS: readonly AlarmKind[] = [
  everyModel("throttles", "InvocationThrottles", { statistic: "Sum" }, "throttles", true),
  everyModel("server-errors", "InvocationServerErrors", { statistic: "Sum" }, "serverErrors", true),
  everyModel("client-errors", "InvocationClientErrors", { statistic: "Sum" }, "clientErrors", false),
  everyModel("latency-p99", "InvocationLatency", { extendedStatistic: "p99" }, "latencyP99Ms", false),
  everyModel("legacy-invocations", "LegacyModelInvocations", { statistic: "Sum" }, "legacyInvocations", false),
  QUOTA_USAGE_ALARM,
  TTFT_ALARM,
  DAILY_QUOTA_ALARM,
];
