/**
 * Classifies Bedrock failures by exception name (never by HTTP status: Bedrock has sent serviceUnavailableException inside
 * a 400, lessons.md §4), into what a platform engineer does next. Only `capacity` is retried or falls back.
 */

/** What kind of fix a failure needs. */
export type ErrorCategory = "configuration" | "access" | "marketplace-pending" | "capacity" | "model";

/** A classified failure with the fix to apply. */
export interface Classification {
  readonly category: ErrorCategory;
  /** Stable machine-readable cause, e.g. `bare-model-id`, `throttled`, `scp-destination-region`. */
  readonly cause: string;
  /** True only for capacity errors: retry with backoff, then fall back. */
  readonly retryable: boolean;
  /** The exception name as received (or the Node error code). */
  readonly errorName: string;
  /** One sentence: what to do. */
  readonly hint: string;
}

/** The facts about the failing call that sharpen a hint. */
export interface ErrorContext {
  /** The ID sent as modelId. */
  readonly invokeId?: string;
  /** Region the call was made from. */
  readonly region?: string;
  /** Regions the environment declares; an AccessDenied naming another region points at an SCP on a destination. */
  readonly declaredRegions?: readonly string[];
}

/** The parts of an SDK or Node error we read. */
export interface ErrorLike {
  readonly name?: string;
  readonly message?: string;
  readonly code?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

const CONNECTION_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN", "ECONNABORTED", "ERR_HTTP2_STREAM_ERROR", "ERR_HTTP2_GOAWAY_SESSION", "ERR_HTTP2_SESSION_ERROR", "ERR_HTTP2_ERROR"]);

/** Exception names arrive as `ThrottlingException` from responses and `throttlingException` from event streams. */
function normalizeName(name: string): string {
  return name ? name[0].toUpperCase() + name.slice(1) : name;
}

function make(category: ErrorCategory, cause: string, errorName: string, hint: string): Classification {
  return { category, cause, retryable: category === "capacity", errorName, hint };
}

export function classifyError(err: ErrorLike, ctx: ErrorContext = {}): Classification {
  const name = normalizeName(err.name ?? "");
  const message = err.message ?? "";
  const model = ctx.invokeId ? ` ${ctx.invokeId}` : "";
  const code = err.code ?? "";

  switch (name) {
    case "ValidationException":
      if (/on-demand throughput/i.test(message))
        return make("configuration", "bare-model-id", name, `model${model} was called by its bare foundation-model ID; call the inference profile ID (e.g. us.<model-id>) by setting inference "geo" or "global" for it in config/<env>.json`);
      if (/not allowed for this account/i.test(message))
        return make("access", "model-access-not-allowed", name, "the account may not use this provider's models: submit the Anthropic use-case form (once per account or at the organization's management account), then retry");
      if (/end of (its )?life/i.test(message)) return endOfLife(name, model);
      return make("configuration", "invalid-request", name, `Bedrock rejected the request for${model}: check the model ID, its geography prefix for this region and the inference parameters in config/<env>.json`);
    case "ResourceNotFoundException":
      if (/legacy/i.test(message))
        return make("configuration", "legacy-model", name, `model${model} is Legacy and this account has not used it recently, so AWS refuses it: move the route to a current model (replacements: catalog/overlay.json)`);
      if (/end of (its )?life/i.test(message)) return endOfLife(name, model);
      return make("configuration", "model-not-found", name, `model${model} does not exist in ${ctx.region ?? "this region"}: check the ID against ListInferenceProfiles / the model card`);
    case "AccessDeniedException":
    case "AccessDenied": // awsQuery services (STS) spell it without the suffix
      return accessDenied(name, message, model, ctx);
    case "ThrottlingException":
    case "ServiceQuotaExceededException":
      if (/per day/i.test(message))
        return make("capacity", "daily-quota-exhausted", name, `the tokens-per-day quota for${model} is used up: wait for the daily reset or request an increase in Service Quotas`);
      return make("capacity", "throttled", name, `throttled on${model}: the tokens-per-minute quota is exhausted; lower the route's maxTokens (reserved at request start) or request a Cross-Region TPM increase`);
    case "ModelNotReadyException":
      return make("capacity", "model-not-ready", name, `model${model} is not ready yet: retry shortly`);
    case "ServiceUnavailableException":
      return make("capacity", "service-unavailable", name, `Bedrock is out of capacity for${model}: retried with backoff; consider a fallback or a global profile`);
    case "InternalServerException":
      return make("capacity", "server-error", name, `Bedrock had an internal error on${model}: retried with backoff; if it persists, open an AWS support case`);
    case "ModelTimeoutException":
      return make("capacity", "model-timeout", name, `model${model} timed out: retry, lower maxTokens, or use a faster fallback`);
    case "ModelErrorException":
    case "ModelStreamErrorException":
      return make("model", "model-error", name, `model${model} failed while generating: not a baseline problem; retry later or report it to the provider`);
    case "TimeoutError":
    case "AbortError":
    case "RequestTimeout":
      return make("capacity", "timeout", name, `no answer from${model} within the timeout: retried with backoff; raise --timeout-ms if the model is just slow`);
  }
  if (CONNECTION_CODES.has(code) || CONNECTION_CODES.has(name))
    return make("capacity", "connection", code || name, `connection to Bedrock failed (${code || name}): check network/VPC endpoint; retried with backoff`);
  const status = err.$metadata?.httpStatusCode ?? 0;
  if (status >= 500) return make("capacity", "server-error", name || `HTTP ${status}`, "Bedrock returned a server error: retried with backoff");
  if (name === "MalformedResponse")
    return make("model", "malformed-response", name, `the response from${model} is missing required fields: if it persists, report it with the request ID`);
  return make("model", "unexpected", name || code || "Error", `unexpected error${model}: ${message.slice(0, 160)}`);
}

function endOfLife(name: string, model: string): Classification {
  return make("configuration", "end-of-life", name, `model${model} has reached end of life: move the route to its replacement (catalog/overlay.json) and redeploy`);
}

function accessDenied(name: string, message: string, model: string, ctx: ErrorContext): Classification {
  if (/aws-marketplace/i.test(message)) {
    const wait = /try again after (\d+) minutes/i.exec(message)?.[1] ?? "15";
    return make(
      "marketplace-pending",
      "marketplace-subscription",
      name,
      `the account's AWS Marketplace subscription for${model} is not active: a privileged principal (not the workload role) needs aws-marketplace:ViewSubscriptions and aws-marketplace:Subscribe to call the model once (or run create-foundation-model-agreement); then retry after ${wait} minutes`,
    );
  }
  const resourceRegion = /arn:aws[\w-]*:bedrock:([a-z0-9-]+):/.exec(message)?.[1];
  if (/service control polic/i.test(message)) {
    if (resourceRegion && ctx.declaredRegions && !ctx.declaredRegions.includes(resourceRegion))
      return make("access", "scp-destination-region", name, `an SCP denies ${resourceRegion}, a destination region the inference profile routes to (not a region this stack declares): exempt cross-region inference in the SCP (ArnLike bedrock:InferenceProfileArn; aws:RequestedRegion "unspecified" for global)`);
    return make("access", "scp-denied", name, `an organization SCP denies the call for${model}: ask the org admins to allow bedrock:InvokeModel* in ${resourceRegion ?? ctx.region ?? "this region"}`);
  }
  if (resourceRegion && ctx.declaredRegions && !ctx.declaredRegions.includes(resourceRegion))
    return make("access", "destination-region-denied", name, `access denied in ${resourceRegion}, a destination region of the profile: likely an SCP or permissions boundary blocking that region; exempt cross-region inference there`);
  return make("access", "iam-denied", name, `the caller's IAM policy does not allow${model} here: attach the baseline's workload/smoke policy (cdktf deploy) or check the role; the policy grants only declared models through their profiles`);
}
