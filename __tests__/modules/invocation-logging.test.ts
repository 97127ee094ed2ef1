import { names } from "../../core/aws";
import { devPlan, prodPlan, variant } from "../fixtures";
import { only, ref, resources, synthRegion } from "./fixtures";

// Bedrock model invocation logging as the region stacks render it: metadata only by default, payloads an explicit opt-in
// with a retention period, destinations only Bedrock can write to, and an alert on changes made outside Terraform.
// https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html

const REGION = "us-east-1";
const ACCOUNT = "222222222222";

describe("prod: metadata only to CloudWatch Logs, encrypted with the region's key", () => {
  const { json } = synthRegion(prodPlan(), REGION);
  const group = only(json, "aws_cloudwatch_log_group");
  const key = only(json, "aws_kms_key");
  const config = only(json, "aws_bedrock_model_invocation_logging_configuration").props;
  const role = Object.entries<any>(resources(json, "aws_iam_role")).find(([, r]) => r.name === names.invocationLogRole("prod", REGION))!;

  it("delivers no payload: every data delivery flag is off", () => {
    expect(config.logging_config).toEqual([
      {
        text_data_delivery_enabled: false,
        image_data_delivery_enabled: false,
        embedding_data_delivery_enabled: false,
        video_data_delivery_enabled: false,
        cloudwatch_config: [{ log_group_name: ref("aws_cloudwatch_log_group", group.name, "name"), role_arn: ref("aws_iam_role", role[0], "arn") }],
      },
    ]);
    expect(resources(json, "aws_s3_bucket")).toEqual({});
  });

  it("keeps logs 365 days in a log group encrypted with the customer managed key", () => {
    expect(group.props).toMatchObject({ name: names.invocationLogGroup("prod"), retention_in_days: 365, kms_key_id: ref("aws_kms_key", key.name, "arn") });
  });

  it("a delivery role only Bedrock of this account and region assumes, writing only Bedrock's stream", () => {
    expect(JSON.parse(role[1].assume_role_policy).Statement).toEqual([
      {
        Sid: "BedrockDelivers",
        Effect: "Allow",
        Principal: { Service: ["bedrock.amazonaws.com"] },
        Action: ["sts:AssumeRole"],
        Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT }, ArnLike: { "aws:SourceArn": `arn:aws:bedrock:${REGION}:${ACCOUNT}:*` } },
      },
    ]);
    const inline = Object.entries<any>(resources(json, "aws_iam_role_policy")).find(([, p]) => p.role === ref("aws_iam_role", role[0], "name"))!;
    expect(JSON.parse(inline[1].policy).Statement).toEqual([
      { Sid: "WriteInvocationLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${names.invocationLogGroup("prod")}:log-stream:aws/bedrock/modelinvocations` },
    ]);
    // The configuration is put only once the role can write (Bedrock checks the destination).
    expect(config.depends_on).toEqual([`aws_iam_role_policy.${inline[0]}`]);
  });

  it("tells the alarm topic when anyone puts or deletes the logging configuration (CloudTrail through EventBridge)", () => {
    const rule = only(json, "aws_cloudwatch_event_rule");
    expect(rule.props.name).toBe(names.loggingChangeRule("prod"));
    expect(JSON.parse(rule.props.event_pattern)).toEqual({
      source: ["aws.bedrock"],
      "detail-type": ["AWS API Call via CloudTrail"],
      detail: { eventSource: ["bedrock.amazonaws.com"], eventName: ["PutModelInvocationLoggingConfiguration", "DeleteModelInvocationLoggingConfiguration"] },
    });
    const target = only(json, "aws_cloudwatch_event_target").props;
    expect(target).toMatchObject({ rule: ref("aws_cloudwatch_event_rule", rule.name, "name"), arn: ref("aws_sns_topic", only(json, "aws_sns_topic").name, "arn") });
    expect(target.input_transformer.input_paths).toEqual({ event: "$.detail.eventName", who: "$.detail.userIdentity.arn", time: "$.time" });
    expect(target.input_transformer.input_template).toMatch(/^"Bedrock model invocation logging in us-east-1 \(environment prod\): <event> by <who> at <time>\./);
    const topicPolicy = JSON.parse(only(json, "aws_sns_topic_policy").props.policy);
    expect(topicPolicy.Statement[0].Principal.Service).toContain("events.amazonaws.com");
  });
});

describe("payloads opted in, to CloudWatch Logs and S3", () => {
  const plan = variant("prod", (c) => (c.invocationLogging = { enabled: true, destinations: ["cloudwatch", "s3"], retentionDays: 365, payloads: { enabled: true, kinds: ["text", "image"], retentionDays: 30 } }));
  const { json } = synthRegion(plan, REGION);
  const bucket = only(json, "aws_s3_bucket");
  const key = only(json, "aws_kms_key");
  const bucketRef = ref("aws_s3_bucket", bucket.name, "bucket");

  it("delivers text and image payloads, large ones to the bucket, and keeps everything 30 days", () => {
    const config = only(json, "aws_bedrock_model_invocation_logging_configuration").props.logging_config[0];
    expect(config).toMatchObject({ text_data_delivery_enabled: true, image_data_delivery_enabled: true, embedding_data_delivery_enabled: false, video_data_delivery_enabled: false });
    expect(config.s3_config).toEqual([{ bucket_name: bucketRef, key_prefix: "invocation-logs" }]);
    expect(config.cloudwatch_config[0].large_data_delivery_s3_config).toEqual([{ bucket_name: bucketRef, key_prefix: "large-payloads" }]);
    expect(only(json, "aws_cloudwatch_log_group").props.retention_in_days).toBe(30);
    expect(only(json, "aws_s3_bucket_lifecycle_configuration").props.rule).toEqual([
      expect.objectContaining({ status: "Enabled", filter: [{ prefix: "" }], expiration: [{ days: 30 }] }),
    ]);
  });

  it("a private bucket, owner-enforced, encrypted with the key, written only by Bedrock over TLS", () => {
    expect(bucket.props.bucket).toBe(names.invocationLogBucket("prod", REGION, ACCOUNT));
    expect(only(json, "aws_s3_bucket_public_access_block").props).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(only(json, "aws_s3_bucket_ownership_controls").props.rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
    expect(only(json, "aws_s3_bucket_server_side_encryption_configuration").props.rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: ref("aws_kms_key", key.name, "arn") }, bucket_key_enabled: true },
    ]);
    const policy = JSON.parse(only(json, "aws_s3_bucket_policy").props.policy);
    expect(policy.Statement.map((s: any) => [s.Sid, s.Effect])).toEqual([
      ["BedrockWritesLogs", "Allow"],
      ["OnlyBedrockWritesLogs", "Deny"],
      ["TlsOnly", "Deny"],
    ]);
    const role = Object.entries<any>(resources(json, "aws_iam_role")).find(([, r]) => r.name === names.invocationLogRole("prod", REGION))!;
    expect(policy.Statement[1].Condition.ArnNotEqualsIfExists).toEqual({ "aws:PrincipalArn": ref("aws_iam_role", role[0], "arn") });
    // The key lets Bedrock make data keys for log objects.
    expect(JSON.parse(key.props.policy).Statement.map((s: any) => s.Sid)).toContain("BedrockEncryptsLogObjects");
  });
});

describe("without customer managed keys or logging", () => {
  it("AWS managed keys: the log group takes CloudWatch Logs' own encryption, the bucket SSE-S3", () => {
    const plan = variant("prod", (c) => ((c.encryption = { keys: "aws" }), (c.invocationLogging = { enabled: true, destinations: ["s3"] })));
    const { json } = synthRegion(plan, REGION);
    expect(resources(json, "aws_kms_key")).toEqual({});
    expect(resources(json, "aws_cloudwatch_log_group")).toEqual({});
    expect(only(json, "aws_s3_bucket_server_side_encryption_configuration").props.rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" }, bucket_key_enabled: false }]);
    expect(only(json, "aws_bedrock_model_invocation_logging_configuration").props.logging_config[0].cloudwatch_config).toBeUndefined();
  });

  it("no change alert when it is turned off, and none of it when logging is off (dev)", () => {
    const quiet = synthRegion(variant("prod", (c) => (c.invocationLogging.alertOnChange = false)), REGION).json;
    expect(resources(quiet, "aws_cloudwatch_event_rule")).toEqual({});
    expect(JSON.parse(only(quiet, "aws_sns_topic_policy").props.policy).Statement[0].Principal.Service).not.toContain("events.amazonaws.com");
    const dev = synthRegion(devPlan()).json;
    for (const type of ["aws_bedrock_model_invocation_logging_configuration", "aws_cloudwatch_log_group", "aws_s3_bucket", "aws_cloudwatch_event_rule"]) expect(resources(dev, type)).toEqual({});
  });
});
