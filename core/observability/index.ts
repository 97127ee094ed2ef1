/** The observability wing of core (docs/architecture.md): what other wings and layers import from it. */
export * from "./alarms";
export * from "./quota-headroom";
