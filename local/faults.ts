import { modelIdOf } from "../core/aws";

/** Fault kinds the Bedrock stand-in can script, each mirroring a failure seen from the real service. */
export const FAULT_KINDS = [
  "throttle",
  "server-error",
  "model-not-ready",
  "model-timeout",
  "model-error",
  "hang",
  "malformed",
  "stream-exception",
  "marketplace-denied",
  "legacy",
  "eol",
  "scp-denied",
  "latency",
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** ConverseStream union members that are errors; the SDK raises them from the async iterator. */
export const STREAM_EXCEPTION_TYPES = [
  "modelStreamErrorException",
  "throttlingException",
  "internalServerException",
  "serviceUnavailableException",
  "validationException",
] as const;
export type StreamExceptionType = (typeof STREAM_EXCEPTION_TYPES)[number];

/** One scripted fault for Converse/ConverseStream calls. */
export interface FaultRule {
  /** modelId exactly as the client sends it (profile ID, ARN or bare ID), or `*` for every model. */
  modelId: string;
  /** Signing region the rule applies to; default: every region. */
  region?: string;
  fault: FaultKind;
  /** Number of matching calls the fault applies to, after which it stops; default: unlimited. */
  times?: number;
  /** server-error: 500 InternalServerException (default) or 503 ServiceUnavailableException. */
  status?: 500 | 503;
  /** scp-denied: region named in the denied foundation-model ARN (a CRIS destination); default: the signing region. */
  destinationRegion?: string;
  /** stream-exception: union member sent after the first delta; default modelStreamErrorException. */
  exceptionType?: StreamExceptionType;
  /** stream-exception: content deltas sent before the exception; default 1 (mid-stream), 0 = before any content. */
  deltasBefore?: number;
  /**
   * Replaces the characteristic message; default: Bedrock's wording as reported publicly (faultError below; e.g.
   * https://github.com/awslabs/llmeter/issues/35, https://github.com/gsd-build/gsd-2/issues/5425,
   * https://github.com/anthropics/anthropic-sdk-python/issues/894).
   */
  message?: string;
  /** Added delay before answering in ms (for fault `latency` this is the whole effect); default 0. */
  latencyMs?: number;
}

/** Outcome of matching one call against the rule book. */
export interface FaultMatch {
  /** The first matching non-latency fault, if any. */
  rule?: FaultRule;
  /** Sum of the matching rules' latencies. */
  latencyMs: number;
}

/** Ordered rule list with per-rule remaining counts. */
export class FaultBook {
  private rules: Array<{ rule: FaultRule; remaining: number }> = [];

  inject(rule: FaultRule): void {
    if (rule.times !== undefined && (!Number.isInteger(rule.times) || rule.times < 1)) {
      throw new Error(`fault times must be a positive integer, got ${rule.times}`);
    }
    this.rules.push({ rule: { ...rule }, remaining: rule.times ?? Number.POSITIVE_INFINITY });
  }

  reset(): void {
    this.rules = [];
  }

  /** Rules that can still fire, in evaluation order. */
  active(): FaultRule[] {
    return this.rules.map((r) => r.rule);
  }

  /**
   * Consumes one use of each matching rule. Latency rules stack; the first other fault wins, so several scripts
   * for one model play out in injection order (e.g. throttle twice, then server-error once).
   */
  take(modelId: string | readonly string[], region: string, streaming: boolean): FaultMatch {
    // A call through an application profile matches scripts written for its ARN or for the invoke ID it copies.
    const ids: readonly string[] = typeof modelId === "string" ? [modelId] : modelId;
    let latencyMs = 0;
    let rule: FaultRule | undefined;
    for (const entry of this.rules) {
      const r = entry.rule;
      if (entry.remaining <= 0) continue;
      if (r.modelId !== "*" && !ids.includes(r.modelId)) continue;
      if (r.region !== undefined && r.region !== region) continue;
      // A mid-stream exception has no Converse equivalent; leave its count for the stream call it was written for.
      if (r.fault === "stream-exception" && !streaming) continue;
      if (r.fault === "latency") {
        entry.remaining -= 1;
        latencyMs += r.latencyMs ?? 0;
        continue;
      }
      if (rule) continue;
      entry.remaining -= 1;
      latencyMs += r.latencyMs ?? 0;
      rule = r;
    }
    this.rules = this.rules.filter((e) => e.remaining > 0);
    return rule ? { rule, latencyMs } : { latencyMs };
  }
}

/** An error the service answers with before any body is streamed. */
export interface FaultError {
  status: number;
  errorType: string;
  body: Record<string, unknown>;
}

export interface FaultContext {
  modelId: string;
  region: string;
  streaming: boolean;
  /** ARN of the calling identity as IAM would print it in a denial. */
  callerArn: string;
}

/** The HTTP error for a fault that fails the call outright; undefined for hang/malformed/stream-exception/latency. */
export function faultError(rule: FaultRule, ctx: FaultContext): FaultError | undefined {
  const err = (status: number, errorType: string, message: string, extra: Record<string, unknown> = {}): FaultError => ({
    status,
    errorType,
    body: { message: rule.message ?? message, ...extra },
  });
  switch (rule.fault) {
    case "throttle":
      return err(429, "ThrottlingException", "Too many tokens, please wait before trying again.");
    case "server-error":
      return rule.status === 503
        ? err(503, "ServiceUnavailableException", "Bedrock is unable to process your request.")
        : err(500, "InternalServerException", "The server encountered an internal error while processing the request.");
    case "model-not-ready":
      return err(429, "ModelNotReadyException", "Model is not ready to serve inference requests. Try again later.");
    case "model-timeout":
      return err(408, "ModelTimeoutException", "Model has timed out in processing the request. Try your request again.");
    case "model-error":
      return err(424, "ModelErrorException", "Received error from the model. Try your request again.", {
        originalStatusCode: 500,
        resourceName: ctx.modelId,
      });
    case "marketplace-denied":
      return err(
        403,
        "AccessDeniedException",
        "Model access is denied due to IAM user or service role is not authorized to perform the required AWS " +
          "Marketplace actions (aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe) to enable access to " +
          "this model. Refer to the Amazon Bedrock documentation for further details. Your AWS Marketplace " +
          "subscription for this model cannot be completed at this time. If you recently fixed this issue, try " +
          "again after 15 minutes.",
      );
    case "legacy":
      return err(
        404,
        "ResourceNotFoundException",
        "This Model is marked by provider as Legacy and you have not been actively using the model in the last " +
          "30 days. Please upgrade to an active model on Amazon Bedrock",
      );
    case "eol":
      return err(404, "ResourceNotFoundException", "This model version has reached the end of its life.");
    case "scp-denied": {
      const action = ctx.streaming ? "bedrock:InvokeModelWithResponseStream" : "bedrock:InvokeModel";
      const dest = rule.destinationRegion ?? ctx.region;
      return err(
        403,
        "AccessDeniedException",
        `User: ${ctx.callerArn} is not authorized to perform: ${action} on resource: ` +
          `arn:aws:bedrock:${dest}::foundation-model/${modelIdOf(ctx.modelId)} ` +
          "with an explicit deny in a service control policy",
      );
    }
    case "hang":
    case "malformed":
    case "stream-exception":
    case "latency":
      return undefined;
  }
}

/** Message of the ValidationException Bedrock gives for a bare foundation-model ID (note the curly apostrophe). */
export function onDemandNotSupportedMessage(modelId: string): string {
  return (
    `Invocation of model ID ${modelId} with on-demand throughput isn\u2019t supported. ` +
    "Retry your request with the ID or ARN of an inference profile that contains this model."
  );
}
