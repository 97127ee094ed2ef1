import { type Catalog, curated } from "../catalog";
import type { CallUsage } from "./sample";

/** A model's on-demand price as catalog/overlay.json records it. */
export interface ModelPrice {
  readonly inputPer1k: number;
  readonly outputPer1k: number;
  /** The way of invoking the price is quoted for (geo, global, on-demand). */
  readonly basis: string;
  /** Why the price is not confirmed by AWS, when it is not. */
  readonly unconfirmed?: string;
}

/** The overlay's price of a foundation model; undefined when the overlay has none (cost is then reported as unknown). */
export function modelPrice(catalog: Catalog, modelId: string): ModelPrice | undefined {
  const p = curated(catalog, modelId)?.price;
  if (!p) return undefined;
  return { inputPer1k: p.value.inputPer1k, outputPer1k: p.value.outputPer1k, basis: p.value.basis, ...(p.unconfirmed ? { unconfirmed: p.unconfirmed } : {}) };
}

/** Estimated USD of one call: tokens as the response counted them, at the overlay's per-1,000-token prices. */
export function callCostUsd(price: ModelPrice, usage: CallUsage): number {
  return (usage.inputTokens * price.inputPer1k + usage.outputTokens * price.outputPer1k) / 1000;
}
