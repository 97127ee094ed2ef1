import { alarmArn, regionAlarms, rollbackRule } from "../../../core/observability";
import { devPlan } from "../../fixtures";

// Its limits are a validation rule: core/validation/rules/rollback-alarm-limits.ts, cases in
// __tests__/core/validation/rules/rollback-alarm-limits.test.ts.

describe("the rollback alarm rule (CloudWatch PutCompositeAlarm)", () => {
  it("watches the throttle and server-error alarm of every model, quoted in the rule", () => {
    const plan = devPlan();
    const members = regionAlarms(plan, "us-east-1").filter((a) => a.rollback).map((a) => alarmArn(a, plan.config.account));
    expect(members).toHaveLength(2 * Object.keys(plan.invocations["us-east-1"]).length);
    expect(members[0]).toMatch(/^arn:aws:cloudwatch:us-east-1:111111111111:alarm:bedrock-dev-throttles-us\./);
    expect(rollbackRule(members.slice(0, 2))).toBe(`ALARM("${members[0]}") OR ALARM("${members[1]}")`);
  });
});
