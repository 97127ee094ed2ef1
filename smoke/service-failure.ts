import { classifyError, type ErrorCategory, type ErrorLike } from "../core/runtime";

/** A failed control-plane call (AppConfig, Service Quotas, STS), described for a report row. */
export interface ServiceFailure {
  readonly category: ErrorCategory;
  readonly cause: string;
  readonly errorName: string;
  readonly hint: string;
  readonly message: string;
}

/**
 * Classifies a non-Bedrock failure by exception name with core's classifier, but words the hint for the API that
 * failed (core's hints speak of models): an access error names the IAM action the smoke role lacks.
 */
export function serviceFailure(err: unknown, call: { readonly action: string; readonly region: string; readonly declaredRegions: readonly string[] }): ServiceFailure {
  const e = (err ?? {}) as ErrorLike;
  const c = classifyError(e, { region: call.region, declaredRegions: call.declaredRegions });
  const message = (e.message ?? String(err)).slice(0, 300);
  const credentials = c.cause === "no-credentials" || c.cause === "credentials-invalid";
  const fix = credentials
    ? c.hint
    : c.category === "access"
      ? `allow ${call.action} in ${call.region} for the role running smoke (or pass --role-arn)`
      : c.category === "capacity"
        ? c.cause === "connection"
          ? "the endpoint could not be reached: check the network, proxy or VPC endpoint (and --endpoint-url / AWS_ENDPOINT_URL if set)"
          : "the service was unavailable or slow; re-run, or raise --timeout-ms"
        : /NotFound|NoSuchResource/.test(c.errorName)
          ? "check the baseline is deployed in this region (cdktf deploy)"
          : "an answer smoke did not expect: re-run; if it persists, check the endpoint (--endpoint-url / AWS_ENDPOINT_URL) and report the message";
  // Core's causes name Bedrock situations (model-not-found, iam-denied); say what happened to this API instead.
  const cause = /NotFound|NoSuchResource/.test(c.errorName) ? "not-found" : credentials ? c.cause : c.category === "access" ? "access-denied" : c.cause;
  return { category: c.category, cause, errorName: c.errorName, hint: `${call.action} failed (${c.errorName}: ${message.slice(0, 160)}): ${fix}`, message };
}
