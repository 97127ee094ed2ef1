import { alarmsSchema, type BaselinePlan, costAttributionSchema, encryptionSchema, invocationLoggingSchema, observabilitySchema, organizationGuardSchema, privateEndpointsSchema, type EnvironmentConfig, type ModelConfig, type ModelResolution, type WorkloadConfig } from "../environment";
import { isError, type Problem } from "../problems";
import type { Draft } from "./draft";

/** The parts a plan is resolved from are sound: name, account, every region, model and route, and no model error. */
export function resolvable(d: Draft, modelProblems: readonly Problem[]): boolean {
  return (
    d.name !== undefined &&
    d.account !== undefined &&
    d.regionsComplete &&
    d.models.length > 0 &&
    d.models.every((m) => m !== undefined) &&
    d.routeNames.size > 0 &&
    Object.keys(d.routes).length === d.routeNames.size &&
    !modelProblems.some(isError)
  );
}

/**
 * The plan the plan-stage rules read. Its config is the full config when the file is complete, else the sound parts
 * those rules read (name, account, regions, models, routes, guardrails, smoke principals, the alarm and observability
 * settings, the metrics namespace when it parsed, and the well-formed workloads naming only routes that exist: an unknown route is
 * reported on its own).
 */
export function resolvePlan(d: Draft, models: ModelResolution): BaselinePlan {
  const regions = [...new Set(d.regions.map((r) => r.region))];
  const workloads: Record<string, WorkloadConfig> = Object.create(null);
  for (const w of d.workloads) if (w.value && w.validName) workloads[w.name] = { ...w.value, routes: w.value.routes.filter((r) => Object.hasOwn(d.routes, r)) };
  const partial = {
    name: d.name!,
    account: d.account!,
    regions,
    models: d.models as ModelConfig[],
    routes: d.routes,
    guardrails: d.guardrails,
    smoke: { principals: d.smoke.principals ?? [] },
    // Alarm names and membership do not depend on thresholds: the fields that parsed, defaults for the rest.
    alarms: alarmsSchema.safeParse(d.alarms).data ?? alarmsSchema.parse({}),
    // Profiles, their grants and their alarms follow the opt-in and the tag key, whatever else the section holds.
    costAttribution: costAttributionSchema.safeParse(d.costAttribution).data ?? costAttributionSchema.parse({}),
    // What the region's dashboards, alarms and queries hold depends on these switches: the fields that parsed, defaults for the rest.
    observability: observabilitySchema.safeParse(d.observability).data ?? observabilitySchema.parse({}),
    ...(d.metricsNamespace === undefined ? {} : { metricsNamespace: d.metricsNamespace }),
    // What the region baseline reads of the enterprise sections: the fields that parsed, defaults for the rest.
    organizationGuard: organizationGuardSchema.safeParse(d.organizationGuard).data ?? organizationGuardSchema.parse({}),
    network: d.network,
    privateEndpoints: privateEndpointsSchema.safeParse(d.privateEndpoints).data ?? privateEndpointsSchema.parse({}),
    invocationLogging: invocationLoggingSchema.safeParse(d.invocationLogging).data ?? invocationLoggingSchema.parse({}),
    encryption: encryptionSchema.safeParse(d.encryption).data ?? encryptionSchema.parse({}),
  } as unknown as EnvironmentConfig;
  const config = { ...(d.complete ?? partial), workloads };
  return { config, invocations: models.invocations, specs: models.specs, regionQuotas: models.regionQuotas, warnings: [] };
}
