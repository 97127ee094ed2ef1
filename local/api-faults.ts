/** Catalog APIs a scenario can make fail: the Bedrock control plane and Service Quotas, by SDK operation name. */
export const API_FAULT_OPERATIONS = [
  "ListFoundationModels",
  "GetFoundationModel",
  "ListInferenceProfiles",
  "GetInferenceProfile",
  "ListServiceQuotas",
  "GetServiceQuota",
  "ListAWSDefaultServiceQuotas",
  "GetAWSDefaultServiceQuota",
] as const;
export type ApiFaultOperation = (typeof API_FAULT_OPERATIONS)[number];

export const API_FAULT_KINDS = ["access-denied", "throttle"] as const;
export type ApiFaultKind = (typeof API_FAULT_KINDS)[number];

/** One scripted failure of a catalog API call (the runtime's Converse faults are `FaultRule`s). */
export interface ApiFaultRule {
  /** SDK operation name, e.g. ListInferenceProfiles. */
  operation: ApiFaultOperation;
  /** Signing region the rule applies to; default: every region. */
  region?: string;
  /**
   * access-denied: 403 AccessDeniedException naming the IAM action (`bedrock:ListInferenceProfiles`,
   * `servicequotas:ListServiceQuotas`) as IAM words it; throttle: 429 ThrottlingException (Service Quotas:
   * TooManyRequestsException).
   */
  fault: ApiFaultKind;
  /** Number of matching calls the fault applies to; default: unlimited. */
  times?: number;
  /** Replaces the characteristic message. */
  message?: string;
}

/** Ordered rules with remaining counts; the first matching rule wins and spends one use. */
export class ApiFaultBook {
  private rules: Array<{ rule: ApiFaultRule; remaining: number }> = [];

  inject(rule: ApiFaultRule): void {
    this.rules.push({ rule: { ...rule }, remaining: rule.times ?? Number.POSITIVE_INFINITY });
  }

  reset(): void {
    this.rules = [];
  }

  take(operation: string, region: string): ApiFaultRule | undefined {
    const entry = this.rules.find(
      (e) => e.remaining > 0 && e.rule.operation === operation && (e.rule.region === undefined || e.rule.region === region),
    );
    if (!entry) return undefined;
    entry.remaining -= 1;
    this.rules = this.rules.filter((e) => e.remaining > 0);
    return entry.rule;
  }
}

/**
 * IAM's denial for an action no policy allows, e.g. "User: arn:aws:iam::123456789012:user/x is not authorized to
 * perform: bedrock:ListFoundationModels because no identity-based policy allows the bedrock:ListFoundationModels
 * action" (as reported in https://github.com/aws-samples/dify-self-hosted-on-aws/issues/74); actions with a resource
 * type name it with "on resource:".
 */
export function accessDeniedMessage(callerArn: string, action: string, resourceArn?: string): string {
  const on = resourceArn ? ` on resource: ${resourceArn}` : "";
  return `User: ${callerArn} is not authorized to perform: ${action}${on} because no identity-based policy allows the ${action} action`;
}
