import { App } from "./terraform-cdk";
import { AccountStack } from "./account-stack";
import { RegionStack } from "./region-stack";
import { BaselinePlan } from "../core/environment";
import { withPlainStackTraces } from "./stack-traces";

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
  return withPlainStackTraces(() => {
    const regionStacks: RegionStack[] = [];
    const accountStacks: AccountStack[] = [];
    for (const plan of plans) {
      const regions = plan.config.regions.map((region) => new RegionStack(app, { plan, region }));
      regionStacks.push(...regions);
      accountStacks.push(new AccountStack(app, { plan, regionStacks: regions }));
    }
    return { regionStacks, accountStacks };
  });
}
