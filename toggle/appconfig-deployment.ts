import {
  AppConfigClient,
  CreateHostedConfigurationVersionCommand,
  DeleteHostedConfigurationVersionCommand,
  type DeploymentSummary,
  GetDeploymentCommand,
  GetHostedConfigurationVersionCommand,
  ListApplicationsCommand,
  ListConfigurationProfilesCommand,
  ListDeploymentStrategiesCommand,
  ListEnvironmentsCommand,
  ListDeploymentsCommand,
  ListHostedConfigurationVersionsCommand,
  StartDeploymentCommand,
  type DeploymentEvent,
  type GetDeploymentCommandOutput,
} from "@aws-sdk/client-appconfig";

import { listAllPages } from "../cli/paged-listing";

/**
 * AppConfig control-plane writes for the toggle: resolve names to IDs, create a hosted version under the optimistic
 * lock, start a deployment, wait for its end. Terraform owns the application, profile and strategies (invariant 6);
 * this only adds versions and deployments.
 */

export interface AppConfigNames {
  readonly application: string;
  readonly environment: string;
  readonly profile: string;
}

export interface AppConfigIds {
  readonly applicationId: string;
  readonly environmentId: string;
  readonly profileId: string;
}

/** Something the control plane lacks (not deployed yet, wrong region): a failure the user fixes, exit 1. */
export class AppConfigMissing extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AppConfigMissing";
  }
}

/** The first item named `name` across the pages of a List call (cli/paged-listing.ts ends a cycling listing). */
async function findByName<T extends { Name?: string; Id?: string }>(list: (token?: string) => Promise<{ Items?: T[]; NextToken?: string }>, name: string): Promise<T | undefined> {
  const { items } = await listAllPages((token) => list(token).then((p) => ({ items: p.Items, nextToken: p.NextToken })), { until: (i) => i.Name === name });
  return items.find((i) => i.Name === name);
}

/** Names to IDs (the control plane takes IDs only). */
export async function resolveIds(client: AppConfigClient, names: AppConfigNames, region: string): Promise<AppConfigIds> {
  const app = await findByName((NextToken) => client.send(new ListApplicationsCommand({ NextToken })), names.application);
  if (!app?.Id) throw new AppConfigMissing(`AppConfig application ${names.application} not found in ${region}: deploy the region stack (cdktf deploy) first`);
  const env = await findByName((NextToken) => client.send(new ListEnvironmentsCommand({ ApplicationId: app.Id, NextToken })), names.environment);
  if (!env?.Id) throw new AppConfigMissing(`AppConfig environment ${names.environment} not found in application ${names.application} (${region})`);
  const profile = await findByName((NextToken) => client.send(new ListConfigurationProfilesCommand({ ApplicationId: app.Id, NextToken })), names.profile);
  if (!profile?.Id) throw new AppConfigMissing(`AppConfig configuration profile ${names.profile} not found in application ${names.application} (${region})`);
  return { applicationId: app.Id, environmentId: env.Id, profileId: profile.Id };
}

/** A strategy's ID by name; predefined `AppConfig.*` names are accepted as IDs when not listed. */
export async function resolveStrategyId(client: AppConfigClient, name: string, region: string): Promise<string> {
  const s = await findByName((NextToken) => client.send(new ListDeploymentStrategiesCommand({ NextToken })), name);
  if (s?.Id) return s.Id;
  if (name.startsWith("AppConfig.")) return name;
  throw new AppConfigMissing(`deployment strategy ${name} not found in ${region}: deploy the region stack (cdktf deploy), which creates it`);
}

/** Deployment states in which AppConfig is still moving the environment (one deployment at a time per environment). */
export const IN_PROGRESS_STATES: ReadonlySet<string> = new Set(["DEPLOYING", "BAKING", "VALIDATING", "ROLLING_BACK"]);

async function listAll<T>(list: (token?: string) => Promise<{ Items?: T[]; NextToken?: string }>): Promise<T[]> {
  return (await listAllPages((token) => list(token).then((p) => ({ items: p.Items, nextToken: p.NextToken })), { maxPages: 200 })).items;
}

/** A hosted version of the profile, as listed. */
export interface HostedVersionRef {
  readonly versionNumber: number;
  readonly versionLabel?: string;
}

/**
 * What a change must be computed from: the content of the version clients get now, read through the control plane
 * (the environment's newest COMPLETE deployment of the profile -> its configuration version ->
 * GetHostedConfigurationVersion), with the two optimistic locks that guard writing on top of it.
 */
export interface DeployedRouting {
  /** Newest deployment of the environment, any state or profile: StartDeployment's LatestDeploymentNumber. */
  readonly latestDeploymentNumber: number;
  /** That deployment, if it is still running (nothing may be written then). */
  readonly inProgress?: { readonly number: number; readonly state: string; readonly version?: string };
  /** The deployment that put the live version in place; undefined when nothing was ever deployed completely. */
  readonly deployment?: { readonly number: number; readonly version: HostedVersionRef; readonly content: string };
  /** Newest hosted version of the profile: CreateHostedConfigurationVersion's LatestVersionNumber. */
  readonly latestVersion?: HostedVersionRef;
  /** Versions newer than the live one that no deployment of this environment ever tried (someone's unfinished write). */
  readonly undeployed: readonly HostedVersionRef[];
}

/** Reads the deployed routing version and the locks (ListDeployments, GetHostedConfigurationVersion, ListHostedConfigurationVersions). */
export async function readDeployedRouting(client: AppConfigClient, ids: AppConfigIds): Promise<DeployedRouting> {
  const deployments = (await listAll((NextToken) => client.send(new ListDeploymentsCommand({ ApplicationId: ids.applicationId, EnvironmentId: ids.environmentId, NextToken }))))
    .filter((d): d is DeploymentSummary & { DeploymentNumber: number } => typeof d.DeploymentNumber === "number")
    .sort((a, b) => b.DeploymentNumber - a.DeploymentNumber);
  const newest = deployments[0];
  const latestDeploymentNumber = newest?.DeploymentNumber ?? 0;
  const inProgress = newest && IN_PROGRESS_STATES.has(newest.State ?? "") ? { number: newest.DeploymentNumber, state: newest.State!, ...(newest.ConfigurationVersion ? { version: newest.ConfigurationVersion } : {}) } : undefined;
  // ListDeployments names the profile by ID (and name); deployments of other profiles of the environment do not count.
  const ours = deployments.filter((d) => d.ConfigurationProfileId === undefined || d.ConfigurationProfileId === ids.profileId);
  const versions = await listAll((NextToken) => client.send(new ListHostedConfigurationVersionsCommand({ ApplicationId: ids.applicationId, ConfigurationProfileId: ids.profileId, NextToken })));
  const refs: HostedVersionRef[] = versions
    .filter((v) => typeof v.VersionNumber === "number")
    .map((v) => ({ versionNumber: v.VersionNumber!, ...(v.VersionLabel ? { versionLabel: v.VersionLabel } : {}) }))
    .sort((a, b) => b.versionNumber - a.versionNumber);
  const latestVersion = refs[0];
  const numberOf = (configurationVersion: string | undefined): number | undefined => {
    if (configurationVersion === undefined) return undefined;
    // StartDeployment accepts a version number or label; ListDeployments reports what was deployed.
    if (/^\d+$/.test(configurationVersion)) return Number(configurationVersion);
    return refs.find((r) => r.versionLabel === configurationVersion)?.versionNumber;
  };
  const live = ours.find((d) => d.State === "COMPLETE" && numberOf(d.ConfigurationVersion) !== undefined);
  if (!live) return { latestDeploymentNumber, ...(inProgress ? { inProgress } : {}), ...(latestVersion ? { latestVersion } : {}), undeployed: [] };
  const liveNumber = numberOf(live.ConfigurationVersion)!;
  const tried = new Set(ours.map((d) => numberOf(d.ConfigurationVersion)).filter((n): n is number => n !== undefined));
  const undeployed = refs.filter((r) => r.versionNumber > liveNumber && !tried.has(r.versionNumber));
  const got = await client.send(new GetHostedConfigurationVersionCommand({ ApplicationId: ids.applicationId, ConfigurationProfileId: ids.profileId, VersionNumber: liveNumber }));
  const content = got.Content ? Buffer.from(got.Content).toString("utf8") : "";
  const version: HostedVersionRef = { versionNumber: liveNumber, ...(got.VersionLabel ? { versionLabel: got.VersionLabel } : {}) };
  return { latestDeploymentNumber, ...(inProgress ? { inProgress } : {}), deployment: { number: live.DeploymentNumber, version, content }, ...(latestVersion ? { latestVersion } : {}), undeployed };
}

/** Best-effort removal of a version this toggle created but could not deploy; returns why it failed, if it did. */
export async function deleteVersion(client: AppConfigClient, ids: AppConfigIds, versionNumber: number): Promise<string | undefined> {
  try {
    await client.send(new DeleteHostedConfigurationVersionCommand({ ApplicationId: ids.applicationId, ConfigurationProfileId: ids.profileId, VersionNumber: versionNumber }));
    return undefined;
  } catch (e) {
    return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
}

export async function createVersion(
  client: AppConfigClient,
  ids: AppConfigIds,
  content: string,
  options: { readonly latestVersionNumber?: number; readonly versionLabel: string; readonly description: string },
): Promise<number> {
  const r = await client.send(
    new CreateHostedConfigurationVersionCommand({
      ApplicationId: ids.applicationId,
      ConfigurationProfileId: ids.profileId,
      Content: Buffer.from(content, "utf8"),
      ContentType: "application/json",
      VersionLabel: options.versionLabel,
      Description: options.description,
      ...(options.latestVersionNumber === undefined ? {} : { LatestVersionNumber: options.latestVersionNumber }),
    }),
  );
  if (r.VersionNumber === undefined) throw new Error("CreateHostedConfigurationVersion returned no VersionNumber");
  return r.VersionNumber;
}

/** How a deployment starts besides what it deploys. */
export interface DeploymentOptions {
  readonly description: string;
  /** AppConfig refuses the deployment if another started since this number. Default: no lock. */
  readonly latestDeploymentNumber?: number;
  /** The key AppConfig encrypts its copy of the deployed data with. Default: AppConfig's own key. */
  readonly kmsKeyIdentifier?: string;
}

/** Starts the deployment of `version` with `strategyId`. */
export async function startDeployment(client: AppConfigClient, ids: AppConfigIds, version: number, strategyId: string, options: DeploymentOptions): Promise<number> {
  const { description, latestDeploymentNumber, kmsKeyIdentifier } = options;
  const r = await client.send(
    new StartDeploymentCommand({
      ApplicationId: ids.applicationId,
      EnvironmentId: ids.environmentId,
      ConfigurationProfileId: ids.profileId,
      ConfigurationVersion: String(version),
      DeploymentStrategyId: strategyId,
      Description: description,
      ...(latestDeploymentNumber === undefined ? {} : { LatestDeploymentNumber: latestDeploymentNumber }),
      ...(kmsKeyIdentifier === undefined ? {} : { KmsKeyIdentifier: kmsKeyIdentifier }),
    }),
  );
  if (r.DeploymentNumber === undefined) throw new Error("StartDeployment returned no DeploymentNumber");
  return r.DeploymentNumber;
}

export const FINAL_STATES: ReadonlySet<string> = new Set(["COMPLETE", "ROLLED_BACK", "REVERTED"]);

export interface WaitOptions {
  readonly timeoutMs: number;
  /** Between GetDeployment calls. */
  readonly pollMs: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Called when state or percentage changes. */
  readonly onProgress?: (d: GetDeploymentCommandOutput) => void;
}

/** Polls GetDeployment until a final state or the timeout; returns the last view and whether it is final. */
export async function waitForDeployment(client: AppConfigClient, ids: AppConfigIds, deploymentNumber: number, o: WaitOptions): Promise<{ deployment: GetDeploymentCommandOutput; final: boolean }> {
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const until = now() + o.timeoutMs;
  let seen = "";
  for (;;) {
    const d = await client.send(new GetDeploymentCommand({ ApplicationId: ids.applicationId, EnvironmentId: ids.environmentId, DeploymentNumber: deploymentNumber }));
    const key = `${d.State}:${d.PercentageComplete}`;
    if (key !== seen) {
      seen = key;
      o.onProgress?.(d);
    }
    if (d.State && FINAL_STATES.has(d.State)) return { deployment: d, final: true };
    const left = until - now();
    if (left <= 0) return { deployment: d, final: false };
    await sleep(Math.min(o.pollMs, left));
  }
}

/** CloudWatch alarm ARNs that triggered a rollback, from a deployment's event log. */
export function rollbackAlarms(events: readonly DeploymentEvent[] | undefined): string[] {
  const arns = new Set<string>();
  for (const e of events ?? []) {
    const text = e.Description ?? "";
    const found = text.match(/arn:aws[\w-]*:cloudwatch:[a-z0-9-]+:\d{12}:alarm:[^\s,;)]+/g) ?? [];
    for (const a of found) arns.add(a.replace(/[.]$/, ""));
    if (e.TriggeredBy === "CLOUDWATCH_ALARM" && found.length === 0 && text) arns.add(text);
  }
  return [...arns];
}

/** `arn:aws:cloudwatch:us-east-1:1:alarm:name` -> `name`. */
export function alarmName(arnOrText: string): string {
  const m = /:alarm:(.+)$/.exec(arnOrText);
  return m ? m[1] : arnOrText;
}
