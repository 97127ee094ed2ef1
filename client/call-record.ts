import type { Classification, RouteEntry } from "../core/runtime";
import type { Clock } from "./clock";
import { emfRecord, type CallMetrics, type EmfRecord, type MetricsSink, type Outcome } from "./metrics";
import { GUARDRAIL_INTERVENED } from "./response-check";

/** Writes one call's EMF record to the sink; a failing sink never breaks a call. */
export class CallRecorder {
  constructor(
    private readonly sink: MetricsSink | undefined,
    private readonly namespace: string,
    private readonly clock: Clock,
    private readonly workload?: string,
  ) {}

  emit(m: CallMetrics): void {
    this.write(() => emfRecord(this.namespace, this.workload === undefined ? m : { ...m, workload: this.workload }, this.clock.now()));
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
