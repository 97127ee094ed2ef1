import { chargedTokens, reservedTokens, routeQuotaFigures, worstCaseCharge } from "../../../core/runtime";

describe("quota math (reservation and burndown as https://docs.aws.amazon.com/bedrock/latest/userguide/quotas.html describes)", () => {
  test("the reservation is input plus maxTokens, whatever the burndown", () => {
    expect(reservedTokens(1000, 2048)).toBe(3048);
    expect(routeQuotaFigures({ tpmQuota: 1_000_000, inputTokens: 1000, maxTokens: 2048, outputBurndown: 5 }).reservedPerRequest).toBe(3048);
  });

  test("the worst-case charge applies the burndown to output only", () => {
    expect(worstCaseCharge(1000, 2048, 1)).toBe(3048);
    expect(worstCaseCharge(1000, 2048, 5)).toBe(1000 + 5 * 2048);
  });

  test("a finished request is charged input, cache writes and burned-down output, never cache reads", () => {
    expect(chargedTokens(1000, 256, 5)).toBe(2280);
    expect(chargedTokens(100, 10, 1, 200)).toBe(310);
  });

  // AWS's own example: at 2M TPM a 1,500-token reservation allows ~1,333 concurrent requests; leaving maxTokens unset
  // reserves the model maximum (64K) and cuts that to ~31.
  test.each([
    [1000, 500, 1333],
    [0, 64_000, 31],
  ])("2M TPM, input %i + maxTokens %i -> %i concurrent requests", (inputTokens, maxTokens, concurrent) => {
    expect(routeQuotaFigures({ tpmQuota: 2_000_000, inputTokens, maxTokens, outputBurndown: 1 }).concurrentRequests).toBe(concurrent);
  });

  test("requests per minute use the burned-down charge, concurrency the reservation", () => {
    const f = routeQuotaFigures({ tpmQuota: 600_000, inputTokens: 1000, maxTokens: 1000, outputBurndown: 5 });
    // reservation 2,000 -> 300 in flight; charge 1,000 + 5 x 1,000 = 6,000 -> 100 per minute
    expect(f).toEqual({ tpmQuota: 600_000, reservedPerRequest: 2000, concurrentRequests: 300, chargePerRequest: 6000, requestsPerMinute: 100 });
  });

  test("figures round down: a partial request cannot start", () => {
    const f = routeQuotaFigures({ tpmQuota: 2999, inputTokens: 500, maxTokens: 500, outputBurndown: 1 });
    expect(f.concurrentRequests).toBe(2);
    expect(f.requestsPerMinute).toBe(2);
  });

  test("an applied quota of 0 allows nothing", () => {
    const f = routeQuotaFigures({ tpmQuota: 0, inputTokens: 8, maxTokens: 16, outputBurndown: 5 });
    expect(f.concurrentRequests).toBe(0);
    expect(f.requestsPerMinute).toBe(0);
  });
});
