/**
 * Where a region stack's guardrail is. The ARN and the published version exist only once the stack is applied: in the
 * stack they are Terraform references (resolved by Terraform inside the routing document, its JSON Schema validator
 * and the IAM policies), in a manifest written at synth they are APPLY_TIME, and against a live account (or the local
 * endpoint) they are the real values.
 */
export interface GuardrailRef {
  /** `arn:aws:bedrock:<region>:<account>:guardrail/<id>` (aws_bedrock_guardrail.guardrail_arn). */
  readonly arn: string;
  /** The published version number, e.g. "1" (aws_bedrock_guardrail_version.version). */
  readonly version: string;
}

/** Guardrail name (as the environment file declares it) -> where it is. */
export type GuardrailRefs = Readonly<Record<string, GuardrailRef>>;

/** Stands for a value that exists only after apply (the manifest's routing document carries it for guardrails). */
export const APPLY_TIME = "(known after apply)";

/** The refs of `names` as synth knows them: every value APPLY_TIME. */
export function applyTimeRefs(names: Iterable<string>): GuardrailRefs {
  return Object.assign(Object.create(null), Object.fromEntries([...names].map((n) => [n, { arn: APPLY_TIME, version: APPLY_TIME }])));
}

/** True when a ref is not yet known (synth time). */
export function isApplyTime(ref: GuardrailRef): boolean {
  return ref.arn === APPLY_TIME || ref.version === APPLY_TIME;
}

/**
 * Refs of the length real ones have (ARN with a 12-character ID, an 8-digit version), for the size checks validation
 * makes before anything exists (IAM policy and AppConfig validator limits).
 */
export function sizingRefs(names: Iterable<string>, region: string, account: string, partition = "aws"): GuardrailRefs {
  return Object.assign(
    Object.create(null),
    Object.fromEntries([...names].map((n) => [n, { arn: `arn:${partition}:bedrock:${region}:${account}:guardrail/abcdefghijkl`, version: "12345678" }])),
  );
}

/** Patterns of applied values (API_runtime_GuardrailConfiguration): what a validator checks when the values are not known. */
export const GUARDRAIL_ARN_PATTERN = "^arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:guardrail/[a-z0-9]+$";
export const GUARDRAIL_VERSION_PATTERN = "^[1-9][0-9]{0,7}$";
