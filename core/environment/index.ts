/** The environment wing of core (docs/architecture.md): what other wings and layers import from it. */
export * from "./baseline-plan";
export * from "./environment-config";
export * from "./guardrail-config";
export * from "./guardrail-refs";
export * from "./model-resolution";
