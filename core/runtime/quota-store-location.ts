import { z } from "zod";

/*
 * Where the fleet's quota store is, as the routing document tells the routing client (`quotaStore: "from-document"`,
 * docs/fleet-quota.md). The baseline writes it when the environment asks each region stack for an ElastiCache
 * Serverless (Valkey) cache; the client connects there with TLS and, with IAM authentication, signs a token for the
 * named cache and user (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth-iam.html).
 */

/** Prefix of every key the routers write; the cache user's ACL admits only keys under it. */
export const QUOTA_STORE_KEY_PREFIX = "bedrock-routing";

/**
 * Every command a router sends to the store and every command its script runs there (client/quota-store.ts,
 * client/fleet-script.ts): the cache user's ACL allows exactly these, on keys under the prefix. AUTH and HELLO need no
 * permission.
 */
export const QUOTA_STORE_COMMANDS = ["ping", "evalsha", "eval", "hgetall", "hset", "hdel", "pexpire"] as const;

/** A key prefix: 1-64 letters, digits or `_ . : -` (it ends up in every key and in the user's ACL pattern). */
export const QUOTA_STORE_KEY_PREFIX_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

/**
 * The port of an ElastiCache Serverless endpoint: 6379 reads and writes (6380 is the reader port), fixed for every
 * serverless cache (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/RedisConfiguration.html, "port").
 */
export const SERVERLESS_CACHE_PORT = 6379;

/**
 * ElastiCache names: a letter first, then letters, digits and single hyphens, not ending with a hyphen, at most 40
 * characters (cache names are stored lowercase; user IDs keep case). CreateServerlessCache and CreateUser
 * (https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateUser.html), and the limits the AWS
 * CDK's ElastiCache alpha module enforces (aws-cdk, packages/@aws-cdk/aws-elasticache-alpha).
 */
export const ELASTICACHE_NAME_PATTERN = /^[a-zA-Z](-?[a-zA-Z0-9])*$/;
/** Longest cache name, user ID or user group ID. */
export const MAX_ELASTICACHE_NAME = 40;

const elastiCacheName = z.string().min(1).max(MAX_ELASTICACHE_NAME).regex(ELASTICACHE_NAME_PATTERN);

/** IAM authentication: what the client signs its token for (the token is the AUTH password of `userId`). */
export const quotaStoreIamAuthSchema = z.strictObject({
  /** The serverless cache's name (lowercase, as ElastiCache stores it). */
  cacheName: elastiCacheName,
  /** The ElastiCache user (IAM-enabled users have user name = user ID). */
  userId: elastiCacheName,
});

/** `quotaStore` of a routing document: where the routers of the region share their quota view. */
export const quotaStoreLocationSchema = z.strictObject({
  /** Host name of the store's endpoint. Bounded loosely: the manifest's copy holds a placeholder until apply. */
  host: z.string().min(1).max(253),
  /** TCP port; ElastiCache Serverless: SERVERLESS_CACHE_PORT. */
  port: z.number().int().min(1).max(65535),
  /** Connect with TLS (ElastiCache Serverless: always). */
  tls: z.boolean(),
  /** Sign an IAM authentication token for this cache and user. Default: no AUTH (a store open to its network). */
  iamAuth: quotaStoreIamAuthSchema.optional(),
  /** Prefix of the keys the routers write (the user's ACL admits no other). Default: QUOTA_STORE_KEY_PREFIX. */
  keyPrefix: z.string().regex(QUOTA_STORE_KEY_PREFIX_PATTERN).optional(),
});

/** Where a region's routers share their quota view. */
export type QuotaStoreLocation = z.infer<typeof quotaStoreLocationSchema>;
