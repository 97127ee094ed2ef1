import { TerraformOutput, TerraformStack } from "./terraform-cdk";
import { Construct } from "constructs";
import { budgetEmails, BaselinePlan } from "../core/environment";
import { type AccountBaseline, accountBaseline, accountCost } from "../core/baseline";
import { MonthlyBudget } from "./budget";
import { CostAttribution } from "./cost-attribution";
import { InvokePolicy } from "./invoke-policy";
import { OrganizationGuard } from "./organization-guard";
import { addBillingProvider, addProviderAndBackend } from "./provider-and-backend";
import { RegionStateRefs } from "./region-state";

/** Properties of an AccountStack. */
export interface AccountStackProps {
  /** The validated environment. */
  readonly plan: BaselinePlan;
  /**
   * The environment's region stacks in the same app: the account stack depends on each (its policies read their
   * outputs), so `cdktf deploy` applies them first. Default: none (a stack synthesized on its own, as in tests).
   */
  readonly regionStacks?: readonly TerraformStack[];
}

/**
 * `bedrock-<env>-account`: account-wide resources, created once per environment: the budget (Budgets is a global
 * service; a budget per region would duplicate every alert), the IAM policies of the workloads and the smoke run (IAM
 * is global: one policy set per principal for every region, so its count of managed policies does not grow with the
 * regions; docs/scale.md), and the organization guard when the environment's account manages the organization's SCPs.
 * The provider uses the environment's first region.
 */
export class AccountStack extends TerraformStack {
  readonly plan: BaselinePlan;
  /** What the stack renders. */
  readonly baseline: AccountBaseline;
  readonly budget: MonthlyBudget;
  /** The workloads' policies, by workload. */
  readonly workloadPolicies: Readonly<Record<string, InvokePolicy>>;
  readonly smokePolicy: InvokePolicy;
  /** Present when `organizationGuard.enabled` and `managementAccount` are both set. */
  readonly organizationGuard?: OrganizationGuard;
  /** Present with cost attribution: the tag's activation, workload budgets, the CUR 2.0 export. */
  readonly costAttribution?: CostAttribution;

  constructor(scope: Construct, props: AccountStackProps) {
    const c = props.plan.config;
    const b = accountBaseline(props.plan);
    super(scope, b.stackName);
    this.plan = props.plan;
    this.baseline = b;
    addProviderAndBackend(this, c, c.regions[0]);
    for (const s of props.regionStacks ?? []) this.addDependency(s);
    this.budget = new MonthlyBudget(this, "budget", {
      budgetName: b.budgetName,
      topicName: b.budgetTopicName,
      account: c.account,
      settings: c.budget,
      emails: budgetEmails(c),
    });
    const refs = new RegionStateRefs(this, "region-state", { plan: props.plan, regionStacks: b.regionStacks }).refs;
    const policies: Record<string, InvokePolicy> = Object.create(null);
    let smoke: InvokePolicy | undefined;
    for (const p of b.policies) {
      const policy = new InvokePolicy(this, p.id, { policyName: p.policyName, description: p.description, documents: p.parts(refs), principals: p.principals, roles: p.roles });
      if (p.workload !== undefined) policies[p.workload] = policy;
      else smoke = policy;
    }
    this.workloadPolicies = policies;
    this.smokePolicy = smoke!;
    const output = (id: string, value: unknown, description: string) => new TerraformOutput(this, id, { value, description });
    output("budget_name", this.budget.budget.name, "Monthly cost budget");
    output("budget_topic_arn", this.budget.topicArn, "SNS topic of budget alerts");
    output("workload_policy_arns", Object.fromEntries(Object.entries(policies).map(([n, p]) => [n, p.policyArns])), "Managed invoke policies per workload, every region (more than one when the policy exceeds IAM's size limit: attach all)");
    output("smoke_policy_arns", this.smokePolicy.policyArns, "Policies for the CI principal that runs the smoke test, every region (attach all)");
    const cost = accountCost(props.plan);
    if (cost) {
      this.costAttribution = new CostAttribution(this, "cost-attribution", {
        cost,
        account: c.account,
        budgetTopicArn: this.budget.topicArn,
        billingProvider: addBillingProvider(this, c, cost.billingRegion),
      });
      const budgets = [...this.costAttribution.budgets].map(([w, b]) => [w, b.budget.name]);
      if (budgets.length) output("workload_budget_names", Object.fromEntries(budgets), "Monthly budget per workload, on its cost allocation tag");
    }
    const guard = c.organizationGuard;
    if (guard.enabled && guard.managementAccount) {
      this.organizationGuard = new OrganizationGuard(this, "organization-guard", { policyName: b.organizationGuardName, targets: guard.targets });
      output("organization_guard_policy_id", this.organizationGuard.policy.id, "SCP denying Bedrock API keys");
    }
  }
}
