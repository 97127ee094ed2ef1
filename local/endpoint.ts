import { AppConfigError, type AppConfigSeed, AppConfigStore, type DeploymentView, type HostedVersionView, type RollbackScript, type SeededAppConfig } from "./appconfig-store";
import { ApiFaultBook, type ApiFaultRule } from "./api-faults";
import { AppConfigDataSessions } from "./appconfig-data";
import { type ApplicationProfileSeed, BedrockCatalog, type BedrockRegionSeed, type SeededApplicationProfile } from "./bedrock-catalog";
import type { BedrockSettings } from "./bedrock-runtime";
import { CallLog, type CallRecord } from "./call-log";
import { createDispatcher } from "./dispatcher";
import { FaultBook, type FaultRule } from "./faults";
import { GuardrailBook, type GuardrailOutcomeRule, type GuardrailSeed, type SeededGuardrail } from "./guardrails";
import { type Scenario, ScenarioError, loadScenarioFile, parseScenario, parseWith, partSchemas } from "./scenario";
import { QuotaMode, type QuotaModeConfig, type QuotaUsage } from "./quota-mode";
import { AnswerBook, type AnswerRule } from "./scripted-answers";
import { type QuotaSeed, QuotaStore } from "./service-quotas";
import { IdentityBook } from "./sts";
import { type WireLimits, startWireServer } from "./wire-server";

export type { AppConfigSeed, SeededAppConfig } from "./appconfig-store";
export type { StrategySeed } from "./appconfig-strategies";
export type { ApiFaultRule } from "./api-faults";
export type { ApplicationProfileSeed, BedrockRegionSeed, FoundationModelSeed, InferenceProfileSeed, SeededApplicationProfile } from "./bedrock-catalog";
export type { QuotaSeed } from "./service-quotas";
export type { GuardrailOutcomeRule, GuardrailSeed, SeededGuardrail } from "./guardrails";
export type { AnswerRule } from "./scripted-answers";
export type { OutageWindow, QuotaLatency, QuotaModeConfig, QuotaModelSpec, QuotaUsage } from "./quota-mode";
export { DEFAULT_WIRE_LIMITS, type WireLimits } from "./wire-server";

/** Options for `startLocalEndpoint`; explicit fields override the same fields of `scenario`. */
export interface LocalEndpointOptions {
  /** TCP port; default 0 (ephemeral, read the chosen one from `url`). */
  port?: number;
  /** Bind address; default 127.0.0.1. */
  host?: string;
  /** Scenario object, or path to a scenario JSON file; default: empty scenario. */
  scenario?: Scenario | string;
  /** Latency added to every Bedrock call, ms; default scenario value or 0. */
  latencyMs?: number;
  /** Deployment duration, ms; default scenario value or 0 (complete on creation). */
  deploymentDurationMs?: number;
  /** Bare model IDs allowed on demand; default scenario value or none. */
  onDemandModelIds?: string[];
  /** Account ID for ARNs; default scenario value or 123456789012. */
  accountId?: string;
  /**
   * Verify SigV4 for keys whose secret is known (static `local`/`local`, AssumeRole keys), and refuse any signature
   * made more than 15 minutes from this clock, as AWS does; default true.
   */
  verifySignatures?: boolean;
  /** Connection timeouts and the body limit; default DEFAULT_WIRE_LIMITS (idle 30 s, headers 10 s, body 30 s, 6 MiB). */
  limits?: Partial<WireLimits>;
  /** Wall clock of the quota mode (epoch ms); default Date.now. Tests pass a manual one to step refills. */
  quotaClock?: () => number;
}

/** Runtime settings that tests may change between requests. */
export interface LocalEndpointSettings {
  latencyMs?: number;
  deploymentDurationMs?: number;
  onDemandModelIds?: string[];
  /** Service tiers per model (foundation-model ID or invoke ID), replacing the scenario's `serviceTiers`. */
  serviceTiers?: Record<string, string[]>;
  /** Echo a requested tier in responses; default scenario value or true. */
  echoServiceTier?: boolean;
}

/** Read-only views of AppConfig state, evaluated at call time. */
export interface AppConfigView {
  deployments(filter?: { region?: string; application?: string; environment?: string }): DeploymentView[];
  hostedVersions(filter?: { region?: string; application?: string; profile?: string }): HostedVersionView[];
}

/** A running local AWS stand-in. */
export interface LocalEndpoint {
  /** http://127.0.0.1:<port>; pass as `endpoint` to every SDK client. */
  readonly url: string;
  readonly port: number;
  /** Snapshot of every request so far, in arrival order. */
  readonly calls: CallRecord[];
  clearCalls(): void;
  /** Adds a Bedrock fault script (evaluated after earlier ones). */
  inject(rule: FaultRule): void;
  /** Adds a scripted failure of a catalog API (Bedrock control plane or Service Quotas), after earlier ones. */
  injectApiFault(rule: ApiFaultRule): void;
  /** Removes all fault scripts (both kinds), the quota mode, pending scripted rollbacks and AssumeRole denials; keeps seeded state and calls. */
  reset(): void;
  configure(settings: LocalEndpointSettings): void;
  seedAppConfig(seed: AppConfigSeed): SeededAppConfig;
  seedQuotas(region: string, quotas: QuotaSeed[]): void;
  /** Sets what the region's Bedrock control plane serves; each list given replaces that list (the scenario's `bedrock` entry). */
  seedCatalog(region: string, seed: BedrockRegionSeed): void;
  /** Creates (or replaces, by name) a guardrail with published versions in a region; returns its ID, ARN and newest version. */
  seedGuardrail(region: string, seed: GuardrailSeed): SeededGuardrail;
  /**
   * Creates (or replaces, by name) an application inference profile in a region: calls to its ARN are served as the
   * invoke ID it copies. Returns its name, ID, ARN and what it copies.
   */
  seedApplicationProfile(region: string, seed: ApplicationProfileSeed): SeededApplicationProfile;
  /** Adds a scripted guardrail outcome (after earlier ones); reset() drops them. */
  scriptGuardrail(rule: GuardrailOutcomeRule): void;
  /** Adds a scripted answer (after earlier ones; the scenario's `answers`); reset() drops them. */
  scriptAnswer(rule: AnswerRule): void;
  scriptRollback(script: RollbackScript): void;
  denyAssumeRole(roleArn: string): void;
  /**
   * Turns quota mode on with fresh, full buckets (its clock starts now: outage windows count from here), or off with
   * undefined. Replaces any previous quota mode (the scenario's `quotaMode`).
   */
  setQuotaMode(config: QuotaModeConfig | undefined): void;
  /** A model's buckets in quota mode as they stand now; undefined when quota mode is off or does not name it. */
  quotaUsage(modelId: string, region: string): QuotaUsage | undefined;
  readonly appConfig: AppConfigView;
  /** Stops listening and destroys every open socket and HTTP/2 session, hung requests included. */
  close(): Promise<void>;
}

const DEFAULT_ACCOUNT = "123456789012";

export async function startLocalEndpoint(options: LocalEndpointOptions = {}): Promise<LocalEndpoint> {
  const scenario: Scenario =
    typeof options.scenario === "string"
      ? loadScenarioFile(options.scenario)
      : options.scenario
        ? parseScenario(options.scenario)
        : {};
  const accountId = options.accountId ?? scenario.accountId ?? DEFAULT_ACCOUNT;
  let deploymentDurationMs = options.deploymentDurationMs ?? scenario.deploymentDurationMs ?? 0;
  const bedrockSettings: BedrockSettings = {
    latencyMs: options.latencyMs ?? scenario.latencyMs ?? 0,
    onDemandModelIds: new Set(options.onDemandModelIds ?? scenario.onDemandModelIds ?? []),
    serviceTiers: tierMap(scenario.serviceTiers ?? {}),
    echoServiceTier: scenario.echoServiceTier ?? true,
    answers: new AnswerBook(),
  };
  for (const rule of scenario.answers ?? []) bedrockSettings.answers!.script(rule);
  const quotaClock = options.quotaClock ?? Date.now;
  if (scenario.quotaMode) bedrockSettings.quotaMode = new QuotaMode(scenario.quotaMode, quotaClock);

  const log = new CallLog();
  const faults = new FaultBook();
  const apiFaults = new ApiFaultBook();
  const catalog = new BedrockCatalog(() => accountId);
  const quotas = new QuotaStore();
  const appConfig = new AppConfigStore(() => deploymentDurationMs);
  const appConfigData = new AppConfigDataSessions(appConfig);
  const identities = new IdentityBook(() => accountId, scenario.credentials ?? { local: "local" });
  const guardrails = new GuardrailBook(() => accountId);

  for (const rule of scenario.faults ?? []) faults.inject(rule);
  for (const [region, list] of Object.entries(scenario.quotas ?? {})) quotas.seed(region, list);
  for (const [region, seed] of Object.entries(scenario.bedrock ?? {})) catalog.seed(region, seed);
  for (const rule of scenario.apiFaults ?? []) apiFaults.inject(rule);
  for (const [region, list] of Object.entries(scenario.guardrails ?? {})) for (const g of list) guardrails.seed(region, g);
  for (const rule of scenario.guardrailOutcomes ?? []) guardrails.script(rule);
  (scenario.appConfig ?? []).forEach((seed, i) => {
    try {
      appConfig.seed(seed);
    } catch (e) {
      // Zod checked the shapes; what is left is the validator schema or the strategy quota. Name it like any other
      // scenario error.
      const source = typeof options.scenario === "string" ? options.scenario : "scenario";
      if (e instanceof AppConfigError) throw new ScenarioError(source, `$.appConfig[${i}].strategies`, e.message);
      throw new ScenarioError(source, `$.appConfig[${i}].jsonSchema`, `not a usable draft-04 schema: ${(e as Error).message}`);
    }
  });
  for (const script of scenario.rollbacks ?? []) appConfig.scriptRollback(script);
  for (const role of scenario.deniedRoles ?? []) identities.deny(role);

  const dispatch = createDispatcher({
    log,
    faults,
    guardrails,
    apiFaults,
    catalog,
    quotas,
    appConfig,
    appConfigData,
    identities,
    bedrockSettings,
    accountId: () => accountId,
    verifySignatures: options.verifySignatures ?? true,
  });
  const server = await startWireServer(dispatch, {
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.limits !== undefined ? { limits: options.limits } : {}),
  });

  return {
    url: server.url,
    port: server.port,
    get calls() {
      return log.list();
    },
    clearCalls: () => log.clear(),
    // The API takes the same shapes as the scenario file and rejects them the same way (ScenarioError, JSON path).
    inject: (rule) => faults.inject(parseWith(partSchemas.fault, rule, "inject()")),
    injectApiFault: (rule) => apiFaults.inject(parseWith(partSchemas.apiFault, rule, "injectApiFault()")),
    reset: () => {
      faults.reset();
      apiFaults.reset();
      guardrails.resetScripts();
      bedrockSettings.answers!.reset();
      bedrockSettings.quotaMode = undefined;
      appConfig.resetScripts();
      identities.resetDenials();
    },
    configure: (settings) => {
      if (settings.latencyMs !== undefined) bedrockSettings.latencyMs = settings.latencyMs;
      if (settings.deploymentDurationMs !== undefined) deploymentDurationMs = settings.deploymentDurationMs;
      if (settings.onDemandModelIds !== undefined) bedrockSettings.onDemandModelIds = new Set(settings.onDemandModelIds);
      if (settings.echoServiceTier !== undefined) bedrockSettings.echoServiceTier = settings.echoServiceTier;
      if (settings.serviceTiers !== undefined) bedrockSettings.serviceTiers = tierMap(parseWith(partSchemas.serviceTiers, settings.serviceTiers, "configure() serviceTiers"));
    },
    seedAppConfig: (seed) => appConfig.seed(parseWith(partSchemas.appConfig, seed, "seedAppConfig()")),
    seedQuotas: (region, list) => quotas.seed(region, parseWith(partSchemas.quotas, list, "seedQuotas()")),
    seedCatalog: (region, seed) =>
      catalog.seed(parseWith(partSchemas.region, region, "seedCatalog() region"), parseWith(partSchemas.bedrockRegion, seed, "seedCatalog()")),
    seedApplicationProfile: (region, seed) => catalog.addApplicationProfile(parseWith(partSchemas.region, region, "seedApplicationProfile() region"), parseWith(partSchemas.applicationProfile, seed, "seedApplicationProfile()")),
    seedGuardrail: (region, seed) => guardrails.seed(parseWith(partSchemas.region, region, "seedGuardrail() region"), parseWith(partSchemas.guardrail, seed, "seedGuardrail()")),
    scriptGuardrail: (rule) => guardrails.script(parseWith(partSchemas.guardrailOutcome, rule, "scriptGuardrail()")),
    scriptAnswer: (rule) => bedrockSettings.answers!.script(parseWith(partSchemas.answer, rule, "scriptAnswer()")),
    scriptRollback: (script) => appConfig.scriptRollback(parseWith(partSchemas.rollback, script, "scriptRollback()")),
    denyAssumeRole: (roleArn) => identities.deny(roleArn),
    setQuotaMode: (config) => {
      bedrockSettings.quotaMode = config === undefined ? undefined : new QuotaMode(parseWith(partSchemas.quotaMode, config, "setQuotaMode()"), quotaClock);
    },
    quotaUsage: (modelId, region) => bedrockSettings.quotaMode?.usage(modelId, region),
    appConfig: {
      deployments: (filter) => appConfig.deployments(filter),
      hostedVersions: (filter) => appConfig.hostedVersions(filter),
    },
    close: () => server.close(),
  };
}

/** Model -> accepted tiers, as the runtime looks them up. */
function tierMap(tiers: Record<string, string[]>): Map<string, Set<string>> {
  return new Map(Object.entries(tiers).map(([model, list]) => [model, new Set(list)]));
}
