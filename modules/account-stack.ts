import { TerraformOutput, TerraformStack } from "./terraform-cdk";
import { Construct } from "constructs";
import { budgetEmails, BaselinePlan } from "../core/environment";
import { names } from "../core/aws";
import { MonthlyBudget } from "./budget";
import { OrganizationGuard } from "./organization-guard";
import { addProviderAndBackend } from "./provider-and-backend";

/** Properties of an AccountStack. */
export interface AccountStackProps {
  /** The validated environment. */
  readonly plan: BaselinePlan;
}

/**
 * `bedrock-<env>-account`: account-wide resources, created once per environment (Budgets is a global service; a
 * budget per region would duplicate every alert), and the organization guard when the environment's account manages
 * the organization's SCPs. The provider uses the environment's first region.
 */
export class AccountStack extends TerraformStack {
  readonly plan: BaselinePlan;
  readonly budget: MonthlyBudget;
  /** Present when `organizationGuard.enabled` and `managementAccount` are both set. */
  readonly organizationGuard?: OrganizationGuard;

  constructor(scope: Construct, props: AccountStackProps) {
    const c = props.plan.config;
    super(scope, names.accountStack(c.name));
    this.plan = props.plan;
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
    const guard = c.organizationGuard;
    if (guard.enabled && guard.managementAccount) {
      this.organizationGuard = new OrganizationGuard(this, "organization-guard", { policyName: names.organizationGuard(c.name), targets: guard.targets });
      new TerraformOutput(this, "organization_guard_policy_id", { value: this.organizationGuard.policy.id, description: "SCP denying Bedrock API keys" });
    }
  }
}
