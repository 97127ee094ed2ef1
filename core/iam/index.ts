/** The iam wing of core (docs/architecture.md): what other wings and layers import from it. */
export * from "./iam-policy";
export * from "./policy-packing";
export * from "./region-policies";
export * from "./route-access";
export * from "./endpoint-policies";
export * from "./invocation-logging-policies";
export * from "./key-policy";
