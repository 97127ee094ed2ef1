import { MAX_ENDPOINT_POLICY_CHARS } from "../../aws";
import { attributesCost } from "../../environment";
import { regionSecurity } from "../../baseline";
import type { Problem } from "../../problems";
import type { EnvironmentRule } from "../rule";

/**
 * Each interface endpoint's policy, exactly as the stack renders it with applied values as long as real ones, fits the
 * 20,480 characters a VPC endpoint policy holds (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html):
 * the bedrock-runtime policy grows with the region's models and, with cost attribution, with the workloads' application
 * profiles (two ARNs each).
 */
export const endpointPolicySize: EnvironmentRule = {
  name: "endpoint-policy-size",
  description: "every interface endpoint policy fits the 20,480 characters VPC endpoint policies hold",
  stage: "plan",
  check({ plan }) {
    const problems: Problem[] = [];
    for (const region of new Set(plan.config.regions)) {
      const sizes = regionSecurity(plan, region).privateEndpoints?.policySizes ?? {};
      for (const [service, size] of Object.entries(sizes))
        if (size !== undefined && size > MAX_ENDPOINT_POLICY_CHARS)
          problems.push({
            path: "privateEndpoints.services",
            message: `the ${service} endpoint policy of ${region} is ${size} characters; VPC endpoint policies hold ${MAX_ENDPOINT_POLICY_CHARS}`,
            fix: attributesCost(plan)
              ? `enable fewer models in ${region}, let fewer workloads use each (an application profile each), or split the environment`
              : `enable fewer models in ${region}, or split the environment by region`,
          });
    }
    return problems;
  },
};
