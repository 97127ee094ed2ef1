/** The validation wing of core (docs/architecture.md): what other wings and layers import from it. */
export * from "./draft";
export * from "./environment-validation";
export * from "./rule";
export { ENVIRONMENT_RULES } from "./rules";
export * from "./shared-account-settings";
