import { z } from "zod";

/*
 * The estimated cost of one call, from the tokens its response reports and the model's on-demand price. An estimate,
 * not AWS's bill: the price is the catalog overlay's (catalog/overlay.json, quoted for one way of invoking, its `basis`),
 * and discounts, taxes, free tiers and price changes are not known here. The bill is AWS's (Cost Explorer, AWS Budgets).
 */

/**
 * A model's on-demand price in USD per 1,000 tokens, as the routing document carries it to the client (which cannot read
 * the catalog). Cache prices apply to `cacheReadInputTokens` and `cacheWriteInputTokens` where a response reports them;
 * without one, those tokens are priced as input.
 */
export const tokenPriceSchema = z.strictObject({
  /** USD per 1,000 input tokens. */
  inputPer1k: z.number().nonnegative(),
  /** USD per 1,000 output tokens. */
  outputPer1k: z.number().nonnegative(),
  /** USD per 1,000 tokens read from the prompt cache. Default: the input price. */
  cacheReadPer1k: z.number().nonnegative().optional(),
  /** USD per 1,000 tokens written to the prompt cache. Default: the input price. */
  cacheWritePer1k: z.number().nonnegative().optional(),
});

/** A model's on-demand price per 1,000 tokens. */
export type TokenPrice = z.infer<typeof tokenPriceSchema>;

/** Token counts as a Converse response reports them (`usage`); absent counts are 0. */
export interface PricedUsage {
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  readonly cacheReadInputTokens?: number;
  readonly cacheWriteInputTokens?: number;
}

const count = (n: number | undefined) => (typeof n === "number" && Number.isFinite(n) && n > 0 ? n : 0);

/**
 * Estimated USD of one call. Converse reports cache reads and writes apart from `inputTokens`
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_TokenUsage.html), so each is priced once.
 */
export function estimateCostUsd(price: TokenPrice, usage: PricedUsage): number {
  const usd =
    count(usage.inputTokens) * price.inputPer1k +
    count(usage.outputTokens) * price.outputPer1k +
    count(usage.cacheReadInputTokens) * (price.cacheReadPer1k ?? price.inputPer1k) +
    count(usage.cacheWriteInputTokens) * (price.cacheWritePer1k ?? price.inputPer1k);
  return usd / 1000;
}
