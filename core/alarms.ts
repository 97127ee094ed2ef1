import type { BaselinePlan } from "./baseline-plan";
import { partitionOf } from "./geography";
import type { Invocation } from "./inference";
import { names } from "./names";
import type { Problem } from "./problem";

/** The per-model alarm kinds: metric, statistic, which `alarms` setting is the threshold, and rollback membership. */
export const ALARM_KINDS = [
  { kind: "throttles", metricName: "InvocationThrottles", statistic: "Sum", setting: "throttles", rollback: true },
  { kind: "server-errors", metricName: "InvocationServerErrors", statistic: "Sum", setting: "serverErrors", rollback: true },
  { kind: "client-errors", metricName: "InvocationClientErrors", statistic: "Sum", setting: "clientErrors", rollback: false },
  { kind: "latency-p99", metricName: "InvocationLatency", extendedStatistic: "p99", setting: "latencyP99Ms", rollback: false },
  { kind: "legacy-invocations", metricName: "LegacyModelInvocations", statistic: "Sum", setting: "legacyInvocations", rollback: false },
] as const;

export type AlarmKind = (typeof ALARM_KINDS)[number]["kind"];

/**
 * CloudWatch limits on a composite alarm rule: 10,240 characters and at most 100 child alarms
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html).
 */
export const MAX_ALARM_RULE_LENGTH = 10240;
export const MAX_ALARM_RULE_CHILDREN = 100;

/** Per-model alarms a region stack gets (the composite rollback alarm not counted). */
export function alarmCount(plan: BaselinePlan, region: string): number {
  return Object.keys(plan.invocations[region]).length * ALARM_KINDS.length;
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

/** The composite rollback alarm of each region must fit CloudWatch's rule limits; checked before anything is built. */
export function alarmProblems(plan: BaselinePlan): Problem[] {
  const c = plan.config;
  return c.regions.flatMap((region) => {
    const members = rollbackMemberArns(c.name, c.account, Object.values(plan.invocations[region]));
    const problems: Problem[] = [];
    if (members.length > MAX_ALARM_RULE_CHILDREN)
      problems.push({ path: "models", message: `the rollback alarm for ${region} would watch ${members.length} alarms; CloudWatch allows ${MAX_ALARM_RULE_CHILDREN}`, fix: "enable fewer models per environment" });
    const length = rollbackRule(members).length;
    if (length > MAX_ALARM_RULE_LENGTH)
      problems.push({ path: "models", message: `the rollback alarm rule for ${region} would be ${length} characters; CloudWatch allows ${MAX_ALARM_RULE_LENGTH}`, fix: "enable fewer models per environment, or shorten the environment name" });
    return problems;
  });
}
