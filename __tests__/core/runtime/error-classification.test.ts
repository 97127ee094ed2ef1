import { classifyError, type ErrorCategory, type ErrorLike } from "../../../core/runtime";

const invokeId = "us.anthropic.claude-haiku-4-5-20251001-v1:0";
const ctx = { invokeId, region: "us-east-1", declaredRegions: ["us-east-1", "us-west-2"] };

const BARE_ID = "Invocation of model ID anthropic.claude-haiku-4-5-20251001-v1:0 with on-demand throughput isn\u2019t supported. Retry your request with the ID or ARN of an inference profile that contains this model.";
const LEGACY = "This Model is marked by provider as Legacy and you have not been actively using the model in the last 30 days. Please upgrade to an active model on Amazon Bedrock";
const EOL = "This model version has reached the end of its life.";
const MARKETPLACE = "Model access is denied due to IAM user or service role is not authorized to perform the required AWS Marketplace actions (aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe) to enable access to this model. If you recently fixed this issue, try again after 5 minutes.";
const scp = (region: string) =>
  `User: arn:aws:sts::111111111111:assumed-role/ci/bedrock-smoke is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:${region}::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0 with an explicit deny in a service control policy`;

interface Row {
  readonly title: string;
  readonly err: ErrorLike;
  readonly category: ErrorCategory;
  readonly cause: string;
  /** Fragments the hint must contain (case-insensitive). */
  readonly hint?: readonly string[];
}

const rows: Row[] = [
  { title: "bare foundation-model ID", err: { name: "ValidationException", message: BARE_ID, $metadata: { httpStatusCode: 400 } }, category: "configuration", cause: "bare-model-id", hint: ["inference profile ID", invokeId] },
  { title: "other validation error", err: { name: "ValidationException", message: "Malformed input request" }, category: "configuration", cause: "invalid-request" },
  // A conversation Bedrock refuses fails on every model: the caller's, never a hint about model IDs or the config.
  { title: "roles that do not alternate", err: { name: "ValidationException", message: "A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again." }, category: "caller", cause: "invalid-conversation", hint: ["calling code"] },
  { title: "a conversation not starting with user", err: { name: "ValidationException", message: "A conversation must start with a user message. Try again with a conversation that starts with a user message." }, category: "caller", cause: "invalid-conversation", hint: ["calling code"] },
  { title: "a blank text block", err: { name: "ValidationException", message: "The text field in the ContentBlock object at messages.0.content.0 is blank. Add text to the text field, and try again." }, category: "caller", cause: "invalid-conversation" },
  { title: "an unknown role", err: { name: "ValidationException", message: "1 validation error detected: Value 'system' at 'messages.1.member.role' failed to satisfy constraint: Member must satisfy enum value set: [user, assistant]" }, category: "caller", cause: "invalid-conversation" },
  { title: "a bad metadata value", err: { name: "ValidationException", message: "1 validation error detected: Value at 'requestMetadata' failed to satisfy constraint: Map value must satisfy constraint" }, category: "caller", cause: "invalid-conversation" },
  { title: "provider not allowed for the account", err: { name: "ValidationException", message: "Access to Anthropic models is not allowed for this account." }, category: "access", cause: "model-access-not-allowed", hint: ["use-case form"] },
  { title: "EOL as ValidationException (older removals)", err: { name: "ValidationException", message: EOL }, category: "configuration", cause: "end-of-life", hint: ["end of life", "replacement"] },
  { title: "legacy model unused by the account", err: { name: "ResourceNotFoundException", message: LEGACY }, category: "configuration", cause: "legacy-model", hint: ["Legacy", "current model"] },
  { title: "EOL model", err: { name: "ResourceNotFoundException", message: EOL }, category: "configuration", cause: "end-of-life", hint: ["end of life"] },
  { title: "unknown model", err: { name: "ResourceNotFoundException", message: "Model not found" }, category: "configuration", cause: "model-not-found", hint: ["us-east-1"] },
  { title: "Marketplace subscription pending", err: { name: "AccessDeniedException", message: MARKETPLACE }, category: "marketplace-pending", cause: "marketplace-subscription", hint: ["aws-marketplace:Subscribe", "after 5 minutes"] },
  { title: "SCP naming an undeclared destination region", err: { name: "AccessDeniedException", message: scp("us-east-2") }, category: "access", cause: "scp-destination-region", hint: ["us-east-2", "destination", "InferenceProfileArn"] },
  { title: "SCP naming a declared region", err: { name: "AccessDeniedException", message: scp("us-west-2") }, category: "access", cause: "scp-denied", hint: ["us-west-2"] },
  { title: "STS spelling of an access denial", err: { name: "AccessDenied", message: "User: x is not authorized to perform: sts:AssumeRole" }, category: "access", cause: "iam-denied" },
  { title: "plain IAM denial", err: { name: "AccessDeniedException", message: "User: x is not authorized to perform: bedrock:InvokeModel" }, category: "access", cause: "iam-denied" },
  { title: "throttling per minute", err: { name: "ThrottlingException", message: "Too many tokens, please wait before trying again.", $metadata: { httpStatusCode: 429 } }, category: "capacity", cause: "throttled", hint: ["maxTokens"] },
  { title: "throttling per day", err: { name: "ThrottlingException", message: "Too many tokens per day, please wait before trying again." }, category: "capacity", cause: "daily-quota-exhausted" },
  { title: "ServiceQuotaExceededException", err: { name: "ServiceQuotaExceededException", message: "quota exceeded" }, category: "capacity", cause: "throttled" },
  { title: "model not ready", err: { name: "ModelNotReadyException", message: "Model is not ready" }, category: "capacity", cause: "model-not-ready" },
  { title: "service unavailable (503)", err: { name: "ServiceUnavailableException", message: "unavailable", $metadata: { httpStatusCode: 503 } }, category: "capacity", cause: "service-unavailable" },
  // Bedrock has delivered serviceUnavailableException inside a 400 (https://github.com/BerriAI/litellm/issues/7637): the
  // name decides, not the status.
  { title: "service unavailable inside HTTP 400", err: { name: "ServiceUnavailableException", message: "unavailable", $metadata: { httpStatusCode: 400 } }, category: "capacity", cause: "service-unavailable" },
  { title: "validation error with a 5xx status stays configuration", err: { name: "ValidationException", message: "bad", $metadata: { httpStatusCode: 503 } }, category: "configuration", cause: "invalid-request" },
  { title: "internal server error", err: { name: "InternalServerException", message: "internal" }, category: "capacity", cause: "server-error" },
  { title: "model timeout", err: { name: "ModelTimeoutException", message: "timed out" }, category: "capacity", cause: "model-timeout" },
  { title: "model error", err: { name: "ModelErrorException", message: "model failed" }, category: "model", cause: "model-error" },
  { title: "client abort/timeout", err: { name: "AbortError", message: "Request aborted" }, category: "capacity", cause: "timeout", hint: ["--timeout-ms"] },
  { title: "connection reset", err: { name: "Error", code: "ECONNRESET", message: "socket hang up" }, category: "capacity", cause: "connection" },
  { title: "unmodelled 5xx", err: { name: "UnknownError", message: "?", $metadata: { httpStatusCode: 502 } }, category: "capacity", cause: "server-error" },
  { title: "malformed response", err: { name: "MalformedResponse", message: "missing usage" }, category: "model", cause: "malformed-response" },
  // service tiers and guardrails: configuration, with the fix; wordings as third parties report them
  { title: "a tier the model does not offer", err: { name: "ValidationException", message: "The requested service tier is not supported for model anthropic.claude-haiku-4-5-20251001-v1:0." }, category: "configuration", cause: "service-tier-unsupported", hint: ["serviceTier", "catalog/overlay.json", invokeId] },
  { title: "an unknown tier value", err: { name: "ValidationException", message: "The service tier provided is invalid." }, category: "configuration", cause: "service-tier-unsupported" },
  { title: "reserved without a reservation", err: { name: "ValidationException", message: "Reservation not found." }, category: "configuration", cause: "service-tier-unsupported" },
  { title: "an unknown guardrail identifier", err: { name: "ValidationException", message: "The provided guardrail identifier is invalid." }, category: "configuration", cause: "guardrail-not-found", hint: ["us-east-1", "apply the region stack", "routes.<task>.guardrail"] },
  { title: "an unpublished guardrail version", err: { name: "ValidationException", message: "The provided guardrail version is invalid." }, category: "configuration", cause: "guardrail-not-found" },
  { title: "a guardrail not found", err: { name: "ResourceNotFoundException", message: "Guardrail not found" }, category: "configuration", cause: "guardrail-not-found" },
  { title: "ApplyGuardrail denied", err: { name: "AccessDeniedException", message: "User: x is not authorized to perform: bedrock:ApplyGuardrail on resource: arn:aws:bedrock:us-east-1:111111111111:guardrail/abc123" }, category: "access", cause: "guardrail-denied", hint: ["bedrock:ApplyGuardrail"] },
  { title: "anything else", err: { name: "WeirdException", message: "something odd", $metadata: { httpStatusCode: 418 } }, category: "model", cause: "unexpected", hint: ["something odd"] },
];

// Exceptions raised from an open ConverseStream carry the union member name (camelCase).
const streamRows: Row[] = [
  { title: "stream throttlingException", err: { name: "throttlingException", message: "Too many tokens" }, category: "capacity", cause: "throttled" },
  { title: "stream serviceUnavailableException", err: { name: "serviceUnavailableException", message: "x" }, category: "capacity", cause: "service-unavailable" },
  { title: "stream internalServerException", err: { name: "internalServerException", message: "x" }, category: "capacity", cause: "server-error" },
  { title: "stream modelStreamErrorException", err: { name: "modelStreamErrorException", message: "x" }, category: "model", cause: "model-error" },
  { title: "stream validationException", err: { name: "validationException", message: "x" }, category: "configuration", cause: "invalid-request" },
];

describe("classifyError", () => {
  test.each([...rows, ...streamRows].map((r) => [r.title, r] as const))("%s", (_title, row) => {
    const c = classifyError(row.err, ctx);
    expect({ category: c.category, cause: c.cause }).toEqual({ category: row.category, cause: row.cause });
    // Only capacity errors are retried or fall back (invariant 5).
    expect(c.retryable).toBe(row.category === "capacity");
    for (const fragment of row.hint ?? []) expect(c.hint.toLowerCase()).toContain(fragment.toLowerCase());
  });

  test("reports the exception name as received, the Node code for connection errors", () => {
    expect(classifyError({ name: "throttlingException" }).errorName).toBe("ThrottlingException");
    expect(classifyError({ name: "Error", code: "ECONNREFUSED" }).errorName).toBe("ECONNREFUSED");
  });

  test("an SCP denial cannot be pinned on a destination without the declared regions", () => {
    expect(classifyError({ name: "AccessDeniedException", message: scp("us-east-2") }, { invokeId }).cause).toBe("scp-denied");
  });

  test("the Marketplace hint defaults to 15 minutes when the message names no wait", () => {
    const c = classifyError({ name: "AccessDeniedException", message: "not authorized to perform the required AWS Marketplace actions (aws-marketplace:Subscribe)" }, ctx);
    expect(c.category).toBe("marketplace-pending");
    expect(c.hint).toContain("15 minutes");
  });
});

describe("classifyError walks the cause chain", () => {
  /** The shape the SDK's HTTP/2 handler gives a refused connection: a wrapper with the socket error as `cause`. */
  const refused = () => Object.assign(new Error("The pending stream has been canceled (caused by: connect ECONNREFUSED 127.0.0.1:9)"), { code: "ERR_HTTP2_STREAM_CANCEL", cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" }), $metadata: {} });

  test("HTTP/2 pending stream canceled, caused by ECONNREFUSED: a retryable connection error named by the socket code", () => {
    const c = classifyError(refused(), ctx);
    expect(c).toMatchObject({ category: "capacity", cause: "connection", errorName: "ECONNREFUSED", retryable: true });
    expect(c.hint).toMatch(/connection to Bedrock failed \(ECONNREFUSED\)/);
  });

  test.each([
    ["an outer error with no code, the code two levels down", { name: "Error", message: "request failed", cause: { name: "Error", message: "x", cause: { code: "ENOTFOUND" } } }, "ENOTFOUND"],
    ["an AggregateError of connection attempts", { name: "AggregateError", message: "", errors: [{ code: "ECONNREFUSED" }, { code: "ETIMEDOUT" }] }, "ECONNREFUSED"],
    ["a wrapper that kept only the text", { name: "Error", message: "AWS SDK error wrapper for Error [ERR_HTTP2_STREAM_CANCEL]: The pending stream has been canceled (caused by: connect ECONNREFUSED 127.0.0.1:9)" }, "ECONNREFUSED"],
  ])("%s", (_t, err, code) => {
    expect(classifyError(err as ErrorLike, ctx)).toMatchObject({ category: "capacity", cause: "connection", errorName: code });
  });

  test("the outermost known name wins over what it wraps", () => {
    const throttled = { name: "ThrottlingException", message: "slow down", cause: { code: "ECONNRESET" } };
    expect(classifyError(throttled, ctx).cause).toBe("throttled");
  });

  test("a cyclic or very deep chain ends: bounded, no exception, unexpected when nothing is known", () => {
    const a: { name: string; message: string; cause?: unknown } = { name: "Error", message: "a" };
    a.cause = a;
    expect(classifyError(a, ctx).cause).toBe("unexpected");
    let deep: { message: string; cause?: unknown } = { message: "leaf", cause: { code: "ECONNRESET" } };
    for (let i = 0; i < 100; i++) deep = { message: `level ${i}`, cause: deep };
    expect(classifyError(deep as ErrorLike, ctx).cause).toBe("unexpected");
    const hostile = Object.defineProperty({ name: "Error", message: "m" }, "cause", { get: () => { throw new Error("boom"); } });
    expect(classifyError(hostile, ctx).cause).toBe("unexpected");
  });

  test("ModelStreamErrorException: retryable before the first content, a model error after it (and outside streams)", () => {
    const e = { name: "modelStreamErrorException", message: "The model encountered an error while streaming the response." };
    expect(classifyError(e, { ...ctx, streamPhase: "before-content" })).toMatchObject({ category: "capacity", cause: "model-stream-error", retryable: true });
    expect(classifyError(e, { ...ctx, streamPhase: "after-content" })).toMatchObject({ category: "model", cause: "model-error", retryable: false });
    expect(classifyError(e, ctx).category).toBe("model");
  });

  test("credential failures are access problems that say how to provide or refresh credentials, never 'unexpected'", () => {
    expect(classifyError({ name: "CredentialsProviderError", message: "Could not load credentials from any providers" }, ctx)).toMatchObject({ category: "access", cause: "no-credentials", hint: expect.stringMatching(/AWS_PROFILE/) });
    for (const name of ["ExpiredTokenException", "ExpiredToken", "UnrecognizedClientException", "InvalidSignatureException"])
      expect(classifyError({ name, message: "x" }, ctx)).toMatchObject({ category: "access", cause: "credentials-invalid" });
  });

  test("an unexpected message in the hint is one line without control characters, bounded", () => {
    const c = classifyError({ name: "Weird", message: `line one\n\u001b[31mred\u001b[0m${"x".repeat(500)}` }, ctx);
    expect(c.hint).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(c.hint.length).toBeLessThan(260);
  });
});
