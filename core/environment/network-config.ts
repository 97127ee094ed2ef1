import { z } from "zod";
import { MAX_SECURITY_GROUPS_PER_INTERFACE, SECURITY_GROUP_ID, SUBNET_ID, VPC_ID } from "../aws";
import { quote } from "../problems";
import { regionName } from "./model-config";
import { issue } from "./schema-issue";

function resourceId(pattern: RegExp, what: string, example: string, lookup: string) {
  return z
    .string()
    .superRefine((v, ctx) => {
      if (!pattern.test(v)) issue(ctx, `${quote(v)} is not a ${what} ID`, `write it as ${example} (${lookup})`);
    })
    .meta({ pattern: pattern.source });
}

const vpcId = resourceId(VPC_ID, "VPC", "vpc- and 8 or 17 hex digits, e.g. vpc-0a1b2c3d4e5f60718", "aws ec2 describe-vpcs");
const subnetId = resourceId(SUBNET_ID, "subnet", "subnet- and 8 or 17 hex digits, e.g. subnet-0a1b2c3d4e5f60718", "aws ec2 describe-subnets");
const securityGroupId = resourceId(SECURITY_GROUP_ID, "security group", "sg- and 8 or 17 hex digits, e.g. sg-0a1b2c3d4e5f60718", "aws ec2 describe-security-groups");

/**
 * One region's VPC, shared by every feature that places network interfaces there (interface endpoints today). Subnets
 * are one per Availability Zone the endpoints serve (an interface endpoint takes at most one subnet per zone; Terraform
 * checks the zones at plan time); the security groups must admit HTTPS (443) from the callers.
 */
export const regionNetworkSchema = z.strictObject({
  /** The VPC, e.g. vpc-0a1b2c3d4e5f60718. */
  vpcId,
  /** Subnets of that VPC, one per Availability Zone (at least one; two or more for zone redundancy). */
  subnetIds: z.array(subnetId).min(1).max(32),
  /** Security groups of the endpoints' network interfaces: at least one, at most 16 (5 by default quota). */
  securityGroupIds: z.array(securityGroupId).min(1).max(MAX_SECURITY_GROUPS_PER_INTERFACE),
});

/** `network`: region -> its VPC, subnets and security groups. Default: none. */
export const networkSchema = z.record(regionName, regionNetworkSchema);

export type RegionNetwork = z.infer<typeof regionNetworkSchema>;
