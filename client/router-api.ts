import type { ConverseRequest } from "@aws-sdk/client-bedrock-runtime";
import type { ConversationInput } from "../core/runtime";
import type { BreakerView } from "./circuit-breaker";
import type { QuotaView } from "./quota-estimate";
import type { RoutedResult } from "./routed-result";
import type { RoutedStream } from "./routed-stream";
import type { QuotaStoreStatus } from "./store-health";
import type { PollResult } from "./routing-source";
import type { CallOutcome } from "./outcome-report";

/** What a caller sends: a task and the conversation, never a model. */
export interface RouteRequest extends ConversationInput {
  readonly task: string;
  /** Budget for the whole call, ms. Default: the router's deadlineMs (120 s). */
  readonly deadlineMs?: number;
  /**
   * Keeps a route's canary split sticky: calls with the same key on the same task always take the same variant (e.g.
   * a conversation or user ID; never logged or recorded). Default: none, each call is drawn at random.
   */
  readonly requestKey?: string;
}

/** Where the router's routing document stands. */
export interface DocumentStatus {
  readonly source: "appconfig" | "static";
  /** A valid document is held (routing possible). */
  readonly loaded: boolean;
  readonly versionLabel?: string;
  /** When the held document was accepted (epoch ms). */
  readonly updatedAt?: number;
  /** Outcome of the latest poll; `invalid`/`failed` mean the previous good document is still in use. */
  readonly lastPoll?: { readonly at: number; readonly result: PollResult["kind"]; readonly detail?: string };
  /** Versions refused (schema or wrong region) since start. */
  readonly rejected: number;
}

/** The routing client an application holds (createRouter). */
export interface Router {
  converse(request: RouteRequest): Promise<RoutedResult>;
  /** Resolves once the serving model sent its first content event; iterate it for events, await `.result` for the end. */
  converseStream(request: RouteRequest): Promise<RoutedStream>;
  /** The exact request the router would send to `modelId`, the route's canary included (default: the route's first enabled model). */
  requestFor(task: string, input: ConversationInput, modelId?: string): Promise<ConverseRequest>;
  /**
   * Reports how a routed call went for the application (`success`, optional `score` 0-1), tied to its result (or the
   * result's `outcomeHandle`), once per call: an EMF record with TaskSuccess and QualityScore by Task, Model and
   * Variant, what the canary-quality alarm compares. Never text. Throws a RoutingError (category caller) for a bad
   * handle or outcome, or a second report of the same call.
   */
  reportOutcome(result: { readonly outcomeHandle: string } | string, outcome: CallOutcome): void;
  /** Polls AppConfig if the poll interval has elapsed (never more often) and returns the status. */
  refresh(): Promise<DocumentStatus>;
  readonly documentStatus: DocumentStatus;
  breakers(): BreakerView[];
  /** Per invoke ID of the document: the quota estimate (source document|learned|unknown, tokens free, held). */
  quotas(): QuotaView[];
  /** The quota store's state (shared, degraded, ...); undefined without `quotaStore`. */
  quotaStore(): QuotaStoreStatus | undefined;
  /**
   * Final: cancels calls and streams in flight, closes the connections; every later call (and refresh) rejects with
   * a RoutingError `router-closed` without opening a connection.
   */
  close(): void;
  /** True once close() was called. */
  readonly closed: boolean;
}
