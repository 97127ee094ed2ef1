import type { Invocation } from "../aws";
import { type BaselinePlan, profileArnOf, type ProfileRefs, applicationProfiles } from "../environment";

/**
 * CloudWatch namespace of Bedrock runtime metrics
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/monitoring-runtime-metrics.html).
 */
export const BEDROCK_NAMESPACE = "AWS/Bedrock";

/**
 * The metric dimensions of calls made with one invoke ID: `ModelId` = the ID the caller sent (the inference-profile
 * ID for geo/global, the bare ID for on-demand, an application profile's ARN with cost attribution).
 *
 * UNCONFIRMED in AWS docs: AWS says cross-region metrics land in the source region
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/global-cross-region-inference.html), and several independent
 * sources say under the profile ID, not the foundation-model ID. For an application inference profile no source says
 * whether `ModelId` is its ARN (what the caller sends), its ID, or the model it copies: the ARN is assumed, by the same
 * rule (docs/cost.md). This is the single place to change if `ListMetrics` shows otherwise; alarms and the dashboard
 * both read it.
 */
export function invokeIdDimensions(invokeId: string): Record<string, string> {
  return { ModelId: invokeId };
}

/** The metric dimensions of one model as invoked from this region (its system profile or bare ID). */
export function modelDimensions(inv: Invocation): Record<string, string> {
  return invokeIdDimensions(inv.invokeId);
}

/**
 * Where a Bedrock runtime metric is read from: calls made with one invoke ID, calls through a workload's application
 * profile (its ARN exists after apply: resolved from the stack's references), or every model of the region (the
 * metric without dimensions; UNCONFIRMED that Bedrock publishes that aggregate, as the console's "across all model
 * IDs" view suggests).
 */
export type MetricSource = { readonly invokeId: string } | { readonly profile: { readonly workload: string; readonly modelId: string } } | { readonly allModels: true };

/** The dimensions of a source; an application profile's need `profiles` (the stack's references or applied ARNs). */
export function sourceDimensions(source: MetricSource, profiles?: ProfileRefs): Record<string, string> {
  if ("invokeId" in source) return invokeIdDimensions(source.invokeId);
  if ("allModels" in source) return {};
  const arn = profileArnOf(profiles, source.profile.workload, source.profile.modelId);
  if (arn === undefined) throw new Error(`no reference for the application profile of ${source.profile.workload} and ${source.profile.modelId}`);
  return invokeIdDimensions(arn);
}

/**
 * The invoke IDs a model's calls actually use in a region, as metric sources: with cost attribution, the application
 * profiles of the workloads that use it (workloads and smoke call only those); otherwise, and for a model no workload
 * uses, its own invoke ID.
 */
export function modelSources(plan: BaselinePlan, inv: Invocation): MetricSource[] {
  const profiles = applicationProfiles(plan, inv.region).filter((p) => p.modelId === inv.modelId);
  return profiles.length ? profiles.map((p) => ({ profile: { workload: p.workload, modelId: p.modelId } })) : [{ invokeId: inv.invokeId }];
}

/** A label for a source on a graph: the invoke ID, or the workload whose profile it is. */
export function sourceLabel(source: MetricSource): string {
  if ("invokeId" in source) return source.invokeId;
  if ("allModels" in source) return "all models";
  return `${source.profile.workload}/${source.profile.modelId}`;
}
