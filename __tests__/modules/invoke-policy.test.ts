import { Testing } from "../../modules/terraform-cdk";
import { IamPolicy, IamRole, IamRolePolicyAttachment, IamUserPolicyAttachment } from "../../modules/provider-aws";
import { names } from "../../core/aws";
import { InvokePolicy, parseIamPrincipalArn } from "../../modules/invoke-policy";
import { devPlan, prodPlan, variant } from "../fixtures";
import { ref, resources, synthRegion } from "./fixtures";
import { routeCandidates, workloadInvocations } from "../../core/environment";

const DOC = { Version: "2012-10-17" as const, Statement: [{ Sid: "S", Effect: "Allow" as const, Action: ["bedrock:InvokeModel"], Resource: "arn:aws:bedrock:us-east-1::foundation-model/x" }] };

/** Foundation-model IDs whose invoke grants appear in a policy document (Allow statements: the bearer-token Deny grants nothing). */
function grantedModels(policy: any): string[] {
  return [...new Set<string>(policy.Statement.filter((s: any) => s.Effect === "Allow" && s.Action.includes("bedrock:InvokeModel")).map((s: any) => String(s.Resource).split("/").pop()!.replace(/^(us|eu|apac|jp|au|global)\./, "")))].sort();
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

  it("attaches to roles by role name (path dropped) and to users by user name", () => {
    const out = Testing.synthScope(
      (s) =>
        new InvokePolicy(s, "p", {
          policyName: "pol",
          documents: [DOC],
          principals: ["arn:aws:iam::111111111111:role/team/worker", "arn:aws:iam::111111111111:user/ci-bot"],
        }),
    );
    expect(out).toHaveResourceWithProperties(IamRolePolicyAttachment, { role: "worker" });
    expect(out).toHaveResourceWithProperties(IamUserPolicyAttachment, { user: "ci-bot" });
  });

  it("creates a role trusted by the given services and principals, with the policy attached", () => {
    const { json } = { json: JSON.parse(Testing.synthScope((s) => new InvokePolicy(s, "p", { policyName: "pol", documents: [DOC], role: { roleName: "r", assumedByServices: ["lambda.amazonaws.com"], assumedByPrincipals: ["arn:aws:iam::111111111111:role/ops"] } }))) };
    const [roleName, role] = Object.entries<any>(json.resource.aws_iam_role)[0];
    const trust = JSON.parse(role.assume_role_policy);
    expect(role.name).toBe("r");
    expect(trust.Statement).toEqual([
      expect.objectContaining({ Effect: "Allow", Action: ["sts:AssumeRole"], Principal: { Service: ["lambda.amazonaws.com"], AWS: ["arn:aws:iam::111111111111:role/ops"] } }),
    ]);
    const [policyName] = Object.keys(json.resource.aws_iam_policy);
    expect(Object.values<any>(json.resource.aws_iam_role_policy_attachment)).toEqual([
      expect.objectContaining({ role: ref("aws_iam_role", roleName, "name"), policy_arn: ref("aws_iam_policy", policyName, "arn") }),
    ]);
  });

  it("refuses a principal that is not a role or user ARN", () => {
    expect(() => Testing.synthScope((s) => new InvokePolicy(s, "p", { policyName: "pol", documents: [DOC], principals: ["arn:aws:iam::111111111111:group/g"] }))).toThrow(/not an IAM role or user ARN/);
  });
});

describe("a policy larger than IAM allows in one", () => {
  const PART2 = { ...DOC, Statement: [{ ...DOC.Statement[0], Sid: "T", Resource: "arn:aws:bedrock:us-east-1::foundation-model/y" }] };

  it("becomes one managed policy per part, each attached to every principal and the created role", () => {
    const out = JSON.parse(
      Testing.synthScope(
        (s) =>
          new InvokePolicy(s, "p", {
            policyName: "pol",
            documents: [DOC, PART2],
            principals: ["arn:aws:iam::111111111111:role/app", "arn:aws:iam::111111111111:user/ci"],
            role: { roleName: "r", assumedByServices: ["lambda.amazonaws.com"] },
          }),
      ),
    );
    const policies = Object.entries<any>(out.resource.aws_iam_policy);
    expect(policies.map(([, p]) => [p.name, JSON.parse(p.policy)]).sort(([a], [b]) => String(a).localeCompare(String(b)))).toEqual([
      ["pol", DOC],
      ["pol.part2", PART2],
    ]);
    const arnOf = (name: string) => ref("aws_iam_policy", policies.find(([, p]) => p.name === name)![0], "arn");
    const roleAttachments = Object.values<any>(out.resource.aws_iam_role_policy_attachment);
    expect(roleAttachments.filter((a) => a.role === "app").map((a) => a.policy_arn).sort()).toEqual([arnOf("pol"), arnOf("pol.part2")].sort());
    expect(roleAttachments.filter((a) => a.role !== "app").map((a) => a.policy_arn).sort()).toEqual([arnOf("pol"), arnOf("pol.part2")].sort());
    expect(Object.values<any>(out.resource.aws_iam_user_policy_attachment).map((a) => [a.user, a.policy_arn]).sort()).toEqual(
      [["ci", arnOf("pol")], ["ci", arnOf("pol.part2")]].sort(),
    );
  });

  it("keeps the first part's Terraform address, so a policy that grows into two parts leaves existing state in place", () => {
    const one = JSON.parse(Testing.synthScope((s) => new InvokePolicy(s, "p", { policyName: "pol", documents: [DOC], principals: ["arn:aws:iam::111111111111:role/app"] })));
    const two = JSON.parse(Testing.synthScope((s) => new InvokePolicy(s, "p", { policyName: "pol", documents: [DOC, PART2], principals: ["arn:aws:iam::111111111111:role/app"] })));
    for (const type of ["aws_iam_policy", "aws_iam_role_policy_attachment"]) expect(Object.keys(two.resource[type])).toEqual(expect.arrayContaining(Object.keys(one.resource[type])));
  });

  it("a region stack of an environment with many models packs its smoke policy into parts that each fit", () => {
    const many = ["anthropic.claude-sonnet-5", "anthropic.claude-opus-4-8", "anthropic.claude-opus-4-7", "amazon.nova-lite-v1:0", "amazon.nova-2-lite-v1:0"];
    const plan = variant("prod", (c) => {
      c.regions = ["us-east-1"];
      c.models.push(...many.map((id) => ({ id })));
      c.routes["wide"] = { primary: many[0], fallbacks: [many[1], many[2]], maxTokens: 1024 };
      c.routes["light"] = { primary: many[3], fallbacks: [many[4]], maxTokens: 256 };
    });
    const { json } = synthRegion(plan, "us-east-1");
    const smoke = Object.values<any>(resources(json, "aws_iam_policy"))
      .filter((p) => p.name.startsWith(names.smokePolicy("prod", "us-east-1")))
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(smoke.length).toBeGreaterThan(1);
    expect(smoke.map((p) => p.name)).toEqual(smoke.map((_, i) => names.policyPart(names.smokePolicy("prod", "us-east-1"), i + 1)));
    // Every enabled model is granted once across the parts; each part fits once Terraform puts 7-character AppConfig IDs in.
    const statements = smoke.flatMap((p) => JSON.parse(p.policy).Statement);
    expect(grantedModels({ Statement: statements })).toEqual(Object.keys(plan.invocations["us-east-1"]).sort());
    for (const p of smoke) expect(p.policy.replace(/\$\{[^}]+\}/g, "abc1234").length).toBeLessThanOrEqual(6144);
  });
});

describe("workload invoke policies in a region stack", () => {
  it.each([
    ["dev", devPlan()],
    ["prod", prodPlan()],
  ])("%s: each workload gets exactly its routes' candidate models", (_n, env) => {
    for (const region of env.config.regions) {
      const { json } = synthRegion(env, region);
      const policies = Object.values<any>(resources(json, "aws_iam_policy"));
      for (const [w, cfg] of Object.entries(env.config.workloads)) {
        const p = policies.find((x) => x.name === names.workloadPolicy(env.config.name, region, w));
        expect(p).toBeDefined();
        const expected = [...new Set(cfg.routes.flatMap((r) => routeCandidates(env, r)))].sort();
        expect(grantedModels(JSON.parse(p.policy))).toEqual(expected);
        expect(workloadInvocations(env, region, w).map((i) => i.modelId).sort()).toEqual(expected);
      }
    }
  });

  it("a workload using one route is not granted the other routes' models", () => {
    const env = devPlan();
    const { json } = synthRegion(env);
    const chatOnly = variant("dev", (c) => (c.workloads["support-bot"].routes = ["chat"]));
    const { json: json2 } = synthRegion(chatOnly);
    const find = (j: any) => JSON.parse(Object.values<any>(resources(j, "aws_iam_policy")).find((p) => p.name === names.workloadPolicy("dev", "us-east-1", "support-bot")).policy);
    expect(grantedModels(find(json))).toEqual([...new Set([...routeCandidates(env, "chat"), ...routeCandidates(env, "summarization")])].sort());
    expect(grantedModels(find(json2))).toEqual(routeCandidates(env, "chat"));
  });

  it("dev: role-configured workloads get a role with the policy; principal ARNs get attachments; smoke goes to the CI principals", () => {
    const env = devPlan();
    const { json } = synthRegion(env);
    const roles = Object.entries<any>(resources(json, "aws_iam_role"));
    const policies = Object.entries<any>(resources(json, "aws_iam_policy"));
    const attachments = Object.values<any>(resources(json, "aws_iam_role_policy_attachment"));
    const policyRef = (name: string) => ref("aws_iam_policy", policies.find(([, p]) => p.name === name)![0], "arn");
    for (const [w, cfg] of Object.entries(env.config.workloads)) {
      const roleEntry = roles.find(([, r]) => r.name === names.workloadRole("dev", "us-east-1", w));
      if (cfg.role) {
        expect(roleEntry).toBeDefined();
        expect(JSON.parse(roleEntry![1].assume_role_policy).Statement[0].Principal.Service).toEqual(cfg.role.assumedByServices);
        expect(attachments).toContainEqual(expect.objectContaining({ role: ref("aws_iam_role", roleEntry![0], "name"), policy_arn: policyRef(names.workloadPolicy("dev", "us-east-1", w)) }));
      } else expect(roleEntry).toBeUndefined();
      for (const arn of cfg.principals)
        expect(attachments).toContainEqual({ role: arn.split("/").pop(), policy_arn: policyRef(names.workloadPolicy("dev", "us-east-1", w)) });
    }
    for (const arn of env.config.smoke.principals)
      expect(attachments).toContainEqual({ role: arn.split("/").pop(), policy_arn: policyRef(names.smokePolicy("dev", "us-east-1")) });
  });

  it("the smoke policy grants every enabled model of the region, and nothing from a disabled one", () => {
    const env = prodPlan();
    for (const region of env.config.regions) {
      const { json } = synthRegion(env, region);
      const smoke = Object.values<any>(resources(json, "aws_iam_policy")).find((p) => p.name === names.smokePolicy("prod", region));
      expect(grantedModels(JSON.parse(smoke.policy))).toEqual(Object.keys(env.invocations[region]).sort());
      const disabled = rawDisabled();
      for (const id of disabled) expect(smoke.policy).not.toContain(id);
    }
  });

  it("no synthesized policy carries a Marketplace permission", () => {
    for (const env of [devPlan(), prodPlan()]) for (const region of env.config.regions) expect(synthRegion(env, region).text).not.toMatch(/aws-marketplace/i);
  });
});

function rawDisabled(): string[] {
  return (prodPlan().config.models as Array<{ id: string; enabled: boolean }>).filter((m) => !m.enabled).map((m) => m.id);
}
