import { names } from "../../core/aws";
import { devPlan, prodPlan, variant } from "../fixtures";
import { only, ref, resources, synthRegion } from "./fixtures";

// The region's customer managed key: created (rotation on, exact key policy) or referenced by ARN, and used by the
// alarm topic, the invocation log group, and the AppConfig routing profile and its deployment.

const REGION = "us-west-2";
const EXISTING = "arn:aws:kms:us-west-2:222222222222:key/0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9";

describe("prod: a key created per region", () => {
  const { json } = synthRegion(prodPlan(), REGION);
  const key = only(json, "aws_kms_key");
  const keyArn = ref("aws_kms_key", key.name, "arn");

  it("rotates yearly, waits 30 days before deletion, and has an alias", () => {
    expect(key.props).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(only(json, "aws_kms_alias").props).toEqual(expect.objectContaining({ name: names.keyAlias("prod"), target_key_id: ref("aws_kms_key", key.name, "key_id") }));
  });

  it("its policy names exactly the services of this stack", () => {
    const sids = JSON.parse(key.props.policy).Statement.map((s: any) => s.Sid);
    expect(sids).toEqual(["AccountAdministersKey", "AlarmTopicPublishers", "AlarmTopicThroughSns", "InvocationLogGroup", "RoutingConfigThroughAppConfig"]);
  });

  it("encrypts the alarm topic, the routing profile's hosted versions and the baseline deployment", () => {
    expect(only(json, "aws_sns_topic").props.kms_master_key_id).toBe(keyArn);
    expect(only(json, "aws_appconfig_configuration_profile").props.kms_key_identifier).toBe(keyArn);
    expect(only(json, "aws_appconfig_deployment").props.kms_key_identifier).toBe(keyArn);
    expect(only(json, "aws_cloudwatch_log_group").props.kms_key_id).toBe(keyArn);
  });

  it("workloads and smoke may decrypt the routing configuration through AppConfig only", () => {
    for (const p of Object.values<any>(resources(json, "aws_iam_policy")).filter((x) => !x.name.includes(".part"))) {
      const st = JSON.parse(p.policy).Statement.find((s: any) => s.Sid === "DecryptRoutingConfig");
      expect(st).toEqual({ Sid: "DecryptRoutingConfig", Effect: "Allow", Action: ["kms:Decrypt"], Resource: keyArn, Condition: { StringEquals: { "kms:ViaService": `appconfig.${REGION}.amazonaws.com` } } });
    }
  });
});

describe("an existing key", () => {
  const plan = variant("prod", (c) => (c.encryption = { keys: "existing", keyArns: Object.fromEntries(c.regions.map((r: string) => [r, EXISTING.replace("us-west-2", r)])) }));
  const { json } = synthRegion(plan, REGION);

  it("is used by ARN, never created, and the statements its policy needs are an output", () => {
    expect(resources(json, "aws_kms_key")).toEqual({});
    expect(resources(json, "aws_kms_alias")).toEqual({});
    expect(only(json, "aws_sns_topic").props.kms_master_key_id).toBe(EXISTING);
    expect(only(json, "aws_appconfig_deployment").props.kms_key_identifier).toBe(EXISTING);
    const required = Object.entries<any>(json.output).find(([n]) => n.includes("key_policy_required"))![1];
    expect(JSON.parse(required.value).Statement.map((s: any) => s.Sid)).toContain("RoutingConfigThroughAppConfig");
  });
});

describe("AWS managed keys (dev)", () => {
  it("no key, and nothing names one", () => {
    const { text, json } = synthRegion(devPlan());
    expect(resources(json, "aws_kms_key")).toEqual({});
    for (const field of ["kms_master_key_id", "kms_key_identifier", "kms_key_id", "kms:"]) expect(text).not.toContain(field);
  });
});
