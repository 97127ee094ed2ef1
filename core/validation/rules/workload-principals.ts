import { jsonPath, type Problem } from "../../problems";
import type { EnvironmentRule } from "../rule";

/** Someone runs each workload: it has principals or a role, and someone can assume the role. */
export const workloadPrincipals: EnvironmentRule = {
  name: "workload-principals",
  description: "every workload has principals or a role, and its role can be assumed",
  stage: "draft",
  check({ draft: d }) {
    const problems: Problem[] = [];
    for (const w of d.workloads) {
      const at = ["workloads", w.name];
      if (w.value && w.value.principals.length === 0 && !w.value.role)
        problems.push({ path: jsonPath(at), message: "has neither principals nor role", fix: `add "principals": [role ARN] or "role": {"assumedByServices": [...]}` });
      if (w.value?.role && w.value.role.assumedByServices.length + w.value.role.assumedByPrincipals.length === 0)
        problems.push({ path: jsonPath([...at, "role"]), message: "nobody can assume the role", fix: "add assumedByServices or assumedByPrincipals" });
    }
    return problems;
  },
};
