// ESM entry: re-exports the CommonJS build, so `import` and `require` share one module instance (one RoutingError
// class, one set of defaults; no dual-package hazard, https://nodejs.org/api/packages.html#dual-package-hazard).
export * from "./dist/client/index.js";
