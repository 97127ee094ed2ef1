import { fitsOneRule, MAX_ALARM_RULE_CHILDREN, MAX_ALARM_RULE_LENGTH, rollbackLayout, rollbackLayoutProblems, rollbackRule } from "../../../core/observability";

// CloudWatch's limits on a composite alarm rule: 100 alarms, 10,240 characters
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html).
const arn = (name: string) => `arn:aws:cloudwatch:us-east-1:111111111111:alarm:${name}`;
const members = (count: number, nameLength = 20) => Array.from({ length: count }, (_, i) => arn(`m${i}-`.padEnd(nameLength, "x")));

describe("the rollback alarm's layout", () => {
  it("members that fit one rule stay directly under the rollback alarm (no parts: existing stacks keep their addresses)", () => {
    const m = members(100);
    expect(fitsOneRule(m)).toBe(true);
    expect(rollbackLayout("r", m)).toEqual({ direct: m.map((_, i) => i), parts: [] });
    expect(rollbackLayoutProblems(rollbackLayout("r", m), m, arn)).toEqual([]);
  });

  it.each([
    ["101 members", members(101), 2],
    ["250 members", members(250), 3],
    ["60 members with long names (over 10,240 characters)", members(60, 220), 2],
  ])("%s: parts of at most 100 members and 10,240 characters, every member once, in order", (_label, m, partCount) => {
    const layout = rollbackLayout("bedrock-large-routing-rollback", m);
    expect(layout.direct).toEqual([]);
    expect(layout.parts.map((p) => p.name)).toEqual(Array.from({ length: partCount }, (_, i) => `bedrock-large-routing-rollback-part-${i + 1}`));
    expect(layout.parts.flatMap((p) => p.members)).toEqual(m.map((_, i) => i));
    for (const p of layout.parts) {
      expect(p.members.length).toBeLessThanOrEqual(MAX_ALARM_RULE_CHILDREN);
      expect(rollbackRule(p.members.map((i) => m[i])).length).toBeLessThanOrEqual(MAX_ALARM_RULE_LENGTH);
    }
    expect(rollbackLayoutProblems(layout, m, arn)).toEqual([]);
  });

  it("a layout the rollback alarm cannot name (more than 100 parts) is reported, for the rollback alarm and not its parts", () => {
    const m = members(10_100);
    const problems = rollbackLayoutProblems(rollbackLayout("r", m), m, arn);
    expect(problems).toEqual(["the rollback alarm would watch 101 alarms; CloudWatch allows 100"]);
  });

  it("a part that breaks a limit is named", () => {
    const m = members(3);
    expect(rollbackLayoutProblems({ direct: [], parts: [{ name: "p1", members: [0, 1, 2] }] }, ["x".repeat(10_300), ...m.slice(1)], arn)).toEqual([expect.stringMatching(/^the rule of rollback part p1 would be \d+ characters; CloudWatch allows 10240$/)]);
  });
});
