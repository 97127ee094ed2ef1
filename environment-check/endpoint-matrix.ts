import { inferenceProfileArn } from "../core/aws";
import type { BaselinePlan } from "../core/environment";
import { subjectRequests, type PolicySubject } from "./iam-matrix";
import { casesFor, NEVER_ENABLED_MODEL, notGrantedCases, OTHER_ACCOUNT } from "./iam-requests";
import { evaluateThroughEndpoint, type IamRequest } from "./iam-simulator";
import { endpointPolicyFromSynth, policyFromSynth, type StackJson } from "./synthesized-policies";

// The interface endpoints' policies are exact: through the bedrock-runtime endpoint every call a policy of the stack
// allows still goes through, and nothing else does, whatever the caller's own policies allow (a role allowed all of
// Bedrock cannot reach a model the stack never provisioned, nor can a principal of another account use the endpoint).
// Proven with the same evaluator and requests as the IAM matrix, the endpoint policy evaluated beside the identity's.

/** A role allowed every Bedrock and AppConfig action on everything: only the endpoint policy can refuse its calls. */
const BROAD = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["bedrock:*", "appconfig:*"], Resource: "*" }] };

/** What one region's endpoint matrix decided: requests, and one line per request decided otherwise than required. */
export interface EndpointVerdict {
  readonly requests: number;
  readonly problems: readonly string[];
}

/**
 * Decides the endpoint requests of `subjects` (one region's calls of the environment's policies, in the account stack)
 * against the region's synthesized endpoint policies (in the region stack).
 */
export async function checkEndpoints(plan: BaselinePlan, stacks: { readonly region: StackJson; readonly account: StackJson }, region: string, subjects: readonly PolicySubject[]): Promise<EndpointVerdict> {
  const runtime = endpointPolicyFromSynth(stacks.region, plan, region, "bedrock-runtime");
  const data = endpointPolicyFromSynth(stacks.region, plan, region, "appconfigdata");
  const account = plan.config.account;
  const checks: Array<{ request: IamRequest; identity: unknown; account: string; endpoint: unknown; expected: "Allowed" | "denied" }> = [];
  if (runtime) {
    for (const subject of subjects) {
      const identity = policyFromSynth(stacks.account, subject.policyName, plan);
      for (const r of subjectRequests(plan, subject).filter((x) => x.expected === "Allowed")) checks.push({ request: { ...r.request, label: `${subject.policyName}: ${r.request.label}` }, identity, account, endpoint: runtime, expected: "Allowed" });
    }
    const invs = Object.values(plan.invocations[region] ?? {});
    const inv = invs[0];
    const denied = (r: IamRequest) => checks.push({ request: { ...r, label: `a role allowed all of Bedrock: ${r.label}` }, identity: BROAD, account, endpoint: runtime, expected: "denied" });
    notGrantedCases(NEVER_ENABLED_MODEL, undefined, region, account).forEach(denied);
    // A provisioned model called directly, or through another account's profile: the endpoint lets a model through
    // only by the profile the stack grants.
    for (const i of invs.filter((x) => x.profileArn))
      for (const r of casesFor(i, account, {}, plan.config.regions).denied.filter((d) => d.action === "bedrock:InvokeModel" && d.resource.includes(":foundation-model/"))) denied(r);
    if (inv?.profileArn) {
      const own = inferenceProfileArn(region, OTHER_ACCOUNT, inv.invokeId);
      checks.push({
        request: { label: `a role of account ${OTHER_ACCOUNT} invoking ${inv.invokeId} of its own account through the endpoint`, action: "bedrock:InvokeModel", resource: own, context: { "aws:RequestedRegion": region }, resourceAccount: OTHER_ACCOUNT },
        identity: BROAD,
        account: OTHER_ACCOUNT,
        endpoint: runtime,
        expected: "denied",
      });
    }
  }
  if (data) {
    const configuration = (app: string) => `arn:aws:appconfig:${region}:${account}:application/${app}/environment/abc1234/configuration/abc1234`;
    const read = (app: string): IamRequest => ({ label: `appconfig:GetLatestConfiguration of application ${app}`, action: "appconfig:GetLatestConfiguration", resource: configuration(app), context: {}, resourceAccount: account });
    checks.push({ request: read("abc1234"), identity: BROAD, account, endpoint: data, expected: "Allowed" }, { request: read("zzz9999"), identity: BROAD, account, endpoint: data, expected: "denied" });
  }
  const decided = await Promise.all(checks.map(async (c) => ({ c, decision: await evaluateThroughEndpoint({ identity: [c.identity], endpoint: c.endpoint, account: c.account }, c.request) })));
  return {
    requests: checks.length,
    problems: decided.filter(({ c, decision }) => (c.expected === "Allowed" ? decision !== "Allowed" : decision === "Allowed")).map(({ c, decision }) => `${decision}, expected ${c.expected} through the endpoint: ${c.request.label}`),
  };
}
