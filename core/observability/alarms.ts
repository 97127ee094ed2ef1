import { type BaselinePlan, routeCandidates } from "../environment";
import { DEFAULT_TTFT_P90_MS } from "../environment";
import { partitionOf } from "../aws";
import type { Invocation } from "../aws";
import { names } from "../aws";
import { tpmQuotaCodes } from "./quota-headroom";

/** The per-model alarm kinds: metric, statistic, which `alarms` setting is the threshold, and rollback membership. */
export const ALARM_KINDS = [
  { kind: "throttles", metricName: "InvocationThrottles", statistic: "Sum", setting: "throttles", rollback: true },
  { kind: "server-errors", metricName: "InvocationServerErrors", statistic: "Sum", setting: "serverErrors", rollback: true },
  { kind: "client-errors", metricName: "InvocationClientErrors", statistic: "Sum", setting: "clientErrors", rollback: false },
  { kind: "latency-p99", metricName: "InvocationLatency", extendedStatistic: "p99", setting: "latencyP99Ms", rollback: false },
  { kind: "legacy-invocations", metricName: "LegacyModelInvocations", statistic: "Sum", setting: "legacyInvocations", rollback: false },
] as const;

/**
 * Quota headroom (bedrock-2026.md §2): `Maximum` of `EstimatedTPMQuotaUsage` per minute above `alarms.quotaUsagePercent`
 * of the model's applied tokens-per-minute quota, read at plan time with the Service Quotas data source. Only for models
 * whose quota code is known for the way they are invoked in the region (core/observability/quota-headroom.ts warns about the others).
 * One minute, one period: the metric is a per-minute count against a per-minute quota, and the point is to warn before
 * the minute that throttles.
 */
export const QUOTA_USAGE_ALARM = { kind: "quota-usage", metricName: "EstimatedTPMQuotaUsage", statistic: "Maximum", periodSeconds: 60, evaluationPeriods: 1 } as const;

/**
 * Time to first token, p90, for the models of streaming routes (`TimeToFirstToken` is reported for streaming calls
 * only); threshold: the strictest `timeToFirstTokenP90Ms` of the streaming routes that use the model.
 */
export const TTFT_ALARM = { kind: "ttft-p90", metricName: "TimeToFirstToken", extendedStatistic: "p90" } as const;

/*
 * Neither joins the AppConfig rollback composite. A routing deployment is rolled back for harm it causes (throttles,
 * server errors: the members above); usage nearing the quota is a capacity warning that organic growth raises as well,
 * and rolling back would not lower it, while the throttles alarm already catches the minute it turns into harm. Slow
 * first tokens are latency, like p99 latency, which is not a member either. So the composite's size (and the
 * 100-children / 10,240-character checks below) is unchanged.
 */

export type AlarmKind = (typeof ALARM_KINDS)[number]["kind"] | typeof QUOTA_USAGE_ALARM.kind | typeof TTFT_ALARM.kind;

/** A model's TTFT alarm threshold and the streaming routes it comes from. */
export interface TtftThreshold {
  /** The strictest threshold of those routes, in ms. */
  readonly thresholdMs: number;
  readonly routes: readonly string[];
}

/** Foundation-model ID -> TTFT threshold, for every model a streaming route may call (primary or fallback). */
export function ttftThresholds(plan: BaselinePlan): Map<string, TtftThreshold> {
  const out = new Map<string, TtftThreshold>();
  for (const [task, route] of Object.entries(plan.config.routes)) {
    if (!route.streaming) continue;
    const ms = route.timeToFirstTokenP90Ms ?? DEFAULT_TTFT_P90_MS;
    for (const id of routeCandidates(plan, task)) {
      const before = out.get(id);
      out.set(id, { thresholdMs: Math.min(ms, before?.thresholdMs ?? ms), routes: [...(before?.routes ?? []), task] });
    }
  }
  return out;
}

/**
 * CloudWatch limits on a composite alarm rule: 10,240 characters and at most 100 child alarms
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html).
 */
export const MAX_ALARM_RULE_LENGTH = 10240;
export const MAX_ALARM_RULE_CHILDREN = 100;

/** Per-model alarms a region stack gets (the composite rollback alarm not counted). */
export function alarmCount(plan: BaselinePlan, region: string): number {
  const ids = Object.keys(plan.invocations[region]);
  const quota = [...tpmQuotaCodes(plan, region).values()].filter((code) => code !== undefined).length;
  const ttft = ttftThresholds(plan);
  return ids.length * ALARM_KINDS.length + quota + ids.filter((id) => ttft.has(id)).length;
}

/** ARNs of the alarms the composite rollback alarm watches, as Terraform will have created them. */
export function rollbackMemberArns(envName: string, account: string, invocations: readonly Invocation[]): string[] {
  return invocations.flatMap((inv) =>
    ALARM_KINDS.filter((k) => k.rollback).map((k) => `arn:${partitionOf(inv.region)}:cloudwatch:${inv.region}:${account}:alarm:${names.alarm(envName, k.kind, inv.invokeId)}`),
  );
}

/** The composite rule over the given alarm references: any of them in ALARM. */
export function rollbackRule(alarmRefs: readonly string[]): string {
  return alarmRefs.map((a) => `ALARM("${a}")`).join(" OR ");
}
