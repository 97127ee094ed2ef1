import { names } from "../aws";
import type { BaselinePlan } from "../environment";
import { environmentPolicies, type PolicySpec } from "../iam";

/**
 * What an environment's account stack holds beside its budget and organization guard, computed once in core:
 * modules/account-stack.ts renders it. IAM is global, so each workload's policy (and the smoke policy) is created
 * here once for every region, not once per region stack; the values it needs from the region stacks (AppConfig IDs,
 * guardrail ARNs) are read from their state outputs.
 */
export interface AccountBaseline {
  readonly stackName: string;
  readonly budgetName: string;
  readonly budgetTopicName: string;
  readonly organizationGuardName: string;
  /** The region stacks whose outputs the policies read, in region order (each applied before this stack). */
  readonly regionStacks: ReadonlyArray<{ readonly region: string; readonly stackName: string }>;
  /** The workloads' policies, then the smoke policy, each packed into parts of IAM's size. */
  readonly policies: readonly PolicySpec[];
}

/** The account baseline of a validated plan. */
export function accountBaseline(plan: BaselinePlan): AccountBaseline {
  const c = plan.config;
  return {
    stackName: names.accountStack(c.name),
    budgetName: names.budget(c.name),
    budgetTopicName: names.budgetTopic(c.name),
    organizationGuardName: names.organizationGuard(c.name),
    regionStacks: c.regions.map((region) => ({ region, stackName: names.regionStack(c.name, region) })),
    policies: environmentPolicies(plan),
  };
}
