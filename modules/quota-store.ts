import { Construct } from "constructs";
import type { QuotaStoreSpec } from "../core/baseline";
import { DataAwsSubnet, ElasticacheServerlessCache, ElasticacheUser, ElasticacheUserGroup } from "./provider-aws";

/** Properties of QuotaStore. */
export interface QuotaStoreProps {
  /** The cache, its network, limits and user (core/baseline/quota-store.ts). */
  readonly spec: QuotaStoreSpec;
  /** The stack's customer managed key, when the environment uses one. Default: an AWS owned key. */
  readonly keyArn?: string;
  /** Environment name and region, for the plan-time messages. */
  readonly envName: string;
  readonly region: string;
}

/** An EC2 ID in an HCL string literal: validation lets only EC2 IDs (prefix, dash, hex) through, which need no escaping. */
function hclString(id: string): string {
  if (!/^(vpc|subnet|sg)-[0-9a-f]+$/.test(id)) throw new Error(`refusing to put ${JSON.stringify(id)} into a Terraform expression: not an EC2 ID`);
  return `"${id}"`;
}

/**
 * The routers' quota store in the region (docs/fleet-quota.md): an ElastiCache Serverless cache running Valkey
 * (https://registry.terraform.io/providers/hashicorp/aws/6.25.0/docs/resources/elasticache_serverless_cache) in the
 * environment's VPC of the region, with usage limits as a ceiling on its cost and, with IAM authentication, a user
 * authenticated by IAM (`authentication_mode { type = "iam" }`, user name = user ID) alone in the cache's user group.
 * Every subnet must be in the VPC; Terraform checks that when it plans.
 */
export class QuotaStore extends Construct {
  readonly cache: ElasticacheServerlessCache;
  readonly user?: ElasticacheUser;
  readonly userGroup?: ElasticacheUserGroup;

  constructor(scope: Construct, id: string, props: QuotaStoreProps) {
    super(scope, id);
    const s = props.spec;
    const net = s.network;
    for (const sg of net.securityGroupIds) hclString(sg);
    const subnets = net.subnetIds.map((subnetId) => new DataAwsSubnet(this, `subnet-${subnetId}`, { id: subnetId }));
    const vpcs = `[${subnets.map((d) => `${d.fqn}.vpc_id`).join(", ")}]`;
    const precondition = [
      {
        condition: `\${length(distinct(${vpcs})) == 1 && ${vpcs}[0] == ${hclString(net.vpcId)}}`,
        errorMessage: `Every subnet of network.${props.region}.subnetIds must be in ${net.vpcId}. Fix: list subnets of that VPC in config/${props.envName}.json (aws ec2 describe-subnets --filters Name=vpc-id,Values=${net.vpcId}).`,
      },
    ];
    if (s.user) {
      this.user = new ElasticacheUser(this, "user", {
        userId: s.user.userId,
        userName: s.user.userId,
        engine: s.engine,
        accessString: s.user.accessString,
        authenticationMode: { type: "iam" },
      });
      this.userGroup = new ElasticacheUserGroup(this, "user-group", { userGroupId: s.user.userGroupId, engine: s.engine, userIds: [this.user.userId] });
    }
    this.cache = new ElasticacheServerlessCache(this, "cache", {
      name: s.cacheName,
      description: s.description,
      engine: s.engine,
      majorEngineVersion: s.majorEngineVersion,
      subnetIds: [...net.subnetIds],
      securityGroupIds: [...net.securityGroupIds],
      cacheUsageLimits: [{ dataStorage: [{ maximum: s.maxDataStorageGb, unit: "GB" }], ecpuPerSecond: [{ maximum: s.maxEcpuPerSecond }] }],
      ...(props.keyArn ? { kmsKeyId: props.keyArn } : {}),
      ...(this.userGroup ? { userGroupId: this.userGroup.userGroupId } : {}),
      lifecycle: { precondition },
    });
  }

  /** The endpoint's host name (a Terraform reference): what the routing document tells the routers. */
  get host(): string {
    return this.cache.endpoint.get(0).address;
  }
}
