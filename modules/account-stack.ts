import { Construct } from "constructs";
import { TerraformOutput, TerraformStack } from "cdktf";
import { budgetEmails } from "../core/environment";
import { Environment } from "../core/environment-validation";
import { names } from "../core/names";
import { MonthlyBudget } from "./budget";
import { addProviderAndBackend } from "./provider-and-backend";

/** Properties of an AccountStack. */
export interface AccountStackProps {
  /** The validated environment. */
  readonly environment: Environment;
}

/**
 * `bedrock-<env>-account`: account-wide resources, created once per environment (Budgets is a global service; a
 * budget per region would duplicate every alert). The provider uses the environment's first region.
 */
export class AccountStack extends TerraformStack {
  readonly environment: Environment;
  readonly budget: MonthlyBudget;

  constructor(scope: Construct, props: AccountStackProps) {
    const c = props.environment.config;
    super(scope, names.accountStack(c.name));
    this.environment = props.environment;
    addProviderAndBackend(this, c, c.regions[0]);
    this.budget = new MonthlyBudget(this, "budget", {
      budgetName: names.budget(c.name),
      topicName: names.budgetTopic(c.name),
      account: c.account,
      settings: c.budget,
      emails: budgetEmails(c),
    });
    new TerraformOutput(this, "budget_name", { value: this.budget.budget.name, description: "Monthly cost budget" });
    new TerraformOutput(this, "budget_topic_arn", { value: this.budget.topic.topicArn, description: "SNS topic of budget alerts" });
  }
}
