/** The runtime wing of core (docs/architecture.md): what other wings and layers import from it. */
export * from "./conversation-check";
export * from "./converse-request";
export * from "./cost-estimate";
export * from "./error-classification";
export * from "./quota";
export * from "./routing-document";
export * from "./refusal";
export * from "./routing-metrics";
export * from "./quota-store-location";
