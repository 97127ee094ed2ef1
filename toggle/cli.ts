import { parseArgs } from "node:util";
import * as path from "node:path";
import { ListApplicationsCommand } from "@aws-sdk/client-appconfig";
import type { AwsCredentials } from "../client/aws-clients";
import { checkEnvName, checkRegionName, parseEndpointUrl, type EndpointUrl } from "../cli/argument-values";
import { noteNodeSupport } from "../cli/node-support";
import { describeEndpoints, requireCredentials, resolvedEndpoint } from "../cli/aws-endpoints";
import { readEnvironmentFile } from "../cli/environment-files";
import { CliError, describeUserError } from "../cli/user-error";
import { displayText, quote } from "../core/problems";
import { causeChain, isConnectionCode, CANARY_PERCENT_MAX, CANARY_PERCENT_MIN, parseRoutingDocument } from "../core/runtime";
import { names } from "../core/aws";
import { appConfigClient } from "../cli/aws-clients";
import {
  alarmName,
  AppConfigMissing,
  createVersion,
  deleteVersion,
  readDeployedRouting,
  resolveIds,
  resolveStrategyId,
  rollbackAlarms,
  startDeployment,
  waitForDeployment,
} from "./appconfig-deployment";
import { applyToggle, documentValidator, isEmergency, ToggleRefused, versionDescription, versionLabel, type ToggleChange, type ToggleResult } from "./change";
import { DEFAULT_REPORTS_DIR, requestFitProblems, unwatchedCanaryNote, upgradeEvidence } from "./upgrade-gate";
import type { BaselinePlan } from "../core/environment";

const USAGE = `usage: npm run toggle -- --env <env> [--region <region>] (--disable <model> | --enable <model> | --primary <task>=<model>
                      | --canary <task>=<model>:<percent> | --promote <task> | --abort <task>)
                      [--reason "..."] [--without-eval] [--reports-dir <dir>] [--golden <file>] [--endpoint-url <url>] [--timeout-ms <ms>]
  <model> is a foundation-model ID or its invoke ID. --region may be left out when the environment has one region.
  --canary sends <percent> (${CANARY_PERCENT_MIN}-${CANARY_PERCENT_MAX}) of the task's calls to <model> first; --promote makes the canary the
  primary (the old primary becomes the first fallback); --abort removes the canary.
  --disable and --abort deploy with the emergency strategy (all at once, no bake), the others with the environment's
  routine strategy, whose bake the rollback alarm watches.
  --canary and --promote need a passing evaluation of the model on the task's golden set (npm run eval): a report in
  --reports-dir (default ${DEFAULT_REPORTS_DIR}) for this environment, region, task and model, made with the golden set
  as it is now (--golden, default evals/<task>.jsonl) and at most evaluation.maxAgeDays old (default 7).
  --without-eval --reason "..." overrides that; the reason goes into the AppConfig version description.
  A model put into a route (--primary, --canary, --promote) must accept the route's request parameters
  (catalog/overlay.json requestConstraints), as synth checks them.
  Exit: 0 deployed (or nothing to change), 1 refused, rolled back or failed, 2 usage or configuration error.`;

/** Longest --reason kept (AppConfig's Description limit); longer text is refused rather than silently cut. */
export const REASON_MAX = 1024;

/** Default wait for the deployment to finish. */
export const DEFAULT_TIMEOUT_MS = 600_000;
/** Default pause between GetDeployment calls. */
export const DEFAULT_POLL_MS = 2_000;

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
}

interface Args {
  env: string;
  region?: string;
  change: ToggleChange;
  reason?: string;
  endpoint?: EndpointUrl;
  timeoutMs: number;
  /** --without-eval: deploy a canary or promotion without evaluation evidence (needs --reason). */
  withoutEval: boolean;
  /** Where evaluation reports are read. */
  reportsDir: string;
  /** The task's golden set, when not evals/<task>.jsonl. */
  golden?: string;
}

function parse(argv: string[]): Args | "help" {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      env: { type: "string" },
      region: { type: "string" },
      disable: { type: "string" },
      enable: { type: "string" },
      primary: { type: "string" },
      canary: { type: "string" },
      promote: { type: "string" },
      abort: { type: "string" },
      reason: { type: "string" },
      "without-eval": { type: "boolean" },
      "reports-dir": { type: "string" },
      golden: { type: "string" },
      "endpoint-url": { type: "string" },
      "timeout-ms": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return "help";
  if (positionals.length) throw new CliError(`unexpected argument ${quote(positionals[0], 60)}\n${USAGE}`);
  if (!values.env) throw new CliError(`--env is required\n${USAGE}`);
  checkEnvName(values.env);
  if (values.region !== undefined) checkRegionName(values.region);
  const given = (["disable", "enable", "primary", "canary", "promote", "abort"] as const).filter((k) => values[k] !== undefined);
  if (given.length !== 1) throw new CliError(`give exactly one of --disable, --enable, --primary, --canary, --promote, --abort\n${USAGE}`);
  let change: ToggleChange;
  if (values.disable !== undefined) change = { kind: "disable", model: values.disable };
  else if (values.enable !== undefined) change = { kind: "enable", model: values.enable };
  else if (values.primary !== undefined) {
    const spec = values.primary;
    const eq = spec.indexOf("=");
    if (eq <= 0 || eq === spec.length - 1) throw new CliError(`--primary takes <task>=<model>, got ${quote(spec, 120)}`);
    change = { kind: "primary", task: spec.slice(0, eq), model: spec.slice(eq + 1) };
  } else if (values.canary !== undefined) change = canaryChange(values.canary);
  else {
    const kind = values.promote !== undefined ? "promote" : "abort";
    const task = values[kind]!;
    if (!task) throw new CliError(`--${kind} takes <task>`);
    change = { kind, task };
  }
  if ("model" in change && !change.model) throw new CliError("the model must not be empty");
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  if (values["timeout-ms"] !== undefined) {
    timeoutMs = Number(values["timeout-ms"]);
    if (!/^\d+$/.test(values["timeout-ms"]) || !Number.isSafeInteger(timeoutMs) || timeoutMs < 1) throw new CliError(`--timeout-ms must be a positive integer, got ${quote(values["timeout-ms"], 40)}`);
  }
  if (values.reason !== undefined && values.reason.length > REASON_MAX) throw new CliError(`--reason is ${values.reason.length} characters; keep it to ${REASON_MAX} (AppConfig's description limit)`);
  const endpoint = values["endpoint-url"] === undefined ? undefined : parseEndpointUrl(values["endpoint-url"]);
  return {
    env: values.env,
    ...(values.region !== undefined ? { region: values.region } : {}),
    change,
    reason: values.reason,
    ...(endpoint ? { endpoint } : {}),
    timeoutMs,
    ...evidenceFlags(change, values),
  };
}

/** --without-eval, --reports-dir and --golden: only for --canary and --promote; --without-eval only with a --reason. */
function evidenceFlags(change: ToggleChange, values: { "without-eval"?: boolean; "reports-dir"?: string; golden?: string; reason?: string }): Pick<Args, "withoutEval" | "reportsDir" | "golden"> {
  const upgrade = change.kind === "canary" || change.kind === "promote";
  for (const flag of ["without-eval", "reports-dir", "golden"] as const)
    if (values[flag] !== undefined && !upgrade) throw new CliError(`--${flag} only applies to --canary and --promote (the changes that need evaluation evidence)`);
  for (const flag of ["reports-dir", "golden"] as const) if (values[flag] !== undefined && values[flag]!.trim() === "") throw new CliError(`--${flag} needs a ${flag === "golden" ? "file" : "directory"} name`);
  const withoutEval = values["without-eval"] === true;
  if (withoutEval && !values.reason?.trim()) throw new CliError('--without-eval needs --reason "..." saying why the evaluation is skipped (it goes into the AppConfig version description)');
  return { withoutEval, reportsDir: values["reports-dir"] ?? DEFAULT_REPORTS_DIR, ...(values.golden !== undefined ? { golden: values.golden } : {}) };
}

/**
 * `--canary <task>=<model>:<percent>`: the percent follows the last colon, since model IDs contain colons
 * (`anthropic.claude-haiku-4-5-20251001-v1:0:10`).
 */
function canaryChange(spec: string): ToggleChange {
  const eq = spec.indexOf("=");
  const colon = spec.lastIndexOf(":");
  const percent = spec.slice(colon + 1);
  if (eq <= 0 || colon <= eq + 1 || !/^\d{1,3}$/.test(percent))
    throw new CliError(`--canary takes <task>=<model>:<percent>, e.g. summarization=amazon.nova-pro-v1:0:10; got ${quote(spec, 120)}`);
  const n = Number(percent);
  // A model ID's own ":0" read as the percent (no percent given) lands here too, so the form is named.
  if (n < CANARY_PERCENT_MIN || n > CANARY_PERCENT_MAX)
    throw new CliError(`--canary percent must be a whole number from ${CANARY_PERCENT_MIN} to ${CANARY_PERCENT_MAX}, got ${n} in ${quote(spec, 120)} (all of a route's calls is --promote); the form is <task>=<model>:<percent>, e.g. summarization=amazon.nova-pro-v1:0:10`);
  return { kind: "canary", task: spec.slice(0, eq), model: spec.slice(eq + 1, colon), percent: n };
}

/** An AWS-side failure (service error, network, timeout): reported in one line, exit 1, no stack trace. */
function awsFailure(e: unknown): string | undefined {
  if (!(e instanceof Error)) return undefined;
  // The SDK wraps socket errors (HTTP/2: "The pending stream has been canceled (caused by: connect ECONNREFUSED)").
  const known = causeChain(e).find((x) => x.$metadata !== undefined || x.name === "CredentialsProviderError" || x.name === "TimeoutError" || isConnectionCode(String(x.code ?? "")));
  if (!known) return undefined;
  return displayText(`${e.name}: ${e.message}`, 300);
}

/**
 * `npm run toggle`: read the deployed routing document, change it, validate it locally (core schema + the
 * environment's AppConfig JSON Schema), then create a hosted version under the optimistic lock, deploy it and wait.
 * Returns the exit code; never throws for expected failures.
 */
export async function runToggle(argv: string[], io: ToggleIo, deps: ToggleDeps = {}): Promise<number> {
  try {
    return await toggle(argv, io, deps);
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
    const aws = awsFailure(e);
    if (aws) {
      io.err(`failed: ${aws}`);
      return 1;
    }
    throw e;
  }
}

async function toggle(argv: string[], io: ToggleIo, deps: ToggleDeps): Promise<number> {
  const args = parse(argv);
  if (args === "help") {
    io.out(USAGE);
    return 0;
  }
  noteNodeSupport(io.err);
  const loaded = readEnvironmentFile(path.join(deps.configDir ?? "config", `${args.env}.json`), { today: deps.today });
  const env = loaded.plan;
  const regions = env.config.regions;
  const region = args.region ?? (regions.length === 1 ? regions[0] : undefined);
  if (region === undefined) throw new CliError(`--region is required: ${loaded.displayName} declares ${regions.length} regions (${regions.join(", ")})`);
  if (!regions.includes(region)) throw new CliError(`${loaded.displayName} does not declare region ${region} (regions: ${regions.join(", ")})`);

  const appConfigNames = { application: names.appConfigApplication(args.env), environment: names.appConfigEnvironment(args.env), profile: names.appConfigProfile };
  const where = `${appConfigNames.application}/${appConfigNames.environment}/${appConfigNames.profile} in ${region}`;
  const control = appConfigClient({ region, endpointUrl: args.endpoint?.url, credentials: deps.credentials });
  try {
    // Where the calls go (an AWS_ENDPOINT_URL in the environment included), and credentials, before any call.
    const endpoint = await resolvedEndpoint(control, ListApplicationsCommand, {}, args.endpoint?.url);
    if (endpoint.custom) io.out(`AppConfig endpoint: ${describeEndpoints([endpoint])}`);
    await requireCredentials(control, AbortSignal.timeout(Math.min(args.timeoutMs, 60_000)));

    // 1. The document clients get now, and the locks it was read under, all through the control plane.
    const ids = await resolveIds(control, appConfigNames, region);
    const deployed = await readDeployedRouting(control, ids);
    const follow = (n: number) => `aws appconfig get-deployment --application-id ${ids.applicationId} --environment-id ${ids.environmentId} --deployment-number ${n} --region ${region}`;
    if (deployed.inProgress)
      throw new ToggleRefused([
        `deployment ${deployed.inProgress.number}${deployed.inProgress.version ? ` (version ${displayText(deployed.inProgress.version, 40)})` : ""} is ${deployed.inProgress.state} in ${where}; AppConfig runs one deployment at a time, so nothing was written: wait for it to end (${follow(deployed.inProgress.number)}) and rerun the toggle`,
      ]);
    if (!deployed.deployment) throw new ToggleRefused([`no routing document is deployed to ${where}; run cdktf deploy first`]);
    const live = deployed.deployment;
    const liveLabel = live.version.versionLabel ? ` "${displayText(live.version.versionLabel, 64)}"` : "";
    if (deployed.undeployed.length) {
      const v = deployed.undeployed[0];
      throw new ToggleRefused([
        `hosted version ${v.versionNumber}${v.versionLabel ? ` "${displayText(v.versionLabel, 64)}"` : ""} of ${where} is newer than the deployed version ${live.version.versionNumber} and was never deployed, so a change on top of the deployed one could silently drop it: another toggle may be deploying it right now (rerun in a minute), or it was abandoned (deploy it, or delete it with aws appconfig delete-hosted-configuration-version --application-id ${ids.applicationId} --configuration-profile-id ${ids.profileId} --version-number ${v.versionNumber} --region ${region}), then rerun the toggle`,
      ]);
    }
    const current = parseRoutingDocument(live.content);
    if (typeof current === "string") throw new ToggleRefused([`the deployed routing document (${where}, version ${live.version.versionNumber}) is invalid (${current}); fix it with cdktf deploy before toggling`]);
    if (current.region !== region) throw new ToggleRefused([`the deployed routing document of ${where} is for region ${displayText(current.region, 40)}; fix it with cdktf deploy before toggling`]);
    io.out(`read the deployed routing document from ${where} (version ${live.version.versionNumber}${liveLabel}, deployment ${live.number})`);

    // 2. The change, computed from exactly that content, and the local checks every AWS write waits for.
    const result = applyToggle(current, args.change);
    if (!result.changed) {
      io.out(`nothing to change: ${result.summary} is already in effect`);
      return 0;
    }
    const problems = documentValidator(env, region)(result.document);
    if (problems.length) throw new ToggleRefused([`${result.summary} fails validation for ${args.env}/${region} (what the baseline provisioned), nothing was written:`, ...problems.map((p) => `  ${p}`)]);
    checkUpgrade(args, io, deps, env, region, result);
    io.out(`change: ${result.summary}${args.reason ? ` (reason: ${displayText(args.reason)})` : ""}; validated against the routing schema and the ${args.env}/${region} JSON Schema`);

    // 3. Write under both locks: the new version must follow the one the change was computed from, and the
    // deployment must follow the deployment that was read. Either conflict means someone else changed it meanwhile.
    // Removing traffic from a model must land at once and must not bake: the alarm that prompted it would roll it back.
    const emergency = isEmergency(args.change);
    const configured = env.config.appConfig.deploymentStrategy;
    const strategyName = emergency ? names.emergencyStrategy(args.env) : typeof configured === "string" ? configured : names.routineStrategy(args.env);
    const strategyId = await resolveStrategyId(control, strategyName, region);
    const lock = deployed.latestVersion?.versionNumber ?? live.version.versionNumber;
    const label = versionLabel(result.summary, args.reason);
    const description = versionDescription(result.summary, args.reason, undefined, { withoutEval: args.withoutEval });
    await deps.pause?.("before-write");
    let version: number;
    try {
      version = await createVersion(control, ids, JSON.stringify(result.document, null, 2), { latestVersionNumber: lock, versionLabel: label, description });
    } catch (e) {
      if ((e as Error).name === "ConflictException") throw new ToggleRefused([`someone created another routing version concurrently (expected latest ${lock}); rerun the toggle to apply the change on top of it`]);
      throw e;
    }
    io.out(`created hosted configuration version ${version} ("${label}")`);
    await deps.pause?.("before-deploy");
    let number: number;
    try {
      number = await startDeployment(control, ids, version, strategyId, description, deployed.latestDeploymentNumber);
    } catch (e) {
      // Do not leave an undeployed version behind: it would block every later toggle (see the refusal above).
      const kept = await deleteVersion(control, ids, version);
      const cleanup = kept === undefined ? `version ${version} was deleted again` : `version ${version} could not be deleted (${displayText(kept, 160)}); delete it with aws appconfig delete-hosted-configuration-version --application-id ${ids.applicationId} --configuration-profile-id ${ids.profileId} --version-number ${version} --region ${region}`;
      if ((e as Error).name === "ConflictException")
        throw new ToggleRefused([`another deployment started in ${where} after this toggle read deployment ${deployed.latestDeploymentNumber}; ${cleanup}; rerun the toggle to apply the change on top of it`]);
      io.err(`failed: ${cleanup}`);
      throw e;
    }
    io.out(`deployment ${number} started with ${strategyName}${emergency ? " (emergency: all at once)" : " (routine)"}`);
    const { deployment, final } = await waitForDeployment(control, ids, number, {
      timeoutMs: args.timeoutMs,
      pollMs: deps.pollMs ?? DEFAULT_POLL_MS,
      onProgress: (d) => io.out(`deployment ${number}: ${displayText(String(d.State), 40)}${d.PercentageComplete !== undefined ? ` ${d.PercentageComplete}%` : ""}`),
    });
    if (!final) {
      io.err(`failed: deployment ${number} is still ${displayText(String(deployment.State), 40)} after ${args.timeoutMs} ms; it keeps going in AppConfig (check it with: ${follow(number)})`);
      return 1;
    }
    if (deployment.State === "COMPLETE") {
      io.out(`deployed: ${result.summary} is live in ${args.env}/${region} (version ${version}, deployment ${number}); clients pick it up on their next poll`);
      return 0;
    }
    const alarms = rollbackAlarms(deployment.EventLog);
    const by = alarms.length ? ` by alarm ${alarms.map((a) => (alarmName(a) === a ? displayText(a, 200) : `${displayText(alarmName(a), 200)} (${displayText(a, 200)})`)).join(", ")}` : "";
    io.err(`failed: deployment ${number} ended ${displayText(String(deployment.State), 40)}${by}; the previous routing document stays live`);
    return 1;
  } finally {
    control.destroy();
  }
}

/**
 * The model a change puts into a route accepts the route's requests, and an upgrade (--canary, --promote) has its
 * evaluation evidence or an explicit --without-eval with a reason; throws ToggleRefused (nothing written) otherwise.
 */
function checkUpgrade(args: Args, io: ToggleIo, deps: ToggleDeps, env: BaselinePlan, region: string, result: ToggleResult): void {
  const fit = requestFitProblems(env, result.document, args.change, result);
  if (fit.length) throw new ToggleRefused([`${result.summary} puts a model into a route whose requests it refuses (catalog request constraints), nothing was written:`, ...fit.map((p) => `  ${p}`)]);
  const missing = upgradeEvidence(env, region, args.change, result, { reportsDir: args.reportsDir, ...(args.golden ? { goldenFile: args.golden } : {}), maxAgeDays: env.config.evaluation.maxAgeDays, now: deps.now ?? new Date() });
  if (args.withoutEval) io.out(`WITHOUT EVALUATION EVIDENCE (--without-eval)${missing ? `: ${missing}` : ""}; reason: ${displayText(args.reason ?? "")}`);
  else if (missing) throw new ToggleRefused([`${result.summary} needs evaluation evidence, nothing was written: ${missing}; or pass --without-eval --reason "..." to deploy without it (recorded in the version description)`]);
  else if (args.change.kind === "canary" || args.change.kind === "promote") io.out(`evaluation evidence: a passing report for ${result.modelId} on ${args.change.task} (${args.reportsDir})`);
  const note = unwatchedCanaryNote(env, args.change, result);
  if (note) io.out(note);
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
