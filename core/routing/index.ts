/** The routing wing of core (docs/architecture.md): what other wings and layers import from it. */
export * from "./deployment-strategy";
export * from "./manifest";
export * from "./routing-baseline";
export * from "./region-routing";
export * from "./routing-validator";
export * from "./document-diff";
export * from "./routing-status";
