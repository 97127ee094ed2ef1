import type { GetDeploymentCommandOutput } from "@aws-sdk/client-appconfig";
import { boundClient } from "../cli/bounded-client";
import { Deadline, DeadlineExceeded } from "../cli/deadline";
import { names } from "../core/aws";
import { deploymentKeyIdentifier } from "../core/environment";
import { displayText } from "../core/problems";
import { alarmName, type AppConfigIds, createVersion, deleteVersion, type DeployedRouting, resolveStrategyId, rollbackAlarms, startDeployment, waitForDeployment } from "./appconfig-deployment";
import { isEmergency, ToggleRefused, type ToggleResult, versionDescription, versionLabel } from "./change";
import type { ToggleRun } from "./cli";
import { DEFAULT_POLL_MS } from "./options";

/** How long removing a version the toggle could not deploy may take, even after --timeout-ms has passed. */
const CLEANUP_GRACE_MS = 15_000;

/**
 * Deletes a version this toggle created but could not deploy (it would block every later toggle). Runs on a client of
 * its own with a short bound of its own, since the failure may be the command's deadline itself.
 */
async function cleanup(run: ToggleRun, ids: AppConfigIds, version: number): Promise<string> {
  const grace = new Deadline(CLEANUP_GRACE_MS);
  const client = boundClient(run.newClient(), { deadline: grace, callTimeoutMs: CLEANUP_GRACE_MS });
  try {
    const kept = await deleteVersion(client, ids, version);
    return kept === undefined
      ? `version ${version} was deleted again`
      : `version ${version} could not be deleted (${displayText(kept, 160)}); delete it with aws appconfig delete-hosted-configuration-version --application-id ${ids.applicationId} --configuration-profile-id ${ids.profileId} --version-number ${version} --region ${run.region}`;
  } finally {
    client.destroy();
    grace.dispose();
  }
}

/** Creates the hosted version under the version lock; a conflict means someone wrote meanwhile. */
async function createLocked(run: ToggleRun, ids: AppConfigIds, deployed: DeployedRouting, result: ToggleResult): Promise<{ version: number; description: string }> {
  const lock = deployed.latestVersion?.versionNumber ?? deployed.deployment!.version.versionNumber;
  const label = versionLabel(result.summary, run.args.reason);
  const description = versionDescription(result.summary, run.args.reason, undefined, { withoutEval: run.args.withoutEval });
  await run.deps.pause?.("before-write");
  try {
    const version = await createVersion(run.control, ids, JSON.stringify(result.document, null, 2), { latestVersionNumber: lock, versionLabel: label, description });
    run.io.out(`created hosted configuration version ${version} ("${label}")`);
    return { version, description };
  } catch (e) {
    if ((e as Error).name === "ConflictException") throw new ToggleRefused([`someone created another routing version concurrently (expected latest ${lock}); rerun the toggle to apply the change on top of it`]);
    throw e;
  }
}

/** The deployment strategy a change deploys with: the emergency one (all at once, no bake) or the environment's routine one. */
export function strategyNameOf(run: ToggleRun): string {
  const configured = run.env.config.appConfig.deploymentStrategy;
  return isEmergency(run.args.change) ? names.emergencyStrategy(run.args.env) : typeof configured === "string" ? configured : names.routineStrategy(run.args.env);
}

/**
 * Writes under both locks (the new version must follow the one the change was computed from, the deployment the one
 * that was read; either conflict means someone else changed it meanwhile), deploys and waits for the outcome.
 * Removing traffic from a model must land at once and must not bake: the alarm that prompted it would roll it back.
 */
export async function deployChange(run: ToggleRun, ids: AppConfigIds, deployed: DeployedRouting, result: ToggleResult): Promise<number> {
  const { args, io, control } = run;
  const emergency = isEmergency(args.change);
  const strategyName = strategyNameOf(run);
  const strategyId = await resolveStrategyId(control, strategyName, run.region);
  const { version, description } = await createLocked(run, ids, deployed, result);
  await run.deps.pause?.("before-deploy");
  let number: number;
  try {
    const kmsKeyIdentifier = deploymentKeyIdentifier(run.env.config.encryption, args.env, run.region);
    number = await startDeployment(control, ids, version, strategyId, { description, latestDeploymentNumber: deployed.latestDeploymentNumber, ...(kmsKeyIdentifier ? { kmsKeyIdentifier } : {}) });
  } catch (e) {
    // Do not leave an undeployed version behind: it would block every later toggle (see the refusal in cli.ts).
    const done = await cleanup(run, ids, version);
    if ((e as Error).name === "ConflictException")
      throw new ToggleRefused([`another deployment started in ${run.where} after this toggle read deployment ${deployed.latestDeploymentNumber}; ${done}; rerun the toggle to apply the change on top of it`]);
    io.err(`failed: ${done}`);
    throw e;
  }
  io.out(`deployment ${number} started with ${strategyName}${emergency ? " (emergency: all at once)" : " (routine)"}`);
  return reportOutcome(run, ids, number, version, result, await waitWithinDeadline(run, ids, number));
}

/** Polls the deployment until it ends or --timeout-ms passes (then it keeps going in AppConfig). */
async function waitWithinDeadline(run: ToggleRun, ids: AppConfigIds, number: number): Promise<{ deployment?: GetDeploymentCommandOutput; final: boolean }> {
  let last: GetDeploymentCommandOutput | undefined;
  try {
    return await waitForDeployment(run.control, ids, number, {
      timeoutMs: run.deadline.remainingMs(),
      pollMs: run.deps.pollMs ?? DEFAULT_POLL_MS,
      onProgress: (d) => {
        last = d;
        run.io.out(`deployment ${number}: ${displayText(String(d.State), 40)}${d.PercentageComplete !== undefined ? ` ${d.PercentageComplete}%` : ""}`);
      },
    });
  } catch (e) {
    // The deadline passed in the middle of a poll: the deployment goes on without us, as at a plain timeout.
    if (e instanceof DeadlineExceeded) return { ...(last ? { deployment: last } : {}), final: false };
    throw e;
  }
}

function reportOutcome(run: ToggleRun, ids: AppConfigIds, number: number, version: number, result: ToggleResult, outcome: { deployment?: GetDeploymentCommandOutput; final: boolean }): number {
  const { args, io } = run;
  const { deployment, final } = outcome;
  const follow = `aws appconfig get-deployment --application-id ${ids.applicationId} --environment-id ${ids.environmentId} --deployment-number ${number} --region ${run.region}`;
  if (!final || !deployment) {
    io.err(`failed: deployment ${number} is still ${displayText(String(deployment?.State ?? "running"), 40)} after ${args.timeoutMs} ms (--timeout-ms); it keeps going in AppConfig (check it with: ${follow})`);
    return 1;
  }
  if (deployment.State === "COMPLETE") {
    io.out(`deployed: ${result.summary} is live in ${args.env}/${run.region} (version ${version}, deployment ${number}); clients pick it up on their next poll`);
    return 0;
  }
  const alarms = rollbackAlarms(deployment.EventLog);
  const by = alarms.length ? ` by alarm ${alarms.map((a) => (alarmName(a) === a ? displayText(a, 200) : `${displayText(alarmName(a), 200)} (${displayText(a, 200)})`)).join(", ")}` : "";
  io.err(`failed: deployment ${number} ended ${displayText(String(deployment.State), 40)}${by}; the previous routing document stays live`);
  return 1;
}
