import { quotaStoreArns } from "../core/iam";
import { OTHER_ACCOUNT, outsideRegions } from "./iam-requests";
import type { IamRequest } from "./iam-simulator";

// elasticache:Connect is exact: a workload of an environment whose quota store uses IAM authentication may connect to
// each region's cache as that region's user, and to nothing else: no other cache or user, not a region outside the
// environment, not another account's (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth-iam.html). The
// smoke role connects to nothing.

function connect(label: string, resource: string, region: string, account: string): IamRequest {
  return { label: `elasticache:Connect to ${label}`, action: "elasticache:Connect", resource, context: { "aws:RequestedRegion": region }, resourceAccount: account };
}

/**
 * The Connect requests of a policy in `region` of an environment (`envRegions`): those it must allow (`connects`: a
 * workload with the store), those it must not.
 */
export function quotaStoreRequests(env: string, region: string, envRegions: readonly string[], account: string, connects: boolean): { allowed: IamRequest[]; denied: IamRequest[] } {
  const own = quotaStoreArns(env, region, account);
  const outside = outsideRegions(region, envRegions)[0];
  const elsewhere = outside ? quotaStoreArns(env, outside, account) : undefined;
  const foreign = quotaStoreArns(env, region, OTHER_ACCOUNT);
  const base = `arn:aws:elasticache:${region}:${account}`;
  const mine = [connect("the quota store's cache", own.cache, region, account), connect("the quota store's user", own.user, region, account)];
  const others = [
    connect("another cache of the account", `${base}:serverlesscache:some-other-cache`, region, account),
    connect("the default user", `${base}:user:default`, region, account),
    ...(elsewhere
      ? [connect("the quota store's cache of a region outside the environment", elsewhere.cache, outside, account), connect("the quota store's user of a region outside the environment", elsewhere.user, outside, account)]
      : []),
    connect("the same names in another account", foreign.cache, region, OTHER_ACCOUNT),
  ];
  return connects ? { allowed: mine, denied: others } : { allowed: [], denied: [...mine, ...others] };
}
