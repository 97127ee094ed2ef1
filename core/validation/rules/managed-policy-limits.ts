import { DEFAULT_MANAGED_POLICIES_PER_PRINCIPAL, MAX_MANAGED_POLICIES_PER_PRINCIPAL, MAX_MANAGED_POLICY_CHARS } from "../../aws";
import { principalIdentity } from "../../environment";
import { environmentPolicies } from "../../iam";
import { jsonPath, type Problem, quote } from "../../problems";
import type { EnvironmentRule } from "../rule";

/**
 * The managed policies exactly as the account stack creates them (core/iam/environment-policies.ts: one per workload
 * and one for smoke, each for every region, packed into parts of at most 6,144 characters): no part over the limit,
 * and every attached principal within IAM's managed-policies quota, counting every part of every policy it gets. The
 * number of regions does not change the count; the number and size of the grants do.
 */
export const managedPolicyLimits: EnvironmentRule = {
  name: "managed-policy-limits",
  description: "every packed policy part fits IAM's size, and no principal gets more managed policies than IAM attaches",
  stage: "plan",
  check({ plan, draft }) {
    const problems: Problem[] = [];
    const attached = new Map<string, { path: string; arn: string; count: number }>();
    const attach = (path: string, arn: string, parts: number) => {
      const entry = attached.get(principalIdentity(arn)) ?? { path, arn, count: 0 };
      entry.count += parts;
      attached.set(principalIdentity(arn), entry);
    };
    for (const p of environmentPolicies(plan)) {
      // A workload's policy names the metrics namespace: without a sound one it cannot be sized.
      if (p.workload !== undefined && draft.metricsNamespace === undefined) continue;
      const at = p.workload === undefined ? [] : ["workloads", p.workload];
      const largest = Math.max(...p.partSizes);
      if (largest > MAX_MANAGED_POLICY_CHARS)
        problems.push({ path: p.workload === undefined ? "models" : jsonPath(at), message: `one statement of ${p.workload === undefined ? "the smoke policy" : `the policy of workload ${p.workload}`} would be about ${largest} characters; IAM allows ${MAX_MANAGED_POLICY_CHARS} per policy`, fix: "declare fewer models per route" });
      p.principals.forEach((arn, i) => attach(p.workload === undefined ? `smoke.principals[${i}]` : jsonPath([...at, "principals", i]), arn, p.partSizes.length));
      // Each region's role of the workload gets every part (the roles are the workload's alone).
      if (p.roles.length && p.partSizes.length > MAX_MANAGED_POLICIES_PER_PRINCIPAL)
        problems.push({ path: jsonPath([...at, "role"]), message: `the roles of workload ${p.workload} would get ${p.partSizes.length} baseline policies; IAM attaches at most ${MAX_MANAGED_POLICIES_PER_PRINCIPAL} managed policies to a role`, fix: "give the workload fewer routes (or models), or split it" });
      else if (p.roles.length && p.partSizes.length > DEFAULT_MANAGED_POLICIES_PER_PRINCIPAL)
        problems.push({ path: jsonPath([...at, "role"]), message: `the roles of workload ${p.workload} would get ${p.partSizes.length} baseline policies; IAM's default quota is ${DEFAULT_MANAGED_POLICIES_PER_PRINCIPAL} managed policies per role`, fix: "give the workload fewer routes (or models), or request an increase", severity: "warning" });
    }
    for (const { path, arn, count } of attached.values()) {
      if (count > MAX_MANAGED_POLICIES_PER_PRINCIPAL)
        problems.push({ path, message: `${quote(arn)} would get ${count} baseline policies; IAM attaches at most ${MAX_MANAGED_POLICIES_PER_PRINCIPAL} managed policies to a role or user`, fix: "give the workloads created roles, or split the environment" });
      else if (count > DEFAULT_MANAGED_POLICIES_PER_PRINCIPAL)
        problems.push({ path, message: `${quote(arn)} would get ${count} baseline policies; IAM's default quota is ${DEFAULT_MANAGED_POLICIES_PER_PRINCIPAL} managed policies per role or user`, fix: `request an increase (up to ${MAX_MANAGED_POLICIES_PER_PRINCIPAL}) before applying, or use created roles`, severity: "warning" });
    }
    return problems;
  },
};
