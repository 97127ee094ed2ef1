import { createHash } from "node:crypto";

/*
 * Which variant of a route a call takes when the route carries a canary
 * (docs/operations.md, "Upgrading a route's model"). With a request key the choice is a pure function of (task, key),
 * so every call of one conversation lands on the same model and a re-run of a request reproduces it; without one it is
 * a fresh draw per call. Buckets are 0..99 and the canary takes the lowest `percent` of them, so raising the share
 * keeps every key that was already on the canary there.
 */

/** Which ordering a call used: the route's own (primary first) or the canary's (canary first, then the route's). */
export type Variant = "primary" | "canary";

/**
 * The bucket 0..99 of a request key on a route: the first four bytes of SHA-256 over UTF-8 `task`, NUL, `key`, as an
 * unsigned big-endian integer, modulo 100 (any language reproduces it; the modulo bias is below 1e-7). The task is
 * part of it so that one key is not on the canary of every route at once.
 */
export function canaryBucket(task: string, key: string): number {
  return createHash("sha256").update(`${task}\u0000${key}`, "utf8").digest().readUInt32BE(0) % 100;
}

/** The variant of one call: by the key's bucket when given, else by `random` (uniform in [0, 1)). */
export function chooseVariant(task: string, percent: number, requestKey: string | undefined, random: () => number): Variant {
  const bucket = requestKey === undefined ? Math.floor(random() * 100) : canaryBucket(task, requestKey);
  return bucket < percent ? "canary" : "primary";
}
