import { AppConfigError, type AppConfigSeed, AppConfigStore, type DeploymentView, type HostedVersionView, type RollbackScript, type SeededAppConfig } from "./appconfig-store";
import { ApiFaultBook, type ApiFaultRule } from "./api-faults";
import { AppConfigDataSessions } from "./appconfig-data";
import { type ApplicationProfileSeed, BedrockCatalog, type BedrockRegionSeed, type SeededApplicationProfile } from "./bedrock-catalog";
import { CallLog, type CallRecord } from "./call-log";
import { createDispatcher, type DispatchContext } from "./dispatcher";
import { FaultBook, type FaultRule } from "./faults";
import { GuardrailBook, type GuardrailOutcomeRule, type GuardrailSeed, type SeededGuardrail } from "./guardrails";
import { type Scenario, ScenarioError, loadScenarioFile, parseScenario, parseWith, partSchemas } from "./scenario";
import { QuotaMode, type QuotaModeConfig, type QuotaUsage } from "./quota-mode";
import { AnswerBook, type AnswerRule } from "./scripted-answers";
import type { RequestConstraints } from "../core/catalog";
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
   * Verify SigV4 for every request as AWS does: keys it knows (the scenario's `credentials`, `local`/`local` by
   * default, and AssumeRole's keys) must sign correctly, any other key is refused (UnrecognizedClientException, STS
   * InvalidClientTokenId), and so is a signature made more than 15 minutes from this clock; default true. False
   * accepts any key unverified.
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
  /** What each model refuses in a request, replacing the scenario's `requestConstraints` (local/request-constraints.ts). */
  requestConstraints?: Record<string, RequestConstraints>;
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
  /**
   * Creates (or replaces, by name) an application inference profile in a region: calls to its ARN are served as the
   * invoke ID it copies. Returns its name, ID, ARN and what it copies.
   */
  seedApplicationProfile(region: string, seed: ApplicationProfileSeed): SeededApplicationProfile;
  /** Creates (or replaces, by name) a guardrail with published versions in a region; returns its ID, ARN and newest version. */
  seedGuardrail(region: string, seed: GuardrailSeed): SeededGuardrail;
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

/** Everything one endpoint simulates, built from the options and the scenario. */
interface EndpointState extends Omit<DispatchContext, "accountId" | "verifySignatures"> {
  accountId: string;
  deploymentDurationMs: number;
  quotaClock: () => number;
}

/** The state of a new endpoint, seeded from the scenario (explicit options win over the scenario's fields). */
function createState(options: LocalEndpointOptions, scenario: Scenario): EndpointState {
  const state = {} as EndpointState;
  state.accountId = options.accountId ?? scenario.accountId ?? DEFAULT_ACCOUNT;
  state.deploymentDurationMs = options.deploymentDurationMs ?? scenario.deploymentDurationMs ?? 0;
  state.bedrockSettings = {
    latencyMs: options.latencyMs ?? scenario.latencyMs ?? 0,
    onDemandModelIds: new Set(options.onDemandModelIds ?? scenario.onDemandModelIds ?? []),
    serviceTiers: tierMap(scenario.serviceTiers ?? {}),
    echoServiceTier: scenario.echoServiceTier ?? true,
    answers: new AnswerBook(),
    requestConstraints: new Map(Object.entries(scenario.requestConstraints ?? {})),
  };
  for (const rule of scenario.answers ?? []) state.bedrockSettings.answers!.script(rule);
  state.quotaClock = options.quotaClock ?? Date.now;
  if (scenario.quotaMode) state.bedrockSettings.quotaMode = new QuotaMode(scenario.quotaMode, state.quotaClock);
  const account = () => state.accountId;
  Object.assign(state, {
    log: new CallLog(),
    faults: new FaultBook(),
    apiFaults: new ApiFaultBook(),
    catalog: new BedrockCatalog(account),
    quotas: new QuotaStore(),
    appConfig: new AppConfigStore(() => state.deploymentDurationMs),
    identities: new IdentityBook(account, scenario.credentials ?? { local: "local" }),
    guardrails: new GuardrailBook(account),
  });
  state.appConfigData = new AppConfigDataSessions(state.appConfig);
  seedScenario(state, scenario, typeof options.scenario === "string" ? options.scenario : "scenario");
  return state;
}

/** Applies the scenario's faults, quotas, catalog, guardrails, AppConfig seeds, rollbacks and denials. */
function seedScenario(state: EndpointState, scenario: Scenario, source: string): void {
  for (const rule of scenario.faults ?? []) state.faults.inject(rule);
  for (const [region, list] of Object.entries(scenario.quotas ?? {})) state.quotas.seed(region, list);
  for (const [region, seed] of Object.entries(scenario.bedrock ?? {})) state.catalog.seed(region, seed);
  for (const rule of scenario.apiFaults ?? []) state.apiFaults.inject(rule);
  for (const [region, list] of Object.entries(scenario.guardrails ?? {})) for (const g of list) state.guardrails.seed(region, g);
  for (const rule of scenario.guardrailOutcomes ?? []) state.guardrails.script(rule);
  (scenario.appConfig ?? []).forEach((seed, i) => {
    try {
      state.appConfig.seed(seed);
    } catch (e) {
      // Zod checked the shapes; what is left is the validator schema or the strategy quota. Name it like any other
      // scenario error.
      if (e instanceof AppConfigError) throw new ScenarioError(source, `$.appConfig[${i}].strategies`, e.message);
      throw new ScenarioError(source, `$.appConfig[${i}].jsonSchema`, `not a usable draft-04 schema: ${(e as Error).message}`);
    }
  });
  for (const script of scenario.rollbacks ?? []) state.appConfig.scriptRollback(script);
  for (const role of scenario.deniedRoles ?? []) state.identities.deny(role);
}

/** The methods tests and the CLI use on a running endpoint; each takes the scenario's shapes (ScenarioError). */
function endpointApi(state: EndpointState, server: { url: string; port: number; close(): Promise<void> }): LocalEndpoint {
  const { bedrockSettings: settings, appConfig } = state;
  return {
    url: server.url,
    port: server.port,
    get calls() {
      return state.log.list();
    },
    clearCalls: () => state.log.clear(),
    inject: (rule) => state.faults.inject(parseWith(partSchemas.fault, rule, "inject()")),
    injectApiFault: (rule) => state.apiFaults.inject(parseWith(partSchemas.apiFault, rule, "injectApiFault()")),
    reset: () => {
      state.faults.reset();
      state.apiFaults.reset();
      state.guardrails.resetScripts();
      settings.answers!.reset();
      settings.quotaMode = undefined;
      appConfig.resetScripts();
      state.identities.resetDenials();
    },
    configure: (c) => {
      if (c.latencyMs !== undefined) settings.latencyMs = c.latencyMs;
      if (c.deploymentDurationMs !== undefined) state.deploymentDurationMs = c.deploymentDurationMs;
      if (c.onDemandModelIds !== undefined) settings.onDemandModelIds = new Set(c.onDemandModelIds);
      if (c.echoServiceTier !== undefined) settings.echoServiceTier = c.echoServiceTier;
      if (c.serviceTiers !== undefined) settings.serviceTiers = tierMap(parseWith(partSchemas.serviceTiers, c.serviceTiers, "configure() serviceTiers"));
      if (c.requestConstraints !== undefined) settings.requestConstraints = new Map(Object.entries(parseWith(partSchemas.requestConstraints, c.requestConstraints, "configure() requestConstraints")));
    },
    seedAppConfig: (seed) => appConfig.seed(parseWith(partSchemas.appConfig, seed, "seedAppConfig()")),
    seedQuotas: (region, list) => state.quotas.seed(region, parseWith(partSchemas.quotas, list, "seedQuotas()")),
    seedCatalog: (region, seed) => state.catalog.seed(parseWith(partSchemas.region, region, "seedCatalog() region"), parseWith(partSchemas.bedrockRegion, seed, "seedCatalog()")),
    seedApplicationProfile: (region, seed) =>
      state.catalog.addApplicationProfile(parseWith(partSchemas.region, region, "seedApplicationProfile() region"), parseWith(partSchemas.applicationProfile, seed, "seedApplicationProfile()")),
    seedGuardrail: (region, seed) => state.guardrails.seed(parseWith(partSchemas.region, region, "seedGuardrail() region"), parseWith(partSchemas.guardrail, seed, "seedGuardrail()")),
    scriptGuardrail: (rule) => state.guardrails.script(parseWith(partSchemas.guardrailOutcome, rule, "scriptGuardrail()")),
    scriptAnswer: (rule) => settings.answers!.script(parseWith(partSchemas.answer, rule, "scriptAnswer()")),
    scriptRollback: (script) => appConfig.scriptRollback(parseWith(partSchemas.rollback, script, "scriptRollback()")),
    denyAssumeRole: (roleArn) => state.identities.deny(roleArn),
    setQuotaMode: (config) => {
      settings.quotaMode = config === undefined ? undefined : new QuotaMode(parseWith(partSchemas.quotaMode, config, "setQuotaMode()"), state.quotaClock);
    },
    quotaUsage: (modelId, region) => settings.quotaMode?.usage(modelId, region),
    appConfig: {
      deployments: (filter) => appConfig.deployments(filter),
      hostedVersions: (filter) => appConfig.hostedVersions(filter),
    },
    close: () => server.close(),
  };
}

export async function startLocalEndpoint(options: LocalEndpointOptions = {}): Promise<LocalEndpoint> {
  const scenario: Scenario = typeof options.scenario === "string" ? loadScenarioFile(options.scenario) : options.scenario ? parseScenario(options.scenario) : {};
  const state = createState(options, scenario);
  const dispatch = createDispatcher({ ...state, accountId: () => state.accountId, verifySignatures: options.verifySignatures ?? true });
  const server = await startWireServer(dispatch, {
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.limits !== undefined ? { limits: options.limits } : {}),
  });
  return endpointApi(state, server);
}

/** Model -> accepted tiers, as the runtime looks them up. */
function tierMap(tiers: Record<string, string[]>): Map<string, Set<string>> {
  return new Map(Object.entries(tiers).map(([model, list]) => [model, new Set(list)]));
}
