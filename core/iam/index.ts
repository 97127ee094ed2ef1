/** The iam wing of core (docs/architecture.md): what other wings and layers import from it. */
export * from "./iam-policy";
export * from "./invoke-grants";
export * from "./principal-policies";
export * from "./policy-packing";
export * from "./environment-policies";
export * from "./route-access";
export * from "./endpoint-policies";
export * from "./invocation-logging-policies";
export * from "./key-policy";
