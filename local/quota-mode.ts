import { chargedTokens, reservedTokens as reservation } from "../core/runtime";
import { hashSeed, seededRandom } from "./seeded-random";

/*
 * Quota mode: per-model tokens-per-minute and requests-per-minute buckets with Bedrock's reservation semantics
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/global-cross-region-inference.html, "token burndown"; and
 * https://docs.aws.amazon.com/bedrock/latest/userguide/quotas.html): at request start input + maxTokens
 * is reserved (the model's maximum output when maxTokens is unset); when the request ends the reservation is corrected
 * to input + output × burndown; both buckets refill continuously, one quota's worth per minute. A latency model and
 * outage windows make it a stand-in for a model under load, and a time-compression factor lets a quota-minute last a
 * few seconds. Time inside the mode ("stand-in ms") runs `timeCompression` times faster than the wall clock.
 */

/** How long a model takes, in stand-in ms: (baseMs + perOutputTokenMs × output) × (1 ± jitter), jitter from the seed. */
export interface QuotaLatency {
  readonly baseMs: number;
  /** Default 0. */
  readonly perOutputTokenMs?: number;
  /** Fraction in [0, 1): uniform spread around the mean; default 0. */
  readonly jitter?: number;
}

/** [startMs, endMs) in stand-in ms since the mode started: the model answers `status` instead of serving. */
export interface OutageWindow {
  readonly startMs: number;
  readonly endMs: number;
  /** 503 ServiceUnavailableException (default) or 500 InternalServerException. */
  readonly status?: 500 | 503;
}

/** One model's quota and behaviour. */
export interface QuotaModelSpec {
  /** Model ID exactly as the client sends it (profile ID, ARN or bare ID). */
  readonly modelId: string;
  /** Signing region it applies to; default every region, each with its own buckets (quotas are per region). */
  readonly region?: string;
  /** Applied tokens-per-minute quota. */
  readonly tokensPerMinute: number;
  /** Applied requests-per-minute quota; default not enforced. */
  readonly requestsPerMinute?: number;
  /** Quota tokens charged per output token; default 1. */
  readonly outputBurndown?: number;
  /** What a request without maxTokens reserves for its output (the model's maximum); default 64 000. */
  readonly maxOutputTokens?: number;
  /** Output tokens the model writes when maxTokens does not cut it short; default 256. */
  readonly outputTokens?: number;
  /** Default: answers at once. */
  readonly latency?: QuotaLatency;
  /** Default none. */
  readonly outages?: readonly OutageWindow[];
}

/** The quota mode's configuration (scenario `quotaMode`, or `setQuotaMode()`). */
export interface QuotaModeConfig {
  /** Stand-in ms per wall-clock ms: 20 makes a quota-minute last 3 s; latencies and outage windows shrink alike. Default 1. */
  readonly timeCompression?: number;
  /** Seed of the latency jitter (one stream per model and region); default 1. */
  readonly seed?: number;
  readonly models: readonly QuotaModelSpec[];
}

export const QUOTA_DEFAULTS = { outputBurndown: 1, maxOutputTokens: 64_000, outputTokens: 256, timeCompression: 1, seed: 1 } as const;

/** One quota-minute, stand-in ms. */
const MINUTE_MS = 60_000;

/** What quota mode decided for one request. */
export type QuotaAdmission =
  | { readonly kind: "outage"; readonly status: 500 | 503 }
  /** 429 ThrottlingException; `limit` says which bucket was short (the message names it, as AWS's does). */
  | { readonly kind: "throttled"; readonly limit: "tokens" | "requests" }
  | {
      readonly kind: "admitted";
      readonly reservedTokens: number;
      readonly outputTokens: number;
      /** True when maxTokens cut the answer short. */
      readonly truncated: boolean;
      /** Wall-clock ms to wait before answering (the latency model divided by the compression). */
      readonly delayMs: number;
      /**
       * The request ended: corrects the reservation to input + output × burndown, where output is the share of the
       * answer generated (1 = all; less when the client went away first). Returns the tokens charged. Idempotent.
       */
      settle(completedFraction: number): number;
    };

/** A model's buckets as they stand (stand-in time), for tests and benchmarks. */
export interface QuotaUsage {
  /** Stand-in ms since the mode started. */
  readonly at: number;
  /** May be negative: a correction can charge more than was reserved (burndown > 1). */
  readonly tokensAvailable: number;
  readonly requestsAvailable?: number;
  readonly inFlight: number;
  readonly reservedInFlight: number;
  readonly admitted: number;
  readonly throttled: number;
  readonly outageErrors: number;
  /** Tokens charged by requests that ended. */
  readonly chargedTokens: number;
}

interface Bucket {
  tokens: number;
  requests: number;
  /** Stand-in time of the last refill. */
  at: number;
  inFlight: number;
  reservedInFlight: number;
  admitted: number;
  throttled: number;
  outageErrors: number;
  chargedTokens: number;
  random: () => number;
}

export class QuotaMode {
  private readonly compression: number;
  private readonly startedAt: number;
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly config: QuotaModeConfig,
    private readonly now: () => number = Date.now,
  ) {
    this.compression = config.timeCompression ?? QUOTA_DEFAULTS.timeCompression;
    if (!(this.compression > 0)) throw new Error(`timeCompression must be positive, got ${this.compression}`);
    this.startedAt = now();
  }

  /** Stand-in ms since the mode started. */
  elapsed(): number {
    return (this.now() - this.startedAt) * this.compression;
  }

  /** Undefined when no spec names the model: the endpoint answers as without quota mode. */
  admit(modelId: string, region: string, request: { readonly inputTokens: number; readonly maxTokens?: number }): QuotaAdmission | undefined {
    const found = this.find(modelId, region);
    if (!found) return undefined;
    const { spec, bucket } = found;
    const t = this.refill(spec, bucket);
    const outage = spec.outages?.find((w) => t >= w.startMs && t < w.endMs);
    if (outage) {
      bucket.outageErrors++;
      return { kind: "outage", status: outage.status ?? 503 };
    }
    const maxOutput = spec.maxOutputTokens ?? QUOTA_DEFAULTS.maxOutputTokens;
    const reservedTokens = reservation(request.inputTokens, request.maxTokens ?? maxOutput);
    if (spec.requestsPerMinute !== undefined && bucket.requests < 1) {
      bucket.throttled++;
      return { kind: "throttled", limit: "requests" };
    }
    if (bucket.tokens < reservedTokens) {
      bucket.throttled++;
      return { kind: "throttled", limit: "tokens" };
    }
    bucket.tokens -= reservedTokens;
    bucket.requests -= 1;
    bucket.inFlight++;
    bucket.reservedInFlight += reservedTokens;
    bucket.admitted++;

    const natural = spec.outputTokens ?? QUOTA_DEFAULTS.outputTokens;
    const cap = Math.min(request.maxTokens ?? maxOutput, maxOutput);
    const outputTokens = Math.min(natural, cap);
    const l = spec.latency;
    const mean = l ? l.baseMs + (l.perOutputTokenMs ?? 0) * outputTokens : 0;
    const spread = l?.jitter ? 1 + l.jitter * (2 * bucket.random() - 1) : 1;
    const delayMs = (mean * spread) / this.compression;
    const burndown = spec.outputBurndown ?? QUOTA_DEFAULTS.outputBurndown;
    let charged: number | undefined;
    return {
      kind: "admitted",
      reservedTokens,
      outputTokens,
      truncated: outputTokens < natural,
      delayMs,
      settle: (completedFraction) => {
        if (charged !== undefined) return charged;
        const done = Math.min(1, Math.max(0, completedFraction));
        charged = chargedTokens(request.inputTokens, Math.round(outputTokens * done), burndown);
        this.refill(spec, bucket);
        bucket.tokens = Math.min(spec.tokensPerMinute, bucket.tokens + reservedTokens - charged);
        bucket.inFlight--;
        bucket.reservedInFlight -= reservedTokens;
        bucket.chargedTokens += charged;
        return charged;
      },
    };
  }

  usage(modelId: string, region: string): QuotaUsage | undefined {
    const found = this.find(modelId, region);
    if (!found) return undefined;
    const { spec, bucket: b } = found;
    const at = this.refill(spec, b);
    return {
      at,
      tokensAvailable: b.tokens,
      ...(spec.requestsPerMinute !== undefined ? { requestsAvailable: b.requests } : {}),
      inFlight: b.inFlight,
      reservedInFlight: b.reservedInFlight,
      admitted: b.admitted,
      throttled: b.throttled,
      outageErrors: b.outageErrors,
      chargedTokens: b.chargedTokens,
    };
  }

  private find(modelId: string, region: string): { spec: QuotaModelSpec; bucket: Bucket } | undefined {
    const index = this.config.models.findIndex((m) => m.modelId === modelId && (m.region === undefined || m.region === region));
    if (index < 0) return undefined;
    const spec = this.config.models[index];
    const key = `${index}\u0000${region}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = {
        tokens: spec.tokensPerMinute,
        requests: spec.requestsPerMinute ?? 0,
        at: this.elapsed(),
        inFlight: 0,
        reservedInFlight: 0,
        admitted: 0,
        throttled: 0,
        outageErrors: 0,
        chargedTokens: 0,
        random: seededRandom(hashSeed(this.config.seed ?? QUOTA_DEFAULTS.seed, `${modelId}|${region}`)),
      };
      this.buckets.set(key, bucket);
    }
    return { spec, bucket };
  }

  /** Continuous refill up to now (one quota per minute, capped at the quota); returns the stand-in time. */
  private refill(spec: QuotaModelSpec, b: Bucket): number {
    const t = this.elapsed();
    const minutes = Math.max(0, t - b.at) / MINUTE_MS;
    b.tokens = Math.min(spec.tokensPerMinute, b.tokens + minutes * spec.tokensPerMinute);
    if (spec.requestsPerMinute !== undefined) b.requests = Math.min(spec.requestsPerMinute, b.requests + minutes * spec.requestsPerMinute);
    b.at = Math.max(b.at, t);
    return t;
  }
}
