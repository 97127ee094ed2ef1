import type { Classification } from "../core/runtime";

/** Router-side causes that are not Bedrock exceptions. */
export type RouterCause =
  | "unknown-task"
  | "no-enabled-model"
  | "no-routing-document"
  | "all-candidates-cooling"
  | "deadline-exceeded"
  /** The call would wait for capacity longer than its route's maxQueueMs (category `capacity`): refused before waiting. */
  | "queue-budget-exceeded"
  | "attempts-exhausted"
  | "stream-interrupted"
  | "router-closed"
  /** The document attributes cost per workload and the router named none (createRouter `workload`). */
  | "workload-required"
  /** The router's workload is not in the document, or the task is not one of its routes. */
  | "unknown-workload"
  /** The request was malformed (category `caller`): refused before any wire call. */
  | "invalid-request";

/**
 * Why a routed call failed, with the classification that decided it (category, cause, hint). Non-capacity errors
 * arrive here on the first failure (no retry, no fallback); capacity errors only once attempts, candidates or the
 * deadline ran out.
 */
export class RoutingError extends Error {
  override readonly name = "RoutingError";

  constructor(
    message: string,
    readonly classification: Classification,
    readonly details: {
      readonly task: string;
      /** Wire calls made for this request. */
      readonly attempts: number;
      /** Model of the failing call, when one was called. */
      readonly modelId?: string;
      readonly invokeId?: string;
      /** Set when the router gave up for its own reason (cooling, deadline, attempts) rather than one exception. */
      readonly routerCause?: RouterCause;
      /** all-candidates-cooling: how long until the earliest model admits a probe; queue-budget-exceeded: the wait refused. */
      readonly retryAfterMs?: number;
      /** The SDK / Node error, if any. */
      readonly cause?: unknown;
    },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
  }

  get category() {
    return this.classification.category;
  }

  get hint() {
    return this.classification.hint;
  }
}

/** A classification for a router-side condition. */
export function routerClassification(category: Classification["category"], cause: string, hint: string): Classification {
  return { category, cause, retryable: category === "capacity", errorName: "RoutingError", hint };
}
