import type { StackManifest } from "../core/routing";
import type { RegionClients } from "./aws-session";
import { abortable, type Deadline } from "../cli/deadline";
import type { QuotaLookup } from "./quota-lookup";

/** What every check of one region needs. */
export interface RegionContext {
  readonly region: string;
  readonly manifest: StackManifest;
  /** All regions of the environment (not only the ones being checked): an SCP naming another region is a destination. */
  readonly declaredRegions: readonly string[];
  readonly clients: RegionClients;
  readonly deadline: Deadline;
  /** Per AWS call, ms. */
  readonly timeoutMs: number;
  /** Applied TPM quotas of this region, looked up once per model. */
  readonly quotas: QuotaLookup;
}

/** One AWS call, aborted at the per-call timeout or the run deadline (whichever comes first). */
export function send<T>(ctx: Pick<RegionContext, "deadline" | "timeoutMs">, call: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
  const signal = ctx.deadline.callSignal(ctx.timeoutMs);
  return abortable(call(signal), signal);
}
