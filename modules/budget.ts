import { BudgetsBudget, BudgetsBudgetCostFilter } from "./provider-aws";
import { Construct } from "constructs";
import { BudgetConfig } from "../core/environment";
import { NotificationTopic } from "./notification-topic";

/**
 * AWS Budgets limits: 5 notifications per budget, 10 email subscribers each
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-budgets-budget-notificationwithsubscribers.html).
 */
export const MAX_BUDGET_NOTIFICATIONS = 5;
export const MAX_BUDGET_EMAILS = 10;

/** Properties of a MonthlyBudget. */
export interface MonthlyBudgetProps {
  /** Budget name (unique per account). */
  readonly budgetName: string;
  /** Name of the SNS topic every alert publishes to (the budget creates it), unless `topicArn` names one. */
  readonly topicName?: string;
  /** An existing topic every alert publishes to instead of one of its own (a workload budget uses the environment's). Default: none. */
  readonly topicArn?: string;
  /** Account the budget covers; the topic accepts Budgets publishes only for it. */
  readonly account: string;
  /** Limit, alerts and scope (config `budget`). */
  readonly settings: BudgetConfig;
  /** Emails notified directly by each alert (at most 10). Default: none (only the topic). */
  readonly emails?: readonly string[];
}

/**
 * The cost filter for a budget scope. `account`: none. Marketplace-billed models (Claude and other third-party models,
 * billed as "… (Amazon Bedrock Edition)") are not under the "Amazon Bedrock" service, so a Service filter would miss
 * most of the spend; the account scope is meant for a dedicated Bedrock account. `{tagKey, tagValue}`: spend carrying
 * an activated cost-allocation tag.
 */
export function budgetCostFilters(scope: BudgetConfig["scope"]): BudgetsBudgetCostFilter[] {
  if (scope === "account") return [];
  return [{ name: "TagKeyValue", values: [`user:${scope.tagKey}$${scope.tagValue}`] }];
}

/** A monthly COST budget in USD with percentage alerts to an SNS topic and emails. Budgets are account-global. */
export class MonthlyBudget extends Construct {
  readonly budget: BudgetsBudget;
  /** The topic the budget created; absent when it publishes to `topicArn`. */
  readonly topic?: NotificationTopic;
  /** ARN of the topic its alerts publish to. */
  readonly topicArn: string;

  constructor(scope: Construct, id: string, props: MonthlyBudgetProps) {
    super(scope, id);
    const s = props.settings;
    const emails = props.emails ?? [];
    if (s.alerts.length > MAX_BUDGET_NOTIFICATIONS) throw new Error(`AWS Budgets allows ${MAX_BUDGET_NOTIFICATIONS} notifications per budget, got ${s.alerts.length}`);
    if (emails.length > MAX_BUDGET_EMAILS) throw new Error(`AWS Budgets allows ${MAX_BUDGET_EMAILS} email subscribers per notification, got ${emails.length}`);
    if (props.topicArn === undefined) {
      if (props.topicName === undefined) throw new Error("MonthlyBudget needs topicName or topicArn");
      this.topic = new NotificationTopic(this, "topic", { topicName: props.topicName, account: props.account, publishers: ["budgets.amazonaws.com"] });
    }
    this.topicArn = props.topicArn ?? this.topic!.topicArn;
    const filters = budgetCostFilters(s.scope);
    this.budget = new BudgetsBudget(this, "budget", {
      name: props.budgetName,
      budgetType: "COST",
      timeUnit: "MONTHLY",
      limitAmount: String(s.monthlyUsd),
      limitUnit: "USD",
      ...(filters.length ? { costFilter: filters } : {}),
      notification: s.alerts.map((a) => ({
        notificationType: a.type === "forecasted" ? "FORECASTED" : "ACTUAL",
        comparisonOperator: "GREATER_THAN",
        threshold: a.percent,
        thresholdType: "PERCENTAGE",
        subscriberSnsTopicArns: [this.topicArn],
        ...(emails.length ? { subscriberEmailAddresses: [...emails] } : {}),
      })),
    });
  }
}
