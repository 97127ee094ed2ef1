import { cloudWatchAgentSink, type AgentSink } from "./emf-agent-sink";
import type { MetricsSink } from "./metrics";

/**
 * Where a router's EMF records go when the application does not say: never mixed into the application's own stdout,
 * except in AWS Lambda, where stdout is the function's log stream and CloudWatch Logs extracts EMF records from it:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Generation.html
 */

/** One JSON line per record on stdout (AWS Lambda's EMF path). */
export const stdoutSink: MetricsSink = (record) => {
  process.stdout.write(JSON.stringify(record) + "\n");
};

/**
 * One JSON line per record on stderr: the diagnostic stream, which container platforms ship to CloudWatch Logs like
 * stdout (ECS awslogs, Fluent Bit on EKS), without interleaving records with what the application prints.
 */
export const stderrSink: MetricsSink = (record) => {
  process.stderr.write(JSON.stringify(record) + "\n");
};

/** The environment variables the default honours (names shared with AWS's aws-embedded-metrics libraries). */
export const EMF_ENVIRONMENT = {
  /** Set by AWS Lambda in every function. */
  lambda: "AWS_LAMBDA_FUNCTION_NAME",
  /** `tcp://host:port` or `udp://host:port` of the CloudWatch agent's EMF listener. */
  agentEndpoint: "AWS_EMF_AGENT_ENDPOINT",
  /** With the agent: the log group (and stream) the agent writes records to. */
  logGroupName: "AWS_EMF_LOG_GROUP_NAME",
  logStreamName: "AWS_EMF_LOG_STREAM_NAME",
} as const;

/**
 * The default sink for this process: stdout in AWS Lambda; the CloudWatch agent when AWS_EMF_AGENT_ENDPOINT is set
 * (throws when it is not a tcp:// or udp:// endpoint); stderr everywhere else.
 */
export function defaultMetricsSink(env: Readonly<Record<string, string | undefined>> = process.env): MetricsSink | AgentSink {
  if (env[EMF_ENVIRONMENT.lambda]) return stdoutSink;
  const endpoint = env[EMF_ENVIRONMENT.agentEndpoint];
  if (endpoint) {
    try {
      return cloudWatchAgentSink(endpoint, { logGroupName: env[EMF_ENVIRONMENT.logGroupName] || undefined, logStreamName: env[EMF_ENVIRONMENT.logStreamName] || undefined });
    } catch (e) {
      throw new Error(`createRouter: ${EMF_ENVIRONMENT.agentEndpoint}: ${(e as Error).message}; or pass metrics: <sink> | false`);
    }
  }
  return stderrSink;
}
