import { postureItems, securityPosture } from "../../../core/environment";
import { devPlan, variant } from "../../fixtures";

// What synth prints and smoke reports about the security controls: each on or off as the file says, nothing inferred.

const KEY = "arn:aws:kms:us-east-1:111111111111:key/12345678-90ab-cdef-1234-567890abcdef";

describe("security posture", () => {
  it("everything off by default", () => {
    const p = securityPosture(devPlan().config, "us-east-1");
    expect(p).toEqual({
      organizationGuard: "off",
      invocationLogging: { enabled: false, destinations: [], payloads: [], retentionDays: 365, alertOnChange: false },
      privateEndpoints: { enabled: false, services: [], privateDns: false },
      sourceVpce: false,
      kms: { keys: "aws" },
    });
    expect(postureItems(p)).toEqual(["organization guard SCP off", "invocation logging off", "private endpoints off", "aws:SourceVpce off", "KMS: AWS managed keys"]);
  });

  it("names an existing key, payload kinds with their retention, a created guard, endpoints without private DNS", () => {
    const plan = variant("dev", (c) => {
      c.organizationGuard = { enabled: true, managementAccount: true };
      c.invocationLogging = { enabled: true, destinations: ["s3"], payloads: { enabled: true, kinds: ["text", "embedding"], retentionDays: 14 }, alertOnChange: false };
      c.network = { "us-east-1": { vpcId: "vpc-01234567", subnetIds: ["subnet-01234567"], securityGroupIds: ["sg-01234567"] } };
      c.privateEndpoints = { enabled: true, services: ["bedrock-runtime"], privateDns: false };
      c.encryption = { keys: "existing", keyArns: { "us-east-1": KEY.replace("111111111111", c.account) } };
    });
    expect(postureItems(securityPosture(plan.config, "us-east-1"))).toEqual([
      "organization guard SCP on (created)",
      "invocation logging on (payloads: text, embedding; S3; 14 d)",
      "private endpoints on (bedrock-runtime)",
      "aws:SourceVpce off",
      `KMS: customer managed key (existing ${KEY.replace("111111111111", plan.config.account)})`,
    ]);
  });
});
