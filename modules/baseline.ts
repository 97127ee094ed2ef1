import { App } from "cdktf";
import { Environment } from "../core/environment-validation";
import { Problem } from "../core/problem";
import { AccountStack } from "./account-stack";
import { ALARM_KINDS, MAX_ALARM_RULE_LENGTH, rollbackRuleLength } from "./alarms";
import { RegionStack } from "./region-stack";

/** The stacks of all environments. */
export interface Baseline {
  readonly regionStacks: readonly RegionStack[];
  readonly accountStacks: readonly AccountStack[];
}

/**
 * Adds every stack of every environment to `app`: one RegionStack per region and one AccountStack per environment.
 * Call `app.synth()` afterwards. Used by main.ts, the synth benchmark and the tests.
 */
export function synthesizeEnvironments(app: App, environments: readonly Environment[]): Baseline {
  const regionStacks: RegionStack[] = [];
  const accountStacks: AccountStack[] = [];
  for (const environment of environments) {
    for (const region of environment.config.regions) regionStacks.push(new RegionStack(app, { environment, region }));
    accountStacks.push(new AccountStack(app, { environment }));
  }
  return { regionStacks, accountStacks };
}

/** Per-model alarms a region stack gets (the composite rollback alarm not counted). */
export function alarmCount(env: Environment, region: string): number {
  return Object.keys(env.invocations[region]).length * ALARM_KINDS.length;
}

/**
 * The one limit core validation cannot see: the composite rollback alarm's rule quotes every alarm ARN, so its length
 * depends on the alarms this module creates. Reported like a validation error, before anything is built.
 */
export function baselineProblems(env: Environment): Problem[] {
  const c = env.config;
  return c.regions.flatMap((region) => {
    const ruleLength = rollbackRuleLength({ environment: c.name, account: c.account, invocations: Object.values(env.invocations[region]) });
    return ruleLength > MAX_ALARM_RULE_LENGTH
      ? [{ path: "models", message: `the rollback alarm rule for ${region} would be ${ruleLength} characters; CloudWatch allows ${MAX_ALARM_RULE_LENGTH}`, fix: "enable fewer models per environment" }]
      : [];
  });
}
