import type { Problem } from "../../problems";
import type { EnvironmentRule } from "../rule";

/** The guard's settings fit together: targets only where the policy is created, nothing set while it is off. */
export const organizationGuardSettings: EnvironmentRule = {
  name: "organization-guard-settings",
  description: "organizationGuard's settings fit together (targets only when the account stack creates the policy)",
  stage: "draft",
  check({ draft: d }) {
    const g = d.organizationGuard;
    const problems: Problem[] = [];
    const targets = g.targets ?? [];
    if (g.enabled === false && (g.managementAccount || targets.length))
      problems.push({ path: "organizationGuard.enabled", message: "is false, so managementAccount and targets have no effect", fix: 'set "enabled": true to emit the guard, or remove the other settings', severity: "warning" });
    if (g.managementAccount === false && targets.length)
      problems.push({
        path: "organizationGuard.targets",
        message: "targets are attached only when the account stack creates the policy",
        fix: 'set "managementAccount": true (the environment\'s account manages SCPs), or remove targets and attach the written policy yourself',
      });
    // SCPs never restrict the management account (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html).
    targets.forEach((t, i) => {
      if (g.managementAccount && t === d.account)
        problems.push({ path: `organizationGuard.targets[${i}]`, message: `${t} is the environment's own account; if it is the organization's management account, SCPs do not restrict it`, fix: "attach the guard to the OUs or accounts that run workloads", severity: "warning" });
    });
    return problems;
  },
};
