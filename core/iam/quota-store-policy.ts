import { names, partitionOf } from "../aws";
import type { BaselinePlan } from "../environment";
import type { PolicyStatement } from "./iam-policy";

/*
 * What a routing client needs to connect to its region's quota store with IAM authentication: elasticache:Connect on
 * the serverless cache and on the ElastiCache user it authenticates as, nothing else
 * (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth-iam.html, "Setup"; ARN forms: the Service Authorization
 * Reference, https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticache.html). Both names
 * are derived from the environment (core/aws/names.ts), so the grant is exact before anything exists.
 */

/** The ARNs of one region's quota-store cache and user. */
export interface QuotaStoreArns {
  readonly cache: string;
  readonly user: string;
}

/** The cache and user ARNs of the quota store of `env` in `region`. */
export function quotaStoreArns(env: string, region: string, account: string): QuotaStoreArns {
  const base = `arn:${partitionOf(region)}:elasticache:${region}:${account}`;
  return { cache: `${base}:serverlesscache:${names.quotaStoreCache(env)}`, user: `${base}:user:${names.quotaStoreUser(env)}` };
}

/** The quota stores a workload may connect to in `regions`, when the environment provisions them with IAM authentication. */
export function quotaStoreTargets(plan: BaselinePlan, regions: readonly string[]): QuotaStoreArns[] {
  const q = plan.config.quotaStore;
  if (!q?.enabled || !q.iamAuth) return [];
  return regions.map((r) => quotaStoreArns(plan.config.name, r, plan.config.account));
}

/** elasticache:Connect on exactly the given caches and users (one statement, whatever the number of regions). */
export function quotaStoreConnect(targets: readonly QuotaStoreArns[]): PolicyStatement {
  return { Sid: "ConnectQuotaStore", Effect: "Allow", Action: ["elasticache:Connect"], Resource: targets.flatMap((t) => [t.cache, t.user]) };
}
