/**
 * Classifies Bedrock failures by exception name (never by HTTP status: Bedrock has sent serviceUnavailableException inside
 * a 400, https://github.com/BerriAI/litellm/issues/7637), into what a platform engineer does next. Only `capacity` is
 * retried or falls back.
 */

/** What kind of fix a failure needs; `caller`: the calling code sent a malformed request (no model or config change helps). */
export type ErrorCategory = "configuration" | "access" | "marketplace-pending" | "capacity" | "model" | "caller";

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
  /**
   * ConverseStream only: whether the failure came before the first content event (the call may be retried or fall
   * back) or after it (part of the answer was delivered). Default: not a stream.
   */
  readonly streamPhase?: "before-content" | "after-content";
}

/** The parts of an SDK or Node error we read. */
export interface ErrorLike {
  readonly name?: string;
  readonly message?: string;
  readonly code?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
  /** The error this one wraps (Node's `cause`); the SDK wraps socket errors this way over HTTP/2. */
  readonly cause?: unknown;
  /** AggregateError members (e.g. a connection tried on several addresses). */
  readonly errors?: unknown;
}

/** How deep the cause chain is walked, and how many errors at most: a cyclic or hostile chain cannot loop. */
export const CAUSE_CHAIN_LIMITS = { depth: 8, errors: 32 } as const;

/**
 * The error and the errors it wraps (`cause`, AggregateError `errors`), outermost first, breadth-first, each at most
 * once, bounded by CAUSE_CHAIN_LIMITS. Non-objects are skipped.
 */
export function causeChain(err: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  const seen = new Set<unknown>();
  let level: unknown[] = [err];
  for (let depth = 0; depth <= CAUSE_CHAIN_LIMITS.depth && level.length; depth++) {
    const next: unknown[] = [];
    for (const e of level) {
      if (typeof e !== "object" || e === null || seen.has(e) || out.length >= CAUSE_CHAIN_LIMITS.errors) continue;
      seen.add(e);
      const x = e as ErrorLike;
      out.push(x);
      next.push(read(x, "cause"));
      const members = read(x, "errors");
      if (Array.isArray(members)) next.push(...members.slice(0, CAUSE_CHAIN_LIMITS.errors));
    }
    level = next;
  }
  return out;
}

/** A property read that survives hostile getters (a thrown getter reads as absent). */
function read(e: ErrorLike, key: keyof ErrorLike): unknown {
  try {
    return e[key];
  } catch {
    return undefined;
  }
}

function text(v: unknown): string {
  return typeof v === "string" ? v : "";
}

const CONNECTION_CODES: ReadonlySet<string> = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ECONNABORTED",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "EHOSTDOWN",
  "ERR_HTTP2_STREAM_ERROR",
  "ERR_HTTP2_STREAM_CANCEL",
  "ERR_HTTP2_GOAWAY_SESSION",
  "ERR_HTTP2_SESSION_ERROR",
  "ERR_HTTP2_ERROR",
  "ERR_HTTP2_INVALID_SESSION",
  "ERR_SOCKET_CONNECTION_TIMEOUT",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_SOCKET",
]);

/** Node error codes that mean the connection (not the service) failed. */
export function isConnectionCode(code: string): boolean {
  return CONNECTION_CODES.has(code);
}

/** Exception names arrive as `ThrottlingException` from responses and `throttlingException` from event streams. */
function normalizeName(name: string): string {
  return name ? name[0].toUpperCase() + name.slice(1) : name;
}

function make(category: ErrorCategory, cause: string, errorName: string, hint: string): Classification {
  return { category, cause, retryable: category === "capacity", errorName, hint };
}

/**
 * Classifies a failure by the first error in its cause chain (outermost first) whose name or code says what happened:
 * the SDK's HTTP/2 handler reports a refused connection as `The pending stream has been canceled (caused by: connect
 * ECONNREFUSED ...)` with the socket error as `cause`. Only when nothing in the chain is known is it `unexpected`.
 */
export function classifyError(err: ErrorLike, ctx: ErrorContext = {}): Classification {
  const chain = causeChain(err);
  if (chain.length === 0) return classifyOne({}, ctx);
  for (const [i, e] of chain.entries()) {
    const c = classifyOne(e, ctx);
    if (c.cause === "unexpected") continue;
    // An HTTP/2 stream error wrapping the socket's own error: name the socket error (ECONNREFUSED says more).
    if (c.cause === "connection" && c.errorName.startsWith("ERR_HTTP2_")) {
      const socket = chain.slice(i + 1).map((x) => text(read(x, "code"))).find((code) => CONNECTION_CODES.has(code) && !code.startsWith("ERR_HTTP2_"));
      if (socket) return classifyOne({ code: socket }, ctx);
    }
    return c;
  }
  // Last resort: a wrapper that kept only the text (the SDK's retry middleware turns an error from another realm into
  // `AWS SDK error wrapper for Error [ERR_HTTP2_STREAM_CANCEL]: ... (caused by: connect ECONNREFUSED ...)`).
  for (const e of chain) {
    const named = connectionCodeIn(text(read(e, "message")));
    if (named) return classifyOne({ code: named }, ctx);
  }
  return classifyOne(chain[0], ctx);
}

/** The most specific connection error code a message names (the socket error over its HTTP/2 wrapper), if any. */
function connectionCodeIn(message: string): string | undefined {
  const found = message.slice(0, 2000).match(/\b(E[A-Z]{3,}|ERR_[A-Z0-9_]+|UND_ERR_[A-Z_]+)\b/g) ?? [];
  const known = found.filter((c) => CONNECTION_CODES.has(c));
  return known.find((c) => !c.startsWith("ERR_HTTP2_")) ?? known[0];
}

function classifyOne(err: ErrorLike, ctx: ErrorContext): Classification {
  const name = normalizeName(text(read(err, "name")));
  const message = text(read(err, "message"));
  const model = ctx.invokeId ? ` ${ctx.invokeId}` : "";
  const code = text(read(err, "code"));

  switch (name) {
    case "ValidationException":
      if (/service tier|reservation not found/i.test(message)) return serviceTierRefused(name, model);
      if (/guardrail/i.test(message)) return guardrailNotFound(name, model, ctx);
      if (/on-demand throughput/i.test(message))
        return make("configuration", "bare-model-id", name, `model${model} was called by its bare foundation-model ID; call the inference profile ID (e.g. us.<model-id>) by setting inference "geo" or "global" for it in config/<env>.json`);
      if (/not allowed for this account/i.test(message))
        return make("access", "model-access-not-allowed", name, "the account may not use this provider's models: submit the Anthropic use-case form (once per account or at the organization's management account), then retry");
      if (/end of (its )?life/i.test(message)) return endOfLife(name, model);
      if (/doesn't support the model that you provided/i.test(message))
        return make("configuration", "converse-unsupported", name, `Converse does not serve${model}: route the task to another model, and record requestConstraints.converse "unsupported" for it in catalog/overlay.json`);
      if (PARAMETER_REFUSED.test(message)) return parameterRefused(name, model);
      if (CONVERSATION_REFUSED.test(message)) return conversationRefused(name);
      return make("configuration", "invalid-request", name, `Bedrock rejected the request for${model}: check the model ID, its geography prefix for this region and the inference parameters in config/<env>.json`);
    case "ResourceNotFoundException":
      if (/guardrail/i.test(message)) return guardrailNotFound(name, model, ctx);
      if (/legacy/i.test(message))
        return make("configuration", "legacy-model", name, `model${model} is Legacy and this account has not used it recently, so AWS refuses it: move the route to a current model (replacements: catalog/overlay.json)`);
      if (/end of (its )?life/i.test(message)) return endOfLife(name, model);
      return make("configuration", "model-not-found", name, `model${model} does not exist in ${ctx.region ?? "this region"}: check the ID against ListInferenceProfiles / the model card`);
    case "AccessDeniedException":
    case "AccessDenied": // awsQuery services (STS) spell it without the suffix
      return accessDenied(name, message, model, ctx);
    case "CredentialsProviderError":
      return make("access", "no-credentials", name, "no AWS credentials could be loaded: set AWS_PROFILE (aws configure / aws sso login) or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where an instance or container role is available");
    case "ExpiredToken":
    case "ExpiredTokenException":
    case "UnrecognizedClientException":
    case "InvalidClientTokenId":
    case "InvalidSignatureException":
    case "SignatureDoesNotMatch":
      return make("access", "credentials-invalid", name, "AWS rejected the credentials themselves (expired, unknown or mis-signed): refresh them (aws sso login, new session keys) and check the clock");
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
    case "ModelStreamErrorException":
      // Before any content nothing was delivered: the SDK documents this one as "retry your request".
      // https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html
      if (ctx.streamPhase === "before-content")
        return make("capacity", "model-stream-error", name, `model${model} failed before sending any content: retried with backoff, then fell back`);
      return make("model", "model-error", name, `model${model} failed while generating: not a baseline problem; retry later or report it to the provider`);
    case "ModelErrorException":
      return make("model", "model-error", name, `model${model} failed while generating: not a baseline problem; retry later or report it to the provider`);
    case "StreamEndedEarly":
      // The connection was cut mid-answer (no messageStop): a capacity signal for the breaker, never a clean result.
      return make("capacity", "stream-truncated", name, `the stream from${model} ended before messageStop: the connection was cut; retry the request`);
    case "TimeoutError":
    case "AbortError":
    case "RequestTimeout":
      return make("capacity", "timeout", name, `no answer from${model} within the timeout: retried with backoff; raise --timeout-ms if the model is just slow`);
  }
  if (CONNECTION_CODES.has(code) || CONNECTION_CODES.has(name))
    return make("capacity", "connection", code || name, `connection to Bedrock failed (${code || name}): check network/VPC endpoint; retried with backoff`);
  const metadata = read(err, "$metadata") as ErrorLike["$metadata"] | undefined;
  const status = typeof metadata?.httpStatusCode === "number" ? metadata.httpStatusCode : 0;
  if (status >= 500) return make("capacity", "server-error", name || `HTTP ${status}`, "Bedrock returned a server error: retried with backoff");
  if (name === "MalformedResponse")
    return make("model", "malformed-response", name, `the response from${model} is missing required fields: if it persists, report it with the request ID`);
  return make("model", "unexpected", name || code || "Error", `unexpected error${model}: ${oneLine(message, 160)}`);
}

/**
 * Bedrock's ValidationException wording for a malformed conversation (roles out of order, a blank or misplaced content
 * block, a bad system or metadata member): the same request fails on every model, so it is the caller's.
 */
const CONVERSATION_REFUSED = /conversation must|at '(messages|system|requestMetadata)|\bmessages\.\d/i;

/**
 * Bedrock's ValidationException for request parameters the model does not take (sampling parameters, thinking, a forced
 * tool choice, an unknown provider field): every request of the route fails the same way on that model.
 */
const PARAMETER_REFUSED = /`?(temperature|top_p|top_k)`?\b|thinking|budget_tokens|tool_choice|extraneous key/i;

function parameterRefused(name: string, model: string): Classification {
  return make(
    "configuration",
    "request-parameter-refused",
    name,
    `model${model} refused the route's request parameters (temperature, topP, thinking or tool choice): make the route fit the model (npm run synth checks routes against catalog/overlay.json requestConstraints), and where the catalog said the model accepts them, correct requestConstraints there`,
  );
}

function conversationRefused(name: string): Classification {
  return make(
    "caller",
    "invalid-conversation",
    name,
    "Bedrock refused the conversation itself (e.g. roles must alternate user/assistant, starting with user; no blank text blocks): fix the calling code that builds the messages; no fallback or configuration change helps (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html)",
  );
}

/** A message fragment for a hint: one line, control characters dropped, at most `max` characters. */
function oneLine(message: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const flat = message.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ");
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/**
 * A tier the model does not offer (or `reserved` without a reservation): every request of the route fails the same
 * way, so it is configuration, never retried. https://docs.aws.amazon.com/bedrock/latest/userguide/service-tiers-inference.html
 */
function serviceTierRefused(name: string, model: string): Classification {
  return make(
    "configuration",
    "service-tier-unsupported",
    name,
    `model${model} does not accept the service tier the route requests: set the route's serviceTier in config/<env>.json to one the model offers (catalog/overlay.json serviceTiers), or remove it to be served Standard`,
  );
}

/** The request names a guardrail (or version) that does not exist where it is called. */
function guardrailNotFound(name: string, model: string, ctx: ErrorContext): Classification {
  return make(
    "configuration",
    "guardrail-not-found",
    name,
    `the guardrail the request for${model} names does not exist in ${ctx.region ?? "this region"} at that version: apply the region stack (it creates the route's guardrail and publishes its version) and let the routing document that names it deploy, or fix routes.<task>.guardrail`,
  );
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
  if (/bedrock:ApplyGuardrail/i.test(message))
    return make("access", "guardrail-denied", name, `the caller may not apply the guardrail the request for${model} names (bedrock:ApplyGuardrail): attach the baseline's workload or smoke policy, which grants it on the route's guardrail (cdktf deploy)`);
  if (resourceRegion && ctx.declaredRegions && !ctx.declaredRegions.includes(resourceRegion))
    return make("access", "destination-region-denied", name, `access denied in ${resourceRegion}, a destination region of the profile: likely an SCP or permissions boundary blocking that region; exempt cross-region inference there`);
  return make("access", "iam-denied", name, `the caller's IAM policy does not allow${model} here: attach the baseline's workload/smoke policy (cdktf deploy) or check the role; the policy grants only declared models through their profiles`);
}
