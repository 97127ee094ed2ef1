/** The aws wing of core (docs/architecture.md): what other wings and layers import from it. */
export * from "./aws-limits";
export * from "./geography";
export * from "./inference";
export * from "./names";
export * from "./quota-code";
export * from "./vpc-endpoints";
