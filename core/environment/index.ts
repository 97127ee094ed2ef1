/** The environment wing of core (docs/architecture.md): what other wings and layers import from it. */
export * from "./alarm-config";
export * from "./appconfig-config";
export * from "./backend-config";
export * from "./baseline-plan";
export * from "./editor-schema";
export * from "./budget-config";
export * from "./environment-config";
export * from "./environment-names";
export * from "./guardrail-config";
export * from "./guardrail-refs";
export * from "./model-config";
export * from "./model-resolution";
export * from "./organization-guard-config";
export * from "./principal-arn";
export * from "./route-limits";
export * from "./route-config";
export * from "./workload-config";
