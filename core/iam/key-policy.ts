import { partitionOf } from "../aws";
import type { PolicyDocument, PolicyStatement } from "./iam-policy";

/*
 * The key policy of a region stack's customer managed key. The account (through IAM) administers the key but cannot use
 * it directly; each service that encrypts with it is named with the conditions that tie it to this account, region and
 * resource: https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html.
 */

/** What the key encrypts in the region, which decides its statements. */
export interface KeyUses {
  readonly region: string;
  readonly account: string;
  /** The alarm topic (CloudWatch alarms, EventBridge and Budgets publish to it). Default: false. */
  readonly alarmTopic?: boolean;
  /** The invocation log group's ARN, when it is encrypted with the key. Default: none. */
  readonly logGroupArn?: string;
  /** The invocation log bucket is encrypted with the key. Default: false. */
  readonly logBucket?: boolean;
  /** The AppConfig routing profile and its deployments. Default: false. */
  readonly appConfig?: boolean;
}

/**
 * Administration without use: the account's IAM policies decide who manages the key (so it can never become
 * unmanageable, https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html), but no statement here
 * lets an IAM principal encrypt or decrypt except through the services below.
 */
export const KEY_ADMIN_ACTIONS = [
  // Not kms:Create*: CreateGrant would let an administrator grant itself the use this policy withholds.
  "kms:CreateAlias",
  "kms:Describe*",
  "kms:Enable*",
  "kms:List*",
  "kms:Put*",
  "kms:Update*",
  "kms:Revoke*",
  "kms:Disable*",
  "kms:Get*",
  "kms:Delete*",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
  "kms:RotateKeyOnDemand",
] as const;

function viaService(sid: string, account: string, service: string, actions: readonly string[]): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Action: actions,
    Resource: "*",
    Condition: { StringEquals: { "kms:ViaService": service, "kms:CallerAccount": account } },
  };
}

/** The key policy for `uses` (Resource "*" in a key policy means this key). */
export function keyPolicy(u: KeyUses): PolicyDocument {
  const p = partitionOf(u.region);
  const root = (s: PolicyStatement) => ({ ...s, Principal: { AWS: [`arn:${p}:iam::${u.account}:root`] } });
  const statements: PolicyStatement[] = [root({ Sid: "AccountAdministersKey", Effect: "Allow", Action: KEY_ADMIN_ACTIONS, Resource: "*" })];
  if (u.alarmTopic)
    statements.push(
      // Publishers of an encrypted topic need a data key and to decrypt it:
      // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
      {
        Sid: "AlarmTopicPublishers",
        Effect: "Allow",
        Principal: { Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com", "budgets.amazonaws.com"] },
        Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceAccount": u.account } },
      },
      root(viaService("AlarmTopicThroughSns", u.account, `sns.${u.region}.amazonaws.com`, ["kms:GenerateDataKey*", "kms:Decrypt"])),
    );
  if (u.logGroupArn)
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html: the regional Logs principal, for this log group only.
    statements.push({
      Sid: "InvocationLogGroup",
      Effect: "Allow",
      Principal: { Service: [`logs.${u.region}.amazonaws.com`] },
      Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
      Resource: "*",
      Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": u.logGroupArn } },
    });
  if (u.logBucket)
    statements.push(
      // Bedrock writes log objects with SSE-KMS (https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html).
      {
        Sid: "BedrockEncryptsLogObjects",
        Effect: "Allow",
        Principal: { Service: ["bedrock.amazonaws.com"] },
        Action: ["kms:GenerateDataKey"],
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceAccount": u.account }, ArnLike: { "aws:SourceArn": `arn:${p}:bedrock:${u.region}:${u.account}:*` } },
      },
      // Auditors read the objects through S3 (their IAM policies still have to allow kms:Decrypt).
      root(viaService("LogObjectsThroughS3", u.account, `s3.${u.region}.amazonaws.com`, ["kms:Decrypt", "kms:GenerateDataKey"])),
    );
  if (u.appConfig)
    // Hosted versions are encrypted with the caller's permission through AppConfig (the deployer, the toggle's operator),
    // https://docs.aws.amazon.com/appconfig/latest/userguide/appconfig-deploying.html (kms:GenerateDataKey).
    statements.push(root(viaService("RoutingConfigThroughAppConfig", u.account, `appconfig.${u.region}.amazonaws.com`, ["kms:GenerateDataKey", "kms:Decrypt"])));
  return { Version: "2012-10-17", Statement: statements };
}
