/**
 * What `npm run eval` needs of IAM, proven with the real policy evaluator (environment-check/iam-simulator.ts, the one
 * `npm run check:environments` runs) over the smoke policy core builds: the candidate and the judge are models the environment provisions,
 * which the smoke policy already grants (nothing new is needed); a model the environment does not enable stays
 * denied; and the one gap, a candidate called with a route tier no route uses it with, is exactly what eval's
 * up-front note (evaluation/eval-target.ts smokePolicyTiers) predicts.
 */
import { evaluatePolicy } from "../../../environment-check/iam-simulator";
import { foundationModelArn, inferenceProfileArn } from "../../../core/aws";
import { sizingEnvironmentRefs, smokePolicyOf } from "../../../core/iam";
import { smokePolicyTiers } from "../../../evaluation/eval-target";
import { HAIKU, NOVA_LITE, NOVA_MICRO, NOVA_PRO, shopPlan } from "../../evaluation/fixtures";

const { plan } = shopPlan();
const region = "us-east-1";
const account = plan.config.account;
const refs = sizingEnvironmentRefs(plan);
const policy = smokePolicyOf(plan, refs);
const guardrail = refs[region].guardrails["store-safety"];

/** Converse through the model's us. profile: the profile, and the routed foundation model in another region. */
async function verdict(modelId: string, context: Record<string, string> = {}): Promise<string> {
  const profile = inferenceProfileArn(region, account, `us.${modelId}`);
  const requests = [
    { resource: profile, context: { "aws:RequestedRegion": region, ...context } },
    { resource: foundationModelArn("us-west-2", modelId), context: { "aws:RequestedRegion": "us-west-2", "bedrock:InferenceProfileArn": profile, ...context } },
  ];
  const results = await Promise.all(requests.map((r) => evaluatePolicy(policy, account, { label: r.resource, action: "bedrock:InvokeModel", resource: r.resource, context: r.context, resourceAccount: account })));
  return new Set(results).size === 1 ? results[0] : results.join(" / ");
}

describe("eval's calls under the smoke policy", () => {
  it("a candidate of another route, and the judge, are granted: they are provisioned models", async () => {
    // Nova Lite is support-answers' fallback; evaluated as a candidate of any untiered route it is called the same way.
    expect(await verdict(NOVA_LITE)).toBe("Allowed");
    expect(await verdict(NOVA_PRO)).toBe("Allowed");
    // The judge gets no tier and no guardrail.
    expect(await verdict(HAIKU)).toBe("Allowed");
  });

  it("a candidate evaluated on the guarded route carries the guardrail; the smoke policy allows that and ApplyGuardrail", async () => {
    expect(await verdict(NOVA_LITE, { "bedrock:GuardrailIdentifier": `${guardrail.arn}:${guardrail.version}` })).toBe("Allowed");
    const apply = { label: "ApplyGuardrail", action: "bedrock:ApplyGuardrail", resource: guardrail.arn, context: { "aws:RequestedRegion": region }, resourceAccount: account };
    expect(await evaluatePolicy(policy, account, apply)).toBe("Allowed");
  });

  it("a model the environment does not enable is denied: eval refuses it up front for that reason", async () => {
    expect(await verdict(NOVA_MICRO)).toBe("ImplicitlyDenied");
  });

  it.each(["priority", "default", "flex"])("tier %s: the simulator allows exactly the models smokePolicyTiers says (the source of eval's note)", async (tier) => {
    for (const model of Object.keys(plan.invocations[region])) {
      const tiers = smokePolicyTiers(plan, model);
      const expected = tiers === undefined || tiers.includes(tier) ? "Allowed" : "ImplicitlyDenied";
      expect(`${model} ${tier}: ${await verdict(model, { "bedrock:ServiceTier": tier })}`).toBe(`${model} ${tier}: ${expected}`);
    }
    // The case the note is for: Nova Lite (untiered routes only) evaluated on the flex route is denied flex.
    if (tier === "flex") expect(await verdict(NOVA_LITE, { "bedrock:ServiceTier": "flex" })).toBe("ImplicitlyDenied");
  });
});
