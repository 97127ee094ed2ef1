import { z } from "zod";

/**
 * `evaluation`: how the toggle judges the evidence an upgrade needs (`npm run eval` reports; docs/evaluation.md). A
 * passing report older than `maxAgeDays` no longer lets `--canary` or `--promote` through.
 */
export const evaluationSettingsSchema = z.strictObject({
  /** Days a passing evaluation report stays valid evidence for the toggle. Default: 7. */
  maxAgeDays: z.number().int().positive().max(365).default(7),
});
