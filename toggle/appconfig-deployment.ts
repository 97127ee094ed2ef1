import {
  AppConfigClient,
  CreateHostedConfigurationVersionCommand,
  GetDeploymentCommand,
  ListApplicationsCommand,
  ListConfigurationProfilesCommand,
  ListDeploymentStrategiesCommand,
  ListEnvironmentsCommand,
  ListHostedConfigurationVersionsCommand,
  StartDeploymentCommand,
  type DeploymentEvent,
  type GetDeploymentCommandOutput,
} from "@aws-sdk/client-appconfig";

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

async function findByName<T extends { Name?: string; Id?: string }>(list: (token?: string) => Promise<{ Items?: T[]; NextToken?: string }>, name: string): Promise<T | undefined> {
  let token: string | undefined;
  do {
    const page = await list(token);
    const hit = page.Items?.find((i) => i.Name === name);
    if (hit) return hit;
    token = page.NextToken;
  } while (token);
  return undefined;
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

/** Highest hosted version number of the profile (the optimistic-lock token), undefined when none exists. */
export async function latestVersionNumber(client: AppConfigClient, ids: AppConfigIds): Promise<number | undefined> {
  let latest: number | undefined;
  let token: string | undefined;
  do {
    const page = await client.send(new ListHostedConfigurationVersionsCommand({ ApplicationId: ids.applicationId, ConfigurationProfileId: ids.profileId, NextToken: token }));
    for (const v of page.Items ?? []) if (v.VersionNumber !== undefined && (latest === undefined || v.VersionNumber > latest)) latest = v.VersionNumber;
    token = page.NextToken;
  } while (token);
  return latest;
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

export async function startDeployment(client: AppConfigClient, ids: AppConfigIds, version: number, strategyId: string, description: string): Promise<number> {
  const r = await client.send(
    new StartDeploymentCommand({
      ApplicationId: ids.applicationId,
      EnvironmentId: ids.environmentId,
      ConfigurationProfileId: ids.profileId,
      ConfigurationVersion: String(version),
      DeploymentStrategyId: strategyId,
      Description: description,
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
