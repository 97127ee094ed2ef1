import { newId } from "./appconfig-ids";
import { IN_FLIGHT, stopDeployment, timeline } from "./appconfig-deployments";
import { AppConfigError, type AppConfigSeed, type Application, type CustomStrategy, type Deployment, type DeploymentView, type Environment, type HostedVersion, type HostedVersionView, notFound, type Profile, type RollbackScript, type SeededAppConfig } from "./appconfig-model";
import { deploymentViews, hostedVersionViews } from "./appconfig-views";
import { MAX_CUSTOM_STRATEGIES, PREDEFINED_STRATEGIES, type Strategy, strategyFromSeed } from "./appconfig-strategies";
import { compileSchema, validateContent } from "./json-schema-validator";

// The data model moved to appconfig-model.ts; importers keep importing it from here.
export * from "./appconfig-model";

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
    // Null prototype: strategy names are seed strings, and one called `__proto__` must still be listed.
    const strategyIds: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const st of seed.strategies ?? []) {
      strategyIds[st.name] = (existing(st.name) ?? this.createStrategy(seed.region, strategyFromSeed(st))).Id;
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
    input: { profileId: string; strategyId: string; version: string; description?: string; latestDeploymentNumber?: number; kmsKeyIdentifier?: string },
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
      ...(input.kmsKeyIdentifier !== undefined ? { kmsKeyIdentifier: input.kmsKeyIdentifier } : {}),
      ...(rollbackAlarm !== undefined ? { rollbackAlarm } : {}),
    };
    env.deployments.push(deployment);
    return deployment;
  }

  /** In flight: rolls back. Complete: reverts only with allowRevert and only the newest deployment. */
  stopDeployment(env: Environment, deployment: Deployment, allowRevert: boolean): void {
    const newest = env.deployments[env.deployments.length - 1] === deployment;
    const refused = stopDeployment(deployment, { number: deployment.number, newest, allowRevert }, Date.now());
    if (refused !== undefined) throw new AppConfigError(400, "BadRequestException", refused);
  }

  // --- views ---------------------------------------------------------------------------------------------------

  deployments(filter: { region?: string; application?: string; environment?: string } = {}): DeploymentView[] {
    return deploymentViews(this.apps, filter);
  }

  hostedVersions(filter: { region?: string; application?: string; profile?: string } = {}): HostedVersionView[] {
    return hostedVersionViews(this.apps, filter);
  }
}
