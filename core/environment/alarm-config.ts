import { z } from "zod";
import { MAX_EMAIL_LENGTH } from "../aws";
import { quote } from "../problems";
import { issue } from "./schema-issue";

/** An email address SNS or Budgets can deliver to. */
export const emailSchema = z.string().superRefine((v, ctx) => {
  if (v.length > MAX_EMAIL_LENGTH) issue(ctx, `is ${v.length} characters; an email address has at most ${MAX_EMAIL_LENGTH}`, "use a shorter address");
  else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) issue(ctx, `${quote(v)} is not an email address`, "write it as name@domain.tld");
});

/** `alarms`: thresholds of the per-model alarms, their period and who is emailed. */
export const alarmsSchema = z.strictObject({
  /** Emails subscribed to the stack's SNS topic (each must confirm). Default: none. */
  emails: z.array(emailSchema).default([]),
  /** Alarm period. Default: 300 s. */
  periodSeconds: z.number().int().refine((s) => s % 60 === 0 && s >= 60, "must be a multiple of 60, at least 60").max(86400).default(300),
  /** Consecutive breaching periods. Default: 1. */
  evaluationPeriods: z.number().int().positive().default(1),
  /** Sum of InvocationThrottles per period above which to alarm. Default: 10. */
  throttles: z.number().nonnegative().default(10),
  /** Sum of InvocationServerErrors per period. Default: 5. */
  serverErrors: z.number().nonnegative().default(5),
  /** Sum of InvocationClientErrors per period. Default: 20. */
  clientErrors: z.number().nonnegative().default(20),
  /** p99 InvocationLatency in ms. Default: 60000. */
  latencyP99Ms: z.number().positive().default(60000),
  /** Sum of LegacyModelInvocations per period. Default: 0 (any call to a legacy model alarms). */
  legacyInvocations: z.number().nonnegative().default(0),
  /**
   * Percent of a model's applied tokens-per-minute quota (read at plan time) that its EstimatedTPMQuotaUsage may reach
   * in a minute before the quota-usage alarm fires. Default: 80.
   */
  quotaUsagePercent: z.number().positive().max(100).default(80),
  /**
   * Percent of a model's tokens-per-day quota, and of the region's "Cross-Model Max Tokens Per Day" (both read at plan
   * time), the day's token usage may reach before the daily-quota alarm fires. Default: 80.
   */
  dailyQuotaUsagePercent: z.number().positive().max(100).default(80),
  /**
   * Estimated USD per hour (the client's EMF records) a workload may spend in a region before its spend-rate alarm fires;
   * `workloads.<name>.spendUsdPerHour` overrides it. Default: 25.
   */
  spendUsdPerHour: z.number().positive().max(1e6).default(25),
  /**
   * Percent of a route's calls in a period that may fall back (served by a model other than the first of the call's
   * order) before the route's fallback-rate alarm fires; from the routing client's metrics. 100 never fires. Default: 10.
   */
  routeFallbackRatePercent: z.number().positive().max(100).default(10),
  /**
   * Percent of a route's calls in a period that may fail (every candidate exhausted for capacity, or an error no
   * fallback helps) before the route's failure-rate alarm fires; from the routing client's metrics. 100 never fires.
   * Default: 5.
   */
  routeFailureRatePercent: z.number().positive().max(100).default(5),
  /**
   * Samples a client-metric rate needs in a period before it is judged: a route's calls for its fallback and failure
   * rates, a model's answered calls for its refusal rate, each of canary's and primary's reported outcomes for the
   * canary-quality comparison. A quiet period never alarms. Default: 20.
   */
  routeMinimumCalls: z.number().int().positive().max(1_000_000).default(20),
  /**
   * Routers that may lose the region's quota store (`quotaStore`) in a period before its alarm fires: each degradation
   * is one record of the client's QuotaStoreDegraded metric. Default: 0 (any degradation alarms).
   */
  quotaStoreDegradations: z.number().int().nonnegative().max(1_000_000).default(0),
  /**
   * Percent of a model's answered calls (the routing client's Refusals metric, per period) that may end in a refusal
   * before its refusal-rate alarm fires; for a route's canary a member of the rollback alarm. Default: 5.
   */
  refusalRatePercent: z.number().positive().max(100).default(5),
  /**
   * Points by which a canary's task success rate (the client's TaskSuccess reports) may fall below the primary's on its
   * route within a quality period before the canary-quality alarm rolls it back. Default: 10.
   */
  canarySuccessDropPoints: z.number().positive().max(100).default(10),
  /** Period of the canary-quality comparison, seconds (a multiple of 60). Default: 900. */
  qualityPeriodSeconds: z.number().int().refine((s) => s % 60 === 0 && s >= 60, "must be a multiple of 60, at least 60").max(86400).default(900),
});

/** `routes.<task>.alarms`: the route's own thresholds for its client-side alarms. */
export const routeAlarmsSchema = z.strictObject({
  /** Overrides `alarms.routeFallbackRatePercent` for this route. Default: the environment's. */
  fallbackRatePercent: z.number().positive().max(100).optional(),
  /** Overrides `alarms.routeFailureRatePercent` for this route. Default: the environment's. */
  failureRatePercent: z.number().positive().max(100).optional(),
});
