import { bucketNameBreach, LOG_RETENTION_DAYS, names } from "../../aws";
import type { Problem } from "../../problems";
import { duplicates } from "../list-duplicates";
import type { EnvironmentRule } from "../rule";

/** The retention values CloudWatch Logs accepts nearest to `days`. */
function nearest(days: number): string {
  const sorted = [...LOG_RETENTION_DAYS].sort((a, b) => Math.abs(a - days) - Math.abs(b - days) || a - b);
  return sorted.slice(0, 2).sort((a, b) => a - b).join(" or ");
}

/**
 * Invocation logging fits together: payloads are an opt-in with their own retention period, retention values are ones
 * CloudWatch Logs accepts (with a log group), image and video payloads have the S3 destination they are delivered to
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html), the bucket name is valid, and
 * nothing is set while logging is off.
 */
export const invocationLoggingSettings: EnvironmentRule = {
  name: "invocation-logging-settings",
  description: "invocationLogging's payload opt-in has a retention, retentions are CloudWatch values, image/video payloads go to S3",
  stage: "draft",
  check({ draft: d }) {
    const l = d.invocationLogging;
    const payloads = l.payloads;
    const problems: Problem[] = [...duplicates(l.destinations, ["invocationLogging", "destinations"], "destination"), ...duplicates(payloads?.kinds, ["invocationLogging", "payloads", "kinds"], "payload kind")];
    if (l.enabled !== true) {
      if (payloads?.enabled) problems.push({ path: "invocationLogging.payloads.enabled", message: "is true, but invocationLogging.enabled is false: nothing is logged", fix: 'set invocationLogging.enabled to true, or remove payloads' });
      return problems;
    }
    const destinations = l.destinations ?? ["cloudwatch"];
    if (payloads?.enabled && payloads.retentionDays === undefined)
      problems.push({
        path: "invocationLogging.payloads.retentionDays",
        message: "is missing: logging prompts and answers needs an explicit retention period",
        fix: 'add "retentionDays", e.g. 30 (a CloudWatch Logs value with the cloudwatch destination), agreed with whoever owns the data',
      });
    if (destinations.includes("cloudwatch"))
      for (const [path, days] of [["invocationLogging.retentionDays", l.retentionDays], ["invocationLogging.payloads.retentionDays", payloads?.enabled ? payloads.retentionDays : undefined]] as const)
        if (days !== undefined && !LOG_RETENTION_DAYS.includes(days))
          problems.push({ path, message: `${days} days is not a retention CloudWatch Logs accepts`, fix: `use ${nearest(days)} (the accepted values: ${LOG_RETENTION_DAYS.join(", ")})` });
    const binary = (payloads?.enabled ? (payloads.kinds ?? ["text"]) : []).filter((k) => k === "image" || k === "video");
    if (binary.length && !destinations.includes("s3"))
      problems.push({ path: "invocationLogging.destinations", message: `has no "s3": ${binary.join(" and ")} payloads are delivered to S3 only`, fix: 'add "s3" to invocationLogging.destinations, or drop those payload kinds' });
    if (destinations.includes("s3") && d.name !== undefined && d.account !== undefined)
      for (const { region, index } of d.regions) {
        const breach = bucketNameBreach(names.invocationLogBucket(d.name, region, d.account));
        if (breach) problems.push({ path: `regions[${index}]`, message: `the invocation log bucket of ${region} (${names.invocationLogBucket(d.name, region, d.account)}) ${breach}`, fix: "use a shorter environment name, or the cloudwatch destination only" });
      }
    return problems;
  },
};
