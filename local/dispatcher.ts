import type { ApiFaultBook } from "./api-faults";
import { handleAppConfig } from "./appconfig-api";
import type { AppConfigStore } from "./appconfig-store";
import type { AppConfigDataSessions } from "./appconfig-data";
import type { BedrockCatalog } from "./bedrock-catalog";
import { handleBedrockControlPlane } from "./bedrock-control-plane";
import { type BedrockSettings, handleBedrockRuntime } from "./bedrock-runtime";
import type { CallLog, CallRecord, LocalService } from "./call-log";
import type { FaultBook } from "./faults";
import type { GuardrailBook } from "./guardrails";
import { type QuotaStore, handleServiceQuotas } from "./service-quotas";
import { parseAuthorization, type SigV4Scope, signingTimeProblem, verifySignature } from "./sigv4-scope";
import { type Identity, type IdentityBook, handleSts, stsError } from "./sts";
import { jsonError, type WireReply, type WireRequest } from "./wire";
import type { WireHandler, WireProtocol } from "./wire-server";

/** Everything a request can reach: the state of every simulated service, and how to authenticate callers. */
export interface DispatchContext {
  log: CallLog;
  faults: FaultBook;
  /** Guardrails per region and their scripted outcomes. */
  guardrails: GuardrailBook;
  /** Scripted failures of the Bedrock control plane and Service Quotas. */
  apiFaults: ApiFaultBook;
  catalog: BedrockCatalog;
  quotas: QuotaStore;
  appConfig: AppConfigStore;
  appConfigData: AppConfigDataSessions;
  identities: IdentityBook;
  bedrockSettings: BedrockSettings;
  accountId: () => string;
  /** Verify SigV4 for every key: unknown keys are refused as AWS refuses them. False: any key is accepted unverified. */
  verifySignatures: boolean;
}

/** Best guess at the API of an unsigned request, only to shape the 403 the way that API would. */
function guessService(req: WireRequest): LocalService {
  if ((req.headers["x-amz-target"] ?? "").startsWith("ServiceQuotas")) return "servicequotas";
  if (/(^|&)Action=/.test(req.body.toString("utf8"))) return "sts";
  if (req.path.startsWith("/model/")) return "bedrock-runtime";
  if (req.path.startsWith("/foundation-models") || req.path.startsWith("/inference-profiles")) return "bedrock";
  if (req.path === "/configurationsessions" || req.path === "/configuration") return "appconfigdata";
  if (req.path.startsWith("/applications") || req.path.startsWith("/deploymentstrategies")) return "appconfig";
  return "unknown";
}

function serviceFor(signingName: string, path: string): LocalService {
  switch (signingName) {
    case "bedrock":
      // The runtime signs as "bedrock" too; its operations all live under /model/.
      return path.startsWith("/model/") ? "bedrock-runtime" : "bedrock";
    case "appconfig":
      // AppConfigData signs as "appconfig" too; only the path tells the planes apart.
      return path === "/configurationsessions" || path === "/configuration" ? "appconfigdata" : "appconfig";
    case "servicequotas":
      return "servicequotas";
    case "sts":
      return "sts";
    default:
      return "unknown";
  }
}

/** An authentication error in the protocol of `service`: awsQuery XML for STS, JSON with the type header otherwise. */
function authError(service: LocalService, status: number, jsonType: string, stsCode: string, message: string): WireReply {
  return service === "sts" ? stsError(status, stsCode, message) : jsonError(status, jsonType, { message, Message: message });
}

/**
 * Refusal of an oversized body. AWS words this per service; the shape here follows Lambda's documented
 * RequestEntityTooLargeException (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html#API_Invoke_Errors).
 */
function tooLarge(service: LocalService, maxBodyBytes: number): WireReply {
  const message = `Request must be smaller than ${maxBodyBytes} bytes (local endpoint body limit)`;
  return authError(service, 413, "RequestEntityTooLargeException", "RequestEntityTooLarge", message);
}

/** Completes the call record from the reply about to be written (hung replies stay at status 0). */
function settle(record: CallRecord, reply: WireReply): WireReply {
  if (reply.kind === "hang") return reply;
  if (reply.kind === "reset") {
    record.errorType = "ECONNRESET";
    return reply;
  }
  const errorType = reply.headers["x-amzn-errortype"];
  record.status = reply.status;
  if (errorType) record.errorType = errorType;
  else if (reply.kind === "buffer" && reply.status >= 400 && record.service === "sts") {
    const code = /<Code>([^<]+)<\/Code>/.exec(reply.body.toString("utf8"))?.[1];
    if (code) record.errorType = code;
  }
  return reply;
}

/** Routes one authenticated request to the handler of its service. */
function route(ctx: DispatchContext, service: LocalService, scope: SigV4Scope, req: WireRequest, caller: Identity, record: CallRecord, signal: AbortSignal): Promise<WireReply> | WireReply {
  const region = scope.region;
  switch (service) {
    case "bedrock":
      return handleBedrockControlPlane({ req, region, accountId: ctx.accountId(), caller, record }, ctx.catalog, ctx.apiFaults);
    case "bedrock-runtime":
      // Not offered: no runtime host either (see handleBedrockControlPlane).
      if (!ctx.catalog.offered(region)) return { kind: "reset" };
      return handleBedrockRuntime({ req, region, caller, record, signal }, ctx.faults, ctx.bedrockSettings, ctx.guardrails, ctx.catalog);
    case "appconfig":
      return handleAppConfig(req, region, ctx.appConfig, record);
    case "appconfigdata":
      return ctx.appConfigData.handle(req, region, record);
    case "servicequotas":
      return handleServiceQuotas({ req, region, accountId: ctx.accountId(), caller, record }, ctx.quotas, ctx.apiFaults);
    case "sts":
      return handleSts(req, caller, ctx.identities, record);
    default:
      return jsonError(404, "UnknownOperationException", { message: `The local endpoint does not serve signing name ${scope.service}` });
  }
}

/**
 * AWS's answer to a key it does not know, in every protocol (Bedrock Runtime, as reported in
 * https://github.com/langchain-ai/langchain/issues/19677: UnrecognizedClientException "The security token included in
 * the request is invalid."; STS words it InvalidClientTokenId).
 */
const INVALID_TOKEN = "The security token included in the request is invalid.";

/**
 * Why AWS would refuse this signed request, as the refusal it would send; undefined when it is authentic. In order:
 * a signing time more than 15 minutes off (known key or not), an access key nobody issued (UnrecognizedClientException,
 * STS InvalidClientTokenId: the keys are the scenario's `credentials`, local/local by default, and those AssumeRole
 * issued), a missing or wrong session token, a signature that does not verify.
 */
async function authenticate(ctx: DispatchContext, service: LocalService, scope: SigV4Scope, req: WireRequest, caller: Identity): Promise<WireReply | undefined> {
  if (ctx.verifySignatures) {
    const stale = signingTimeProblem(req.headers["x-amz-date"], Date.now());
    if (stale) return authError(service, 403, "InvalidSignatureException", "SignatureDoesNotMatch", stale);
    if (caller.secretAccessKey === undefined) return authError(service, 403, "UnrecognizedClientException", "InvalidClientTokenId", INVALID_TOKEN);
  }
  if (caller.sessionToken !== undefined && req.headers["x-amz-security-token"] !== caller.sessionToken)
    return authError(service, 403, "UnrecognizedClientException", "InvalidClientTokenId", INVALID_TOKEN);
  if (!ctx.verifySignatures || caller.secretAccessKey === undefined) return undefined;
  const check = await verifySignature(req, scope, { secretAccessKey: caller.secretAccessKey, ...(caller.sessionToken !== undefined ? { sessionToken: caller.sessionToken } : {}) });
  if (check.ok) return undefined;
  const msg =
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret " +
    `Access Key and signing method. Consult the service documentation for details. (local: ${check.reason})`;
  return authError(service, 403, "InvalidSignatureException", "SignatureDoesNotMatch", msg);
}

/**
 * Authenticates a request from its SigV4 credential scope, which also names the service and the region the client
 * believes it is calling, logs it, and routes it to that service's handler.
 */
export function createDispatcher(ctx: DispatchContext): WireHandler {
  const { log, identities } = ctx;

  /** Logs the request under its credential scope (or the guessed service when unsigned). */
  function start(req: WireRequest, protocol: WireProtocol) {
    const scope = parseAuthorization(req.headers["authorization"]);
    if (!scope) {
      const service = guessService(req);
      return { scope, service, record: log.start({ service, region: "", protocol }) };
    }
    const service = serviceFor(scope.service, req.path);
    const caller: Identity = identities.lookup(scope.accessKeyId);
    const record = log.start({ service, region: scope.region, protocol, accessKeyId: scope.accessKeyId, principal: caller.principal });
    return { scope, service, caller, record };
  }

  return {
    refuseBody: (req, protocol, maxBodyBytes) => {
      const { service, record } = start(req, protocol);
      return settle(record, tooLarge(service, maxBodyBytes));
    },

    handle: async (req, protocol, signal) => {
      const { scope, service, caller, record } = start(req, protocol);
      if (!scope || !caller) return settle(record, authError(service, 403, "MissingAuthenticationTokenException", "MissingAuthenticationToken", "Missing Authentication Token"));
      const refused = await authenticate(ctx, service, scope, req, caller);
      if (refused) return settle(record, refused);
      try {
        return settle(record, await route(ctx, service, scope, req, caller, record, signal));
      } catch (err) {
        // A bug here must still answer (and be logged) like a service fault, not leave the client waiting.
        const message = `local endpoint failure: ${err instanceof Error ? err.message : String(err)}`;
        return settle(record, jsonError(500, "InternalFailure", { message }));
      }
    },
  };
}
