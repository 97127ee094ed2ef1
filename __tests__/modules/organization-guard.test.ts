import { names } from "../../core/aws";
import { devPlan, prodPlan, variant } from "../fixtures";
import { only, ref, resources, synthAccount } from "./fixtures";

// What the SCP must say comes from the AWS page on API-key permissions
// (https://docs.aws.amazon.com/bedrock/latest/userguide/api-keys-permissions.html), not from the module.
const KEY_USE = ["bedrock-mantle:CallWithBearerToken", "bedrock:CallWithBearerToken"];

describe("organization guard in the account stack", () => {
  it("is off by default, and an environment that does not manage SCPs gets a file, not a resource", () => {
    expect(devPlan().config.organizationGuard.enabled).toBe(false);
    expect(resources(synthAccount(devPlan()).json, "aws_organizations_policy")).toEqual({});
    expect(prodPlan().config.organizationGuard).toMatchObject({ enabled: true, managementAccount: false });
    expect(resources(synthAccount(prodPlan()).json, "aws_organizations_policy")).toEqual({});
  });

  describe("created from the management account", () => {
    const plan = variant("dev", (c) => (c.organizationGuard = { enabled: true, managementAccount: true, targets: ["ou-ab12-cdef3456", "123456789012"] }));
    const { json } = synthAccount(plan);
    const policy = only(json, "aws_organizations_policy");

    it("is a service control policy named for the environment that denies key use and long-term Bedrock key creation", () => {
      expect(policy.props).toMatchObject({ name: names.organizationGuard("dev"), type: "SERVICE_CONTROL_POLICY" });
      const content = JSON.parse(policy.props.content);
      expect(content.Statement.every((st: any) => st.Effect === "Deny")).toBe(true);
      const use = content.Statement.find((st: any) => st.Action.includes("bedrock:CallWithBearerToken"));
      expect([...use.Action].sort()).toEqual(KEY_USE);
      expect(use.Condition).toBeUndefined(); // every key type
      const create = content.Statement.find((st: any) => st.Action.includes("iam:CreateServiceSpecificCredential"));
      expect(create.Condition).toEqual({ StringEquals: { "iam:ServiceSpecificCredentialServiceName": "bedrock.amazonaws.com" } });
      expect(json.output.organization_guard_policy_id.value).toBe(ref("aws_organizations_policy", policy.name, "id"));
    });

    it("is attached to exactly the configured targets, each attachment named after its target", () => {
      const attachments = Object.entries<any>(resources(json, "aws_organizations_policy_attachment"));
      expect(attachments.map(([, a]) => a.target_id).sort()).toEqual(["123456789012", "ou-ab12-cdef3456"]);
      for (const [, a] of attachments) expect(a.policy_id).toBe(ref("aws_organizations_policy", policy.name, "id"));
      const reordered = synthAccount(variant("dev", (c) => (c.organizationGuard = { enabled: true, managementAccount: true, targets: ["123456789012", "ou-ab12-cdef3456"] }))).json;
      expect(Object.keys(resources(reordered, "aws_organizations_policy_attachment")).sort()).toEqual(attachments.map(([n]) => n).sort());
    });

    it("without targets: the policy only (attached by whoever owns the OU layout)", () => {
      const bare = synthAccount(variant("dev", (c) => (c.organizationGuard = { enabled: true, managementAccount: true }))).json;
      expect(Object.keys(resources(bare, "aws_organizations_policy"))).toHaveLength(1);
      expect(resources(bare, "aws_organizations_policy_attachment")).toEqual({});
    });
  });
});
