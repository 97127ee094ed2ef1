export * from "./dist/client/index.js";
