import { alarmProblems, MAX_ALARM_RULE_CHILDREN, MAX_ALARM_RULE_LENGTH, rollbackMemberArns, rollbackRule } from "../../../core/observability";
import type { BaselinePlan } from "../../../core/environment";
import { invocation } from "../../../core/aws";
import { devPlan, prodPlan } from "../../fixtures";

/** The dev plan with `count` synthetic enabled models in its region, named `m<i>` padded with `pad` characters. */
function planWith(count: number, pad: number): BaselinePlan {
  const plan = devPlan();
  const [region] = plan.config.regions;
  const models = Array.from({ length: count }, (_, i) => {
    const modelId = `m${i}${"x".repeat(pad)}`;
    return [modelId, invocation({ kind: "geo", modelId, region, account: plan.config.account, geography: "us" })] as const;
  });
  return { ...plan, invocations: { [region]: Object.fromEntries(models) } };
}

describe("rollback alarm limits (CloudWatch PutCompositeAlarm)", () => {
  it("the shipped environments fit", () => {
    expect(alarmProblems(devPlan())).toEqual([]);
    expect(alarmProblems(prodPlan())).toEqual([]);
  });

  it("watches the throttle and server-error alarm of every model, quoted in the rule", () => {
    const plan = devPlan();
    const members = rollbackMemberArns(plan.config.name, plan.config.account, Object.values(plan.invocations["us-east-1"]));
    expect(members).toHaveLength(2 * Object.keys(plan.invocations["us-east-1"]).length);
    expect(members[0]).toMatch(/^arn:aws:cloudwatch:us-east-1:111111111111:alarm:bedrock-dev-throttles-us\./);
    expect(rollbackRule(members.slice(0, 2))).toBe(`ALARM("${members[0]}") OR ALARM("${members[1]}")`);
  });

  it(`more than ${MAX_ALARM_RULE_CHILDREN} child alarms is a problem even when the rule is short enough`, () => {
    const plan = planWith(51, 0); // 102 children
    const problems = alarmProblems(plan);
    expect(problems).toEqual([expect.objectContaining({ path: "models", message: `the rollback alarm for us-east-1 would watch 102 alarms; CloudWatch allows 100` })]);
  });

  it(`a rule over ${MAX_ALARM_RULE_LENGTH} characters is a problem even with few children`, () => {
    const plan = planWith(30, 100); // 60 children with long names
    expect(alarmProblems(plan)).toEqual([expect.objectContaining({ path: "models", message: expect.stringMatching(/^the rollback alarm rule for us-east-1 would be \d+ characters; CloudWatch allows 10240$/) })]);
  });

  it("exactly 100 children with short names is accepted", () => {
    expect(alarmProblems(planWith(50, 0))).toEqual([]);
  });
});
