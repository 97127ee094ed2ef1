import { NAME_RULES, type NameRule, nameRuleBreach, names } from "../../aws";
import { jsonPath, type Problem } from "../../problems";
import type { Draft } from "../draft";
import type { EnvironmentRule } from "../rule";

/** One AWS name the baseline derives from user names, with the path of the user part it comes from. */
interface DerivedName {
  readonly path: string;
  readonly rule: NameRule;
  readonly name: string;
  readonly owner: string;
}

/** Every AWS name the baseline derives from the environment, region, workload and guardrail names. */
function derivedNames(d: Draft): DerivedName[] {
  const env = d.name;
  if (env === undefined) return [];
  const out: DerivedName[] = [];
  const push = (path: string, rule: NameRule, name: string, owner: string) => out.push({ path, rule, name, owner });
  push("name", NAME_RULES.snsTopic, names.alarmTopic(env), "the alarm topic");
  push("name", NAME_RULES.snsTopic, names.budgetTopic(env), "the budget topic");
  push("name", NAME_RULES.budget, names.budget(env), "the budget");
  push("name", NAME_RULES.appConfigApplication, names.appConfigApplication(env), "the AppConfig application");
  push("name", NAME_RULES.appConfigEnvironment, names.appConfigEnvironment(env), "the AppConfig environment");
  push("name", NAME_RULES.appConfigStrategy, names.routineStrategy(env), "the routine strategy");
  push("name", NAME_RULES.appConfigStrategy, names.emergencyStrategy(env), "the emergency strategy");
  push("name", NAME_RULES.alarm, names.rollbackAlarm(env), "the rollback alarm");
  if (d.costAttribution.export) push("name", NAME_RULES.dataExport, names.costExport(env), "the CUR 2.0 export");
  for (const w of d.workloads) if (w.validName && w.fields.budget) push(jsonPath(["workloads", w.name]), NAME_RULES.budget, names.workloadBudget(env, w.name), `the budget of workload ${w.name}`);
  const logging = d.invocationLogging.enabled === true;
  if (logging && d.invocationLogging.alertOnChange !== false) push("name", NAME_RULES.eventRule, names.loggingChangeRule(env), "the logging change rule");
  if (d.quotaStore.enabled === true) {
    push("name", NAME_RULES.elastiCache, names.quotaStoreCache(env), "the quota store's cache");
    if (d.quotaStore.iamAuth !== false) {
      push("name", NAME_RULES.elastiCache, names.quotaStoreUser(env), "the quota store's user");
      push("name", NAME_RULES.elastiCache, names.quotaStoreUserGroup(env), "the quota store's user group");
    }
  }
  for (const g of Object.keys(d.guardrails)) push(jsonPath(["guardrails", g]), NAME_RULES.guardrail, names.guardrail(env, g), `guardrail ${g}`);
  // IAM is global: one policy per workload (and the smoke policy) for every region.
  push("name", NAME_RULES.iamPolicy, names.smokePolicy(env), "the smoke policy");
  for (const w of d.workloads) if (w.validName) push(jsonPath(["workloads", w.name]), NAME_RULES.iamPolicy, names.workloadPolicy(env, w.name), `the policy of workload ${w.name}`);
  for (const region of new Set(d.regions.map((r) => r.region))) {
    push("name", NAME_RULES.iamRole, names.rollbackRole(env, region), "the AppConfig rollback role");
    push("name", NAME_RULES.dashboard, names.dashboard(env, region), "the dashboard");
    if (logging && (d.invocationLogging.destinations ?? ["cloudwatch"]).includes("cloudwatch")) push("name", NAME_RULES.iamRole, names.invocationLogRole(env, region), "the invocation-log delivery role");
    for (const w of d.workloads) {
      if (!w.validName) continue;
      const at = jsonPath(["workloads", w.name]);
      if (w.fields.role) push(at, NAME_RULES.iamRole, names.workloadRole(env, region, w.name), `the role of workload ${w.name}`);
      if (d.costAttribution.enabled) push(at, NAME_RULES.alarm, names.workloadAlarm(env, "spend", w.name), `the spend alarm of workload ${w.name}`);
    }
  }
  return out;
}

const fixFor = (path: string) => (path === "name" ? "shorten the environment name" : path.startsWith("guardrails") ? "shorten the guardrail (or environment) name" : "shorten the workload (or environment) name");

/** Names derived from the file's names fit AWS's rules, and no two IAM names the baseline creates coincide. */
export const derivedNameRules: EnvironmentRule = {
  name: "derived-names",
  description: "every AWS name derived from the file's names fits its service's rules, and no two IAM names coincide",
  stage: "draft",
  check({ draft: d }) {
    const problems: Problem[] = [];
    const reported = new Set<string>();
    const byName = new Map<string, string>();
    for (const n of derivedNames(d)) {
      const breach = nameRuleBreach(n.rule, n.name);
      if (breach && !reported.has(breach)) {
        reported.add(breach);
        problems.push({ path: n.path, message: breach, fix: fixFor(n.path) });
      }
      // Two derived IAM names that would be the same (e.g. a workload named "smoke").
      if (n.rule !== NAME_RULES.iamRole && n.rule !== NAME_RULES.iamPolicy) continue;
      const key = `${n.rule.what}:${n.name.toLowerCase()}`;
      const first = byName.get(key);
      if (first === undefined) byName.set(key, n.owner);
      else if (!reported.has(key)) {
        reported.add(key);
        problems.push({ path: n.path, message: `${n.owner} would be named ${n.name}, like ${first}`, fix: "rename the workload" });
      }
    }
    return problems;
  },
};
