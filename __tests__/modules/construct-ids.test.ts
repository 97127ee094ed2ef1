import fc from "fast-check";
import { Testing } from "../../modules/terraform-cdk";
import { attachmentId, emailSubscriptionId } from "../../modules/construct-ids";
import { InvokePolicy } from "../../modules/invoke-policy";
import { NotificationTopic } from "../../modules/notification-topic";
import { devPlan } from "../fixtures";
import { resources, synthAccount, synthRegion } from "./fixtures";

const DOC = { Version: "2012-10-17" as const, Statement: [] };
const BUILTINS = Object.getOwnPropertyNames(Object.prototype);
const arnChar = fc.constantFrom(..."ab_-+=,.@/".split(""));
const arn = fc.tuple(fc.constantFrom("role", "user"), fc.array(arnChar, { minLength: 1, maxLength: 12 })).map(([kind, cs]) => `arn:aws:iam::111111111111:${kind}/${cs.join("").replace(/^\/+|\/+$/g, "") || "x"}`);
const email = fc.tuple(fc.array(fc.constantFrom(..."ab_/.+-~".split("")), { minLength: 1, maxLength: 8 }), fc.constantFrom("example.com", "x.io")).map(([cs, d]) => `${cs.join("")}@${d}`);

describe("construct IDs from user strings", () => {
  it.each([
    ["principal", attachmentId, arn],
    ["email", emailSubscriptionId, email],
  ] as const)("%s IDs: distinct values give distinct IDs, never with / and never a prototype member", (_name, id, values) => {
    fc.assert(
      fc.property(values, values, (a, b) => {
        if (a !== b) expect(id(a)).not.toBe(id(b));
        expect(id(a)).not.toContain("/");
        expect(BUILTINS).not.toContain(id(a));
      }),
      { numRuns: 2000, seed: 7 },
    );
  });

  it("IDs that were unambiguous keep their old form (so existing Terraform addresses stay)", () => {
    // The old rule: "attach-" + the ARN with "/" replaced by "_"; "email-" + the address with "/" replaced by "_".
    for (const a of ["arn:aws:iam::111111111111:role/ticket-triage", "arn:aws:iam::111111111111:role/service-role/app-x", "arn:aws:iam::111111111111:user/ops/alice"])
      expect(attachmentId(a)).toBe(`attach-${a.replace(/\//g, "_")}`);
    for (const e of ["ml-platform-alerts@example.com", "first_last+tag@example.com"]) expect(emailSubscriptionId(e)).toBe(`email-${e}`);
  });

  it("the dev test environment keeps the Terraform names it had before this change (attachments now in the account stack, roles in place)", () => {
    const plan = devPlan();
    const region = synthRegion(plan).json;
    // The attachments to existing principals keep their names in the account stack (same construct path); the created
    // role's attachment is now by role name.
    expect(Object.keys(resources(synthAccount(plan).json, "aws_iam_role_policy_attachment")).sort()).toEqual([
      "smoke_attach-arnawsiam111111111111role_ci-deployer_C75FEDC1",
      expect.stringMatching(/^workload-support-bot_rolebedrock-dev-us-east-1-support-bot_[0-9A-F]{8}$/),
      "workload-ticket-triage_attach-arnawsiam111111111111role_ticket-triage_C998C013",
    ]);
    // The role stays where it was: workload-<name>/role in the region stack.
    expect(Object.keys(resources(region, "aws_iam_role"))).toEqual(expect.arrayContaining([expect.stringMatching(/^workload-support-bot_role_[0-9A-F]{8}$/)]));
    expect(Object.keys(resources(region, "aws_sns_topic_subscription"))).toEqual(["alarms_topic_email-ml-platform-alertsexamplecom_AAF7B19E"]);
    expect(Object.keys(resources(synthAccount(plan).json, "aws_budgets_budget"))).toHaveLength(1);
  });

  it("principals and emails the old IDs confused synthesize as separate resources", () => {
    const out = JSON.parse(
      Testing.synthScope((s) => {
        new InvokePolicy(s, "p", { policyName: "pol", documents: [DOC], principals: ["arn:aws:iam::111111111111:role/team/x", "arn:aws:iam::111111111111:role/team_x"] });
        new NotificationTopic(s, "t", { topicName: "t", account: "111111111111", emails: ["a/b@example.com", "a_b@example.com"], publishers: ["cloudwatch.amazonaws.com"] });
      }),
    );
    expect(Object.values<any>(out.resource.aws_iam_role_policy_attachment).map((r) => r.role).sort()).toEqual(["team_x", "x"]);
    expect(Object.values<any>(out.resource.aws_sns_topic_subscription).map((r) => r.endpoint).sort()).toEqual(["a/b@example.com", "a_b@example.com"]);
  });
});
