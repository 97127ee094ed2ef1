import type { Invocation } from "../aws";

/**
 * CloudWatch namespace of Bedrock runtime metrics
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/monitoring-runtime-metrics.html).
 */
export const BEDROCK_NAMESPACE = "AWS/Bedrock";

/**
 * The metric dimensions of one model as invoked from this region: `ModelId` = the invoke ID (the inference-profile ID
 * for geo/global, the bare ID for on-demand).
 *
 * UNCONFIRMED in AWS docs: AWS says cross-region metrics land in the source region
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/global-cross-region-inference.html), and several independent
 * sources say under the profile ID, not the foundation-model ID. This is the single place to change if `ListMetrics`
 * shows otherwise; alarms and the dashboard both read it.
 */
export function modelDimensions(inv: Invocation): Record<string, string> {
  return { ModelId: inv.invokeId };
}
