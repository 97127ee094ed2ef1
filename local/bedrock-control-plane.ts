import { foundationModelArn, inferenceProfileArn } from "../core/aws";
import { type ApiFaultBook, accessDeniedMessage } from "./api-faults";
import { type BedrockCatalog, CUSTOMIZATIONS, MODALITIES, PROFILE_TYPES } from "./bedrock-catalog";
import type { CallRecord } from "./call-log";
import type { Identity } from "./sts";
import { jsonError, jsonReply, paginate, tokenOffset, type WireReply, type WireRequest } from "./wire";

/** ListInferenceProfiles page size when the caller sends no maxResults (AWS does not document its default). */
export const DEFAULT_PROFILE_PAGE = 100;
/** AWS's range for ListInferenceProfiles maxResults (API_ListInferenceProfiles). */
const MAX_PROFILE_PAGE = 1000;

/** Only the filter values ListFoundationModels documents (API_ListFoundationModels "Valid Values"). */
const FILTER_VALUES = {
  byOutputModality: MODALITIES,
  byCustomizationType: CUSTOMIZATIONS,
  byInferenceType: ["ON_DEMAND", "PROVISIONED"],
} as const;

export interface ControlPlaneCall {
  req: WireRequest;
  region: string;
  accountId: string;
  caller: Identity;
  record: CallRecord;
}

const error = (status: number, type: string, message: string): WireReply => jsonError(status, type, { message });

/** Smithy's wording for a member that fails its constraint, as the AWS front end returns it. */
function invalid(value: string, member: string, constraint: string): WireReply {
  return error(400, "ValidationException", `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`);
}

function notFound(message: string): WireReply {
  return error(404, "ResourceNotFoundException", message);
}

function segments(path: string): string[] | undefined {
  try {
    return path.split("/").filter(Boolean).map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}

type Operation = "ListFoundationModels" | "GetFoundationModel" | "ListInferenceProfiles" | "GetInferenceProfile";

/** The operation a control-plane request asks for, from its method and path; undefined when none matches. */
export function controlPlaneOperation(method: string, p: string[]): Operation | undefined {
  if (method !== "GET" || p.length > 2) return undefined;
  if (p[0] === "foundation-models") return p.length === 1 ? "ListFoundationModels" : "GetFoundationModel";
  if (p[0] === "inference-profiles") return p.length === 1 ? "ListInferenceProfiles" : "GetInferenceProfile";
  return undefined;
}

/** Bedrock control plane (restJson1, signing name `bedrock`): the catalog reads the sync needs. */
export function handleBedrockControlPlane(call: ControlPlaneCall, catalog: BedrockCatalog, faults: ApiFaultBook): WireReply {
  const { req, region, record } = call;
  const p = segments(req.path);
  if (!p) return error(400, "ValidationException", "The request path is not valid percent-encoding.");
  const op = controlPlaneOperation(req.method, p);
  if (!op) return jsonError(404, "UnknownOperationException", { message: `No local route for ${req.method} ${req.path}` });
  record.operation = op;
  if (p[1] !== undefined) record.modelId = p[1];
  // Where Bedrock is not offered its host name does not resolve, so AWS never sees the request: the nearest thing
  // on a shared port is a connection that ends without an answer.
  if (!catalog.offered(region)) return { kind: "reset" };

  const fault = faults.take(op, region);
  if (fault?.fault === "throttle") return error(429, "ThrottlingException", fault.message ?? "Too many requests, please wait before trying again.");
  if (fault?.fault === "access-denied") {
    const id = p[1];
    const resource =
      id === undefined || id.startsWith("arn:")
        ? id
        : op === "GetFoundationModel"
          ? foundationModelArn(region, id)
          : inferenceProfileArn(region, call.accountId, id);
    return error(403, "AccessDeniedException", fault.message ?? accessDeniedMessage(call.caller.arn, `bedrock:${op}`, resource));
  }

  switch (op) {
    case "ListFoundationModels":
      return listFoundationModels(req, region, catalog);
    case "GetFoundationModel": {
      const model = catalog.findModel(region, p[1]);
      return model ? jsonReply(200, { modelDetails: model }) : notFound(`The foundation model ${p[1]} does not exist in ${region}.`);
    }
    case "ListInferenceProfiles":
      return listInferenceProfiles(req, region, catalog);
    case "GetInferenceProfile": {
      const profile = catalog.findProfile(region, p[1]);
      return profile ? jsonReply(200, profile) : notFound(`The inference profile ${p[1]} does not exist in ${region}.`);
    }
  }
}

function listFoundationModels(req: WireRequest, region: string, catalog: BedrockCatalog): WireReply {
  let models = catalog.models(region);
  const provider = req.query.get("byProvider");
  if (provider !== null) {
    if (!/^[A-Za-z0-9- ]{1,63}$/.test(provider)) {
      return invalid(provider, "byProvider", "Member must satisfy regular expression pattern: [A-Za-z0-9- ]{1,63}");
    }
    // The console and CLI examples filter with lower-case provider names: the match ignores case.
    models = models.filter((m) => m.providerName.toLowerCase() === provider.toLowerCase());
  }
  for (const [name, allowed] of Object.entries(FILTER_VALUES)) {
    const value = req.query.get(name);
    if (value === null) continue;
    if (!(allowed as readonly string[]).includes(value)) {
      return invalid(value, name, `Member must satisfy enum value set: [${allowed.join(", ")}]`);
    }
    models = models.filter((m) =>
      (name === "byOutputModality" ? m.outputModalities : name === "byCustomizationType" ? m.customizationsSupported : m.inferenceTypesSupported).some(
        (v) => v === value,
      ),
    );
  }
  return jsonReply(200, { modelSummaries: models });
}

function listInferenceProfiles(req: WireRequest, region: string, catalog: BedrockCatalog): WireReply {
  const rawMax = req.query.get("maxResults");
  let maxResults: number | undefined;
  if (rawMax !== null) {
    maxResults = /^-?\d+$/.test(rawMax) ? Number(rawMax) : Number.NaN;
    if (Number.isNaN(maxResults)) return invalid(rawMax, "maxResults", "Member must be an integer");
    if (maxResults < 1) return invalid(rawMax, "maxResults", "Member must have value greater than or equal to 1");
    if (maxResults > MAX_PROFILE_PAGE) {
      return invalid(rawMax, "maxResults", `Member must have value less than or equal to ${MAX_PROFILE_PAGE}`);
    }
  }
  const type = req.query.get("type");
  if (type !== null && !(PROFILE_TYPES as readonly string[]).includes(type)) {
    return invalid(type, "typeEquals", `Member must satisfy enum value set: [${PROFILE_TYPES.join(", ")}]`);
  }
  const profiles = catalog.profiles(region).filter((pr) => type === null || pr.type === type);
  const token = req.query.get("nextToken") ?? undefined;
  if (token !== undefined && (tokenOffset(token) === undefined || tokenOffset(token)! > profiles.length)) {
    return error(400, "ValidationException", "The pagination token is invalid. Use the nextToken from the previous response.");
  }
  const { page, nextToken } = paginate(profiles, maxResults, token, MAX_PROFILE_PAGE, DEFAULT_PROFILE_PAGE);
  return jsonReply(200, { inferenceProfileSummaries: page, ...(nextToken ? { nextToken } : {}) });
}
