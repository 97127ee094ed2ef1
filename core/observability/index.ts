/** The observability wing of core (docs/architecture.md): what other wings and layers import from it. */
export * from "./alarm-kinds";
export * from "./alarm-specs";
export * from "./bedrock-metrics";
export * from "./cost-alarms";
export * from "./cost-dashboard";
export * from "./dashboard";
export * from "./quota-headroom";
export * from "./ttft-thresholds";
