import { TerraformOutput, TerraformStack } from "./terraform-cdk";
import { Construct } from "constructs";
import { budgetEmails, BaselinePlan } from "../core/environment";
import { names } from "../core/aws";
import { accountCost } from "../core/baseline";
import { MonthlyBudget } from "./budget";
import { CostAttribution } from "./cost-attribution";
import { OrganizationGuard } from "./organization-guard";
import { addBillingProvider, addProviderAndBackend } from "./provider-and-backend";

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
  /** Present with cost attribution: the tag's activation, workload budgets, the CUR 2.0 export. */
  readonly costAttribution?: CostAttribution;

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
    new TerraformOutput(this, "budget_topic_arn", { value: this.budget.topicArn, description: "SNS topic of budget alerts" });
    const cost = accountCost(props.plan);
    if (cost) {
      this.costAttribution = new CostAttribution(this, "cost-attribution", {
        cost,
        account: c.account,
        budgetTopicArn: this.budget.topicArn,
        billingProvider: addBillingProvider(this, c, cost.billingRegion),
      });
      const budgets = [...this.costAttribution.budgets].map(([w, b]) => [w, b.budget.name]);
      if (budgets.length) new TerraformOutput(this, "workload_budget_names", { value: Object.fromEntries(budgets), description: "Monthly budget per workload, on its cost allocation tag" });
    }
    const guard = c.organizationGuard;
    if (guard.enabled && guard.managementAccount) {
      this.organizationGuard = new OrganizationGuard(this, "organization-guard", { policyName: names.organizationGuard(c.name), targets: guard.targets });
      new TerraformOutput(this, "organization_guard_policy_id", { value: this.organizationGuard.policy.id, description: "SCP denying Bedrock API keys" });
    }
  }
}
