import { alarmArn, MAX_ALARM_RULE_CHILDREN, MAX_ALARM_RULE_LENGTH, regionAlarms, rollbackRule } from "../../observability";
import type { Problem } from "../../problems";
import type { EnvironmentRule } from "../rule";

/** The composite rollback alarm of each region fits CloudWatch's rule limits (children and characters). */
export const rollbackAlarmLimits: EnvironmentRule = {
  name: "rollback-alarm-limits",
  description: "each region's composite rollback alarm fits CloudWatch's limits on children and rule length",
  stage: "plan",
  check({ plan }) {
    const c = plan.config;
    return c.regions.flatMap((region) => {
      // The same alarms the stack creates (core/observability/alarm-specs.ts), as ARNs: what the rule will hold once applied.
      const members = regionAlarms(plan, region).filter((a) => a.rollback).map((a) => alarmArn(a, c.account));
      const problems: Problem[] = [];
      if (members.length > MAX_ALARM_RULE_CHILDREN)
        problems.push({ path: "models", message: `the rollback alarm for ${region} would watch ${members.length} alarms; CloudWatch allows ${MAX_ALARM_RULE_CHILDREN}`, fix: "enable fewer models per environment" });
      const length = rollbackRule(members).length;
      if (length > MAX_ALARM_RULE_LENGTH)
        problems.push({ path: "models", message: `the rollback alarm rule for ${region} would be ${length} characters; CloudWatch allows ${MAX_ALARM_RULE_LENGTH}`, fix: "enable fewer models per environment, or shorten the environment name" });
      return problems;
    });
  },
};
