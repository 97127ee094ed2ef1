import { type AppConfigClient, GetDeploymentCommand, type GetDeploymentCommandOutput, StopDeploymentCommand } from "@aws-sdk/client-appconfig";
import { type Deadline, sleep } from "../cli/deadline";
import { displayText } from "../core/problems";
import { type AppConfigIds, IN_PROGRESS_STATES } from "./appconfig-deployment";

/*
 * The kill switch during a rollout. AppConfig runs one deployment per environment at a time, so a --disable or
 * --abort issued while a routine deployment runs (prod's strategy takes 20 minutes) could only wait. StopDeployment
 * ends the running one first; per the API reference it works on a DEPLOYING deployment, and with AllowRevert also on
 * one in progress otherwise (ROLLED_BACK), or on a COMPLETE one within 72 hours (REVERTED):
 * https://docs.aws.amazon.com/appconfig/latest/APIReference/API_StopDeployment.html
 * So DEPLOYING is stopped without AllowRevert (it can never revert a deployment that completed meanwhile), BAKING with
 * it, and ROLLING_BACK or VALIDATING are waited out. The stopped deployment's change is no longer live: the toggle
 * says so, and how to deploy it again.
 */

/** How a stop ended: the stopped deployment as GetDeployment last showed it. */
export interface StopOutcome {
  readonly deployment: GetDeploymentCommandOutput;
  /** True when this command stopped it; false when it had ended (or was rolling back) by itself. */
  readonly stopped: boolean;
}

/** Options of one stop. */
export interface StopOptions {
  readonly deadline: Deadline;
  /** Pause between GetDeployment calls while waiting for the stop to settle. */
  readonly pollMs: number;
  readonly onProgress?: (line: string) => void;
}

async function getDeployment(client: AppConfigClient, ids: AppConfigIds, number: number): Promise<GetDeploymentCommandOutput> {
  return client.send(new GetDeploymentCommand({ ApplicationId: ids.applicationId, EnvironmentId: ids.environmentId, DeploymentNumber: number }));
}

/** StopDeployment; a BadRequestException (the state moved on meanwhile) is returned as false, anything else thrown. */
async function stop(client: AppConfigClient, ids: AppConfigIds, number: number, allowRevert: boolean): Promise<boolean> {
  try {
    await client.send(new StopDeploymentCommand({ ApplicationId: ids.applicationId, EnvironmentId: ids.environmentId, DeploymentNumber: number, ...(allowRevert ? { AllowRevert: true } : {}) }));
    return true;
  } catch (e) {
    if ((e as Error).name === "BadRequestException") return false;
    throw e;
  }
}

/**
 * Stops deployment `number` if it is still in progress, then waits (within the deadline) until it is no longer in
 * progress, so the next StartDeployment is accepted. Throws DeadlineExceeded when the deadline passes first.
 */
export async function stopRunningDeployment(client: AppConfigClient, ids: AppConfigIds, number: number, o: StopOptions): Promise<StopOutcome> {
  let stopped = false;
  let d = await getDeployment(client, ids, number);
  // At most two attempts: DEPLOYING may turn BAKING between the read and the stop.
  for (let attempt = 0; attempt < 2 && !stopped; attempt++) {
    if (d.State === "DEPLOYING") stopped = await stop(client, ids, number, false);
    else if (d.State === "BAKING") stopped = await stop(client, ids, number, true);
    else break;
    if (stopped) o.onProgress?.(`stopped deployment ${number} (it was ${displayText(String(d.State), 40)})`);
    d = await getDeployment(client, ids, number);
  }
  while (d.State && IN_PROGRESS_STATES.has(d.State)) {
    o.deadline.throwIfExpired();
    await sleep(Math.min(o.pollMs, Math.max(1, o.deadline.remainingMs())), o.deadline);
    d = await getDeployment(client, ids, number);
  }
  return { deployment: d, stopped };
}

/** The question an interactive toggle asks before stopping a running deployment. */
export function stopQuestion(running: { number: number; state: string; version?: string }, where: string, summary: string): string {
  const version = running.version ? ` (version ${displayText(running.version, 40)})` : "";
  return `deployment ${running.number}${version} is ${displayText(running.state, 40)} in ${where}. Stop it (it rolls back to the version before it) and deploy "${summary}" at once? [y/N] `;
}

/**
 * Asks `question` on the terminal and resolves true for "y" or "yes". Resolves false when stdin or stderr is not a
 * terminal (a script or CI must pass --stop-deployment explicitly), on any other answer, on end of input, or at the
 * deadline.
 */
export async function askOnTerminal(question: string, deadline: Deadline): Promise<boolean> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return false;
  const { createInterface } = await import("node:readline");
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await new Promise<string>((resolve) => {
      const onAbort = () => resolve("");
      deadline.signal.addEventListener("abort", onAbort, { once: true });
      rl.once("close", () => resolve(""));
      rl.question(question, (a) => {
        deadline.signal.removeEventListener("abort", onAbort);
        resolve(a);
      });
    });
    return /^\s*y(es)?\s*$/i.test(answer);
  } finally {
    rl.close();
  }
}
