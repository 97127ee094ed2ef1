import * as path from "node:path";
import { type AppConfigClient, ListApplicationsCommand } from "@aws-sdk/client-appconfig";
import type { AwsCredentials } from "../client/aws-clients";
import { describeEndpoints, requireCredentials, resolvedEndpoint } from "../cli/aws-endpoints";
import { noteNodeSupport } from "../cli/node-support";
import { appConfigClient } from "../cli/aws-clients";
import { boundClient } from "../cli/bounded-client";
import { Deadline, DeadlineExceeded } from "../cli/deadline";
import { readEnvironmentFile } from "../cli/environment-files";
import { EndlessListing } from "../cli/paged-listing";
import { redactCredentials } from "../cli/argument-values";
import { CliError, describeUserError } from "../cli/user-error";
import { names } from "../core/aws";
import type { BaselinePlan } from "../core/environment";
import { displayText } from "../core/problems";
import { causeChain, isConnectionCode, parseRoutingDocument, type RoutingDocument } from "../core/runtime";
import { type AppConfigIds, AppConfigMissing, type DeployedRouting, readDeployedRouting, resolveIds } from "./appconfig-deployment";
import { applyToggle, documentValidator, isEmergency, ToggleRefused, type ToggleResult } from "./change";
import { deployChange } from "./deploy-change";
import { printDryRun } from "./dry-run";
import { askOnTerminal, stopQuestion, stopRunningDeployment } from "./kill-switch";
import { DEFAULT_POLL_MS, parseToggleArgs, type ToggleArgs, USAGE } from "./options";
import { requestFitProblems, unwatchedCanaryNote, upgradeEvidence } from "./upgrade-gate";

export { DEFAULT_POLL_MS, DEFAULT_TIMEOUT_MS, REASON_MAX } from "./options";

export interface ToggleIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/** Test seams; production uses the defaults. */
export interface ToggleDeps {
  /** Directory of the environment files. Default: ./config. */
  readonly configDir?: string;
  readonly pollMs?: number;
  /** Default: the SDK default credential chain. */
  readonly credentials?: AwsCredentials;
  /** Lifecycle date for config validation (ISO). Default: today. */
  readonly today?: string;
  /** The time evaluation reports are dated against. Default: now. */
  readonly now?: Date;
  /**
   * Called at the points where a concurrent toggle can interleave (race tests pause here): after the deployed
   * version was read and the change validated, before anything is written; and after the new version was created,
   * before its deployment starts. Default: none.
   */
  readonly pause?: (at: "before-write" | "before-deploy") => Promise<void>;
  /**
   * Asks the operator a yes/no question (stopping a running deployment). Default: a prompt on the terminal when stdin
   * and stderr are terminals, "no" otherwise.
   */
  readonly confirm?: (question: string, deadline: Deadline) => Promise<boolean>;
}

/** What every step of one toggle run shares. */
export interface ToggleRun {
  readonly args: ToggleArgs;
  readonly io: ToggleIo;
  readonly deps: ToggleDeps;
  readonly env: BaselinePlan;
  readonly region: string;
  /** `bedrock-dev/dev/routing in us-east-1`, for messages. */
  readonly where: string;
  readonly control: AppConfigClient;
  /** A fresh client to the same endpoint (for cleanup with a bound of its own). */
  readonly newClient: () => AppConfigClient;
  readonly deadline: Deadline;
}

/** An AWS-side failure (service error, network, timeout, a listing that would not end): one line, exit 1. */
function awsFailure(e: unknown, args: ToggleArgs | undefined): string | undefined {
  if (e instanceof DeadlineExceeded) return `the --timeout-ms bound (${args?.timeoutMs ?? "?"} ms) passed before the toggle finished; what it did so far is above`;
  if (e instanceof EndlessListing) return `an AppConfig listing ${e.message}`;
  if (!(e instanceof Error)) return undefined;
  if (e.name === "TimeoutError") return `AppConfig did not answer one call within --call-timeout-ms (${args?.callTimeoutMs ?? "?"} ms): the endpoint accepted it and never finished answering`;
  // The SDK wraps socket errors (HTTP/2: "The pending stream has been canceled (caused by: connect ECONNREFUSED)").
  const known = causeChain(e).find((x) => x.$metadata !== undefined || x.name === "CredentialsProviderError" || isConnectionCode(String(x.code ?? "")));
  if (!known) return undefined;
  const what = displayText(redactCredentials(`${e.name}: ${e.message}`), 300);
  if (/^(UnrecognizedClientException|InvalidSignatureException|SignatureDoesNotMatch|InvalidClientTokenId|ExpiredToken(Exception)?)$/.test(e.name))
    return `the credentials were rejected (${what}): refresh them (aws sso login) or check the profile; nothing was written`;
  return what;
}

/**
 * `npm run toggle`: read the deployed routing document, change it, validate it locally (core schema + the
 * environment's AppConfig JSON Schema), then create a hosted version under the optimistic lock, deploy it and wait.
 * Returns the exit code; never throws for expected failures.
 */
export async function runToggle(argv: string[], io: ToggleIo, deps: ToggleDeps = {}): Promise<number> {
  let args: ToggleArgs | undefined;
  try {
    const parsed = parseToggleArgs(argv);
    if (parsed === "help") {
      io.out(USAGE);
      return 0;
    }
    args = parsed;
    noteNodeSupport(io.err);
    return await toggle(args, io, deps);
  } catch (e) {
    if (e instanceof ToggleRefused) {
      for (const r of e.reasons) io.err(`refused: ${r}`);
      return 1;
    }
    if (e instanceof AppConfigMissing) {
      io.err(`failed: ${e.message}`);
      return 1;
    }
    const user = describeUserError(e);
    if (user) {
      for (const l of user.lines) io.err(l);
      return 2; // usage and configuration errors alike
    }
    const aws = awsFailure(e, args);
    if (aws) {
      io.err(`failed: ${aws}`);
      return 1;
    }
    throw e;
  }
}

/** The environment and region the command names, validated. */
function environmentAndRegion(args: ToggleArgs, deps: ToggleDeps): { env: BaselinePlan; region: string } {
  const loaded = readEnvironmentFile(path.join(deps.configDir ?? "config", `${args.env}.json`), { today: deps.today });
  const regions = loaded.plan.config.regions;
  const region = args.region ?? (regions.length === 1 ? regions[0] : undefined);
  if (region === undefined) throw new CliError(`--region is required: ${loaded.displayName} declares ${regions.length} regions (${regions.join(", ")})`);
  if (!regions.includes(region)) throw new CliError(`${loaded.displayName} does not declare region ${region} (regions: ${regions.join(", ")})`);
  return { env: loaded.plan, region };
}

async function toggle(args: ToggleArgs, io: ToggleIo, deps: ToggleDeps): Promise<number> {
  const { env, region } = environmentAndRegion(args, deps);
  const appConfigNames = { application: names.appConfigApplication(args.env), environment: names.appConfigEnvironment(args.env), profile: names.appConfigProfile };
  // Every call of the command is bounded: one by --call-timeout-ms, all of them by --timeout-ms (cli/bounded-client.ts).
  const deadline = new Deadline(args.timeoutMs);
  const newClient = () => appConfigClient({ region, endpointUrl: args.endpoint?.url, credentials: deps.credentials });
  const raw = newClient();
  const run: ToggleRun = {
    args,
    io,
    deps,
    env,
    region,
    where: `${appConfigNames.application}/${appConfigNames.environment}/${appConfigNames.profile} in ${region}`,
    control: boundClient(raw, { deadline, callTimeoutMs: args.callTimeoutMs }),
    newClient,
    deadline,
  };
  try {
    // Where the calls go (an AWS_ENDPOINT_URL in the environment included), and credentials, before any call.
    const endpoint = await resolvedEndpoint(raw, ListApplicationsCommand, {}, args.endpoint?.url);
    if (endpoint.custom) io.out(`AppConfig endpoint: ${describeEndpoints([endpoint])}`);
    await requireCredentials(raw, deadline.callSignal(Math.min(args.callTimeoutMs, 60_000)));
    const ids = await resolveIds(run.control, appConfigNames, region);
    return await changeAndDeploy(run, ids);
  } finally {
    raw.destroy();
    deadline.dispose();
  }
}

/** Refuses what must not be written on top of: no deployed document, a version nobody deployed, an invalid document. */
function liveDocument(run: ToggleRun, ids: AppConfigIds, deployed: DeployedRouting): RoutingDocument {
  const { where, region } = run;
  if (!deployed.deployment) throw new ToggleRefused([`no routing document is deployed to ${where}; run cdktf deploy first`]);
  const live = deployed.deployment;
  if (deployed.undeployed.length) {
    const v = deployed.undeployed[0];
    throw new ToggleRefused([
      `hosted version ${v.versionNumber}${v.versionLabel ? ` "${displayText(v.versionLabel, 64)}"` : ""} of ${where} is newer than the deployed version ${live.version.versionNumber} and was never deployed, so a change on top of the deployed one could silently drop it: another toggle may be deploying it right now (rerun in a minute), or it was abandoned (deploy it, or delete it with aws appconfig delete-hosted-configuration-version --application-id ${ids.applicationId} --configuration-profile-id ${ids.profileId} --version-number ${v.versionNumber} --region ${region}), then rerun the toggle`,
    ]);
  }
  const current = parseRoutingDocument(live.content);
  if (typeof current === "string") throw new ToggleRefused([`the deployed routing document (${where}, version ${live.version.versionNumber}) is invalid (${current}); fix it with cdktf deploy before toggling`]);
  if (current.region !== region) throw new ToggleRefused([`the deployed routing document of ${where} is for region ${displayText(current.region, 40)}; fix it with cdktf deploy before toggling`]);
  return current;
}

/** `aws appconfig get-deployment ...` for deployment `n`: how the operator follows it. */
export function followCommand(run: ToggleRun, ids: AppConfigIds, n: number): string {
  return `aws appconfig get-deployment --application-id ${ids.applicationId} --environment-id ${ids.environmentId} --deployment-number ${n} --region ${run.region}`;
}

/** The change computed from the live document and checked locally (what the baseline provisioned). */
function computeChange(run: ToggleRun, current: RoutingDocument): ToggleResult {
  const { args } = run;
  const result = applyToggle(current, args.change);
  if (!result.changed) return result;
  const problems = documentValidator(run.env, run.region)(result.document);
  if (problems.length) throw new ToggleRefused([`${result.summary} fails validation for ${args.env}/${run.region} (what the baseline provisioned), nothing was written:`, ...problems.map((p) => `  ${p}`)]);
  return result;
}

/**
 * Reads what clients get now, computes and checks the change, ends a running deployment when the change is an
 * emergency one and the operator agrees, then writes and deploys it.
 */
async function changeAndDeploy(run: ToggleRun, ids: AppConfigIds): Promise<number> {
  const { args, io, where } = run;
  let deployed = await readDeployedRouting(run.control, ids);
  const running = deployed.inProgress;
  if (running && !isEmergency(args.change))
    throw new ToggleRefused([
      `deployment ${running.number}${running.version ? ` (version ${displayText(running.version, 40)})` : ""} is ${running.state} in ${where}; AppConfig runs one deployment at a time, so nothing was written: wait for it to end (${followCommand(run, ids, running.number)}) and rerun the toggle`,
    ]);
  const current = liveDocument(run, ids, deployed);
  const live = deployed.deployment!;
  const liveLabel = live.version.versionLabel ? ` "${displayText(live.version.versionLabel, 64)}"` : "";
  io.out(`read the deployed routing document from ${where} (version ${live.version.versionNumber}${liveLabel}, deployment ${live.number})`);
  const result = computeChange(run, current);
  // Everything above only read and checked; a dry run passes the upgrade gate too, then stops here, before a stop,
  // a version or a deployment.
  if (args.dryRun) {
    if (result.changed) checkUpgrade(run, result);
    return printDryRun(run, current, result, running);
  }
  if (running) deployed = await stopForEmergency(run, ids, deployed, result.summary);
  if (!result.changed) {
    io.out(`nothing to change: ${result.summary} is already in effect`);
    return 0;
  }
  checkUpgrade(run, result);
  io.out(`change: ${result.summary}${args.reason ? ` (reason: ${displayText(args.reason)})` : ""}; validated against the routing schema and the ${args.env}/${run.region} JSON Schema`);
  return deployChange(run, ids, deployed, result);
}

/**
 * The model a change puts into a route accepts the route's requests, and an upgrade (--canary, --promote) has its
 * evaluation evidence or an explicit --without-eval with a reason; throws ToggleRefused (nothing written) otherwise.
 */
function checkUpgrade(run: ToggleRun, result: ToggleResult): void {
  const { args, io, env } = run;
  const fit = requestFitProblems(env, result.document, args.change, result);
  if (fit.length) throw new ToggleRefused([`${result.summary} puts a model into a route whose requests it refuses (catalog request constraints), nothing was written:`, ...fit.map((p) => `  ${p}`)]);
  const missing = upgradeEvidence(env, run.region, args.change, result, { reportsDir: args.reportsDir, ...(args.golden ? { goldenFile: args.golden } : {}), maxAgeDays: env.config.evaluation.maxAgeDays, now: run.deps.now ?? new Date() });
  if (args.withoutEval) io.out(`WITHOUT EVALUATION EVIDENCE (--without-eval)${missing ? `: ${missing}` : ""}; reason: ${displayText(args.reason ?? "")}`);
  else if (missing) throw new ToggleRefused([`${result.summary} needs evaluation evidence, nothing was written: ${missing}; or pass --without-eval --reason "..." to deploy without it (recorded in the version description)`]);
  else if (args.change.kind === "canary" || args.change.kind === "promote") io.out(`evaluation evidence: a passing report for ${result.modelId} on ${args.change.task} (${args.reportsDir})`);
  const note = unwatchedCanaryNote(env, args.change, result);
  if (note) io.out(note);
}

/**
 * The kill switch during a rollout: with --stop-deployment (or the operator's yes on a terminal) the running
 * deployment is stopped and the live document read again, which must still be the one the change was computed from.
 */
async function stopForEmergency(run: ToggleRun, ids: AppConfigIds, deployed: DeployedRouting, summary: string): Promise<DeployedRouting> {
  const { args, io, where } = run;
  const running = deployed.inProgress!;
  const confirm = run.deps.confirm ?? askOnTerminal;
  const agreed = args.stopDeployment || (await confirm(stopQuestion(running, where, summary), run.deadline));
  if (!agreed)
    throw new ToggleRefused([
      `deployment ${running.number}${running.version ? ` (version ${displayText(running.version, 40)})` : ""} is ${running.state} in ${where}; AppConfig runs one deployment at a time, so nothing was written: rerun with --stop-deployment to stop it (it rolls back) and deploy ${summary} at once, or wait for it to end (${followCommand(run, ids, running.number)})`,
    ]);
  const outcome = await stopRunningDeployment(run.control, ids, running.number, { deadline: run.deadline, pollMs: run.deps.pollMs ?? DEFAULT_POLL_MS, onProgress: (l) => io.out(l) });
  if (outcome.deployment.State === "COMPLETE")
    throw new ToggleRefused([`deployment ${running.number} completed before it could be stopped; nothing was written: rerun the toggle to apply ${summary} on top of what it deployed`]);
  const redeploy = running.version ? `; deploy version ${displayText(running.version, 40)} again after the incident if its change is still wanted` : "";
  io.out(`deployment ${running.number} ended ${displayText(String(outcome.deployment.State), 40)}${outcome.stopped ? " (stopped by this toggle)" : ""}: its change is not live${redeploy}`);
  const after = await readDeployedRouting(run.control, ids);
  if (after.inProgress || after.deployment?.version.versionNumber !== deployed.deployment?.version.versionNumber)
    throw new ToggleRefused([`the deployed routing document of ${where} changed while deployment ${running.number} was stopped (now version ${after.deployment?.version.versionNumber ?? "none"}${after.inProgress ? `, deployment ${after.inProgress.number} ${after.inProgress.state}` : ""}); nothing was written: rerun the toggle`]);
  return after;
}

if (require.main === module) {
  runToggle(process.argv.slice(2), { out: (l) => process.stdout.write(l + "\n"), err: (l) => process.stderr.write(l + "\n") }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      // A bug, not a user mistake: keep the stack trace.
      console.error(e);
      process.exitCode = 1;
    },
  );
}
