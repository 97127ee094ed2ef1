import { names } from "../aws";
import type { BaselinePlan, RegionNetwork } from "../environment";
import { documentQuotaStore } from "../routing";
import { QUOTA_STORE_COMMANDS, QUOTA_STORE_KEY_PREFIX, type QuotaStoreLocation } from "../runtime";

/*
 * The region's quota store (`quotaStore` in the environment, docs/fleet-quota.md): an ElastiCache Serverless cache
 * running Valkey in the region's `network` VPC, TLS always (serverless caches accept nothing else,
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/in-transit-encryption.html), encrypted at rest with the
 * stack's customer managed key when the environment uses one, and with IAM authentication an ElastiCache user the
 * routers connect as, alone in the cache's user group (a Valkey user group needs no `default` user), whose ACL allows
 * the routers' commands on their keys and nothing else.
 */

/** The routers' ElastiCache user (IAM authentication). */
export interface QuotaStoreUserSpec {
  /** User ID and user name: IAM authentication requires them equal (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth-iam.html, "Limitations"). */
  readonly userId: string;
  /** Valkey ACL rules (https://valkey.io/topics/acl/): on, the key pattern, no command but the routers'. */
  readonly accessString: string;
  readonly userGroupId: string;
}

/** Everything the region stack creates for the quota store. */
export interface QuotaStoreSpec {
  readonly cacheName: string;
  readonly description: string;
  readonly engine: "valkey";
  readonly majorEngineVersion: string;
  readonly network: RegionNetwork;
  readonly maxDataStorageGb: number;
  readonly maxEcpuPerSecond: number;
  /** Encrypt with the stack's customer managed key (the environment's `encryption`); else an AWS owned key. */
  readonly customerManagedKey: boolean;
  readonly user?: QuotaStoreUserSpec;
  readonly keyPrefix: string;
  /** The routing document's `quotaStore`, given the endpoint's host (a Terraform reference in the stack). */
  location(host: string): QuotaStoreLocation;
}

/** The ACL of the routers' user: its keys only, the routers' commands only. */
export function quotaStoreAccessString(keyPrefix: string): string {
  return ["on", `~${keyPrefix}:*`, "-@all", ...QUOTA_STORE_COMMANDS.map((c) => `+${c}`)].join(" ");
}

/** The quota store of `region`'s stack, when the environment asks for one (and the region has its network). */
export function quotaStoreSpec(plan: BaselinePlan, region: string): QuotaStoreSpec | undefined {
  const c = plan.config;
  const q = c.quotaStore;
  if (!q?.enabled || !Object.hasOwn(c.network, region)) return undefined;
  const cacheName = names.quotaStoreCache(c.name);
  const keyPrefix = QUOTA_STORE_KEY_PREFIX;
  const user = q.iamAuth ? { userId: names.quotaStoreUser(c.name), accessString: quotaStoreAccessString(keyPrefix), userGroupId: names.quotaStoreUserGroup(c.name) } : undefined;
  return {
    cacheName,
    description: `Quota store of the Bedrock routing clients of ${c.name} (bedrock-access-baseline)`,
    engine: "valkey",
    majorEngineVersion: q.majorEngineVersion,
    network: c.network[region],
    maxDataStorageGb: q.maxDataStorageGb,
    maxEcpuPerSecond: q.maxEcpuPerSecond,
    customerManagedKey: c.encryption.keys !== "aws",
    ...(user ? { user } : {}),
    keyPrefix,
    location: (host) => documentQuotaStore(plan, region, host)!,
  };
}
