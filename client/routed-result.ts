import type { ConverseResponse, TokenUsage } from "@aws-sdk/client-bedrock-runtime";
import type { Variant } from "./canary-split";
import type { Candidate } from "./route-plan";

/** What a routed call returns: the model's output and how the router got it. */
export interface RoutedResult<O = ConverseResponse> {
  /** The SDK response (ConverseResponse); for streams the assembled message, stop reason, usage and metrics. */
  readonly output: O;
  readonly servedBy: Candidate;
  /**
   * `canary` when the call was in the route's canary share (tried the canary first), else `primary`, whoever served
   * it in the end.
   */
  readonly variant: Variant;
  /** Served by a model other than the first enabled one of its variant's order (capacity failure or open breaker). */
  readonly fellBack: boolean;
  /** Wire calls made, failed ones included. */
  readonly attempts: number;
  readonly usage?: TokenUsage;
  readonly latencyMs: number;
  readonly stopReason: string;
  /** The service tier that served it: the response's echo, else the route's request; absent when neither names one. */
  readonly serviceTier?: string;
  /**
   * A guardrail blocked the prompt or the answer (stopReason guardrail_intervened): the output is the guardrail's
   * blocked message. A result, not an error: nothing is retried or fallen back from.
   */
  readonly guardrailIntervened: boolean;
  /**
   * The model declined (stop reason `refusal` or `content_filtered`, core/runtime/refusal.ts): the output is its
   * refusal, not an answer to use. A result, not an error; the route's `onRefusal` says whether the next candidate was
   * tried first.
   */
  readonly refused: boolean;
  /** The model whose refusal this call fell back from (route `onRefusal: fallback`); absent otherwise. */
  readonly refusedBy?: Candidate;
  /** Pass to router.reportOutcome to report how the call went for the application (no text; client/outcome-report.ts). */
  readonly outcomeHandle: string;
}
