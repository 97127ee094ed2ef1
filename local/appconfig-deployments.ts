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

/** How long after completion AWS still reverts a deployment (StopDeployment with AllowRevert). */
export const REVERT_WINDOW_MS = 72 * 60 * 60 * 1000;

/**
 * StopDeployment's transition, per the API reference
 * (https://docs.aws.amazon.com/appconfig/latest/APIReference/API_StopDeployment.html): it "works only on deployments
 * that have a status of DEPLOYING, unless an AllowRevert parameter is supplied"; with AllowRevert an in-progress
 * deployment (here: BAKING too) ends ROLLED_BACK, and the environment's newest COMPLETE one REVERTED within 72 hours of
 * completing. Returns the refusal message (a BadRequestException) instead when the stop is not allowed.
 */
export function stopDeployment(d: DeploymentClock, opts: { number: number; newest: boolean; allowRevert: boolean }, now: number): string | undefined {
  const t = timeline(d, now);
  if (t.state === "DEPLOYING" || (t.state === "BAKING" && opts.allowRevert)) {
    d.stop = { at: now, revert: false };
    return undefined;
  }
  if (t.state === "COMPLETE" && opts.allowRevert && opts.newest && t.completedAt !== undefined && now - t.completedAt <= REVERT_WINDOW_MS) {
    d.stop = { at: now, revert: true };
    return undefined;
  }
  if (t.state === "BAKING") return `Deployment ${opts.number} is in state BAKING; only a DEPLOYING deployment can be stopped without AllowRevert`;
  return t.state === "COMPLETE"
    ? `Deployment ${opts.number} is complete; set AllowRevert to revert it (only the newest deployment, within 72 hours)`
    : `Deployment ${opts.number} is in state ${t.state} and cannot be stopped`;
}
