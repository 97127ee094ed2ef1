import { names } from "../../core/aws";
import { checkPolicy, policySubjects } from "../../environment-check/iam-matrix";
import { NEVER_ENABLED_MODEL } from "../../environment-check/iam-requests";
import { policyFromSynth } from "../../environment-check/synthesized-policies";
import { devPlan, HAIKU, NOVA } from "../fixtures";
import { synthAccount } from "../modules/fixtures";

// The matrix passes an exact policy and names every request a wrong one decides otherwise than required: one
// compliant case and a non-compliant case per way a Bedrock policy goes wrong.

const plan = devPlan();
const region = plan.config.regions[0];
const { json } = synthAccount(plan);
const subject = policySubjects(plan).find((s) => s.region === region && s.policyName === names.workloadPolicy("dev", "ticket-triage"))!;
const exact = policyFromSynth(json, subject.policyName, plan);
type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: string | string[]; Condition?: unknown };
const withStatements = (edit: (statements: Statement[]) => Statement[]) => ({ ...exact, Statement: edit(structuredClone(exact.Statement)) });
const resourcesOf = (st: Statement) => [st.Resource].flat();

describe("policySubjects", () => {
  it("names every workload policy and the smoke policy in each region, with the models each must grant there", () => {
    expect(policySubjects(plan).map((s) => [s.region, s.policyName, [...s.granted].sort(), s.tasks])).toEqual([
      [region, names.workloadPolicy("dev", "support-bot"), [HAIKU.modelId, NOVA.modelId].sort(), ["chat", "summarization"]],
      [region, names.workloadPolicy("dev", "ticket-triage"), [HAIKU.modelId, NOVA.modelId].sort(), ["classification"]],
      [region, names.smokePolicy("dev"), [HAIKU.modelId, NOVA.modelId].sort(), []],
    ]);
  });
});

describe("checkPolicy", () => {
  it("an exact policy: every request decided as required", async () => {
    const verdict = await checkPolicy(plan, json, subject);
    expect(verdict.problems).toEqual([]);
    expect(verdict.allowed).toBeGreaterThan(0);
    expect(verdict.requests).toBeGreaterThan(2 * verdict.allowed);
  });

  it.each<[string, () => unknown, RegExp]>([
    [
      "a foundation-model grant without the profile condition",
      () => withStatements((s) => [...s, { Effect: "Allow", Action: ["bedrock:InvokeModel"], Resource: [`arn:aws:bedrock:*::foundation-model/${HAIKU.modelId}`] }]),
      new RegExp(`^Allowed, expected denied: bedrock:InvokeModel ${HAIKU.modelId.replace(/\./g, "\\.")} in us-east-1 without the profile$`),
    ],
    [
      "a wildcard over every model",
      () => withStatements((s) => [...s, { Effect: "Allow", Action: ["bedrock:InvokeModel"], Resource: ["*"] }]),
      new RegExp(`^Allowed, expected denied: bedrock:InvokeModel profile of ungranted .*${NEVER_ENABLED_MODEL.replace(/\./g, "\\.")}$`),
    ],
    [
      "a missing profile grant",
      () => withStatements((s) => s.filter((st) => !resourcesOf(st).some((r) => r.includes(":inference-profile/")))),
      new RegExp(`^ImplicitlyDenied, expected Allowed: bedrock:InvokeModel profile ${HAIKU.invokeId.replace(/\./g, "\\.")}$`),
    ],
    [
      "no deny on Bedrock API keys",
      () => withStatements((s) => s.filter((st) => st.Effect !== "Deny")),
      /^ImplicitlyDenied, expected ExplicitlyDenied: bedrock:CallWithBearerToken with a LONG_TERM key$/,
    ],
    [
      "inference on the Mantle endpoint",
      () => withStatements((s) => [...s, { Effect: "Allow", Action: ["bedrock-mantle:CreateInference"], Resource: ["*"] }]),
      /^Allowed, expected denied: bedrock-mantle:CreateInference for /,
    ],
  ])("names what %s gets wrong", async (_case, policy, problem) => {
    const verdict = await checkPolicy(plan, json, subject, policy());
    expect(verdict.problems).toEqual(expect.arrayContaining([expect.stringMatching(problem)]));
  });
});
