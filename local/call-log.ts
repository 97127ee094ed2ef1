import type { FaultKind } from "./faults";

/**
 * API the endpoint recognised from the signing name and, where two APIs share one (`bedrock` for the control plane
 * and the runtime, `appconfig` for AppConfig and AppConfigData), the path.
 */
export type LocalService = "bedrock" | "bedrock-runtime" | "appconfig" | "appconfigdata" | "servicequotas" | "sts" | "unknown";

/** One wire request as the endpoint saw it. Records are appended on arrival and completed when answered. */
export interface CallRecord {
  service: LocalService;
  /** SDK operation name (Converse, StartDeployment, ...); "Unknown" when no route matched. */
  operation: string;
  /** Signing region from the credential scope; "" for unsigned requests. */
  region: string;
  /** Bedrock calls: modelId as sent (URL-decoded). */
  modelId?: string;
  /** Bedrock calls through an application inference profile: the invoke ID it copies, which served the call. */
  servedAs?: string;
  /** Bedrock calls: inferenceConfig.maxTokens as sent; undefined when the request omitted it. */
  maxTokens?: number;
  /** HTTP status written; 0 while unanswered (hung, or still in flight). */
  status: number;
  /** Wire protocol the client used: the Bedrock client speaks h2 (prior knowledge), the others HTTP/1.1. */
  protocol: "h2" | "http/1.1";
  /** Arrival time, epoch ms. */
  at: number;
  /** Access key the request was signed with. */
  accessKeyId?: string;
  /** Role ARN for keys issued by this endpoint's AssumeRole, else the IAM user ARN of the static key. */
  principal?: string;
  /** Error type written (x-amzn-errortype / STS error code), if any; ECONNRESET when the connection was reset instead. */
  errorType?: string;
  /** Bedrock calls: scripted fault applied, if any. */
  fault?: FaultKind;
  /** Bedrock calls: serviceTier.type as sent; undefined when the request named none. */
  serviceTier?: string;
  /** Bedrock calls: guardrailConfig as sent, `<identifier>:<version>`; undefined when the request carried none. */
  guardrail?: string;
  /** Bedrock calls with a guardrail that resolved: whether it intervened. */
  guardrailIntervened?: boolean;
  /** Bedrock calls in quota mode: what the quota buckets and outage windows decided. */
  quota?: "admitted" | "throttled" | "outage";
  /** Quota mode: tokens reserved at the start (input + maxTokens, or the model maximum when maxTokens is unset). */
  reservedTokens?: number;
  /** Quota mode: tokens finally charged (input + output × burndown), once the request ended. */
  chargedTokens?: number;
}

export class CallLog {
  private readonly records: CallRecord[] = [];

  start(record: Omit<CallRecord, "status" | "at" | "operation">): CallRecord {
    const full: CallRecord = { ...record, operation: "Unknown", status: 0, at: Date.now() };
    this.records.push(full);
    return full;
  }

  /** Snapshot copy, so test assertions are not affected by requests still in flight. */
  list(): CallRecord[] {
    return this.records.map((r) => ({ ...r }));
  }

  clear(): void {
    this.records.length = 0;
  }
}
