import { names, partitionOf } from "../../aws";
import { alarmArn, regionAlarms, rollbackLayout, rollbackLayoutProblems } from "../../observability";
import type { EnvironmentRule } from "../rule";

/**
 * The composite rollback alarm of each region, and the parts it is split into when its members do not fit one rule
 * (core/observability/rollback-alarm.ts), fit CloudWatch's rule limits (children and characters).
 */
export const rollbackAlarmLimits: EnvironmentRule = {
  name: "rollback-alarm-limits",
  description: "each region's composite rollback alarm (and its parts) fits CloudWatch's limits on children and rule length",
  stage: "plan",
  check({ plan }) {
    const c = plan.config;
    return c.regions.flatMap((region) => {
      // The same alarms the stack creates (core/observability/alarm-specs.ts), as ARNs: what the rules will hold once applied.
      const members = regionAlarms(plan, region).filter((a) => a.rollback).map((a) => alarmArn(a, c.account));
      const rollbackName = names.rollbackAlarm(c.name);
      const arnOf = (alarmName: string) => `arn:${partitionOf(region)}:cloudwatch:${region}:${c.account}:alarm:${alarmName}`;
      return rollbackLayoutProblems(rollbackLayout(rollbackName, members), members, arnOf).map((message) => ({
        path: "models",
        message: `${message} (${region})`,
        fix: "enable fewer models per environment, or shorten the environment name",
      }));
    });
  },
};
