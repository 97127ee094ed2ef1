import { Construct } from "constructs";
import type { InvocationLoggingSpec } from "../core/baseline";
import { LOG_BUCKET_PREFIXES } from "../core/iam";
import {
  BedrockModelInvocationLoggingConfiguration,
  CloudwatchEventRule,
  CloudwatchEventTarget,
  CloudwatchLogGroup,
  IamRole,
  IamRolePolicy,
  S3Bucket,
  S3BucketLifecycleConfiguration,
  S3BucketOwnershipControls,
  S3BucketPolicy,
  S3BucketPublicAccessBlock,
  S3BucketServerSideEncryptionConfigurationA,
} from "./provider-aws";

/** Properties of InvocationLogging. */
export interface InvocationLoggingProps {
  /** What to provision (core/baseline/region-security.ts). */
  readonly spec: InvocationLoggingSpec;
  /** The customer managed key of the log group and bucket. Default: AWS managed encryption (CloudWatch Logs' own, SSE-S3). */
  readonly keyArn?: string;
  /** The alarm topic the change rule notifies (needed when the spec has a change rule). */
  readonly alarmTopicArn?: string;
}

/**
 * Bedrock model invocation logging for the region (one configuration per account and region: no other stack or tool
 * may manage it, or they overwrite each other): a log group Bedrock writes through a role only it can assume, and/or a
 * bucket only it can write to, both kept `retentionDays`, payload delivery as the environment opts in (metadata only by
 * default), and an EventBridge rule that tells the alarm topic when anyone changes or deletes the configuration.
 * https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html
 */
export class InvocationLogging extends Construct {
  readonly configuration: BedrockModelInvocationLoggingConfiguration;
  readonly logGroup?: CloudwatchLogGroup;
  readonly role?: IamRole;
  readonly bucket?: S3Bucket;
  readonly changeRule?: CloudwatchEventRule;

  constructor(scope: Construct, id: string, props: InvocationLoggingProps) {
    super(scope, id);
    const s = props.spec;
    const destinations: Array<IamRolePolicy | S3BucketPolicy> = [];
    if (s.logGroupName) {
      this.logGroup = new CloudwatchLogGroup(this, "log-group", { name: s.logGroupName, retentionInDays: s.retentionDays, ...(props.keyArn ? { kmsKeyId: props.keyArn } : {}) });
      this.role = new IamRole(this, "role", { name: s.roleName, description: "Lets Bedrock deliver model invocation logs to CloudWatch Logs", assumeRolePolicy: JSON.stringify(s.roleTrust) });
      destinations.push(new IamRolePolicy(this, "role-policy", { name: "deliver-invocation-logs", role: this.role.name, policy: JSON.stringify(s.rolePolicy()) }));
    }
    if (s.bucketName) {
      const { bucket, policy } = this.logBucket(s, props.keyArn);
      this.bucket = bucket;
      destinations.push(policy);
    }
    const delivery = { textDataDeliveryEnabled: s.delivery.text, imageDataDeliveryEnabled: s.delivery.image, embeddingDataDeliveryEnabled: s.delivery.embedding, videoDataDeliveryEnabled: s.delivery.video };
    this.configuration = new BedrockModelInvocationLoggingConfiguration(this, "configuration", {
      loggingConfig: [
        {
          ...delivery,
          ...(this.logGroup && this.role
            ? {
                cloudwatchConfig: [
                  {
                    logGroupName: this.logGroup.name,
                    roleArn: this.role.arn,
                    ...(s.largeDataToBucket && this.bucket ? { largeDataDeliveryS3Config: [{ bucketName: this.bucket.bucket, keyPrefix: LOG_BUCKET_PREFIXES.largeData }] } : {}),
                  },
                ],
              }
            : {}),
          ...(this.bucket ? { s3Config: [{ bucketName: this.bucket.bucket, keyPrefix: LOG_BUCKET_PREFIXES.logs }] } : {}),
        },
      ],
      // Bedrock checks the destinations when the configuration is put: the role's and the bucket's policies come first.
      dependsOn: destinations,
    });
    if (s.changeRule) this.changeRule = this.changeAlert(s.changeRule, props.alarmTopicArn);
  }

  private logBucket(s: InvocationLoggingSpec, keyArn: string | undefined): { bucket: S3Bucket; policy: S3BucketPolicy } {
    const bucket = new S3Bucket(this, "bucket", { bucket: s.bucketName });
    new S3BucketPublicAccessBlock(this, "bucket-public-access", { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    new S3BucketOwnershipControls(this, "bucket-ownership", { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } });
    new S3BucketServerSideEncryptionConfigurationA(this, "bucket-encryption", {
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: keyArn ? { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn } : { sseAlgorithm: "AES256" }, bucketKeyEnabled: keyArn !== undefined }],
    });
    new S3BucketLifecycleConfiguration(this, "bucket-retention", {
      bucket: bucket.id,
      rule: [{ id: "expire-invocation-logs", status: "Enabled", filter: [{ prefix: "" }], expiration: [{ days: s.retentionDays }], abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }] }],
    });
    const policy = new S3BucketPolicy(this, "bucket-policy", { bucket: bucket.id, policy: JSON.stringify(s.bucketPolicy(this.role?.arn)) });
    return { bucket, policy };
  }

  private changeAlert(rule: NonNullable<InvocationLoggingSpec["changeRule"]>, topicArn: string | undefined): CloudwatchEventRule {
    if (!topicArn) throw new Error("the logging change rule needs the alarm topic");
    const r = new CloudwatchEventRule(this, "change-rule", { name: rule.name, description: "Bedrock model invocation logging put or deleted (CloudTrail management event)", eventPattern: rule.eventPattern });
    new CloudwatchEventTarget(this, "change-target", { rule: r.name, arn: topicArn, inputTransformer: { inputPaths: { ...rule.inputPaths }, inputTemplate: rule.inputTemplate } });
    return r;
  }
}
