import { App } from "./terraform-cdk";
import { AccountStack } from "./account-stack";
import { BedrockBaseline } from "./bedrock-baseline";
import { ValidatedEnvironment } from "./environment-source";
import { RegionStack } from "./region-stack";
import { BaselinePlan } from "../core/environment";

/** The stacks of all environments. */
export interface BaselineStacks {
  readonly regionStacks: readonly RegionStack[];
  readonly accountStacks: readonly AccountStack[];
}

/**
 * Adds a BedrockBaseline per environment to `app` (one RegionStack per region and one AccountStack each), the same
 * construct tree a team's own main.ts builds with the construct library. Call `app.synth()` afterwards. Used by
 * main.ts, the synth benchmark and the tests, with environments validated beforehand.
 */
export function synthesizeEnvironments(app: App, plans: readonly BaselinePlan[]): BaselineStacks {
  const baselines = plans.map((plan) => new BedrockBaseline(app, { environment: new ValidatedEnvironment(plan, plan.config.name) }));
  return { regionStacks: baselines.flatMap((b) => b.regionStacks), accountStacks: baselines.map((b) => b.accountStack) };
}
