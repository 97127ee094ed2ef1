import { DeploymentState } from "@aws-sdk/client-appconfig";

/** States in which AppConfig is still moving the environment to a new version; smoke waits for them to end. */
const IN_PROGRESS: ReadonlySet<string> = new Set([DeploymentState.DEPLOYING, DeploymentState.BAKING, DeploymentState.VALIDATING, DeploymentState.ROLLING_BACK]);

/** Terminal states in which the new version did not stay: the previous one serves traffic. */
const UNDONE: ReadonlySet<string> = new Set([DeploymentState.ROLLED_BACK, DeploymentState.REVERTED]);

export type DeploymentPhase = "in-progress" | "complete" | "undone" | "unknown";

export function phaseOf(state: string | undefined): DeploymentPhase {
  if (state === DeploymentState.COMPLETE) return "complete";
  if (state && IN_PROGRESS.has(state)) return "in-progress";
  if (state && UNDONE.has(state)) return "undone";
  return "unknown";
}

/** One event of GetDeployment's EventLog. */
export interface DeploymentEvent {
  readonly EventType?: string;
  readonly TriggeredBy?: string;
  readonly Description?: string;
  readonly OccurredAt?: Date | string;
}

/**
 * Why a deployment was rolled back or reverted, from its event log: the rollback/revert event's description and who
 * triggered it (e.g. `CLOUDWATCH_ALARM: Rollback initiated by alarm arn:...`).
 */
export function undoReason(events: readonly DeploymentEvent[]): string | undefined {
  const order = ["ROLLBACK_STARTED", "ROLLBACK_COMPLETED", "REVERT_COMPLETED"];
  const e = order.map((t) => events.find((ev) => ev.EventType === t)).find((ev) => ev !== undefined);
  if (!e) return undefined;
  return [e.TriggeredBy, e.Description].filter(Boolean).join(": ") || e.EventType;
}

/** Delay before the next GetDeployment while waiting: 250 ms doubling to 5 s (deployments take seconds to hours). */
export function pollDelayMs(poll: number): number {
  return Math.min(5000, 250 * 2 ** poll);
}
