import { MAX_ALARM_RULE_CHILDREN, MAX_ALARM_RULE_LENGTH, rollbackMemberArns, rollbackRule } from "../../observability";
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
      const members = rollbackMemberArns(c.name, c.account, Object.values(plan.invocations[region]));
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
