import { jsonPath, type Problem } from "../../problems";
import type { EnvironmentRule } from "../rule";

/**
 * The quota store's caches fit their network: every region has its `network` entry when `quotaStore` is on (the cache's
 * endpoint goes in that VPC), subnets in two or more Availability Zones (a serverless cache serves from each of its
 * subnets' zones, so one subnet ties the fleet's store to one zone:
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/RegionsAndAZs.html, "Serverless caching"), and IAM authentication unless the team
 * means to let anyone the security groups admit read and overwrite the fleet's quota state.
 */
export const quotaStoreSettings: EnvironmentRule = {
  name: "quota-store-settings",
  description: "quotaStore has a network in every region, subnets in two or more zones, and IAM authentication (or a warning)",
  stage: "draft",
  check({ draft: d }) {
    const q = d.quotaStore;
    if (q.enabled !== true) return [];
    const problems: Problem[] = [];
    d.regions.forEach(({ region, index }) => {
      if (!Object.hasOwn(d.network, region)) {
        problems.push({
          path: jsonPath(["network", region]),
          message: `is missing: the quota store's cache needs the VPC, subnets and security groups of ${region} (regions[${index}])`,
          fix: `add "network": { "${region}": { "vpcId": "vpc-…", "subnetIds": ["subnet-…", "subnet-…"], "securityGroupIds": ["sg-…"] } }, its security groups admitting TCP 6379 from the routers`,
        });
        return;
      }
      const subnets = d.network[region].subnetIds;
      if (subnets.length < 2)
        problems.push({
          path: jsonPath(["network", region, "subnetIds"]),
          message: `names one subnet: the quota store's cache in ${region} would serve from one Availability Zone, and the fleet would route on its own estimates whenever that zone is out`,
          fix: "add a subnet in another Availability Zone of the VPC",
          severity: "warning",
        });
    });
    if (q.iamAuth === false)
      problems.push({
        path: "quotaStore.iamAuth",
        message: "is false: the cache gets no user group, so anything its security groups admit may read and overwrite the fleet's quota state",
        fix: "keep IAM authentication on (the default), unless the security groups admit only the routers' hosts",
        severity: "warning",
      });
    return problems;
  },
};
