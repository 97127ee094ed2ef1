import { principalIdentity } from "../../environment";
import type { EnvironmentRule } from "../rule";
import { duplicates } from "../list-duplicates";

const SAME_PRINCIPAL = " (IAM names are unique per account, ignoring case and path)";
const SAME_ADDRESS = " (addresses compare without case)";
const emailIdentity = (e: string) => e.toLowerCase();

/** No list names one thing twice: regions, a workload's routes and principals, smoke principals, emails, alerts, targets, log groups. */
export const distinctEntries: EnvironmentRule = {
  name: "distinct-entries",
  description: "no list of the file names the same region, route, principal, service, address, alert, target or log group twice",
  stage: "draft",
  check({ draft: d }) {
    const problems = duplicates(d.regions.map((r) => r.region), ["regions"], "region");
    for (const w of d.workloads) {
      const at = ["workloads", w.name];
      problems.push(...duplicates(w.fields.routes, [...at, "routes"], "route"));
      problems.push(...duplicates(w.fields.principals, [...at, "principals"], "principal", principalIdentity, SAME_PRINCIPAL));
      problems.push(...duplicates(w.fields.role?.assumedByServices, [...at, "role", "assumedByServices"], "service"));
      problems.push(...duplicates(w.fields.role?.assumedByPrincipals, [...at, "role", "assumedByPrincipals"], "principal", principalIdentity, SAME_PRINCIPAL));
    }
    problems.push(...duplicates(d.smoke.principals, ["smoke", "principals"], "principal", principalIdentity, SAME_PRINCIPAL));
    problems.push(...duplicates(d.alarms.emails, ["alarms", "emails"], "address", emailIdentity, SAME_ADDRESS));
    problems.push(...duplicates(d.budget.emails, ["budget", "emails"], "address", emailIdentity, SAME_ADDRESS));
    problems.push(...duplicates(d.budget.alerts?.map((a) => `${a.type} ${a.percent}%`), ["budget", "alerts"], "alert"));
    problems.push(...duplicates(d.organizationGuard.targets, ["organizationGuard", "targets"], "target"));
    problems.push(...duplicates(d.observability.clientLogGroups, ["observability", "clientLogGroups"], "log group"));
    return problems;
  },
};
