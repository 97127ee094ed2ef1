/** The baseline wing of core (docs/architecture.md): everything a region stack holds, computed once. */
export * from "./region-baseline";
export * from "./account-baseline";
export * from "./region-security";
