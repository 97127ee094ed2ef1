import * as path from "node:path";
import { type AppConfigClient, GetHostedConfigurationVersionCommand, ListDeploymentsCommand } from "@aws-sdk/client-appconfig";
import { checkEnvName, checkRegionName, parseEndpointUrl, positiveInt } from "../cli/argument-values";
import { appConfigClient } from "../cli/aws-clients";
import { requireCredentials } from "../cli/aws-endpoints";
import { boundClient } from "../cli/bounded-client";
import type { CommandIo } from "../cli/command-io";
import { parseCommandLine } from "../cli/command-line";
import { Deadline } from "../cli/deadline";
import { readEnvironmentFile } from "../cli/environment-files";
import { noteNodeSupport } from "../cli/node-support";
import { CliError } from "../cli/user-error";
import { names } from "../core/aws";
import type { BaselinePlan } from "../core/environment";
import { displayText } from "../core/problems";
import { buildRoutingDocument, type DeploymentRecord, routeStatuses, toggledChanges } from "../core/routing";
import { parseRoutingDocument, type RoutingDocument } from "../core/runtime";
import { AppConfigMissing, IN_PROGRESS_STATES, readDeployedRouting, resolveIds } from "./appconfig-deployment";
import { regionStatusLines, type RegionStatus } from "./status-report";

export const STATUS_USAGE = `usage: bedrock-baseline status --env NAME [--region R]... [--json] [--history N] [--config-dir DIR] [--endpoint-url URL]

What the routing toggle has made of each region now, read from AppConfig: per route, who answers a request (the
canary's share first, then the primary and fallbacks, disabled models skipped), each canary and how long it has been
live, the deployment in progress if any, and what toggles changed against the stack's own routing document. Reads
only; changes nothing.

Options:
  --env NAME            the environment (config/NAME.json)                                          required
  --region R            only this region (repeatable); default every region of the environment
  --json                one JSON object per region instead of the report
  --history N           deployments read back to date the canaries, 1-50; default 20
  --config-dir DIR      where NAME.json is; default $BEDROCK_CONFIG_DIR, else config
  --endpoint-url URL    send every AppConfig call there (the local stand-in); default AWS
  --timeout-ms MS       the whole command; default 60000
  --call-timeout-ms MS  one AppConfig call; default 10000
  -h, --help            this text

Exit 0 every region read, 1 a region could not be read (not deployed, access denied, no answer), 2 usage.
Needs appconfig:List*, GetHostedConfigurationVersion (docs/operations.md, "Permissions operators need").`;

interface StatusArgs {
  readonly env: string;
  readonly regions: readonly string[];
  readonly json: boolean;
  readonly history: number;
  readonly configDir: string;
  readonly endpointUrl?: string;
  readonly timeoutMs: number;
  readonly callTimeoutMs: number;
}

function parseStatusArgs(argv: readonly string[], env: NodeJS.ProcessEnv): StatusArgs | "help" {
  const { values } = parseCommandLine({
    args: argv,
    allowPositionals: false,
    options: {
      env: { type: "string" },
      region: { type: "string", multiple: true },
      json: { type: "boolean" },
      history: { type: "string" },
      "config-dir": { type: "string" },
      "endpoint-url": { type: "string" },
      "timeout-ms": { type: "string" },
      "call-timeout-ms": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return "help";
  if (values.env === undefined) throw new CliError("--env is required: bedrock-baseline status --env dev (see --help)", 2);
  return {
    env: checkEnvName(values.env),
    regions: [...new Set((values.region ?? []).map((r) => checkRegionName(r)))],
    json: values.json === true,
    history: positiveInt(values.history, "--history", 20, 50),
    configDir: values["config-dir"] ?? (env.BEDROCK_CONFIG_DIR || "config"),
    ...(values["endpoint-url"] !== undefined ? { endpointUrl: parseEndpointUrl(values["endpoint-url"]).url } : {}),
    timeoutMs: positiveInt(values["timeout-ms"], "--timeout-ms", 60_000, 3_600_000),
    callTimeoutMs: positiveInt(values["call-timeout-ms"], "--call-timeout-ms", 10_000, 600_000),
  };
}

/** The newest `n` deployments of the environment (ListDeployments answers newest first), the routing profile's only. */
async function recentDeployments(client: AppConfigClient, ids: { applicationId: string; environmentId: string; profileId: string }, n: number): Promise<DeploymentRecord[]> {
  const page = await client.send(new ListDeploymentsCommand({ ApplicationId: ids.applicationId, EnvironmentId: ids.environmentId, MaxResults: n }));
  return (page.Items ?? [])
    .filter((d) => typeof d.DeploymentNumber === "number" && (d.ConfigurationProfileId === undefined || d.ConfigurationProfileId === ids.profileId))
    .sort((a, b) => b.DeploymentNumber! - a.DeploymentNumber!)
    .slice(0, n)
    .map((d) => ({
      number: d.DeploymentNumber!,
      state: d.State ?? "UNKNOWN",
      ...(d.ConfigurationVersion ? { version: d.ConfigurationVersion } : {}),
      ...(d.StartedAt ? { startedAt: new Date(d.StartedAt).toISOString() } : {}),
      ...(d.CompletedAt ? { completedAt: new Date(d.CompletedAt).toISOString() } : {}),
      ...(typeof d.PercentageComplete === "number" ? { percentComplete: d.PercentageComplete } : {}),
    }));
}

/** The documents of the COMPLETE deployments (each version read once), to date the canaries. */
async function withDocuments(client: AppConfigClient, ids: { applicationId: string; profileId: string }, history: DeploymentRecord[]): Promise<DeploymentRecord[]> {
  const read = new Map<string, RoutingDocument | undefined>();
  const out: DeploymentRecord[] = [];
  for (const d of history) {
    if (d.state !== "COMPLETE" || !d.version || !/^\d+$/.test(d.version)) {
      out.push(d);
      continue;
    }
    if (!read.has(d.version)) {
      const got = await client.send(new GetHostedConfigurationVersionCommand({ ApplicationId: ids.applicationId, ConfigurationProfileId: ids.profileId, VersionNumber: Number(d.version) }));
      const parsed = parseRoutingDocument(got.Content ? Buffer.from(got.Content).toString("utf8") : "");
      read.set(d.version, typeof parsed === "string" ? undefined : parsed);
    }
    const document = read.get(d.version);
    out.push(document ? { ...d, document } : d);
  }
  return out;
}

/** Everything status says about one region; a region that cannot be read says why instead. */
async function regionStatus(plan: BaselinePlan, region: string, args: StatusArgs, deadline: Deadline): Promise<RegionStatus> {
  const raw = appConfigClient({ region, ...(args.endpointUrl ? { endpointUrl: args.endpointUrl } : {}) });
  const client = boundClient(raw, { deadline, callTimeoutMs: args.callTimeoutMs });
  try {
    await requireCredentials(raw, deadline.callSignal(args.callTimeoutMs));
    const appNames = { application: names.appConfigApplication(plan.config.name), environment: names.appConfigEnvironment(plan.config.name), profile: names.appConfigProfile };
    const ids = await resolveIds(client, appNames, region);
    const deployed = await readDeployedRouting(client, ids);
    if (!deployed.deployment) return { region, problem: `no routing document is deployed to ${appNames.application} in ${region}: deploy the region stack` };
    const live = parseRoutingDocument(deployed.deployment.content);
    if (typeof live === "string") return { region, problem: `the deployed routing document (version ${deployed.deployment.version.versionNumber}) is invalid: ${displayText(live, 200)}` };
    const history = await withDocuments(client, ids, await recentDeployments(client, ids, args.history));
    return {
      region,
      version: deployed.deployment.version.versionNumber,
      deploymentNumber: deployed.deployment.number,
      routes: routeStatuses(live, history),
      inProgress: history.filter((d) => IN_PROGRESS_STATES.has(d.state)),
      toggled: toggledChanges(buildRoutingDocument(plan, region), live),
    };
  } catch (err) {
    if (err instanceof CliError) throw err;
    if (err instanceof AppConfigMissing) return { region, problem: err.message };
    const e = err as Error;
    return { region, problem: displayText(`${e.name}: ${e.message}`, 300) };
  } finally {
    raw.destroy();
  }
}

/** `bedrock-baseline status` (and `npm run toggle:status`); returns the exit code. */
export async function statusCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const args = parseStatusArgs(argv, io.env);
  if (args === "help") {
    io.stdout(STATUS_USAGE);
    return 0;
  }
  const { plan, displayName } = readEnvironmentFile(path.join(args.configDir, `${args.env}.json`));
  const unknown = args.regions.filter((r) => !plan.config.regions.includes(r));
  if (unknown.length) throw new CliError(`${displayName} does not declare ${unknown.join(", ")} (regions: ${plan.config.regions.join(", ")})`, 2);
  noteNodeSupport(io.stderr, io.env);
  const deadline = new Deadline(args.timeoutMs);
  try {
    const regions = args.regions.length ? args.regions : plan.config.regions;
    const statuses: RegionStatus[] = [];
    for (const region of regions) statuses.push(await regionStatus(plan, region, args, deadline));
    const now = Date.now();
    if (args.json) for (const s of statuses) io.stdout(JSON.stringify({ environment: args.env, ...s }));
    else for (const s of statuses) for (const line of regionStatusLines(args.env, s, now)) io.stdout(line);
    const failed = statuses.filter((s) => s.problem);
    for (const s of failed) io.stderr(`status: ${args.env}/${s.region}: ${s.problem}`);
    return failed.length ? 1 : 0;
  } finally {
    deadline.dispose();
  }
}
