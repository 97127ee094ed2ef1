import { jsonPath, type Problem } from "../../problems";
import { duplicates } from "../list-duplicates";
import type { EnvironmentRule } from "../rule";

/**
 * Private endpoints fit together: every region has its network when they are on; aws:SourceVpce is required only with a
 * bedrock-runtime endpoint to go through (else no workload could reach its models); nothing is set while they are off.
 */
export const privateEndpointSettings: EnvironmentRule = {
  name: "private-endpoint-settings",
  description: "privateEndpoints has a network in every region, a bedrock-runtime endpoint for aws:SourceVpce, and each service once",
  stage: "draft",
  check({ draft: d }) {
    const p = d.privateEndpoints;
    const problems: Problem[] = duplicates(p.services, ["privateEndpoints", "services"], "service");
    if (p.enabled !== true) {
      if (p.requireSourceVpce)
        problems.push({ path: "privateEndpoints.requireSourceVpce", message: "requires aws:SourceVpce, but privateEndpoints.enabled is false: no endpoint exists to go through", fix: 'set "enabled": true (with a network entry per region), or remove requireSourceVpce' });
      return problems;
    }
    d.regions.forEach(({ region, index }) => {
      if (!Object.hasOwn(d.network, region))
        problems.push({
          path: jsonPath(["network", region]),
          message: `is missing: private endpoints need the VPC, subnets and security groups of ${region} (regions[${index}])`,
          fix: `add "network": { "${region}": { "vpcId": "vpc-…", "subnetIds": ["subnet-…"], "securityGroupIds": ["sg-…"] } }`,
        });
    });
    const services = p.services ?? ["bedrock-runtime"];
    if (p.requireSourceVpce && !services.includes("bedrock-runtime"))
      problems.push({ path: "privateEndpoints.requireSourceVpce", message: "requires aws:SourceVpce, but services has no bedrock-runtime endpoint: no workload could reach its models", fix: 'add "bedrock-runtime" to privateEndpoints.services, or remove requireSourceVpce' });
    if (p.privateDns === false && services.length)
      problems.push({
        path: "privateEndpoints.privateDns",
        message: "is false: SDK calls keep resolving to the public endpoints unless every client is given an endpoint URL",
        fix: "keep private DNS on, or pass each endpoint's DNS name to the clients (routing client endpointUrl, smoke --endpoint-url)",
        severity: "warning",
      });
    return problems;
  },
};
