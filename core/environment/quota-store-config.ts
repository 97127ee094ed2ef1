import { z } from "zod";

/*
 * `quotaStore`: an ElastiCache Serverless (Valkey) cache per region stack where a fleet of routing clients shares its
 * quota view (docs/fleet-quota.md), in the region's `network` VPC, TLS always, IAM authentication by default.
 * Limits: https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CacheUsageLimits.html, and the ranges
 * the AWS CDK's ServerlessCache construct enforces (data storage 1-5,000 GB, 1,000-15,000,000 ECPUs per second).
 */

/** Valkey major versions a serverless cache runs (IAM authentication needs Valkey 7.2 or later: both qualify). */
export const VALKEY_MAJOR_VERSIONS = ["7", "8"] as const;
/** Smallest and largest data-storage limit of a serverless cache, GB. */
export const CACHE_DATA_STORAGE_GB = { min: 1, max: 5000 } as const;
/** Smallest and largest ECPU-per-second limit of a serverless cache. */
export const CACHE_ECPU_PER_SECOND = { min: 1000, max: 15_000_000 } as const;

export const quotaStoreSchema = z.strictObject({
  /** Create the cache in every region (each region then needs a `network` entry). Default: false. */
  enabled: z.boolean().default(false),
  /** Valkey major version. Default: "8". */
  majorEngineVersion: z.enum(VALKEY_MAJOR_VERSIONS).default("8"),
  /**
   * IAM authentication: an ElastiCache user authenticated by IAM, alone in the cache's user group, allowed only the
   * routers' commands on their keys; workload policies get elasticache:Connect on exactly each region's cache and user. false:
   * no user group (anyone the security groups admit may connect). Default: true.
   */
  iamAuth: z.boolean().default(true),
  /** Upper limit of data stored, in GB (the routers store a few kilobytes per model). Default: 1. */
  maxDataStorageGb: z.number().int().min(CACHE_DATA_STORAGE_GB.min).max(CACHE_DATA_STORAGE_GB.max).default(1),
  /** Upper limit of ECPUs per second: a ceiling on the cost; past it the cache throttles and routers fall back to their own estimate. Default: 10 000. */
  maxEcpuPerSecond: z.number().int().min(CACHE_ECPU_PER_SECOND.min).max(CACHE_ECPU_PER_SECOND.max).default(10_000),
});

export type QuotaStoreConfig = z.infer<typeof quotaStoreSchema>;
