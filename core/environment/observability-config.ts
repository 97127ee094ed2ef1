import { z } from "zod";
import { quote } from "../problems";
import { issue } from "./schema-issue";

/**
 * CloudWatch Logs log group names (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_QueryDefinition.html:
 * 1-512 characters of letters, digits and . - _ / #), and how many one Logs Insights query reads
 * (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_StartQuery.html: up to 50).
 */
const LOG_GROUP_NAME = /^[.\-_/#A-Za-z0-9]+$/;
export const MAX_LOG_GROUP_NAME = 512;
export const MAX_QUERY_LOG_GROUPS = 50;

const logGroupName = z
  .string()
  .superRefine((v, ctx) => {
    if (v.length === 0 || v.length > MAX_LOG_GROUP_NAME) issue(ctx, `is ${v.length} characters; a log group name has 1 to ${MAX_LOG_GROUP_NAME}`, "write the log group's name, e.g. /aws/lambda/my-function");
    else if (!LOG_GROUP_NAME.test(v)) issue(ctx, `${quote(v, 100)} may contain only letters, digits and . - _ / #`, "write the log group's name, e.g. /aws/lambda/my-function (no ARN, no wildcard)");
  })
  .meta({ pattern: LOG_GROUP_NAME.source });

/** `observability`: what the baseline provisions to read the routing client's own metrics and logs (docs/observability.md). */
export const observabilitySchema = z.strictObject({
  /**
   * Log groups the applications' routing clients write their EMF records to (a Lambda function's `/aws/lambda/<name>`,
   * the CloudWatch agent's `AWS_EMF_LOG_GROUP_NAME`, an ECS task's awslogs group), the same names in every region: the
   * saved Logs Insights queries open on them. Default: none (the queries ask for log groups when run).
   */
  clientLogGroups: z.array(logGroupName).max(MAX_QUERY_LOG_GROUPS, `a Logs Insights query reads at most ${MAX_QUERY_LOG_GROUPS} log groups`).default([]),
  /** The routing dashboard rows (per task, from the client's metrics) on each region's dashboards. Default: true. */
  routingDashboard: z.boolean().default(true),
  /** A fallback-rate and a failure-rate alarm per route (from the client's metrics). Default: true. */
  routeAlarms: z.boolean().default(true),
  /** Saved Logs Insights queries over `clientLogGroups` in each region. Default: true. */
  savedQueries: z.boolean().default(true),
});

/** The parsed `observability` section. */
export type ObservabilityConfig = z.infer<typeof observabilitySchema>;
