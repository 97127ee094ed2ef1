import { type ApiFaultBook, accessDeniedMessage } from "./api-faults";
import type { CallRecord } from "./call-log";
import type { Identity } from "./sts";
import { bytesReply, isRecord, paginate, tokenOffset, type WireReply, type WireRequest } from "./wire";

/** One applied quota value to serve; seeded per region. */
export interface QuotaSeed {
  /** Quota code, e.g. L-58BE175A. */
  code: string;
  /** Quota name as the console shows it. */
  name: string;
  /** Applied value (what GetServiceQuota returns). */
  value: number;
  /** Default: bedrock. */
  serviceCode?: string;
  /** Value GetAWSDefaultServiceQuota returns; default: same as value. */
  defaultValue?: number;
  /** Default: "None" (what Bedrock token quotas report). */
  unit?: string;
  /** Default: true. */
  adjustable?: boolean;
  /** Default: false. */
  globalQuota?: boolean;
}

const SERVICE_NAMES: ReadonlyMap<string, string> = new Map([["bedrock", "Amazon Bedrock"]]);
const TARGET_PREFIX = "ServiceQuotasV20190624.";
const JSON_11 = "application/x-amz-json-1.1";

/** Quotas per region; the default set is empty, like a fresh account without a catalogue. */
export class QuotaStore {
  private readonly byRegion = new Map<string, Map<string, QuotaSeed>>();

  /** Upserts by service code + quota code, so re-seeding changes a value instead of duplicating it. */
  seed(region: string, quotas: QuotaSeed[]): void {
    let table = this.byRegion.get(region);
    if (!table) this.byRegion.set(region, (table = new Map()));
    for (const q of quotas) table.set(`${q.serviceCode ?? "bedrock"}/${q.code}`, { ...q });
  }

  get(region: string, serviceCode: string, code: string): QuotaSeed | undefined {
    return this.byRegion.get(region)?.get(`${serviceCode}/${code}`);
  }

  list(region: string, serviceCode: string): QuotaSeed[] {
    return [...(this.byRegion.get(region)?.values() ?? [])].filter((q) => (q.serviceCode ?? "bedrock") === serviceCode);
  }
}

function reply(status: number, body: unknown, errorType?: string): WireReply {
  const headers: Record<string, string> = { "content-type": JSON_11 };
  if (errorType) headers["x-amzn-errortype"] = errorType;
  return bytesReply(status, Buffer.from(JSON.stringify(body)), headers);
}

/** awsJson1_1 errors name the shape in `__type` (and the header, which the SDK also reads). */
function error(status: number, type: string, message: string): WireReply {
  return reply(status, { __type: type, Message: message }, type);
}

function render(q: QuotaSeed, region: string, accountId: string, useDefault: boolean): Record<string, unknown> {
  const serviceCode = q.serviceCode ?? "bedrock";
  return {
    ServiceCode: serviceCode,
    ServiceName: SERVICE_NAMES.get(serviceCode) ?? serviceCode,
    QuotaArn: `arn:aws:servicequotas:${region}:${useDefault ? "" : accountId}:${serviceCode}/${q.code}`,
    QuotaCode: q.code,
    QuotaName: q.name,
    Value: useDefault ? (q.defaultValue ?? q.value) : q.value,
    Unit: q.unit ?? "None",
    Adjustable: q.adjustable ?? true,
    GlobalQuota: q.globalQuota ?? false,
    QuotaAppliedAtLevel: "ACCOUNT",
  };
}

/** One Service Quotas request and who sent it. */
export interface QuotaCall {
  req: WireRequest;
  region: string;
  accountId: string;
  caller: Identity;
  record: CallRecord;
}

/** Service Quotas (awsJson1_1): `POST /` with the operation in X-Amz-Target. */
export function handleServiceQuotas(call: QuotaCall, store: QuotaStore, faults: ApiFaultBook): WireReply {
  const { req, region, accountId, record } = call;
  const target = req.headers["x-amz-target"] ?? "";
  const op = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : "";
  record.operation = op || "Unknown";
  let input: Record<string, unknown>;
  try {
    const parsed: unknown = req.body.length ? JSON.parse(req.body.toString("utf8")) : {};
    input = isRecord(parsed) ? parsed : {};
  } catch {
    return error(400, "SerializationException", "Request body is not valid JSON");
  }
  const serviceCode = typeof input.ServiceCode === "string" ? input.ServiceCode : "";
  const fault = faults.take(op, region);
  if (fault?.fault === "throttle") return error(429, "TooManyRequestsException", fault.message ?? "Rate exceeded");
  if (fault?.fault === "access-denied") {
    const code = typeof input.QuotaCode === "string" && op.startsWith("Get") ? input.QuotaCode : undefined;
    const resource = code ? `arn:aws:servicequotas:${region}:${accountId}:${serviceCode}/${code}` : undefined;
    return error(403, "AccessDeniedException", fault.message ?? accessDeniedMessage(call.caller.arn, `servicequotas:${op}`, resource));
  }
  switch (op) {
    case "GetServiceQuota":
    case "GetAWSDefaultServiceQuota": {
      const code = typeof input.QuotaCode === "string" ? input.QuotaCode : "";
      if (!serviceCode || !code) {
        return error(400, "ValidationException", "ServiceCode and QuotaCode are required");
      }
      const q = store.get(region, serviceCode, code);
      if (!q) {
        return error(400, "NoSuchResourceException", "The request failed because the specified quota does not exist.");
      }
      return reply(200, { Quota: render(q, region, accountId, op === "GetAWSDefaultServiceQuota") });
    }
    case "ListServiceQuotas":
    case "ListAWSDefaultServiceQuotas": {
      if (!serviceCode) return error(400, "ValidationException", "ServiceCode is required");
      const maxResults = typeof input.MaxResults === "number" ? input.MaxResults : undefined;
      const nextToken = typeof input.NextToken === "string" ? input.NextToken : undefined;
      if (nextToken !== undefined && tokenOffset(nextToken) === undefined) {
        return error(400, "InvalidPaginationTokenException", "Invalid pagination token");
      }
      let quotas = store.list(region, serviceCode);
      if (typeof input.QuotaCode === "string") quotas = quotas.filter((q) => q.code === input.QuotaCode);
      const { page, nextToken: next } = paginate(quotas, maxResults, nextToken);
      const useDefault = op === "ListAWSDefaultServiceQuotas";
      return reply(200, {
        Quotas: page.map((q) => render(q, region, accountId, useDefault)),
        ...(next ? { NextToken: next } : {}),
      });
    }
    default:
      return error(400, "UnknownOperationException", `Operation ${op || target || "(none)"} is not supported by the local endpoint`);
  }
}
