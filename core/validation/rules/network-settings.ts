import { DEFAULT_SECURITY_GROUPS_PER_INTERFACE } from "../../aws";
import { jsonPath, type Problem } from "../../problems";
import { duplicates } from "../list-duplicates";
import type { EnvironmentRule } from "../rule";

/**
 * The `network` block names regions of the environment (another region's entry is kept, with a warning), each subnet and security group once, and no more security
 * groups than a network interface takes by default (5; adjustable to 16, so a warning:
 * https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-security-groups). Which zone each
 * subnet is in and which VPC it belongs to are checked when Terraform plans (modules/private-endpoints.ts).
 */
export const networkSettings: EnvironmentRule = {
  name: "network-settings",
  description: "network names the environment's regions, each subnet and security group once, and at most 5 security groups",
  stage: "draft",
  check({ draft: d }) {
    const problems: Problem[] = [];
    const regions = new Set(d.regions.map((r) => r.region));
    for (const [region, net] of Object.entries(d.network)) {
      const at = ["network", region];
      if (d.regionsComplete && !regions.has(region))
        problems.push({ path: jsonPath(at), message: `${region} is not one of the environment's regions, so this entry has no effect`, fix: `add ${region} to regions, or remove this entry`, severity: "warning" });
      problems.push(...duplicates(net.subnetIds, [...at, "subnetIds"], "subnet"));
      problems.push(...duplicates(net.securityGroupIds, [...at, "securityGroupIds"], "security group"));
      if (net.securityGroupIds.length > DEFAULT_SECURITY_GROUPS_PER_INTERFACE)
        problems.push({
          path: jsonPath([...at, "securityGroupIds"]),
          message: `names ${net.securityGroupIds.length} security groups; a network interface takes ${DEFAULT_SECURITY_GROUPS_PER_INTERFACE} under the default quota`,
          fix: `use at most ${DEFAULT_SECURITY_GROUPS_PER_INTERFACE}, or raise "Security groups per network interface" in Service Quotas (VPC) first`,
          severity: "warning",
        });
    }
    return problems;
  },
};
