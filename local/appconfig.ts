import { createHash, randomBytes } from "node:crypto";
import type { CallRecord } from "./call-log";
import { compileSchema, validateContent } from "./json-schema-validator";
import { bytesReply, isRecord, jsonError, jsonReply, paginate, type WireReply, type WireRequest } from "./wire";

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

/** A custom deployment strategy, as CreateDeploymentStrategy takes it (ReplicateTo NONE). */
export interface StrategySeed {
  name: string;
  deploymentDurationInMinutes: number;
  growthFactor: number;
  /** Default: LINEAR (as AWS). */
  growthType?: "LINEAR" | "EXPONENTIAL";
  /** Default: 0 (as AWS). */
  finalBakeTimeInMinutes?: number;
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

export type DeploymentStateName = "DEPLOYING" | "BAKING" | "COMPLETE" | "ROLLING_BACK" | "ROLLED_BACK" | "REVERTED";

export interface DeploymentEventView {
  EventType: string;
  TriggeredBy: "USER" | "APPCONFIG" | "CLOUDWATCH_ALARM" | "INTERNAL_ERROR";
  Description: string;
  OccurredAt: string;
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

interface Strategy {
  Id: string;
  Name: string;
  Description?: string;
  DeploymentDurationInMinutes: number;
  GrowthType: "LINEAR" | "EXPONENTIAL";
  GrowthFactor: number;
  FinalBakeTimeInMinutes: number;
  ReplicateTo: "NONE" | "SSM_DOCUMENT";
}

/** A strategy created through CreateDeploymentStrategy or a seed: regional, like every AppConfig resource. */
interface CustomStrategy {
  region: string;
  strategy: Strategy;
}

/** AppConfig's limit on custom deployment strategies (per account and region). */
export const MAX_CUSTOM_STRATEGIES = 20;

interface HostedVersion {
  versionNumber: number;
  content: Buffer;
  contentType: string;
  description?: string;
  versionLabel?: string;
}

interface Validator {
  Type: "JSON_SCHEMA" | "LAMBDA";
  Content: string;
}

interface Profile {
  id: string;
  name: string;
  validators: Validator[];
  versions: HostedVersion[];
}

interface Deployment {
  number: number;
  profile: Profile;
  version: HostedVersion;
  strategy: Strategy;
  description?: string;
  startedAt: number;
  durationMs: number;
  rollbackAlarm?: string;
  stop?: { at: number; revert: boolean };
}

interface Environment {
  id: string;
  name: string;
  monitors: Array<{ AlarmArn: string }>;
  deployments: Deployment[];
}

interface Application {
  id: string;
  name: string;
  region: string;
  environments: Environment[];
  profiles: Profile[];
}

const ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** Random 7-char lowercase alphanumerics, the shape of real AppConfig IDs. */
function newId(): string {
  const bytes = randomBytes(7);
  let out = "";
  for (const b of bytes) out += ID_ALPHABET[b % ID_ALPHABET.length];
  return out;
}

function stableId(name: string): string {
  const digest = createHash("sha256").update(name).digest();
  let out = "";
  for (let i = 0; i < 7; i++) out += ID_ALPHABET[digest[i] % ID_ALPHABET.length];
  return out;
}

function predefined(
  name: string,
  description: string,
  minutes: number,
  growthType: Strategy["GrowthType"],
  factor: number,
  bake: number,
): Strategy {
  return {
    Id: stableId(name),
    Name: name,
    Description: description,
    DeploymentDurationInMinutes: minutes,
    GrowthType: growthType,
    GrowthFactor: factor,
    FinalBakeTimeInMinutes: bake,
    ReplicateTo: "NONE",
  };
}

/** AppConfig's predefined strategies; usable by ID or by name in StartDeployment (custom ones by ID only). */
export const PREDEFINED_STRATEGIES: readonly Strategy[] = [
  predefined("AppConfig.AllAtOnce", "Quick", 0, "LINEAR", 100, 10),
  predefined("AppConfig.Linear50PercentEvery30Seconds", "Test/Demo", 1, "LINEAR", 50, 1),
  predefined("AppConfig.Linear20PercentEvery6Minutes", "AWS Recommended", 30, "LINEAR", 20, 30),
  predefined("AppConfig.Canary10Percent20Minutes", "AWS Recommended", 20, "EXPONENTIAL", 10, 10),
];

const IN_FLIGHT: ReadonlySet<DeploymentStateName> = new Set(["DEPLOYING", "BAKING", "ROLLING_BACK"]);

interface Timeline {
  state: DeploymentStateName;
  events: DeploymentEventView[];
  percentage: number;
  completedAt?: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Deployment state is a pure function of elapsed time, so nothing needs timers (and `close()` has none to clear):
 * the first half of the duration is DEPLOYING, the second BAKING, then COMPLETE. A scripted rollback replaces
 * BAKING with ROLLING_BACK and ends in ROLLED_BACK.
 */
function timeline(d: Deployment, now: number): Timeline {
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

function pct(d: Deployment, now: number): number {
  return d.durationMs <= 0 ? 100 : Math.min(100, Math.round(((now - d.startedAt) / (d.durationMs / 2)) * 100));
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

const notFound = (what: string, id: string): AppConfigError =>
  new AppConfigError(404, "ResourceNotFoundException", `${what} ${id} not found`, { ResourceName: id });

/** Applications, custom strategies, hosted versions and deployments for every region; shared by both planes. */
export class AppConfigStore {
  private readonly apps: Application[] = [];
  private readonly custom: CustomStrategy[] = [];
  private rollbacks: RollbackScript[] = [];

  constructor(private readonly deploymentDurationMs: () => number) {}

  // --- lookups -----------------------------------------------------------------------------------------------

  /** Control-plane paths take IDs only, as in AWS; the data plane also accepts names. */
  app(region: string, ident: string, byName = false): Application {
    const app =
      this.apps.find((a) => a.region === region && a.id === ident) ??
      (byName ? this.apps.find((a) => a.region === region && a.name === ident) : undefined);
    if (!app) throw notFound("Application", ident);
    return app;
  }

  env(app: Application, ident: string, byName = false): Environment {
    const env = app.environments.find((e) => e.id === ident) ?? (byName ? app.environments.find((e) => e.name === ident) : undefined);
    if (!env) throw notFound("Environment", ident);
    return env;
  }

  profile(app: Application, ident: string, byName = false): Profile {
    const p = app.profiles.find((x) => x.id === ident) ?? (byName ? app.profiles.find((x) => x.name === ident) : undefined);
    if (!p) throw notFound("ConfigurationProfile", ident);
    return p;
  }

  listApps(region: string): Application[] {
    return this.apps.filter((a) => a.region === region);
  }

  /** Predefined strategies first, then the region's custom ones in creation order. */
  listStrategies(region: string): Strategy[] {
    return [...PREDEFINED_STRATEGIES, ...this.custom.filter((c) => c.region === region).map((c) => c.strategy)];
  }

  /**
   * A strategy by ID, or by name when `byName` (predefined names always work, as in AWS). Custom names are not
   * unique in AWS; the first one created wins here.
   */
  strategy(region: string, ident: string, byName = false): Strategy {
    const custom = this.custom.filter((c) => c.region === region).map((c) => c.strategy);
    const s =
      PREDEFINED_STRATEGIES.find((x) => x.Id === ident || x.Name === ident) ??
      custom.find((x) => x.Id === ident) ??
      (byName ? custom.find((x) => x.Name === ident) : undefined);
    if (!s) throw notFound("DeploymentStrategy", ident);
    return s;
  }

  /** The hosted version clients get: newest deployment of that profile that reached BAKING (100%) or COMPLETE. */
  live(env: Environment, profile: Profile, now = Date.now()): HostedVersion | undefined {
    for (let i = env.deployments.length - 1; i >= 0; i--) {
      const d = env.deployments[i];
      if (d.profile !== profile) continue;
      const state = timeline(d, now).state;
      if (state === "BAKING" || state === "COMPLETE") return d.version;
    }
    return undefined;
  }

  envState(env: Environment): string {
    const last = env.deployments[env.deployments.length - 1];
    if (!last) return "READY_FOR_DEPLOYMENT";
    const state = timeline(last, Date.now()).state;
    if (state === "DEPLOYING" || state === "BAKING") return "DEPLOYING";
    return state === "COMPLETE" ? "READY_FOR_DEPLOYMENT" : state;
  }

  // --- seeding and scripting -----------------------------------------------------------------------------------

  /**
   * Idempotent per names: existing app/env/profile and strategies are reused untouched; a profile new to an env gets
   * deployed. Nothing is created when the schema or the strategy quota refuses the seed.
   */
  seed(seed: AppConfigSeed): SeededAppConfig {
    if (seed.jsonSchema !== undefined) compileSchema(seed.jsonSchema);
    const existing = (name: string) => this.custom.find((c) => c.region === seed.region && c.strategy.Name === name)?.strategy;
    const inRegion = this.custom.filter((c) => c.region === seed.region).length;
    const added = (seed.strategies ?? []).filter((st) => !existing(st.name)).length;
    if (added > 0 && inRegion + added > MAX_CUSTOM_STRATEGIES) {
      throw new AppConfigError(
        402,
        "ServiceQuotaExceededException",
        `${inRegion + added} deployment strategies in ${seed.region} would exceed the maximum of ${MAX_CUSTOM_STRATEGIES}`,
      );
    }
    const strategyIds: Record<string, string> = {};
    for (const st of seed.strategies ?? []) {
      strategyIds[st.name] = (
        existing(st.name) ??
        this.createStrategy(seed.region, {
          Name: st.name,
          DeploymentDurationInMinutes: st.deploymentDurationInMinutes,
          GrowthFactor: st.growthFactor,
          GrowthType: st.growthType ?? "LINEAR",
          FinalBakeTimeInMinutes: st.finalBakeTimeInMinutes ?? 0,
          ReplicateTo: "NONE",
        })
      ).Id;
    }
    let app = this.apps.find((a) => a.region === seed.region && a.name === seed.application);
    if (!app) {
      app = { id: newId(), name: seed.application, region: seed.region, environments: [], profiles: [] };
      this.apps.push(app);
    }
    let env = app.environments.find((e) => e.name === seed.environment);
    if (!env) {
      env = { id: newId(), name: seed.environment, monitors: (seed.monitors ?? []).map((AlarmArn) => ({ AlarmArn })), deployments: [] };
      app.environments.push(env);
    }
    let profile = app.profiles.find((p) => p.name === seed.profile);
    if (!profile) {
      profile = {
        id: newId(),
        name: seed.profile,
        validators: seed.jsonSchema !== undefined ? [{ Type: "JSON_SCHEMA", Content: seed.jsonSchema }] : [],
        versions: [],
      };
      profile.versions.push({
        versionNumber: 1,
        content: Buffer.from(seed.content),
        contentType: seed.contentType ?? "application/json",
        ...(seed.versionLabel !== undefined ? { versionLabel: seed.versionLabel } : {}),
      });
      app.profiles.push(profile);
    }
    const seeded = profile;
    if (!env.deployments.some((d) => d.profile === seeded)) {
      const strategy = PREDEFINED_STRATEGIES[0];
      // Seeded deployments are complete on arrival whatever the configured duration: they model "already live".
      env.deployments.push({
        number: env.deployments.length + 1,
        profile,
        version: profile.versions[profile.versions.length - 1],
        strategy,
        startedAt: Date.now(),
        durationMs: 0,
      });
    }
    return { applicationId: app.id, environmentId: env.id, profileId: profile.id, strategyIds };
  }

  scriptRollback(script: RollbackScript): void {
    this.rollbacks.push({ ...script });
  }

  resetScripts(): void {
    this.rollbacks = [];
  }

  private takeRollback(app: Application): string | undefined {
    const i = this.rollbacks.findIndex(
      (r) =>
        (r.region === undefined || r.region === app.region) &&
        (r.application === undefined || r.application === app.name || r.application === app.id),
    );
    if (i < 0) return undefined;
    return this.rollbacks.splice(i, 1)[0].alarmArn;
  }

  // --- mutations used by the control plane ----------------------------------------------------------------------

  /** A new custom strategy with a fresh ID; names need not be unique (CreateDeploymentStrategy has no conflict). */
  createStrategy(region: string, input: Omit<Strategy, "Id">): Strategy {
    if (this.custom.filter((c) => c.region === region).length >= MAX_CUSTOM_STRATEGIES) {
      throw new AppConfigError(
        402,
        "ServiceQuotaExceededException",
        `The number of deployment strategies in ${region} exceeds the maximum of ${MAX_CUSTOM_STRATEGIES}`,
      );
    }
    const strategy: Strategy = { Id: newId(), ...input };
    this.custom.push({ region, strategy });
    return strategy;
  }

  createVersion(
    profile: Profile,
    content: Buffer,
    contentType: string,
    opts: { latestVersionNumber?: number; versionLabel?: string; description?: string },
  ): HostedVersion {
    const latest = profile.versions.reduce((n, v) => Math.max(n, v.versionNumber), 0);
    if (opts.latestVersionNumber !== undefined && opts.latestVersionNumber !== latest) {
      throw new AppConfigError(
        409,
        "ConflictException",
        `LatestVersionNumber ${opts.latestVersionNumber} does not match the latest version number ${latest}`,
      );
    }
    const version: HostedVersion = {
      versionNumber: latest + 1,
      content,
      contentType,
      ...(opts.versionLabel !== undefined ? { versionLabel: opts.versionLabel } : {}),
      ...(opts.description !== undefined ? { description: opts.description } : {}),
    };
    profile.versions.push(version);
    return version;
  }

  startDeployment(
    app: Application,
    env: Environment,
    input: { profileId: string; strategyId: string; version: string; description?: string; latestDeploymentNumber?: number },
  ): Deployment {
    const profile = this.profile(app, input.profileId);
    const strategy = this.strategy(app.region, input.strategyId);
    const version = profile.versions.find((v) => String(v.versionNumber) === input.version);
    if (!version) throw notFound("Hosted configuration version", input.version);
    const last = env.deployments[env.deployments.length - 1];
    if (input.latestDeploymentNumber !== undefined && input.latestDeploymentNumber !== (last?.number ?? 0)) {
      throw new AppConfigError(
        409,
        "ConflictException",
        `LatestDeploymentNumber ${input.latestDeploymentNumber} does not match the latest deployment number ${last?.number ?? 0}`,
      );
    }
    if (last && IN_FLIGHT.has(timeline(last, Date.now()).state)) {
      throw new AppConfigError(
        409,
        "ConflictException",
        `Deployment number ${last.number} is currently in progress for environment ${env.id}. Wait for it to finish before starting another.`,
      );
    }
    const invalid = profile.validators
      .filter((v) => v.Type === "JSON_SCHEMA")
      .flatMap((v) => validateContent(v.Content, version.content));
    if (invalid.length > 0) {
      throw new AppConfigError(400, "BadRequestException", "Configuration failed validation", {
        Reason: "InvalidConfiguration",
        Details: { InvalidConfiguration: invalid },
      });
    }
    const rollbackAlarm = this.takeRollback(app);
    const deployment: Deployment = {
      number: (last?.number ?? 0) + 1,
      profile,
      version,
      strategy,
      startedAt: Date.now(),
      durationMs: this.deploymentDurationMs(),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(rollbackAlarm !== undefined ? { rollbackAlarm } : {}),
    };
    env.deployments.push(deployment);
    return deployment;
  }

  /** In flight: rolls back. Complete: reverts only with allowRevert and only the newest deployment. */
  stopDeployment(env: Environment, deployment: Deployment, allowRevert: boolean): void {
    const now = Date.now();
    const state = timeline(deployment, now).state;
    if (state === "DEPLOYING" || state === "BAKING") {
      deployment.stop = { at: now, revert: false };
      return;
    }
    if (state === "COMPLETE" && allowRevert && env.deployments[env.deployments.length - 1] === deployment) {
      deployment.stop = { at: now, revert: true };
      return;
    }
    throw new AppConfigError(
      400,
      "BadRequestException",
      state === "COMPLETE"
        ? `Deployment ${deployment.number} is complete; set AllowRevert to revert it`
        : `Deployment ${deployment.number} is in state ${state} and cannot be stopped`,
    );
  }

  // --- views ---------------------------------------------------------------------------------------------------

  deployments(filter: { region?: string; application?: string; environment?: string } = {}): DeploymentView[] {
    const now = Date.now();
    const out: DeploymentView[] = [];
    for (const app of this.apps) {
      if (filter.region !== undefined && app.region !== filter.region) continue;
      if (filter.application !== undefined && filter.application !== app.id && filter.application !== app.name) continue;
      for (const env of app.environments) {
        if (filter.environment !== undefined && filter.environment !== env.id && filter.environment !== env.name) continue;
        for (const d of env.deployments) {
          const t = timeline(d, now);
          out.push({
            region: app.region,
            applicationId: app.id,
            environmentId: env.id,
            profileId: d.profile.id,
            deploymentNumber: d.number,
            configurationVersion: d.version.versionNumber,
            strategyId: d.strategy.Id,
            state: t.state,
            eventLog: t.events,
            startedAt: iso(d.startedAt),
            ...(t.completedAt !== undefined ? { completedAt: iso(t.completedAt) } : {}),
            ...(d.description !== undefined ? { description: d.description } : {}),
          });
        }
      }
    }
    return out;
  }

  hostedVersions(filter: { region?: string; application?: string; profile?: string } = {}): HostedVersionView[] {
    const out: HostedVersionView[] = [];
    for (const app of this.apps) {
      if (filter.region !== undefined && app.region !== filter.region) continue;
      if (filter.application !== undefined && filter.application !== app.id && filter.application !== app.name) continue;
      for (const p of app.profiles) {
        if (filter.profile !== undefined && filter.profile !== p.id && filter.profile !== p.name) continue;
        for (const v of p.versions) {
          out.push({
            region: app.region,
            applicationId: app.id,
            profileId: p.id,
            versionNumber: v.versionNumber,
            content: v.content.toString("utf8"),
            contentType: v.contentType,
            ...(v.versionLabel !== undefined ? { versionLabel: v.versionLabel } : {}),
            ...(v.description !== undefined ? { description: v.description } : {}),
          });
        }
      }
    }
    return out;
  }

  renderDeployment(app: Application, env: Environment, d: Deployment): Record<string, unknown> {
    const t = timeline(d, Date.now());
    return {
      ApplicationId: app.id,
      EnvironmentId: env.id,
      DeploymentStrategyId: d.strategy.Id,
      ConfigurationProfileId: d.profile.id,
      DeploymentNumber: d.number,
      ConfigurationName: d.profile.name,
      ConfigurationLocationUri: "hosted",
      ConfigurationVersion: String(d.version.versionNumber),
      ...(d.description !== undefined ? { Description: d.description } : {}),
      DeploymentDurationInMinutes: d.strategy.DeploymentDurationInMinutes,
      GrowthType: d.strategy.GrowthType,
      GrowthFactor: d.strategy.GrowthFactor,
      FinalBakeTimeInMinutes: d.strategy.FinalBakeTimeInMinutes,
      State: t.state,
      EventLog: t.events,
      PercentageComplete: t.percentage,
      StartedAt: iso(d.startedAt),
      ...(t.completedAt !== undefined ? { CompletedAt: iso(t.completedAt) } : {}),
      ...(d.version.versionLabel !== undefined ? { VersionLabel: d.version.versionLabel } : {}),
    };
  }
}

// --- control plane (restJson1) -----------------------------------------------------------------------------------

function appconfigError(e: AppConfigError): WireReply {
  return jsonError(e.status, e.errorType, { Message: e.message, ...e.extra });
}

function versionHeaders(app: Application, profile: Profile, v: HostedVersion): Record<string, string> {
  const h: Record<string, string> = {
    "application-id": app.id,
    "configuration-profile-id": profile.id,
    "version-number": String(v.versionNumber),
    "content-type": v.contentType,
  };
  if (v.versionLabel !== undefined) h["versionlabel"] = v.versionLabel;
  if (v.description !== undefined) h["description"] = v.description;
  return h;
}

function intQuery(req: WireRequest, name: string): number | undefined {
  const raw = req.query.get(name);
  return raw === null ? undefined : Number.parseInt(raw, 10);
}

function page<T>(req: WireRequest, items: T[]): { Items: T[]; NextToken?: string } {
  const { page: p, nextToken } = paginate(items, intQuery(req, "max_results"), req.query.get("next_token") ?? undefined, 50);
  return nextToken ? { Items: p, NextToken: nextToken } : { Items: p };
}

function jsonBody(req: WireRequest): Record<string, unknown> {
  let body: unknown;
  try {
    body = req.body.length ? JSON.parse(req.body.toString("utf8")) : {};
  } catch {
    throw new AppConfigError(400, "BadRequestException", "Request body is not valid JSON");
  }
  return isRecord(body) ? body : {};
}

/** CreateDeploymentStrategy's members with AWS's constraints and defaults (LINEAR, no bake, ReplicateTo NONE). */
function strategyInput(b: Record<string, unknown>): Omit<Strategy, "Id"> {
  const bad = (message: string): AppConfigError => new AppConfigError(400, "BadRequestException", message);
  const name = b.Name;
  if (typeof name !== "string" || name.length < 1 || name.length > 64) throw bad("Name is required and must be 1 to 64 characters");
  const int = (key: string, required: boolean): number | undefined => {
    const v = b[key];
    if (v === undefined && !required) return undefined;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 1440) throw bad(`${key} must be an integer from 0 to 1440`);
    return v;
  };
  const duration = int("DeploymentDurationInMinutes", true)!;
  const bake = int("FinalBakeTimeInMinutes", false);
  const growth = b.GrowthFactor;
  if (typeof growth !== "number" || !(growth >= 1 && growth <= 100)) throw bad("GrowthFactor must be a number from 1.0 to 100.0");
  const growthType = b.GrowthType ?? "LINEAR";
  if (growthType !== "LINEAR" && growthType !== "EXPONENTIAL") throw bad("GrowthType must be LINEAR or EXPONENTIAL");
  const replicateTo = b.ReplicateTo ?? "NONE";
  if (replicateTo !== "NONE" && replicateTo !== "SSM_DOCUMENT") throw bad("ReplicateTo must be NONE or SSM_DOCUMENT");
  const description = b.Description;
  if (description !== undefined && (typeof description !== "string" || description.length > 1024)) {
    throw bad("Description must be a string of at most 1024 characters");
  }
  return {
    Name: name,
    ...(description !== undefined ? { Description: description } : {}),
    DeploymentDurationInMinutes: duration,
    GrowthType: growthType,
    GrowthFactor: growth,
    FinalBakeTimeInMinutes: bake ?? 0,
    ReplicateTo: replicateTo,
  };
}

function seg(path: string): string[] {
  return path.split("/").filter(Boolean).map((s) => decodeURIComponent(s));
}

/**
 * AppConfig control plane: the read paths plus custom deployment strategies, hosted versions and deployments, per the
 * SDK's Smithy bindings.
 */
export function handleAppConfig(req: WireRequest, region: string, store: AppConfigStore, record: CallRecord): WireReply {
  try {
    return route(req, region, store, record);
  } catch (e) {
    if (e instanceof AppConfigError) return appconfigError(e);
    throw e;
  }
}

function route(req: WireRequest, region: string, store: AppConfigStore, record: CallRecord): WireReply {
  const p = seg(req.path);
  const m = req.method;
  const op = (name: string): void => {
    record.operation = name;
  };

  if (p[0] === "deploymentstrategies") {
    if (p.length === 1 && m === "GET") {
      op("ListDeploymentStrategies");
      return jsonReply(200, page(req, store.listStrategies(region)));
    }
    if (p.length === 1 && m === "POST") {
      op("CreateDeploymentStrategy");
      return jsonReply(201, store.createStrategy(region, strategyInput(jsonBody(req))));
    }
    if (p.length === 2 && m === "GET") {
      op("GetDeploymentStrategy");
      return jsonReply(200, store.strategy(region, p[1], true));
    }
  }
  if (p[0] !== "applications") return unknownRoute(req);

  if (p.length === 1 && m === "GET") {
    op("ListApplications");
    return jsonReply(200, page(req, store.listApps(region).map((a) => ({ Id: a.id, Name: a.name }))));
  }
  const app = (): Application => store.app(region, p[1]);
  if (p.length === 2 && m === "GET") {
    op("GetApplication");
    const a = app();
    return jsonReply(200, { Id: a.id, Name: a.name });
  }

  if (p[2] === "environments") {
    const renderEnv = (a: Application, e: Environment) => ({
      ApplicationId: a.id,
      Id: e.id,
      Name: e.name,
      State: store.envState(e),
      Monitors: e.monitors,
    });
    if (p.length === 3 && m === "GET") {
      op("ListEnvironments");
      const a = app();
      return jsonReply(200, page(req, a.environments.map((e) => renderEnv(a, e))));
    }
    if (p.length === 4 && m === "GET") {
      op("GetEnvironment");
      const a = app();
      return jsonReply(200, renderEnv(a, store.env(a, p[3])));
    }
    if (p[4] === "deployments") {
      if (p.length === 5 && m === "POST") {
        op("StartDeployment");
        const a = app();
        const e = store.env(a, p[3]);
        const b = jsonBody(req);
        const str = (k: string): string | undefined => (typeof b[k] === "string" ? (b[k] as string) : undefined);
        const profileId = str("ConfigurationProfileId");
        const strategyId = str("DeploymentStrategyId");
        const version = str("ConfigurationVersion");
        if (!profileId || !strategyId || !version) {
          throw new AppConfigError(
            400,
            "BadRequestException",
            "ConfigurationProfileId, DeploymentStrategyId and ConfigurationVersion are required",
          );
        }
        const d = store.startDeployment(a, e, {
          profileId,
          strategyId,
          version,
          ...(str("Description") !== undefined ? { description: str("Description") } : {}),
          ...(typeof b.LatestDeploymentNumber === "number" ? { latestDeploymentNumber: b.LatestDeploymentNumber } : {}),
        });
        return jsonReply(201, store.renderDeployment(a, e, d));
      }
      if (p.length === 5 && m === "GET") {
        op("ListDeployments");
        const a = app();
        const e = store.env(a, p[3]);
        const items = [...e.deployments].reverse().map((d) => {
          const full = store.renderDeployment(a, e, d);
          const keys = [
            "DeploymentNumber", "ConfigurationProfileId", "ConfigurationName", "ConfigurationVersion",
            "DeploymentDurationInMinutes", "GrowthType", "GrowthFactor", "FinalBakeTimeInMinutes", "State",
            "PercentageComplete", "StartedAt", "CompletedAt", "VersionLabel",
          ];
          return Object.fromEntries(keys.filter((k) => k in full).map((k) => [k, full[k]]));
        });
        return jsonReply(200, page(req, items));
      }
      if (p.length === 6 && (m === "GET" || m === "DELETE")) {
        op(m === "GET" ? "GetDeployment" : "StopDeployment");
        const a = app();
        const e = store.env(a, p[3]);
        const d = e.deployments.find((x) => String(x.number) === p[5]);
        if (!d) throw notFound("Deployment", p[5]);
        if (m === "DELETE") {
          store.stopDeployment(e, d, (req.headers["allow-revert"] ?? "").toLowerCase() === "true");
          return jsonReply(202, store.renderDeployment(a, e, d));
        }
        return jsonReply(200, store.renderDeployment(a, e, d));
      }
    }
    return unknownRoute(req);
  }

  if (p[2] === "configurationprofiles") {
    if (p.length === 3 && m === "GET") {
      op("ListConfigurationProfiles");
      const a = app();
      return jsonReply(
        200,
        page(
          req,
          a.profiles.map((pr) => ({
            ApplicationId: a.id,
            Id: pr.id,
            Name: pr.name,
            LocationUri: "hosted",
            ValidatorTypes: pr.validators.map((v) => v.Type),
            Type: "AWS.Freeform",
          })),
        ),
      );
    }
    if (p.length === 4 && m === "GET") {
      op("GetConfigurationProfile");
      const a = app();
      const pr = store.profile(a, p[3]);
      return jsonReply(200, {
        ApplicationId: a.id,
        Id: pr.id,
        Name: pr.name,
        LocationUri: "hosted",
        Validators: pr.validators,
        Type: "AWS.Freeform",
      });
    }
    if (p[4] === "hostedconfigurationversions") {
      if (p.length === 5 && m === "POST") {
        op("CreateHostedConfigurationVersion");
        const a = app();
        const pr = store.profile(a, p[3]);
        const contentType = req.headers["content-type"];
        if (!contentType) throw new AppConfigError(400, "BadRequestException", "Content-Type is required");
        const lock = req.headers["latest-version-number"];
        const v = store.createVersion(pr, req.body, contentType, {
          ...(lock !== undefined ? { latestVersionNumber: Number.parseInt(lock, 10) } : {}),
          ...(req.headers["versionlabel"] !== undefined ? { versionLabel: req.headers["versionlabel"] } : {}),
          ...(req.headers["description"] !== undefined ? { description: req.headers["description"] } : {}),
        });
        return bytesReply(201, v.content, versionHeaders(a, pr, v));
      }
      if (p.length === 5 && m === "GET") {
        op("ListHostedConfigurationVersions");
        const a = app();
        const pr = store.profile(a, p[3]);
        const label = req.query.get("version_label");
        const items = [...pr.versions]
          .reverse()
          .filter((v) => label === null || v.versionLabel === label)
          .map((v) => ({
            ApplicationId: a.id,
            ConfigurationProfileId: pr.id,
            VersionNumber: v.versionNumber,
            ContentType: v.contentType,
            ...(v.versionLabel !== undefined ? { VersionLabel: v.versionLabel } : {}),
            ...(v.description !== undefined ? { Description: v.description } : {}),
          }));
        return jsonReply(200, page(req, items));
      }
      if (p.length === 6 && m === "GET") {
        op("GetHostedConfigurationVersion");
        const a = app();
        const pr = store.profile(a, p[3]);
        const v = pr.versions.find((x) => String(x.versionNumber) === p[5]);
        if (!v) throw notFound("Hosted configuration version", p[5]);
        return bytesReply(200, v.content, versionHeaders(a, pr, v));
      }
    }
  }
  return unknownRoute(req);
}

function unknownRoute(req: WireRequest): WireReply {
  return jsonError(404, "UnknownOperationException", { Message: `No local route for ${req.method} ${req.path}` });
}

export type { Application, Environment, Profile, HostedVersion };
