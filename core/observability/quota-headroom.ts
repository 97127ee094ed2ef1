import type { BaselinePlan } from "../environment";

/*
 * Which models get a quota-usage alarm: those whose tokens-per-minute quota code is known for the way they are invoked
 * in a region (the alarm reads the applied value at plan time, never the snapshot's). Validation warns about the others
 * (core/validation/rules/model-quota-codes.ts).
 */

/** Service Quotas service code of Bedrock's runtime quotas (https://docs.aws.amazon.com/bedrock/latest/userguide/quotas.html). */
export const BEDROCK_SERVICE_CODE = "bedrock";

/** Foundation-model ID -> TPM quota code of each model invoked in `region` (undefined where no code is known). */
export function tpmQuotaCodes(plan: BaselinePlan, region: string): Map<string, string | undefined> {
  return new Map(Object.keys(plan.invocations[region] ?? {}).map((id) => [id, plan.specs[id]?.quotas[region]?.tpm?.code]));
}
