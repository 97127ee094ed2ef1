import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import type { RoutingDocument } from "../core/runtime";
import { DEFAULT_BACKOFF, type BackoffOptions } from "./backoff";
import type { BreakerOptions } from "./circuit-breaker";
import type { Clock } from "./clock";
import type { MetricsSink } from "./metrics";
import type { QuotaEstimateOptions } from "./quota-estimate";
import type { QuotaStoreOptions } from "./quota-store";
import type { RoutingProfileRef } from "./routing-source";

// Every option of createRouter and its default, in one place: a new option is declared here and resolved in
// resolveSettings (or read by the router's constructor when it is a collaborator, not a number).

/** Defaults, in one place (documented in client/README.md, section Defaults). */
export const ROUTER_DEFAULTS = {
  /** Wire calls per request across retries and fallbacks. */
  maxAttempts: 3,
  /** Whole-call budget when the caller gives no deadlineMs (streams: until the last event). */
  deadlineMs: 120_000,
  /** One wire call (a stream: until its first content event); fall back after it. */
  attemptTimeoutMs: 60_000,
  /** AppConfigData poll budget while a document is held; a slow poll must not hold up traffic for long. */
  pollTimeoutMs: 2_000,
  /** Budget of the first fetch (no document yet; credentials and connection set-up included). */
  initialPollTimeoutMs: 10_000,
  /** Requested minimum poll interval (AppConfig: 15-86400 s). */
  pollIntervalSeconds: 45,
  /** Without any document yet, a failed first fetch is retried on a call after this long. */
  bootstrapRetryMs: 1_000,
  backoff: DEFAULT_BACKOFF,
} as const;

/** The part of an OpenTelemetry TracerProvider the router calls (structural: the package's types never need @opentelemetry/api). */
export interface TracerProviderLike {
  getTracer(name: string, version?: string, options?: { schemaUrl?: string }): unknown;
}

/** The part of an OpenTelemetry MeterProvider the router calls. */
export interface MeterProviderLike {
  getMeter(name: string, version?: string, options?: { schemaUrl?: string }): unknown;
}

/** OpenTelemetry: `false` turns it off; providers given here are used instead of the application's global ones. */
export type TelemetryOption = false | { readonly tracerProvider?: TracerProviderLike; readonly meterProvider?: MeterProviderLike };

/** What createRouter accepts; every field but `region` (and one of appConfig / document) is optional. */
export interface RouterOptions {
  readonly region: string;
  /** Where the routing document lives (names or IDs). Exactly one of appConfig / document. */
  readonly appConfig?: RoutingProfileRef & { readonly pollIntervalSeconds?: number };
  /** A fixed document (tests, or callers that load it themselves); validated by the caller. */
  readonly document?: RoutingDocument;
  /**
   * The workload the application runs as (its name in the environment file): the `Workload` field of every EMF record
   * (the saved queries rank workloads by it, docs/observability.md), the dimension of its estimated cost (docs/cost.md),
   * and, when the document attributes cost per workload, the invoke IDs (its own application inference profiles) and
   * routes it may use. Required by such a document. Default: none.
   */
  readonly workload?: string;
  /**
   * Where the router says things once (a model without a known price). Default: process.emitWarning with code
   * BEDROCK_ROUTING_NO_PRICE, each message once per process however many routers it makes.
   */
  readonly warn?: (message: string) => void;
  /** Explicit opt-in to the local stand-in; default: real AWS. */
  readonly endpointUrl?: string;
  /** Default: the SDK default credential chain. */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /**
   * EMF record sink; `false` turns metrics off. Default (defaultMetricsSink): stdout in AWS Lambda, the CloudWatch
   * agent when AWS_EMF_AGENT_ENDPOINT is set, else stderr; never the application's stdout outside Lambda.
   */
  readonly metrics?: MetricsSink | false;
  /**
   * OpenTelemetry GenAI spans and metrics (docs/tracing.md). Default: on when @opentelemetry/api is installed, through
   * the application's global tracer and meter providers, so nothing is recorded until it registers one.
   */
  readonly telemetry?: TelemetryOption;
  /** CloudWatch namespace. Default: BedrockRouting. */
  readonly namespace?: string;
  readonly clock?: Clock;
  /** Uniform [0,1) source for backoff jitter and the canary draw of calls without a requestKey. Default: Math.random. */
  readonly random?: () => number;
  readonly maxAttempts?: number;
  readonly deadlineMs?: number;
  readonly attemptTimeoutMs?: number;
  readonly pollTimeoutMs?: number;
  readonly bootstrapRetryMs?: number;
  readonly backoff?: Partial<BackoffOptions>;
  /** Failure threshold (3) and the fixed probe interval of an open breaker (5 000 ms). */
  readonly breaker?: Partial<BreakerOptions>;
  /**
   * The quota estimate: `minuteMs`, the quota period (default 60 000; shorten it only against a time-compressed
   * stand-in, with every other duration), and `learnedLapseMinutes` (5), how long a quota learned from throttles holds.
   */
  readonly quota?: Partial<QuotaEstimateOptions>;
  /**
   * Share quota, throttles and breaker openings with the rest of the fleet through a Valkey/Redis server:
   * `{ url: "redis://host:6379" }` (`rediss://` for TLS) or `{ client }` (node-redis or ioredis). Advisory: no call
   * waits for it beyond its 5 ms budget, and while it is unreachable the router uses its own estimate
   * (docs/fleet-quota.md). `"from-document"`: where the routing document's `quotaStore` says (the baseline's
   * ElastiCache Serverless cache, IAM authentication signed with the router's credentials). Default: none.
   */
  readonly quotaStore?: QuotaStoreOptions | "from-document";
}

/** The numbers the router runs on, defaults applied. */
export interface Settings {
  readonly maxAttempts: number;
  readonly deadlineMs: number;
  readonly attemptTimeoutMs: number;
  readonly pollTimeoutMs: number;
  readonly bootstrapRetryMs: number;
  readonly backoff: BackoffOptions;
}

/** The quotaStore option as an object (`"from-document"` is short for `{ fromDocument: true }`); undefined without one. */
export function quotaStoreOptions(option: RouterOptions["quotaStore"]): QuotaStoreOptions | undefined {
  if (option === undefined) return undefined;
  if (option === "from-document") return { fromDocument: true };
  if (typeof option !== "object" || option === null) throw new Error(`createRouter: quotaStore must be an object ({ url }, { client }) or "from-document", got ${JSON.stringify(String(option)).slice(0, 40)}`);
  return option;
}

/** Checks the options that have no sensible fallback and applies the defaults; throws on a caller's mistake. */
export function resolveSettings(options: RouterOptions): Settings {
  if (!options.region) throw new Error("createRouter: region is required");
  if ((options.appConfig === undefined) === (options.document === undefined)) throw new Error("createRouter: give exactly one of appConfig or document");
  const settings: Settings = {
    maxAttempts: options.maxAttempts ?? ROUTER_DEFAULTS.maxAttempts,
    deadlineMs: options.deadlineMs ?? ROUTER_DEFAULTS.deadlineMs,
    attemptTimeoutMs: options.attemptTimeoutMs ?? ROUTER_DEFAULTS.attemptTimeoutMs,
    pollTimeoutMs: options.pollTimeoutMs ?? ROUTER_DEFAULTS.pollTimeoutMs,
    bootstrapRetryMs: options.bootstrapRetryMs ?? ROUTER_DEFAULTS.bootstrapRetryMs,
    backoff: { ...ROUTER_DEFAULTS.backoff, ...options.backoff },
  };
  if (!Number.isInteger(settings.maxAttempts) || settings.maxAttempts < 1) throw new Error(`createRouter: maxAttempts must be a positive integer, got ${settings.maxAttempts}`);
  // The environment file's workload names (core/environment/environment-names.ts): a record field must stay a name, never free text.
  if (options.workload !== undefined && (typeof options.workload !== "string" || !/^[a-z][a-z0-9-]{0,30}$/.test(options.workload)))
    throw new Error("createRouter: workload must be a workload name of the environment file (lowercase letters, digits and dashes, at most 31 characters)");
  return settings;
}
