/** The observability wing of core (docs/architecture.md): what other wings and layers import from it. */
export * from "./alarm-kinds";
export * from "./alarm-specs";
export * from "./bedrock-metrics";
export * from "./cost-alarms";
export * from "./cost-rows";
export * from "./dashboard";
export * from "./dashboard-rows";
export * from "./dashboard-split";
export * from "./model-rows";
export * from "./quota-headroom";
export * from "./rollback-alarm";
export * from "./route-alarms";
export * from "./routing-rows";
export * from "./ttft-thresholds";
export * from "./saved-queries";
export * from "./quality-alarms";
export * from "./quality-rows";
