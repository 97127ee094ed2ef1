// ESM entry: re-exports the CommonJS build, so `import` and `require` share one module instance (one RoutingError
// class, one set of defaults; no dual-package hazard, https://nodejs.org/api/packages.html#dual-package-hazard).
// Named, not `export *`: from Node 23 on, a CommonJS namespace also carries a "module.exports" key that `*` would
// re-export. The package-install test fails when this list and index.ts disagree.
export {
  createRouter,
  ROUTER_DEFAULTS,
  RoutingError,
  DEFAULT_BACKOFF,
  DEFAULT_BREAKER,
  QUOTA_ESTIMATE_DEFAULTS,
  DEFAULT_NAMESPACE,
  stdoutSink,
  stderrSink,
  defaultMetricsSink,
  EMF_ENVIRONMENT,
  cloudWatchAgentSink,
  GUARDRAIL_INTERVENED,
  canaryBucket,
  CANARY_PERCENT_MAX,
  CANARY_PERCENT_MIN,
  parseRoutingDocument,
  ROUTE_SERVICE_TIERS,
  ROUTING_SCHEMA_VERSION,
  routingDocumentSchema,
  buildConverseRequest,
  estimateInputTokens,
  classifyError,
  chargedTokens,
  reservedTokens,
  worstCaseCharge,
  estimateCostUsd,
  tokenPriceSchema,
} from "./dist/client/index.js";
