import { invocation } from "../../../core/aws";
import { invokeGrantStatements, type ModelGrant } from "../../../core/iam";
import { evaluatePolicy } from "../../../environment-check/iam-simulator";

// A model's grant through application profiles (cost attribution) in the regions that have them, and through its system
// profile where none exists (smoke's grant of a model no workload uses there), decided by the real evaluator.

const account = "111122223333";
const modelId = "anthropic.claude-haiku-4-5-20251001-v1:0";
const east = invocation({ kind: "geo", modelId, region: "us-east-1", account, geography: "us" });
const west = invocation({ kind: "geo", modelId, region: "us-west-2", account, geography: "us" });
const mine = `arn:aws:bedrock:us-east-1:${account}:application-inference-profile/abcdefghijkl`;
const theirs = `arn:aws:bedrock:us-east-1:${account}:application-inference-profile/zyxwvutsrqpo`;
const grant: ModelGrant = { modelId, invocations: [east, west], profiles: { "us-east-1": [mine] } };
const policy = { Version: "2012-10-17", Statement: invokeGrantStatements([grant], account) };
const fm = (region: string) => `arn:aws:bedrock:${region}::foundation-model/${modelId}`;
const call = (resource: string, region: string, via?: string) => ({
  label: resource,
  action: "bedrock:InvokeModel",
  resource,
  context: { "aws:RequestedRegion": region, ...(via ? { "bedrock:InferenceProfileArn": via } : {}) },
  resourceAccount: account,
});

describe("invoke grants through application profiles in some regions", () => {
  it.each([
    ["its application profile in us-east-1", call(mine, "us-east-1"), "Allowed"],
    ["the model in a destination region through it", call(fm("us-east-2"), "us-east-2", mine), "Allowed"],
    ["the system profile in us-east-1 (attribution bypassed)", call(east.profileArn!, "us-east-1"), "ImplicitlyDenied"],
    ["another workload's profile", call(theirs, "us-east-1"), "ImplicitlyDenied"],
    ["the model through another workload's profile", call(fm("us-east-1"), "us-east-1", theirs), "ImplicitlyDenied"],
    ["the model directly", call(fm("us-east-1"), "us-east-1"), "ImplicitlyDenied"],
    ["the system profile in us-west-2, which has no application profile", call(west.profileArn!, "us-west-2"), "Allowed"],
    ["the model through us-west-2's system profile", call(fm("us-east-2"), "us-east-2", west.profileArn!), "Allowed"],
  ])("%s", async (_label, request, decision) => {
    expect(await evaluatePolicy(policy, account, request)).toBe(decision);
  });

  it("a guardrail Deny names the application profiles as well as the system ones", () => {
    const guarded = invokeGrantStatements([{ ...grant, constraints: { guardrails: [`arn:aws:bedrock:us-east-1:${account}:guardrail/g1`] } }], account);
    const deny = guarded.find((s) => s.Effect === "Deny")!;
    expect(deny.Resource).toEqual(expect.arrayContaining([mine, `arn:aws:bedrock:*:${account}:inference-profile/${west.invokeId}`]));
  });
});
