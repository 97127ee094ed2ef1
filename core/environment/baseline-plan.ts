import type { ModelSpec, RegionQuotas } from "./model-resolution";
import type { EnvironmentConfig } from "./environment-config";
import type { Invocation } from "../aws";
import type { Problem } from "../problems";

/**
 * What one environment file resolves to once validated: the config plus, per region, how each enabled model is
 * invoked. Everything synth, smoke and the toggle derive (IAM, alarms, routing document, manifest) is a function of it.
 */
export interface BaselinePlan {
  readonly config: EnvironmentConfig;
  /** region -> foundation-model ID -> invocation, for enabled models only. */
  readonly invocations: Readonly<Record<string, Readonly<Record<string, Invocation>>>>;
  /** Catalog entries of the enabled models, by foundation-model ID. */
  readonly specs: Readonly<Record<string, ModelSpec>>;
  /** region -> account-level quotas there (cross-model tokens per day). Default: none known. */
  readonly regionQuotas?: Readonly<Record<string, RegionQuotas>>;
  /** Non-fatal problems (legacy models, missing alarm recipients). */
  readonly warnings: readonly Problem[];
}

/**
 * Models a route may use (primary, fallbacks and canary as configured, each once): what IAM grants the route's
 * workloads, what its alarms watch and what the routing validator lets a toggle name.
 */
export function routeCandidates(plan: BaselinePlan, task: string): string[] {
  // Own properties only: a task named like an Object.prototype member is an ordinary (or unknown) task.
  if (!Object.hasOwn(plan.config.routes, task)) throw new Error(`unknown route ${task}`);
  const r = plan.config.routes[task];
  return [...new Set([r.primary, ...r.fallbacks, ...(r.canary ? [r.canary.model] : [])])];
}

/** The invocations a workload may use in a region: its routes' candidates, in the order first referenced. */
export function workloadInvocations(plan: BaselinePlan, region: string, workload: string): Invocation[] {
  if (!Object.hasOwn(plan.config.workloads, workload)) throw new Error(`unknown workload ${workload}`);
  const w = plan.config.workloads[workload];
  const ids = [...new Set(w.routes.flatMap((task) => routeCandidates(plan, task)))];
  return ids.map((id) => {
    const inv = Object.hasOwn(plan.invocations, region) && Object.hasOwn(plan.invocations[region], id) ? plan.invocations[region][id] : undefined;
    if (!inv) throw new Error(`model ${id} of workload ${workload} is not enabled in ${region}`);
    return inv;
  });
}
