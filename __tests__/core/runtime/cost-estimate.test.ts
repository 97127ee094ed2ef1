import { estimateCostUsd, routingDocumentSchema, tokenPriceSchema } from "../../../core/runtime";

describe("estimated cost of a call", () => {
  const price = { inputPer1k: 0.003, outputPer1k: 0.015 };

  it.each<[string, Parameters<typeof estimateCostUsd>[1], number]>([
    ["input and output at their prices", { inputTokens: 1000, outputTokens: 2000 }, 0.003 + 0.03],
    ["no usage: nothing", {}, 0],
    ["negative or non-finite counts count as none", { inputTokens: -5, outputTokens: Number.NaN }, 0],
    ["cache reads and writes without cache prices: priced as input", { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 1000, cacheWriteInputTokens: 1000 }, 0.006],
  ])("%s", (_name, usage, usd) => expect(estimateCostUsd(price, usage)).toBeCloseTo(usd, 12));

  it("cache reads and writes at their own prices (Claude: reads 0.1x, writes 1.25x the input price)", () => {
    const cached = { ...price, cacheReadPer1k: 0.0003, cacheWritePer1k: 0.00375 };
    expect(estimateCostUsd(cached, { inputTokens: 100, outputTokens: 10, cacheReadInputTokens: 10_000, cacheWriteInputTokens: 2_000 })).toBeCloseTo((100 * 0.003 + 10 * 0.015 + 10_000 * 0.0003 + 2_000 * 0.00375) / 1000, 12);
  });

  it("a price is non-negative figures per 1,000 tokens, nothing else; a routing document may carry one per model", () => {
    expect(tokenPriceSchema.safeParse(price).success).toBe(true);
    for (const bad of [{ inputPer1k: -1, outputPer1k: 0 }, { inputPer1k: 1 }, { ...price, currency: "EUR" }, "cheap"]) expect(tokenPriceSchema.safeParse(bad).success).toBe(false);
    const doc = { schemaVersion: 1, environment: "e", region: "us-east-1", models: { m: { invokeId: "us.m", enabled: true, price } }, routes: { t: { primary: "m", fallbacks: [], maxTokens: 1 } } };
    expect(routingDocumentSchema.safeParse(doc).success).toBe(true);
  });
});
