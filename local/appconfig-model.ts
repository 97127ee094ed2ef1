import type { DeploymentClock, DeploymentEventView, DeploymentStateName } from "./appconfig-deployments";
import type { Strategy, StrategySeed } from "./appconfig-strategies";

/*
 * The local AppConfig's data: what a seed creates, the resources both planes read (applications, environments,
 * profiles, hosted versions, deployments), the errors the store raises and the views tests read. The behaviour is
 * in appconfig-store.ts.
 */

/** One hosted configuration to create (with version 1 deployed) through `seedAppConfig`. */
export interface AppConfigSeed {
  region: string;
  /** Application name. */
  application: string;
  /** Environment name. */
  environment: string;
  /** Configuration profile name (hosted, AWS.Freeform). */
  profile: string;
  /** Content of hosted version 1. */
  content: string;
  /** Default: application/json. */
  contentType?: string;
  /** Draft-04 JSON schema text, attached as the profile's JSON_SCHEMA validator. */
  jsonSchema?: string;
  /** CloudWatch alarm ARNs monitored by the environment. */
  monitors?: string[];
  /** VersionLabel of hosted version 1. */
  versionLabel?: string;
  /** Custom deployment strategies to create in `region` (idempotent per name: an existing one is reused untouched). */
  strategies?: StrategySeed[];
}

/** IDs assigned to the seeded (or already existing) resources. */
export interface SeededAppConfig {
  applicationId: string;
  environmentId: string;
  profileId: string;
  /** Strategy name -> ID, for the `strategies` of the seed (empty when it had none). */
  strategyIds: Record<string, string>;
}

/** Makes the next matching StartDeployment end in ROLLED_BACK, triggered by `alarmArn`. */
export interface RollbackScript {
  /** Default: any region. */
  region?: string;
  /** Application name or ID; default: any application. */
  application?: string;
  alarmArn: string;
}

/** Test-facing snapshot of one deployment, state evaluated at read time. */
export interface DeploymentView {
  region: string;
  applicationId: string;
  environmentId: string;
  profileId: string;
  deploymentNumber: number;
  configurationVersion: number;
  strategyId: string;
  state: DeploymentStateName;
  /** Newest first, as AppConfig lists it. */
  eventLog: DeploymentEventView[];
  startedAt: string;
  completedAt?: string;
  description?: string;
  kmsKeyIdentifier?: string;
}

/** Test-facing snapshot of one hosted configuration version. */
export interface HostedVersionView {
  region: string;
  applicationId: string;
  profileId: string;
  versionNumber: number;
  content: string;
  contentType: string;
  versionLabel?: string;
  description?: string;
}

/** A strategy created through CreateDeploymentStrategy or a seed: regional, like every AppConfig resource. */
export interface CustomStrategy {
  region: string;
  strategy: Strategy;
}

export interface HostedVersion {
  versionNumber: number;
  content: Buffer;
  contentType: string;
  description?: string;
  versionLabel?: string;
}

export interface Validator {
  Type: "JSON_SCHEMA" | "LAMBDA";
  Content: string;
}

export interface Profile {
  id: string;
  name: string;
  validators: Validator[];
  versions: HostedVersion[];
}

export interface Deployment extends DeploymentClock {
  number: number;
  profile: Profile;
  version: HostedVersion;
  strategy: Strategy;
  description?: string;
  /** StartDeployment's KmsKeyIdentifier, as given. */
  kmsKeyIdentifier?: string;
}

export interface Environment {
  id: string;
  name: string;
  monitors: Array<{ AlarmArn: string }>;
  deployments: Deployment[];
}

export interface Application {
  id: string;
  name: string;
  region: string;
  environments: Environment[];
  profiles: Profile[];
}

/** Errors raised by the store; the control plane maps them onto AppConfig error shapes. */
export class AppConfigError extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const notFound = (what: string, id: string): AppConfigError =>
  new AppConfigError(404, "ResourceNotFoundException", `${what} ${id} not found`, { ResourceName: id });

