import { partitionOf } from "../aws";
import type { PolicyDocument } from "./iam-policy";

/*
 * The policies Bedrock's model invocation logging needs, as AWS documents them
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html): a role Bedrock assumes to
 * write to CloudWatch Logs, and a bucket policy letting Bedrock write objects. Both are confused-deputy safe: Bedrock
 * may act only on behalf of this account (aws:SourceAccount) and of Bedrock in this region (aws:SourceArn),
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html.
 */

/** The log stream Bedrock writes to in the log group (fixed by Bedrock). */
export const INVOCATION_LOG_STREAM = "aws/bedrock/modelinvocations";

/** Bedrock of this account and region, as aws:SourceAccount and aws:SourceArn name it. */
function fromBedrockHere(region: string, account: string) {
  return { StringEquals: { "aws:SourceAccount": account }, ArnLike: { "aws:SourceArn": `arn:${partitionOf(region)}:bedrock:${region}:${account}:*` } };
}

/** The trust policy of the delivery role: only Bedrock of this account and region may assume it. */
export function invocationLogRoleTrust(region: string, account: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [{ Sid: "BedrockDelivers", Effect: "Allow", Principal: { Service: ["bedrock.amazonaws.com"] }, Action: ["sts:AssumeRole"], Condition: fromBedrockHere(region, account) }],
  };
}

/**
 * What the delivery role may do: create Bedrock's one stream in the log group and put events to it, nothing else; and,
 * when payloads too large for a log event go to the bucket, put objects under that prefix.
 */
export function invocationLogRolePolicy(args: { logGroupArn: string; largeDataObjects?: string }): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "WriteInvocationLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${args.logGroupArn}:log-stream:${INVOCATION_LOG_STREAM}` },
      ...(args.largeDataObjects ? [{ Sid: "WriteLargePayloads", Effect: "Allow" as const, Action: ["s3:PutObject"], Resource: args.largeDataObjects }] : []),
    ],
  };
}

/** Key prefixes in the log bucket: Bedrock's log objects, and payloads too large for a CloudWatch Logs event. */
export const LOG_BUCKET_PREFIXES = { logs: "invocation-logs", largeData: "large-payloads" } as const;

/**
 * The log bucket's policy: Bedrock of this account and region may put objects under the baseline's prefixes; nobody
 * else may put objects there (a Deny unless the caller is the Bedrock service, aws:PrincipalServiceName); and nothing
 * reaches the bucket without TLS (https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html).
 */
export function invocationLogBucketPolicy(args: { bucketArn: string; region: string; account: string; deliveryRoleArn?: string }): PolicyDocument {
  const writable = Object.values(LOG_BUCKET_PREFIXES).map((p) => `${args.bucketArn}/${p}/*`);
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "BedrockWritesLogs", Effect: "Allow", Principal: { Service: ["bedrock.amazonaws.com"] }, Action: ["s3:PutObject"], Resource: writable, Condition: fromBedrockHere(args.region, args.account) },
      {
        Sid: "OnlyBedrockWritesLogs",
        Effect: "Deny",
        Principal: "*",
        Action: ["s3:PutObject"],
        Resource: `${args.bucketArn}/*`,
        // Both must hold (conditions AND): neither the Bedrock service nor the delivery role, which may put large payloads.
        Condition: {
          StringNotEqualsIfExists: { "aws:PrincipalServiceName": "bedrock.amazonaws.com" },
          ...(args.deliveryRoleArn ? { ArnNotEqualsIfExists: { "aws:PrincipalArn": args.deliveryRoleArn } } : {}),
        },
      },
      { Sid: "TlsOnly", Effect: "Deny", Principal: "*", Action: ["s3:*"], Resource: [args.bucketArn, `${args.bucketArn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } },
    ],
  };
}
