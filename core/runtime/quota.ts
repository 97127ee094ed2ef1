/**
 * Quota math (https://docs.aws.amazon.com/bedrock/latest/userguide/quotas.html): at request start Bedrock reserves input +
 * maxTokens against tokens-per-minute; the final charge is input + output × burndown (cache reads excluded).
 */

/** Tokens held against TPM while a request runs. */
export function reservedTokens(inputTokens: number, maxTokens: number): number {
  return inputTokens + maxTokens;
}

/** Tokens a finished request is charged: input + cache writes + output × burndown (cache reads are not charged). */
export function chargedTokens(inputTokens: number, outputTokens: number, outputBurndown: number, cacheWriteInputTokens = 0): number {
  return inputTokens + cacheWriteInputTokens + outputTokens * outputBurndown;
}

/** Worst-case quota tokens one request consumes (output at maxTokens, burndown applied). */
export function worstCaseCharge(inputTokens: number, maxTokens: number, outputBurndown: number): number {
  return chargedTokens(inputTokens, maxTokens, outputBurndown);
}

/** How one route fares against an applied TPM quota. */
export interface RouteQuotaFigures {
  readonly tpmQuota: number;
  readonly reservedPerRequest: number;
  /** Requests that can start within one minute's reservation. */
  readonly concurrentRequests: number;
  /** Worst-case charged tokens per request (burndown applied). */
  readonly chargePerRequest: number;
  /** Requests per minute the quota sustains at the worst-case charge. */
  readonly requestsPerMinute: number;
}

export function routeQuotaFigures(args: { tpmQuota: number; inputTokens: number; maxTokens: number; outputBurndown: number }): RouteQuotaFigures {
  const reservedPerRequest = reservedTokens(args.inputTokens, args.maxTokens);
  const chargePerRequest = worstCaseCharge(args.inputTokens, args.maxTokens, args.outputBurndown);
  return {
    tpmQuota: args.tpmQuota,
    reservedPerRequest,
    concurrentRequests: Math.floor(args.tpmQuota / reservedPerRequest),
    chargePerRequest,
    requestsPerMinute: Math.floor(args.tpmQuota / chargePerRequest),
  };
}
