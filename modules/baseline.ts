import { App } from "./terraform-cdk";
import { AccountStack } from "./account-stack";
import { RegionStack } from "./region-stack";
import { BaselinePlan } from "../core/environment";

/** The stacks of all environments. */
export interface BaselineStacks {
  readonly regionStacks: readonly RegionStack[];
  readonly accountStacks: readonly AccountStack[];
}

/**
 * Adds every stack of every environment to `app`: one RegionStack per region and one AccountStack per environment.
 * Call `app.synth()` afterwards. Used by main.ts, the synth benchmark and the tests.
 */
export function synthesizeEnvironments(app: App, plans: readonly BaselinePlan[]): BaselineStacks {
  const regionStacks: RegionStack[] = [];
  const accountStacks: AccountStack[] = [];
  for (const plan of plans) {
    for (const region of plan.config.regions) regionStacks.push(new RegionStack(app, { plan, region }));
    accountStacks.push(new AccountStack(app, { plan }));
  }
  return { regionStacks, accountStacks };
}
