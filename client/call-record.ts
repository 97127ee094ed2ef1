import { type Classification, estimateCostUsd, type RouteEntry, type TokenPrice } from "../core/runtime";
import type { Clock } from "./clock";
import { emfRecord, type CallMetrics, type EmfRecord, type MetricsSink, type Outcome } from "./metrics";
import { GUARDRAIL_INTERVENED } from "./response-check";

/** What the recorder adds to every record: the workload, and the price of each model for the cost estimate. */
export interface RecordContext {
  /** The router's workload (createRouter `workload`). Default: none. */
  readonly workload?: string;
  /** The price of a model in the document held now, if it carries one. */
  readonly priceOf: (modelId: string) => TokenPrice | undefined;
  /** Says a thing once (a model without a price). */
  readonly warn: (message: string) => void;
}

/** Messages the default `warn` has emitted: a process warns once however many routers it makes (a few per model). */
const warned = new Set<string>();

/** The default `warn`: a Node process warning, once per process for each message. */
export function warnOncePerProcess(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  process.emitWarning(message, { code: "BEDROCK_ROUTING_NO_PRICE" });
}

/**
 * Writes one call's EMF record to the sink, with the router's workload and the call's estimated cost (tokens x the
 * model's price); a model without a known price records none and is named once. A failing sink never breaks a call.
 */
export class CallRecorder {
  private readonly unpriced = new Set<string>();

  constructor(
    private readonly sink: MetricsSink | undefined,
    private readonly namespace: string,
    private readonly clock: Clock,
    private readonly context: RecordContext = { priceOf: () => undefined, warn: () => undefined },
  ) {}

  emit(m: CallMetrics): void {
    this.write(() => emfRecord(this.namespace, { ...m, ...this.workloadAndCost(m) }, this.clock.now()));
  }

  /** Writes a record built from the namespace and the time (an application's reported outcome, client/outcome-report.ts). */
  emitWith(build: (namespace: string, timestamp: number) => EmfRecord): void {
    this.write(() => build(this.namespace, this.clock.now()));
  }

  private write(record: () => EmfRecord): void {
    if (!this.sink) return;
    try {
      this.sink(record());
    } catch {
      // Metrics must never break a call.
    }
  }

  private workloadAndCost(m: CallMetrics): Pick<CallMetrics, "workload" | "estimatedCostUsd"> {
    const workload = this.context.workload ? { workload: this.context.workload } : {};
    // Only calls that consumed tokens cost anything; a throttled or refused-before-the-wire call carries no usage.
    if (m.model === "none" || (m.inputTokens === undefined && m.outputTokens === undefined)) return workload;
    const price = this.context.priceOf(m.model);
    if (price) return { ...workload, estimatedCostUsd: estimateCostUsd(price, m) };
    if (!this.unpriced.has(m.model)) {
      this.unpriced.add(m.model);
      this.context.warn(`no price is known for ${m.model} (the routing document carries none): its calls record no EstimatedCostUsd; add the price to catalog/overlay.json (or models[].facts.price) and deploy`);
    }
    return workload;
  }
}

/**
 * The tier and guardrail fields of a call's metric record: the tier the response echoes, else the route's; the
 * route's guardrail; and, once an answer came, whether a guardrail intervened (counted on guarded routes, and on any
 * route an account- or organization-enforced guardrail blocked).
 */
export function replyFacts(route: RouteEntry, reply: { readonly stopReason?: string; readonly serviceTier?: string } | undefined): Pick<CallMetrics, "serviceTier" | "guardrail" | "guardrailIntervened"> {
  const serviceTier = reply?.serviceTier ?? route.serviceTier;
  const intervened = reply?.stopReason === GUARDRAIL_INTERVENED;
  return {
    ...(serviceTier ? { serviceTier } : {}),
    ...(route.guardrail ? { guardrail: route.guardrail.name } : {}),
    ...(reply && (route.guardrail || intervened) ? { guardrailIntervened: intervened } : {}),
  };
}

/** The Outcome dimension of a failed call. */
export function failureOutcome(c: Classification | undefined): Outcome {
  return c ? c.category : "model";
}
