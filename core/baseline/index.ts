/** The baseline wing of core (docs/architecture.md): everything a region stack and the account stack hold, computed once. */
export * from "./account-baseline";
export * from "./account-cost";
export * from "./region-baseline";
export * from "./region-security";
export * from "./quota-store";
