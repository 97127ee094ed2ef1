import { names } from "../../core/aws";
import { checkPolicy, policySubjects } from "../../environment-check/iam-matrix";
import { NEVER_ENABLED_MODEL } from "../../environment-check/iam-requests";
import { policyFromSynth } from "../../environment-check/synthesized-policies";
import { devPlan, HAIKU, NOVA, variant } from "../fixtures";
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

describe("elasticache:Connect to the quota store", () => {
  const storePlan = variant("prod", (c) => (c.quotaStore = { enabled: true }));
  const { json: storeJson } = synthAccount(storePlan);
  const subjects = policySubjects(storePlan);
  const workloadIn = (region: string) => subjects.find((s) => s.region === region && s.policyName === names.workloadPolicy("prod", "support-bot"))!;
  const workload = workloadIn("eu-west-1");
  const storeExact = policyFromSynth(storeJson, workload.policyName, storePlan);
  const editStore = (edit: (statements: Statement[]) => Statement[]) => ({ ...storeExact, Statement: edit(structuredClone(storeExact.Statement)) });

  it("workloads must connect in every region, the smoke role nowhere; the synthesized policies decide every request as required", async () => {
    const workloads = Object.keys(storePlan.config.workloads).map((w) => names.workloadPolicy("prod", w));
    expect(subjects.filter((s) => s.quotaStore).map((s) => s.policyName)).toEqual(storePlan.config.regions.flatMap(() => workloads));
    for (const region of storePlan.config.regions) {
      const smoke = subjects.find((s) => s.region === region && s.policyName === names.smokePolicy("prod"))!;
      for (const s of [workloadIn(region), smoke]) expect((await checkPolicy(storePlan, storeJson, s)).problems).toEqual([]);
    }
  });

  it("without IAM authentication no workload is meant to connect", () => {
    const off = variant("prod", (c) => (c.quotaStore = { enabled: true, iamAuth: false }));
    expect(policySubjects(off).some((s) => s.quotaStore)).toBe(false);
  });

  it.each<[string, () => unknown, RegExp]>([
    ["no Connect grant", () => editStore((s) => s.filter((st) => st.Sid !== "ConnectQuotaStore")), /^ImplicitlyDenied, expected Allowed: elasticache:Connect to the quota store's cache$/],
    ["Connect on every cache", () => editStore((s) => [...s, { Effect: "Allow", Action: ["elasticache:Connect"], Resource: ["*"] }]), /^Allowed, expected denied: elasticache:Connect to another cache of the account$/],
    [
      "Connect on every region's store",
      () => editStore((s) => [...s, { Effect: "Allow", Action: ["elasticache:Connect"], Resource: [`arn:aws:elasticache:*:${storePlan.config.account}:user:${names.quotaStoreUser("prod")}`] }]),
      /^Allowed, expected denied: elasticache:Connect to the quota store's user of a region outside the environment$/,
    ],
  ])("names what %s gets wrong", async (_case, policy, problem) => {
    const verdict = await checkPolicy(storePlan, storeJson, workload, policy());
    expect(verdict.problems).toEqual(expect.arrayContaining([expect.stringMatching(problem)]));
  });
});
