import { z } from "zod";

const predefinedStrategy = z.enum([
  "AppConfig.AllAtOnce",
  "AppConfig.Linear20PercentEvery6Minutes",
  "AppConfig.Canary10Percent20Minutes",
  "AppConfig.Linear50PercentEvery30Seconds",
]);

/** `appConfig`: how routing changes roll out and how often clients poll. */
export const appConfigSchema = z.strictObject({
  /** Strategy for routine routing changes: a predefined name or a custom one. Default: AppConfig.Linear20PercentEvery6Minutes. */
  deploymentStrategy: z
    .union([
      predefinedStrategy,
      z.strictObject({
        durationMinutes: z.number().int().min(0).max(1440),
        growthFactor: z.number().min(1).max(100),
        finalBakeMinutes: z.number().int().min(0).max(1440).default(10),
        growthType: z.enum(["LINEAR", "EXPONENTIAL"]).default("LINEAR"),
      }),
    ])
    .default("AppConfig.Linear20PercentEvery6Minutes"),
  /** How often clients poll for a new routing document. Default: 45 s (AppConfig minimum 15). */
  pollIntervalSeconds: z.number().int().min(15).max(86400).default(45),
});
