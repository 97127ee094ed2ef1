import { Testing } from "../../modules/terraform-cdk";
import { IamPolicy, IamRole, IamRolePolicyAttachment, IamUserPolicyAttachment } from "../../modules/provider-aws";
import { names } from "../../core/aws";
import { InvokePolicy, parseIamPrincipalArn } from "../../modules/invoke-policy";
import { devPlan, prodPlan, variant } from "../fixtures";
import { ref, resources, synthAccount, synthRegion } from "./fixtures";
import { type BaselinePlan, routeCandidates, workloadInvocations } from "../../core/environment";

const DOC = { Version: "2012-10-17" as const, Statement: [{ Sid: "S", Effect: "Allow" as const, Action: ["bedrock:InvokeModel"], Resource: "arn:aws:bedrock:us-east-1::foundation-model/x" }] };

/** Foundation-model IDs whose invoke grants appear in a policy document (Allow statements: the bearer-token Deny grants nothing). */
function grantedModels(policy: any): string[] {
  const granted = policy.Statement.filter((s: any) => s.Effect === "Allow" && s.Action.includes("bedrock:InvokeModel")).flatMap((s: any) => [s.Resource].flat());
  return [...new Set<string>(granted.map((r: string) => r.split("/").pop()!.replace(/^(us|eu|apac|jp|au|global)\./, "")))].sort();
}

describe("parseIamPrincipalArn", () => {
  it.each([
    ["arn:aws:iam::111111111111:role/app", { kind: "role", name: "app", account: "111111111111" }],
    ["arn:aws:iam::111111111111:role/service-role/team/app", { kind: "role", name: "app", account: "111111111111" }],
    ["arn:aws:iam::222222222222:user/ci", { kind: "user", name: "ci", account: "222222222222" }],
    ["arn:aws-us-gov:iam::333333333333:user/ops/alice", { kind: "user", name: "alice", account: "333333333333" }],
  ])("%s", (arn, expected) => expect(parseIamPrincipalArn(arn)).toEqual(expected));

  it.each(["arn:aws:iam::111111111111:group/admins", "arn:aws:sts::111111111111:assumed-role/app/session", "app"])("rejects %s", (arn) =>
    expect(parseIamPrincipalArn(arn)).toBeUndefined(),
  );
});

describe("InvokePolicy", () => {
  it("renders the document verbatim as the managed policy", () => {
    const out = Testing.synthScope((s) => new InvokePolicy(s, "p", { policyName: "pol", documents: [DOC] }));
    expect(out).toHaveResourceWithProperties(IamPolicy, { name: "pol", policy: JSON.stringify(DOC) });
    expect(out).not.toHaveResource(IamRole);
    expect(out).not.toHaveResource(IamRolePolicyAttachment);
  });

  it("attaches to roles by role name (path dropped), to users by user name, and to the named roles", () => {
    const out = Testing.synthScope(
      (s) =>
        new InvokePolicy(s, "p", {
          policyName: "pol",
          documents: [DOC],
          principals: ["arn:aws:iam::111111111111:role/team/worker", "arn:aws:iam::111111111111:user/ci-bot"],
          roles: ["bedrock-dev-us-east-1-app", "bedrock-dev-eu-west-1-app"],
        }),
    );
    expect(out).toHaveResourceWithProperties(IamRolePolicyAttachment, { role: "worker" });
    expect(out).toHaveResourceWithProperties(IamUserPolicyAttachment, { user: "ci-bot" });
    expect(out).toHaveResourceWithProperties(IamRolePolicyAttachment, { role: "bedrock-dev-us-east-1-app" });
    expect(out).toHaveResourceWithProperties(IamRolePolicyAttachment, { role: "bedrock-dev-eu-west-1-app" });
    expect(out).not.toHaveResource(IamRole);
  });

  it("refuses a principal that is not a role or user ARN", () => {
    expect(() => Testing.synthScope((s) => new InvokePolicy(s, "p", { policyName: "pol", documents: [DOC], principals: ["arn:aws:iam::111111111111:group/g"] }))).toThrow(/not an IAM role or user ARN/);
  });
});

describe("a policy larger than IAM allows in one", () => {
  const PART2 = { ...DOC, Statement: [{ ...DOC.Statement[0], Sid: "T", Resource: "arn:aws:bedrock:us-east-1::foundation-model/y" }] };

  it("becomes one managed policy per part, each attached to every principal and role", () => {
    const out = JSON.parse(
      Testing.synthScope(
        (s) =>
          new InvokePolicy(s, "p", {
            policyName: "pol",
            description: "d",
            documents: [DOC, PART2],
            principals: ["arn:aws:iam::111111111111:role/app", "arn:aws:iam::111111111111:user/ci"],
            roles: ["r"],
          }),
      ),
    );
    const policies = Object.entries<any>(out.resource.aws_iam_policy);
    expect(policies.map(([, p]) => [p.name, p.description, JSON.parse(p.policy)]).sort(([a], [b]) => String(a).localeCompare(String(b)))).toEqual([
      ["pol", "d", DOC],
      // The description never counts the parts: a changed description replaces the policy (and detaches it meanwhile).
      ["pol.part2", "d (part 2)", PART2],
    ]);
    const arnOf = (name: string) => ref("aws_iam_policy", policies.find(([, p]) => p.name === name)![0], "arn");
    const roleAttachments = Object.values<any>(out.resource.aws_iam_role_policy_attachment);
    for (const role of ["app", "r"]) expect(roleAttachments.filter((a) => a.role === role).map((a) => a.policy_arn).sort()).toEqual([arnOf("pol"), arnOf("pol.part2")].sort());
    expect(Object.values<any>(out.resource.aws_iam_user_policy_attachment).map((a) => [a.user, a.policy_arn]).sort()).toEqual(
      [["ci", arnOf("pol")], ["ci", arnOf("pol.part2")]].sort(),
    );
  });

  it("keeps the first part's Terraform address and description, so a policy that grows into two parts leaves existing state in place", () => {
    const one = JSON.parse(Testing.synthScope((s) => new InvokePolicy(s, "p", { policyName: "pol", description: "d", documents: [DOC], principals: ["arn:aws:iam::111111111111:role/app"], roles: ["r"] })));
    const two = JSON.parse(Testing.synthScope((s) => new InvokePolicy(s, "p", { policyName: "pol", description: "d", documents: [DOC, PART2], principals: ["arn:aws:iam::111111111111:role/app"], roles: ["r"] })));
    for (const type of ["aws_iam_policy", "aws_iam_role_policy_attachment"]) expect(Object.keys(two.resource[type])).toEqual(expect.arrayContaining(Object.keys(one.resource[type])));
    const [first] = Object.keys(one.resource.aws_iam_policy);
    expect(two.resource.aws_iam_policy[first]).toEqual(one.resource.aws_iam_policy[first]);
  });

  it("an environment with many models packs its smoke policy into parts that each fit", () => {
    const many = ["anthropic.claude-sonnet-5", "anthropic.claude-opus-4-8", "anthropic.claude-opus-4-7", "amazon.nova-lite-v1:0", "amazon.nova-2-lite-v1:0"];
    const plan = variant("prod", (c) => {
      c.regions = ["us-east-1"];
      c.models.push(...many.map((id) => ({ id })));
      c.routes["wide"] = { primary: many[0], fallbacks: [many[1], many[2]], maxTokens: 1024 };
      c.routes["light"] = { primary: many[3], fallbacks: [many[4]], maxTokens: 256 };
    });
    const { json } = synthAccount(plan);
    const smoke = Object.values<any>(resources(json, "aws_iam_policy"))
      .filter((p) => p.name.startsWith(names.smokePolicy("prod")))
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(smoke.length).toBeGreaterThan(1);
    expect(smoke.map((p) => p.name)).toEqual(smoke.map((_, i) => names.policyPart(names.smokePolicy("prod"), i + 1)));
    // Every enabled model is granted once across the parts; each part fits once Terraform puts 7-character AppConfig IDs in.
    const statements = smoke.flatMap((p) => JSON.parse(p.policy).Statement);
    expect(grantedModels({ Statement: statements })).toEqual(enabledModels(plan));
    for (const p of smoke) expect(p.policy.replace(/\$\{[^}]+\}/g, "abc1234").length).toBeLessThanOrEqual(6144);
  });
});

/** Every model the plan enables in some region. */
const enabledModels = (env: BaselinePlan) => [...new Set(Object.values(env.invocations).flatMap((byModel) => Object.keys(byModel)))].sort();

describe("workload invoke policies in the account stack", () => {
  it.each([
    ["dev", devPlan()],
    ["prod", prodPlan()],
  ])("%s: each workload gets one policy with exactly its routes' candidate models, and no region stack has a policy", (_n, env) => {
    const policies = Object.values<any>(resources(synthAccount(env).json, "aws_iam_policy"));
    for (const [w, cfg] of Object.entries(env.config.workloads)) {
      const p = policies.filter((x) => x.name === names.workloadPolicy(env.config.name, w) || x.name.startsWith(`${names.workloadPolicy(env.config.name, w)}.part`));
      expect(p.length).toBeGreaterThan(0);
      const expected = [...new Set(cfg.routes.flatMap((r) => routeCandidates(env, r)))].sort();
      expect(grantedModels({ Statement: p.flatMap((x) => JSON.parse(x.policy).Statement) })).toEqual(expected);
      for (const region of env.config.regions) expect(workloadInvocations(env, region, w).map((i) => i.modelId).sort()).toEqual(expected);
    }
    for (const region of env.config.regions) expect(resources(synthRegion(env, region).json, "aws_iam_policy")).toEqual({});
  });

  it("a principal's policies do not multiply with the regions: prod in four regions has what it has in one", () => {
    // Policy name -> number of parts.
    const parts = (env: BaselinePlan) => {
      const out: Record<string, number> = {};
      for (const p of Object.values<any>(resources(synthAccount(env).json, "aws_iam_policy"))) out[p.name.replace(/\.part\d+$/, "")] = (out[p.name.replace(/\.part\d+$/, "")] ?? 0) + 1;
      return out;
    };
    const prod = prodPlan();
    expect(prod.config.regions.length).toBe(4);
    const four = parts(prod);
    const one = parts(variant("prod", (c) => (c.regions = ["us-east-1"])));
    expect(Object.keys(four).sort()).toEqual([...Object.keys(prod.config.workloads).map((w) => names.workloadPolicy("prod", w)), names.smokePolicy("prod")].sort());
    expect(Object.keys(one).sort()).toEqual(Object.keys(four).sort());
    // What each region adds is its apply-time IDs (routing profile, guardrails, endpoint, key): a few hundred
    // characters a region, never a policy a region (docs/scale.md).
    for (const name of Object.keys(four)) expect({ name, parts: four[name] }).toEqual({ name, parts: expect.any(Number) });
    for (const name of Object.keys(four)) expect(four[name]).toBeLessThanOrEqual(one[name] + 1);
    expect(Object.values(four).reduce((a, b) => a + b, 0)).toBeLessThan(2 * Object.values(one).reduce((a, b) => a + b, 0));
  });

  it("a workload using one route is not granted the other routes' models", () => {
    const env = devPlan();
    const chatOnly = variant("dev", (c) => (c.workloads["support-bot"].routes = ["chat"]));
    const find = (e: BaselinePlan) => JSON.parse(Object.values<any>(resources(synthAccount(e).json, "aws_iam_policy")).find((p) => p.name === names.workloadPolicy("dev", "support-bot")).policy);
    expect(grantedModels(find(env))).toEqual([...new Set([...routeCandidates(env, "chat"), ...routeCandidates(env, "summarization")])].sort());
    expect(grantedModels(find(chatOnly))).toEqual(routeCandidates(env, "chat"));
  });

  it("prod: each region stack creates the role of each workload that asked for one; the account stack attaches the workload's policy to each, and to the principals; smoke goes to the CI principals", () => {
    const env = prodPlan();
    const { json, stack } = synthAccount(env);
    const policies = Object.entries<any>(resources(json, "aws_iam_policy"));
    const attachments = Object.values<any>(resources(json, "aws_iam_role_policy_attachment"));
    const policyRef = (name: string) => ref("aws_iam_policy", policies.find(([, p]) => p.name === name)![0], "arn");
    for (const [w, cfg] of Object.entries(env.config.workloads)) {
      for (const region of env.config.regions) {
        const regionJson = synthRegion(env, region).json;
        const roleEntry = Object.entries<any>(resources(regionJson, "aws_iam_role")).find(([, r]) => r.name === names.workloadRole("prod", region, w));
        if (cfg.role) {
          expect(roleEntry).toBeDefined();
          expect(JSON.parse(roleEntry![1].assume_role_policy).Statement[0].Principal.Service).toEqual(cfg.role.assumedByServices);
          // The construct path (and so the Terraform address, path-derived) the role had when the region stack also held its policy.
          expect(roleEntry![0]).toMatch(new RegExp(`^workload-${w}_role_[0-9A-F]{8}$`));
          expect(attachments).toContainEqual({ role: names.workloadRole("prod", region, w), policy_arn: policyRef(names.workloadPolicy("prod", w)) });
        } else expect(roleEntry).toBeUndefined();
        expect(Object.values(resources(regionJson, "aws_iam_role_policy_attachment"))).not.toContainEqual(expect.objectContaining({ role: names.workloadRole("prod", region, w) }));
      }
      for (const arn of cfg.principals) expect(attachments).toContainEqual({ role: arn.split("/").pop(), policy_arn: policyRef(names.workloadPolicy("prod", w)) });
    }
    for (const arn of env.config.smoke.principals) expect(attachments).toContainEqual({ role: arn.split("/").pop(), policy_arn: policyRef(names.smokePolicy("prod")) });
    expect(Object.keys(json.output.workload_policy_arns.value).sort()).toEqual(Object.keys(env.config.workloads).sort());
    expect(stack.workloadPolicies["support-bot"].policyArns.length).toBeGreaterThan(0);
  });

  it("the smoke policy grants every enabled model, and nothing from a disabled one", () => {
    const env = prodPlan();
    const smoke = Object.values<any>(resources(synthAccount(env).json, "aws_iam_policy")).filter((p) => p.name.startsWith(names.smokePolicy("prod")));
    expect(grantedModels({ Statement: smoke.flatMap((p) => JSON.parse(p.policy).Statement) })).toEqual(enabledModels(env));
    for (const id of rawDisabled()) for (const p of smoke) expect(p.policy).not.toContain(id);
  });

  it("no synthesized policy carries a Marketplace permission", () => {
    for (const env of [devPlan(), prodPlan()]) {
      expect(synthAccount(env).text).not.toMatch(/aws-marketplace/i);
      for (const region of env.config.regions) expect(synthRegion(env, region).text).not.toMatch(/aws-marketplace/i);
    }
  });
});

function rawDisabled(): string[] {
  return (prodPlan().config.models as Array<{ id: string; enabled: boolean }>).filter((m) => !m.enabled).map((m) => m.id);
}
