import { randomBytes } from "node:crypto";
import { DEFAULT_BREAKER, type BreakerFleet, type BreakerOptions } from "./circuit-breaker";
import type { Clock } from "./clock";
import { FleetBreakers } from "./fleet-breaker";
import { FleetQuota } from "./fleet-quota";
import { FleetSync } from "./fleet-sync";
import { storeEventRecord, type MetricsSink } from "./metrics";
import { QUOTA_ESTIMATE_DEFAULTS, type QuotaEstimateOptions, type SharedQuota } from "./quota-estimate";
import { QUOTA_STORE_DEFAULTS, storeLink, type QuotaStoreOptions } from "./quota-store";
import { StoreHealth, type QuotaStoreStatus, type StoreEvent } from "./store-health";

/*
 * The one object a router with `quotaStore` wires in (docs/fleet-quota.md): the shared quota view its QuotaEstimates
 * consults, the breaker sharing its CircuitBreakers reports to, and the store's health. Everything here runs beside
 * the calls, never in front of them.
 */

/** What the fleet needs from the router. */
export interface FleetDeps {
  readonly region: string;
  /** The routing document's environment (part of every key); read when a model is first seen. */
  readonly environment: () => string | undefined;
  readonly quota: QuotaEstimateOptions;
  readonly probeIntervalMs: number;
  readonly clock: Clock;
  readonly random: () => number;
  /** One record per store state change (the router turns it into EMF). */
  readonly report: (e: StoreEvent) => void;
}

export interface Fleet {
  readonly quotas: SharedQuota;
  readonly breakers: BreakerFleet;
  /** Starts connecting (in the background); until connected, calls use the local estimate. */
  start(): void;
  status(): QuotaStoreStatus;
  /** Script calls sent so far (benchmarks). */
  readonly sent: number;
  close(): void;
}

/** The router's side: its options (defaults resolved here) and where records go. */
export function routerFleet(
  options: { readonly region: string; readonly quotaStore: QuotaStoreOptions; readonly quota?: Partial<QuotaEstimateOptions>; readonly breaker?: Partial<BreakerOptions> },
  deps: { readonly clock: Clock; readonly random: () => number; readonly environment: () => string | undefined; readonly sink?: MetricsSink; readonly namespace: string },
): Fleet {
  const quota = { ...QUOTA_ESTIMATE_DEFAULTS, ...options.quota };
  positive("the router's quota.minuteMs", quota.minuteMs, 1);
  return createFleet(options.quotaStore, {
    region: options.region,
    environment: deps.environment,
    quota,
    probeIntervalMs: options.breaker?.probeIntervalMs ?? DEFAULT_BREAKER.probeIntervalMs,
    clock: deps.clock,
    random: deps.random,
    report: (e) => {
      try {
        deps.sink?.(storeEventRecord(deps.namespace, options.region, e, deps.clock.now()));
      } catch {
        // Metrics must never break routing.
      }
    },
  });
}

const KEY_PREFIX = /^[A-Za-z0-9_.:-]{1,64}$/;

function positive(name: string, value: number | undefined, fallback: number, integer = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value)))
    throw new Error(`quotaStore.${name} must be a positive ${integer ? "whole number" : "number"}, got ${String(value)}`);
  return value;
}

/** Checks the options (throwing an Error that names the option and never shows a password) and starts connecting. */
export function createFleet(options: QuotaStoreOptions, deps: FleetDeps): Fleet {
  const d = QUOTA_STORE_DEFAULTS;
  const keyPrefix = options.keyPrefix ?? d.keyPrefix;
  if (typeof keyPrefix !== "string" || !KEY_PREFIX.test(keyPrefix)) throw new Error(`quotaStore.keyPrefix must be 1-64 letters, digits or _.:- (got ${JSON.stringify(String(keyPrefix).slice(0, 70))})`);
  const timeoutMs = positive("timeoutMs", options.timeoutMs, d.timeoutMs);
  const budgetMs = positive("budgetMs", options.budgetMs, d.budgetMs);
  const failuresToDegrade = positive("failuresToDegrade", options.failuresToDegrade, d.failuresToDegrade, true);
  const minuteMs = deps.quota.minuteMs;
  const syncIntervalMs = positive("syncIntervalMs", options.syncIntervalMs, Math.max(1, minuteMs * d.syncIntervalShare));
  const headroom = options.headroom ?? d.headroom;
  if (typeof headroom !== "number" || !(headroom >= 0 && headroom < 1)) throw new Error(`quotaStore.headroom must be a share from 0 to below 1, got ${String(headroom)}`);
  const reconnect = {
    baseMs: positive("reconnect.baseMs", options.reconnect?.baseMs, d.reconnect.baseMs),
    capMs: positive("reconnect.capMs", options.reconnect?.capMs, d.reconnect.capMs),
  };
  positive("connectTimeoutMs", options.connectTimeoutMs, d.connectTimeoutMs);
  const link = storeLink(options);

  let sync: FleetSync | undefined;
  const health = new StoreHealth(link, {
    failuresToDegrade,
    reconnect,
    random: deps.random,
    now: () => Date.now(),
    report: (e) => {
      if (e.kind === "degraded") process.emitWarning(e.message, { code: "BEDROCK_QUOTA_STORE_DEGRADED" });
      deps.report(e);
    },
    onDown: () => sync?.forget(),
  });
  sync = new FleetSync(link, health, {
    keyPrefix,
    region: deps.region,
    environment: deps.environment,
    // Random, not the host name: nothing about the application goes to the store.
    instance: randomBytes(8).toString("hex"),
    minuteMs,
    lapseMs: deps.quota.learnedLapseMinutes * minuteMs,
    timeoutMs,
    syncIntervalMs,
    leaseTtlMs: Math.max(5 * syncIntervalMs, 10 * timeoutMs),
    activeMs: 2 * minuteMs,
    now: () => deps.clock.now(),
  });
  const quotas = new FleetQuota(sync, { headroom, staleMs: 5 * syncIntervalMs + 2 * timeoutMs, budgetMs });
  const breakers = new FleetBreakers(sync, deps.probeIntervalMs);
  const s = sync;
  return {
    quotas,
    breakers,
    start: () => {
      s.start();
      health.start();
    },
    status: () => health.status(),
    get sent() {
      return s.sent;
    },
    close: () => {
      s.close();
      health.close();
    },
  };
}
