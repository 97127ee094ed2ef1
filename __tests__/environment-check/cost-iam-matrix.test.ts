import { names } from "../../core/aws";
import { checkEnvironments } from "../../environment-check/check-run";
import { checkPolicy, policySubjects } from "../../environment-check/iam-matrix";
import { appliedProfiles, policyFromSynth } from "../../environment-check/synthesized-policies";
import { COST_ENVIRONMENTS_DIR, costPlan, HAIKU } from "../fixtures";
import { synthAccount } from "../modules/fixtures";

// The IAM matrix with cost attribution: a workload invokes its models only through its own application profiles. The
// exact policies pass; each way attribution could be bypassed is named when a policy allows it.

const plan = costPlan();
const region = "eu-west-1";
// The policies are the account stack's (one per workload for every region); the matrix decides one region's calls.
const { json } = synthAccount(plan);
const subjects = policySubjects(plan).filter((s) => s.region === region);
const supportBot = subjects.find((s) => s.policyName === names.workloadPolicy("prod", "support-bot"))!;
const exact = policyFromSynth(json, supportBot.policyName, plan);
const own = appliedProfiles(plan, region)["support-bot"][HAIKU.modelId];
const others = appliedProfiles(plan, region)["doc-pipeline"][HAIKU.modelId];
type Statement = { Effect: string; Action: string | string[]; Resource: string | string[]; Condition?: unknown };
const plus = (...extra: Statement[]) => ({ ...exact, Statement: [...structuredClone(exact.Statement), ...extra] });
const invoke = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"];

describe("IAM matrix with application profiles", () => {
  it.each(subjects.map((s) => [s.policyName, s] as const))("%s: every request decided as required", async (_name, subject) => {
    const verdict = await checkPolicy(plan, json, subject);
    expect(verdict.problems).toEqual([]);
    expect(verdict.allowed).toBeGreaterThan(0);
  });

  it.each<[string, () => unknown, RegExp]>([
    [
      "the system profile granted beside the workload's own",
      () => plus({ Effect: "Allow", Action: invoke, Resource: `arn:aws:bedrock:${region}:222222222222:inference-profile/eu.${HAIKU.modelId}` }),
      /^Allowed, expected denied: bedrock:InvokeModel the system profile eu\.anthropic\.claude-haiku.* \(attribution bypassed\)$/,
    ],
    ["another workload's profile granted", () => plus({ Effect: "Allow", Action: invoke, Resource: others }), /^Allowed, expected denied: bedrock:InvokeModel another workload's application profile /],
    [
      "the foundation model without the profile condition",
      () => plus({ Effect: "Allow", Action: invoke, Resource: `arn:aws:bedrock:*::foundation-model/${HAIKU.modelId}` }),
      /^Allowed, expected denied: bedrock:InvokeModel direct foundation-model call to anthropic\.claude-haiku.* \(attribution bypassed\)$/,
    ],
    [
      "the workload's own profile missing",
      () => ({ ...exact, Statement: exact.Statement.filter((s: Statement) => ![s.Resource].flat().includes(own)) }),
      /^ImplicitlyDenied, expected Allowed: bedrock:InvokeModel application profile arn:aws:bedrock:eu-west-1:222222222222:application-inference-profile\/supportb/,
    ],
  ])("names it when %s", async (_case, policy, problem) => {
    const verdict = await checkPolicy(plan, json, supportBot, policy());
    expect(verdict.problems).toEqual(expect.arrayContaining([expect.stringMatching(problem)]));
  });
});

describe("npm run check:environments on an environment that attributes cost", () => {
  it("passes: valid, synthesized, a smoke plan through the workload profiles the smoke role may call, an IAM verdict per region", async () => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    expect(await checkEnvironments(["--config-dir", COST_ENVIRONMENTS_DIR], { stdout: (l: string) => stdout.push(l), stderr: (l: string) => stderr.push(l), env: {} })).toBe(0);
    expect(stderr).toEqual([]);
    // Each workload's probes name its own routes: Haiku serves support-bot's classification and summarization (0.2)
    // and doc-pipeline's summarization and extraction (0), through each workload's own profile.
    expect(stdout).toContain(`bedrock-prod-us-east-1:   probe workload=support-bot ${HAIKU.modelId} (routes classification)`);
    expect(stdout).toContain(`bedrock-prod-us-east-1:   probe workload=support-bot ${HAIKU.modelId} temperature=0.2 (routes summarization)`);
    expect(stdout).toContain(`bedrock-prod-us-east-1:   probe workload=doc-pipeline ${HAIKU.modelId} temperature=0 (routes extraction)`);
    expect(stdout.filter((l) => l.includes(`probe workload=doc-pipeline ${HAIKU.modelId}`) && l.includes("classification"))).toEqual([]);
    expect(stdout[stdout.length - 1]).toMatch(/^check:environments: PASS \(1 environment, 4 region stacks, \d+ IAM requests\)$/);
  }, 120_000);
});
