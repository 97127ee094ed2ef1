import { Testing } from "../../modules/terraform-cdk";
import { BudgetsBudget } from "../../modules/provider-aws";
import { names } from "../../core/aws";
import { MonthlyBudget } from "../../modules/budget";
import { planOf, rawConfig } from "../fixtures";
import { only, ref, synthAccount } from "./fixtures";

describe("budget (account stack)", () => {
  it.each(["dev", "prod"] as const)("%s: monthly USD cost budget with one notification per configured alert", (name) => {
    const raw = rawConfig(name);
    const env = planOf(raw);
    const { json, text } = synthAccount(env);
    const topic = only(json, "aws_sns_topic");
    expect(topic.props.name).toBe(names.budgetTopic(name));
    expect(text).toHaveResourceWithProperties(BudgetsBudget, {
      name: names.budget(name),
      budget_type: "COST",
      time_unit: "MONTHLY",
      limit_amount: String(raw.budget.monthlyUsd),
      limit_unit: "USD",
    });
    // Alerts as configured, or the documented default (actual 80 %, actual 100 %, forecasted 100 %).
    const alerts: Array<{ percent: number; type?: string }> = raw.budget.alerts ?? [
      { percent: 80, type: "actual" },
      { percent: 100, type: "actual" },
      { percent: 100, type: "forecasted" },
    ];
    // Emails: budget.emails, else the alarm emails.
    const emails: string[] = raw.budget.emails ?? raw.alarms.emails;
    const budget = only(json, "aws_budgets_budget").props;
    expect(budget.notification).toEqual(
      alerts.map((a) => ({
        comparison_operator: "GREATER_THAN",
        notification_type: (a.type ?? "actual").toUpperCase(),
        threshold: a.percent,
        threshold_type: "PERCENTAGE",
        subscriber_sns_topic_arns: [ref("aws_sns_topic", topic.name, "arn")],
        subscriber_email_addresses: emails,
      })),
    );
  });

  it("scope account: no cost filter (Marketplace-billed models are not under the Bedrock service)", () => {
    const { json } = synthAccount(planOf(rawConfig("dev")));
    expect(only(json, "aws_budgets_budget").props.cost_filter).toBeUndefined();
  });

  it("scope tag: a TagKeyValue filter on the user tag", () => {
    const raw = rawConfig("dev");
    raw.budget.scope = { tagKey: "cost-center", tagValue: "genai" };
    const { json } = synthAccount(planOf(raw));
    expect(only(json, "aws_budgets_budget").props.cost_filter).toEqual([{ name: "TagKeyValue", values: ["user:cost-center$genai"] }]);
  });

  it("the budget topic lets only AWS Budgets of this account publish", () => {
    const raw = rawConfig("prod");
    const { json } = synthAccount(planOf(raw));
    const topic = only(json, "aws_sns_topic");
    expect(JSON.parse(only(json, "aws_sns_topic_policy").props.policy).Statement).toEqual([
      expect.objectContaining({
        Effect: "Allow",
        Principal: { Service: ["budgets.amazonaws.com"] },
        Action: ["sns:Publish"],
        Resource: ref("aws_sns_topic", topic.name, "arn"),
        Condition: { StringEquals: { "aws:SourceAccount": raw.account } },
      }),
    ]);
  });

  it("without any email the alerts still go to the topic", () => {
    const raw = rawConfig("dev");
    raw.alarms.emails = [];
    const { json } = synthAccount(planOf(raw));
    for (const n of only(json, "aws_budgets_budget").props.notification) {
      expect(n.subscriber_email_addresses).toBeUndefined();
      expect(n.subscriber_sns_topic_arns).toHaveLength(1);
    }
  });

  it("refuses more than 10 emails (AWS limit per notification)", () => {
    const settings = planOf(rawConfig("dev")).config.budget;
    const emails = Array.from({ length: 11 }, (_, i) => `p${i}@example.com`);
    expect(() => Testing.synthScope((s) => new MonthlyBudget(s, "b", { budgetName: "b", topicName: "t", account: "111111111111", settings, emails }))).toThrow(/10 email/);
  });
});
