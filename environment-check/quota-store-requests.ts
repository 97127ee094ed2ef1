import { quotaStoreArns } from "../core/iam";
import { OTHER_ACCOUNT } from "./iam-requests";
import type { IamRequest } from "./iam-simulator";

// elasticache:Connect is exact: a workload of an environment whose quota store uses IAM authentication may connect to
// its region's cache as its region's user, and to nothing else: no other cache or user, not another region's, not
// another account's (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth-iam.html). The smoke role connects
// to nothing.

/** A region the stack's policy must not open, whatever region it is for. */
function otherRegion(region: string): string {
  return region === "ap-south-1" ? "ap-southeast-1" : "ap-south-1";
}

function connect(label: string, resource: string, region: string, account: string): IamRequest {
  return { label: `elasticache:Connect to ${label}`, action: "elasticache:Connect", resource, context: { "aws:RequestedRegion": region }, resourceAccount: account };
}

/** The Connect requests of one region stack's policy: those it must allow (`connects`: a workload with the store), those it must not. */
export function quotaStoreRequests(env: string, region: string, account: string, connects: boolean): { allowed: IamRequest[]; denied: IamRequest[] } {
  const own = quotaStoreArns(env, region, account);
  const elsewhere = quotaStoreArns(env, otherRegion(region), account);
  const foreign = quotaStoreArns(env, region, OTHER_ACCOUNT);
  const base = `arn:aws:elasticache:${region}:${account}`;
  const mine = [connect("the quota store's cache", own.cache, region, account), connect("the quota store's user", own.user, region, account)];
  const others = [
    connect("another cache of the account", `${base}:serverlesscache:some-other-cache`, region, account),
    connect("the default user", `${base}:user:default`, region, account),
    connect("the quota store's cache of another region", elsewhere.cache, otherRegion(region), account),
    connect("the quota store's user of another region", elsewhere.user, otherRegion(region), account),
    connect("the same names in another account", foreign.cache, region, OTHER_ACCOUNT),
  ];
  return connects ? { allowed: mine, denied: others } : { allowed: [], denied: [...mine, ...others] };
}
