/** The catalog wing of core (docs/architecture.md): what other wings and layers import from it. */
export * from "./catalog-diff";
export * from "./catalog-overlay";
export * from "./catalog-snapshot";
export * from "./catalog";
export * from "./quota-names";
export * from "./request-constraints";
export * from "./listing-checks";
export * from "./model-listing";
