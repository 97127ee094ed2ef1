import { parseArgs } from "node:util";
import * as path from "node:path";
import type { AwsCredentials } from "../client/aws-clients";
import { readEnvironmentFile } from "../cli/environment-files";
import { CliError, describeUserError } from "../cli/user-error";
import { names } from "../core/names";
import { appConfigDataClient } from "../client/aws-clients";
import { appConfigClient } from "../cli/aws-clients";
import {
  alarmName,
  AppConfigMissing,
  createVersion,
  latestVersionNumber,
  resolveIds,
  resolveStrategyId,
  rollbackAlarms,
  startDeployment,
  waitForDeployment,
} from "./appconfig-deployment";
import { RoutingSource } from "../client/routing-source";
import { applyToggle, documentValidator, ToggleRefused, versionDescription, versionLabel, type ToggleChange } from "./change";

const USAGE = `usage: npm run toggle -- --env <env> --region <region> (--disable <model> | --enable <model> | --primary <task>=<model>)
                      [--reason "..."] [--endpoint-url <url>] [--timeout-ms <ms>]
  <model> is a foundation-model ID or its invoke ID. --disable deploys with the emergency strategy (all at once),
  the others with the environment's routine strategy. Exit: 0 deployed (or nothing to change), 1 refused, rolled
  back or failed, 2 usage or configuration error.`;

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
}

interface Args {
  env: string;
  region: string;
  change: ToggleChange;
  reason?: string;
  endpointUrl?: string;
  timeoutMs: number;
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
      reason: { type: "string" },
      "endpoint-url": { type: "string" },
      "timeout-ms": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return "help";
  if (positionals.length) throw new CliError(`unexpected argument ${positionals[0]}\n${USAGE}`);
  if (!values.env) throw new CliError(`--env is required\n${USAGE}`);
  if (!values.region) throw new CliError(`--region is required\n${USAGE}`);
  const given = (["disable", "enable", "primary"] as const).filter((k) => values[k] !== undefined);
  if (given.length !== 1) throw new CliError(`give exactly one of --disable, --enable, --primary\n${USAGE}`);
  let change: ToggleChange;
  if (values.disable !== undefined) change = { kind: "disable", model: values.disable };
  else if (values.enable !== undefined) change = { kind: "enable", model: values.enable };
  else {
    const spec = values.primary!;
    const eq = spec.indexOf("=");
    if (eq <= 0 || eq === spec.length - 1) throw new CliError(`--primary takes <task>=<model>, got "${spec}"`);
    change = { kind: "primary", task: spec.slice(0, eq), model: spec.slice(eq + 1) };
  }
  if (!change.model) throw new CliError("the model must not be empty");
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  if (values["timeout-ms"] !== undefined) {
    timeoutMs = Number(values["timeout-ms"]);
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new CliError(`--timeout-ms must be a positive integer, got "${values["timeout-ms"]}"`);
  }
  return { env: values.env, region: values.region, change, reason: values.reason, endpointUrl: values["endpoint-url"], timeoutMs };
}

/** An AWS-side failure (service error, network, credentials): reported in one line, exit 1, no stack trace. */
function awsFailure(e: unknown): string | undefined {
  if (!(e instanceof Error)) return undefined;
  const x = e as Error & { $metadata?: unknown; code?: string };
  if (x.$metadata !== undefined || x.name === "CredentialsProviderError" || x.name === "TimeoutError" || /^(E[A-Z]+|ERR_HTTP2_)/.test(x.code ?? "")) return `${x.name}: ${x.message}`;
  return undefined;
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
  const loaded = readEnvironmentFile(path.join(deps.configDir ?? "config", `${args.env}.json`), { today: deps.today });
  const env = loaded.plan;
  if (!env.config.regions.includes(args.region))
    throw new CliError(`${loaded.displayName} does not declare region ${args.region} (regions: ${env.config.regions.join(", ")})`);

  const appConfigNames = { application: names.appConfigApplication(args.env), environment: names.appConfigEnvironment(args.env), profile: names.appConfigProfile };
  const where = `${appConfigNames.application}/${appConfigNames.environment}/${appConfigNames.profile} in ${args.region}`;
  const aws = { region: args.region, endpointUrl: args.endpointUrl, credentials: deps.credentials };

  // 1. The document clients currently get.
  const data = appConfigDataClient(aws);
  let current;
  try {
    const polled = await new RoutingSource(data, appConfigNames, 15).poll();
    if (polled.kind === "failed") throw polled.error;
    if (polled.kind === "invalid") throw new ToggleRefused([`the deployed routing document (${where}) is invalid (${polled.reason}); fix it with cdktf deploy before toggling`]);
    if (polled.kind === "unchanged") throw new ToggleRefused([`no routing document is deployed to ${where}; run cdktf deploy first`]);
    current = polled;
  } finally {
    data.destroy();
  }
  io.out(`read the deployed routing document from ${where}${current.versionLabel ? ` (version ${current.versionLabel})` : ""}`);

  // 2. The change, and the local checks every AWS write waits for.
  const result = applyToggle(current.document, args.change);
  if (!result.changed) {
    io.out(`nothing to change: ${result.summary} is already in effect`);
    return 0;
  }
  const problems = documentValidator(env, args.region)(result.document);
  if (problems.length) throw new ToggleRefused([`${result.summary} fails validation for ${args.env}/${args.region} (what the baseline provisioned), nothing was written:`, ...problems.map((p) => `  ${p}`)]);
  io.out(`change: ${result.summary}${args.reason ? ` (reason: ${args.reason})` : ""}; validated against the routing schema and the ${args.env}/${args.region} JSON Schema`);

  // 3. Write and deploy.
  const control = appConfigClient(aws);
  try {
    const ids = await resolveIds(control, appConfigNames, args.region);
    const emergency = args.change.kind === "disable";
    const configured = env.config.appConfig.deploymentStrategy;
    const strategyName = emergency ? names.emergencyStrategy(args.env) : typeof configured === "string" ? configured : names.routineStrategy(args.env);
    const strategyId = await resolveStrategyId(control, strategyName, args.region);
    const lock = await latestVersionNumber(control, ids);
    const label = versionLabel(result.summary, args.reason);
    const description = versionDescription(result.summary, args.reason, undefined);
    let version: number;
    try {
      version = await createVersion(control, ids, JSON.stringify(result.document, null, 2), { latestVersionNumber: lock, versionLabel: label, description });
    } catch (e) {
      if ((e as Error).name === "ConflictException") throw new ToggleRefused([`someone created another routing version concurrently (expected latest ${lock}); rerun the toggle to apply the change on top of it`]);
      throw e;
    }
    io.out(`created hosted configuration version ${version} ("${label}")`);
    const number = await startDeployment(control, ids, version, strategyId, description);
    io.out(`deployment ${number} started with ${strategyName}${emergency ? " (emergency: all at once)" : " (routine)"}`);
    const { deployment, final } = await waitForDeployment(control, ids, number, {
      timeoutMs: args.timeoutMs,
      pollMs: deps.pollMs ?? DEFAULT_POLL_MS,
      onProgress: (d) => io.out(`deployment ${number}: ${d.State}${d.PercentageComplete !== undefined ? ` ${d.PercentageComplete}%` : ""}`),
    });
    if (!final) {
      io.err(`failed: deployment ${number} is still ${deployment.State} after ${args.timeoutMs} ms; it keeps going in AppConfig (check it with: aws appconfig get-deployment --application-id ${ids.applicationId} --environment-id ${ids.environmentId} --deployment-number ${number} --region ${args.region})`);
      return 1;
    }
    if (deployment.State === "COMPLETE") {
      io.out(`deployed: ${result.summary} is live in ${args.env}/${args.region} (version ${version}, deployment ${number}); clients pick it up on their next poll`);
      return 0;
    }
    const alarms = rollbackAlarms(deployment.EventLog);
    const by = alarms.length ? ` by alarm ${alarms.map((a) => (alarmName(a) === a ? a : `${alarmName(a)} (${a})`)).join(", ")}` : "";
    io.err(`failed: deployment ${number} ended ${deployment.State}${by}; the previous routing document stays live`);
    return 1;
  } finally {
    control.destroy();
  }
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
