import { partitionOf } from "../../aws";
import { parsePrincipalArn } from "../../environment";
import { jsonPath, type Problem, quote } from "../../problems";
import type { EnvironmentRule } from "../rule";

/**
 * A managed policy can only be attached to principals of its own account and partition (other accounts assume a
 * created role), and a role can only be trusted by principals of its partition.
 */
export const principalAccounts: EnvironmentRule = {
  name: "principal-accounts",
  description: "attached principals are in the environment's account and partition; trusted principals in its partition",
  stage: "draft",
  check({ draft: d }) {
    const problems: Problem[] = [];
    const partition = d.regions.length ? partitionOf(d.regions[0].region) : undefined;
    const otherPartition = (path: string, arn: string, p: { partition: string }) =>
      problems.push({ path, message: `${quote(arn)} is in the ${p.partition} partition; the environment's regions are in ${partition}`, fix: `use an arn:${partition}:iam:: principal` });
    const attached: Array<[string, string]> = [
      ...d.workloads.flatMap((w) => (w.fields.principals ?? []).map((p, i): [string, string] => [jsonPath(["workloads", w.name, "principals", i]), p])),
      ...(d.smoke.principals ?? []).map((p, i): [string, string] => [`smoke.principals[${i}]`, p]),
    ];
    for (const [path, arn] of attached) {
      const p = parsePrincipalArn(arn);
      if (!p) continue;
      if (d.account !== undefined && p.account !== d.account)
        problems.push({ path, message: `${quote(arn)} is in account ${p.account}, not ${d.account}; a policy can only be attached in its own account`, fix: `use a principal of ${d.account}, or give a role "assumedByPrincipals"` });
      else if (partition && p.partition !== partition) otherPartition(path, arn, p);
    }
    for (const w of d.workloads)
      for (const [i, arn] of (w.fields.role?.assumedByPrincipals ?? []).entries()) {
        const p = parsePrincipalArn(arn);
        if (p && partition && p.partition !== partition) otherPartition(jsonPath(["workloads", w.name, "role", "assumedByPrincipals", i]), arn, p);
      }
    return problems;
  },
};
