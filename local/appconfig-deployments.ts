/** AppConfig deployment states, as GetDeployment reports them. */
export type DeploymentStateName = "DEPLOYING" | "BAKING" | "COMPLETE" | "ROLLING_BACK" | "ROLLED_BACK" | "REVERTED";

export interface DeploymentEventView {
  EventType: string;
  TriggeredBy: "USER" | "APPCONFIG" | "CLOUDWATCH_ALARM" | "INTERNAL_ERROR";
  Description: string;
  OccurredAt: string;
}

/** What the state machine needs of a deployment: when it started, how long it takes, and how it was interrupted. */
export interface DeploymentClock {
  startedAt: number;
  durationMs: number;
  /** Set when a scripted rollback was taken by this deployment: the alarm that "fired". */
  rollbackAlarm?: string;
  /** StopDeployment: when, and whether it reverted a complete deployment. */
  stop?: { at: number; revert: boolean };
}

/** A deployment's state, its event log (newest first, as AppConfig lists it) and progress at one instant. */
export interface Timeline {
  state: DeploymentStateName;
  events: DeploymentEventView[];
  percentage: number;
  completedAt?: number;
}

/** States in which AppConfig refuses another StartDeployment on the environment. */
export const IN_FLIGHT: ReadonlySet<DeploymentStateName> = new Set(["DEPLOYING", "BAKING", "ROLLING_BACK"]);

export const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Deployment state is a pure function of elapsed time, so nothing needs timers (and `close()` has none to clear):
 * the first half of the duration is DEPLOYING, the second BAKING, then COMPLETE. A scripted rollback replaces
 * BAKING with ROLLING_BACK and ends in ROLLED_BACK.
 */
export function timeline(d: DeploymentClock, now: number): Timeline {
  const ev = (at: number, EventType: string, TriggeredBy: DeploymentEventView["TriggeredBy"], Description: string) => ({
    EventType,
    TriggeredBy,
    Description,
    OccurredAt: iso(at),
  });
  const events: DeploymentEventView[] = [
    ev(d.startedAt, "DEPLOYMENT_STARTED", "USER", `Deployment started`),
  ];
  const half = d.startedAt + d.durationMs / 2;
  const end = d.startedAt + d.durationMs;
  const stopAt = d.stop && d.stop.at < end ? d.stop.at : undefined;

  if (d.rollbackAlarm && (stopAt === undefined || stopAt >= half)) {
    if (now < half) return { state: "DEPLOYING", events: events.reverse(), percentage: pct(d, now) };
    events.push(ev(half, "ROLLBACK_STARTED", "CLOUDWATCH_ALARM", `Rollback initiated by alarm ${d.rollbackAlarm}`));
    if (now < end) return { state: "ROLLING_BACK", events: events.reverse(), percentage: 0 };
    events.push(ev(end, "ROLLBACK_COMPLETED", "APPCONFIG", "Rollback completed"));
    return { state: "ROLLED_BACK", events: events.reverse(), percentage: 0, completedAt: end };
  }
  if (stopAt !== undefined) {
    if (stopAt >= half) events.push(ev(half, "BAKE_TIME_STARTED", "APPCONFIG", "Deployment bake time started"));
    events.push(ev(stopAt, "ROLLBACK_STARTED", "USER", "Rollback initiated by user"));
    events.push(ev(stopAt, "ROLLBACK_COMPLETED", "APPCONFIG", "Rollback completed"));
    return { state: "ROLLED_BACK", events: events.reverse(), percentage: 0, completedAt: stopAt };
  }
  if (now < half) return { state: "DEPLOYING", events: events.reverse(), percentage: pct(d, now) };
  events.push(ev(half, "BAKE_TIME_STARTED", "APPCONFIG", "Deployment bake time started"));
  if (now < end) return { state: "BAKING", events: events.reverse(), percentage: 100 };
  events.push(ev(end, "DEPLOYMENT_COMPLETED", "APPCONFIG", "Deployment completed"));
  if (d.stop?.revert) {
    events.push(ev(d.stop.at, "REVERT_COMPLETED", "USER", "Configuration reverted by user"));
    return { state: "REVERTED", events: events.reverse(), percentage: 0, completedAt: end };
  }
  return { state: "COMPLETE", events: events.reverse(), percentage: 100, completedAt: end };
}

function pct(d: DeploymentClock, now: number): number {
  return d.durationMs <= 0 ? 100 : Math.min(100, Math.round(((now - d.startedAt) / (d.durationMs / 2)) * 100));
}

/**
 * StopDeployment's transition: an in-flight deployment rolls back; a complete one reverts only with `allowRevert`
 * and only when it is the environment's newest. Returns the refusal message instead when the stop is not allowed.
 */
export function stopDeployment(d: DeploymentClock, opts: { number: number; newest: boolean; allowRevert: boolean }, now: number): string | undefined {
  const state = timeline(d, now).state;
  if (state === "DEPLOYING" || state === "BAKING") {
    d.stop = { at: now, revert: false };
    return undefined;
  }
  if (state === "COMPLETE" && opts.allowRevert && opts.newest) {
    d.stop = { at: now, revert: true };
    return undefined;
  }
  return state === "COMPLETE"
    ? `Deployment ${opts.number} is complete; set AllowRevert to revert it`
    : `Deployment ${opts.number} is in state ${state} and cannot be stopped`;
}
