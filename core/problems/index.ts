/** The problems wing of core (docs/architecture.md): what other wings and layers import from it. */
export * from "./display-text";
export * from "./json-text";
export * from "./problem";
export * from "./suggestion";
export * from "./xml-text";
export * from "./problem-lines";
export * from "./input-bounds";
