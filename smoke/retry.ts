// The retry loop moved to cli/retry.ts (shared by smoke and eval); smoke's probes use its default policy.
export { type RetryOutcome, type RetryPolicy, withRetries, DEFAULT_RETRY as PROBE_RETRY } from "../cli/retry";
