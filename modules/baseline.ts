import { App } from "cdktf";
import { Environment } from "../core/environment-validation";
import { names } from "../core/names";
import { Problem } from "../core/problem";
import { routingJsonSchema } from "../core/routing-document";
import { AccountStack, budgetEmails } from "./account-stack";
import { ALARM_KINDS, MAX_ALARM_RULE_LENGTH, rollbackRuleLength } from "./alarms";
import { MAX_BUDGET_EMAILS } from "./budget";
import { parseIamPrincipalArn } from "./invoke-policy";
import { RegionStack } from "./region-stack";
import { MAX_VALIDATOR_BYTES } from "./routing-config";

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
 * Problems that core validation does not see but synth or apply would hit: AWS name and size limits of the resources
 * this baseline creates, and principals in another account. Reported like validation errors, before anything is built.
 */
export function baselineProblems(env: Environment): Problem[] {
  const c = env.config;
  const problems: Problem[] = [];
  const roleName = (path: string, name: string) => {
    if (name.length > 64)
      problems.push({ path, message: `IAM role name ${name} is ${name.length} characters; IAM allows 64`, fix: "shorten the environment or workload name" });
  };
  for (const region of c.regions) {
    roleName("name", names.rollbackRole(c.name, region));
    for (const [w, cfg] of Object.entries(c.workloads)) if (cfg.role) roleName(`workloads.${w}`, names.workloadRole(c.name, region, w));
    const bytes = Buffer.byteLength(JSON.stringify(routingJsonSchema(env, region)), "utf8");
    if (bytes > MAX_VALIDATOR_BYTES)
      problems.push({ path: "routes", message: `the routing JSON Schema for ${region} is ${bytes} bytes; AppConfig allows ${MAX_VALIDATOR_BYTES}`, fix: "split the environment or remove routes/models" });
    const ruleLength = rollbackRuleLength({ environment: c.name, account: c.account, invocations: Object.values(env.invocations[region]) });
    if (ruleLength > MAX_ALARM_RULE_LENGTH)
      problems.push({ path: "models", message: `the rollback alarm rule for ${region} would be ${ruleLength} characters; CloudWatch allows ${MAX_ALARM_RULE_LENGTH}`, fix: "enable fewer models per environment" });
  }
  const principals: Array<[string, string]> = [
    ...Object.entries(c.workloads).flatMap(([w, cfg]) => cfg.principals.map((p, i): [string, string] => [`workloads.${w}.principals[${i}]`, p])),
    ...c.smoke.principals.map((p, i): [string, string] => [`smoke.principals[${i}]`, p]),
  ];
  for (const [path, arn] of principals) {
    const p = parseIamPrincipalArn(arn);
    if (p && p.account !== c.account)
      problems.push({ path, message: `${arn} is in account ${p.account}, not ${c.account}; a policy can only be attached in its own account`, fix: `use a principal of ${c.account}, or give a role "assumedByPrincipals"` });
  }
  const emails = budgetEmails(env);
  if (emails.length > MAX_BUDGET_EMAILS)
    problems.push({
      path: c.budget.emails ? "budget.emails" : "alarms.emails",
      message: `budget alerts would email ${emails.length} addresses; AWS Budgets allows ${MAX_BUDGET_EMAILS} per notification`,
      fix: "set budget.emails to at most 10 addresses (or use the budget SNS topic)",
    });
  return problems;
}
