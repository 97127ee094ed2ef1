import {
  type AlarmConfig,
  type AppConfigSettings,
  type BudgetConfig,
  type CostAttributionConfig,
  type EncryptionConfig,
  type EnvironmentConfig,
  environmentSchema,
  type GuardrailConfig,
  type InvocationLoggingConfig,
  type ModelConfig,
  type ObservabilityConfig,
  type OrganizationGuardConfig,
  type PrivateEndpointsConfig,
  type QuotaStoreConfig,
  type RegionNetwork,
  type RouteConfig,
  type WorkloadConfig,
} from "../environment";
import { type Problem, quote } from "../problems";
import { isObject, own, README, unknownKeys } from "./schema-problems";
import { type ReadEntry, type Reading, SectionReader } from "./section-reader";

/** A workload (or any record entry) as far as it parsed: each field that is well formed. */
export interface DraftEntry<T> {
  readonly name: string;
  /** The name is valid for its kind. */
  readonly validName: boolean;
  readonly fields: Partial<T>;
  /** The whole entry, when every field parsed. */
  readonly value?: T;
}

/** What parsed of an environment document. Sections that did not parse are absent (their problems are recorded). */
export interface Draft {
  readonly name?: string;
  readonly account?: string;
  /** The well-formed regions with their index. */
  readonly regions: ReadonlyArray<{ readonly index: number; readonly region: string }>;
  /** Every region parsed (and there is at least one). */
  readonly regionsComplete: boolean;
  /** Tag entries whose value is a string (AWS rules are checked by the tag rule). */
  readonly tags: ReadonlyArray<readonly [string, string]>;
  /** Index-preserving: undefined where an entry is malformed. */
  readonly models: ReadonlyArray<ModelConfig | undefined>;
  /** IDs named by malformed model entries (declared, but not checkable). */
  readonly unparsedModelIds: ReadonlySet<string>;
  /** Well-formed routes with valid names (null prototype). */
  readonly routes: Readonly<Record<string, RouteConfig>>;
  /** Every key of `routes` in the file, valid or not. */
  readonly routeNames: ReadonlySet<string>;
  /** `routes` is an object (possibly empty). */
  readonly routesPresent: boolean;
  readonly workloads: ReadonlyArray<DraftEntry<WorkloadConfig>>;
  /** Well-formed guardrails with valid names (null prototype). */
  readonly guardrails: Readonly<Record<string, GuardrailConfig>>;
  /** Every key of `guardrails` in the file, valid or not. */
  readonly guardrailNames: ReadonlySet<string>;
  readonly alarms: Partial<AlarmConfig>;
  readonly budget: Partial<BudgetConfig>;
  readonly appConfig: Partial<AppConfigSettings>;
  readonly metricsNamespace?: string;
  readonly smoke: Partial<EnvironmentConfig["smoke"]>;
  readonly catalog: Partial<EnvironmentConfig["catalog"]>;
  readonly organizationGuard: Partial<OrganizationGuardConfig>;
  readonly costAttribution: Partial<CostAttributionConfig>;
  readonly evaluation: Partial<EnvironmentConfig["evaluation"]>;
  /** Well-formed `network` entries of valid region names (null prototype). */
  readonly network: Readonly<Record<string, RegionNetwork>>;
  readonly privateEndpoints: Partial<PrivateEndpointsConfig>;
  readonly invocationLogging: Partial<InvocationLoggingConfig>;
  readonly encryption: Partial<EncryptionConfig>;
  readonly observability: Partial<ObservabilityConfig>;
  readonly quotaStore: Partial<QuotaStoreConfig>;
  /** The state backend's fields that parsed (`s3` when it parsed whole). */
  readonly backend: Partial<NonNullable<EnvironmentConfig["backend"]>>;
  /** The whole config, when every part parsed. */
  readonly complete?: EnvironmentConfig;
}

const KEYS = Object.keys(environmentSchema.shape) as Array<keyof EnvironmentConfig>;
const nullProto = <T>(entries: Iterable<readonly [string, T]>): Record<string, T> => Object.assign(Object.create(null), Object.fromEntries(entries));

/** Well-formed entries with valid names, as a null-prototype record. */
function validEntries<T>(entries: readonly ReadEntry[] | undefined): Record<string, T> {
  return nullProto((entries ?? []).flatMap((e) => (e.validName && e.value !== undefined ? [[e.name, e.value as T] as const] : [])));
}

/** The typed view of what each section read. */
function draftOf(r: Readonly<Record<keyof EnvironmentConfig, Reading>>, complete: EnvironmentConfig | undefined): Draft {
  const models = r.models.elements ?? [];
  return {
    name: r.name.value as string | undefined,
    account: r.account.value as string | undefined,
    regions: (r.regions.elements ?? []).flatMap((e) => (e.value === undefined ? [] : [{ index: e.index, region: e.value as string }])),
    regionsComplete: r.regions.value !== undefined,
    tags: (r.tags.entries ?? []).flatMap((e) => (typeof e.value === "string" ? [[e.name, e.value] as const] : [])),
    models: models.map((e) => e.value as ModelConfig | undefined),
    unparsedModelIds: new Set(models.flatMap((e) => (e.value === undefined && isObject(e.raw) && typeof own(e.raw, "id") === "string" ? [own(e.raw, "id") as string] : []))),
    routes: validEntries<RouteConfig>(r.routes.entries),
    routeNames: new Set((r.routes.entries ?? []).map((e) => e.name)),
    routesPresent: r.routes.entries !== undefined,
    workloads: (r.workloads.entries ?? []).map((e) => ({ name: e.name, validName: e.validName, fields: e.fields as Partial<WorkloadConfig>, value: e.value as WorkloadConfig | undefined })),
    guardrails: validEntries<GuardrailConfig>(r.guardrails.entries),
    guardrailNames: new Set((r.guardrails.entries ?? []).map((e) => e.name)),
    alarms: r.alarms.fields,
    budget: r.budget.fields,
    appConfig: r.appConfig.fields,
    metricsNamespace: r.metricsNamespace.value as string | undefined,
    smoke: r.smoke.fields,
    catalog: r.catalog.fields,
    organizationGuard: r.organizationGuard.fields,
    costAttribution: r.costAttribution.fields,
    evaluation: r.evaluation.fields,
    network: validEntries<RegionNetwork>(r.network.entries),
    privateEndpoints: r.privateEndpoints.fields,
    invocationLogging: r.invocationLogging.fields,
    encryption: r.encryption.fields,
    observability: r.observability.fields,
    quotaStore: r.quotaStore.fields,
    backend: r.backend.fields,
    complete,
  };
}

/**
 * Reads an environment document section by section, each as the environment schema says (core/validation/
 * section-reader.ts), and records every problem; the config is complete only when nothing is wrong.
 */
export function readDraft(raw: unknown): { draft: Draft; problems: Problem[] } {
  const reader = new SectionReader();
  if (!isObject(raw)) {
    const problem = { path: "", message: `must hold one JSON object ({...}), not ${quote(raw)}`, fix: `start from config/dev.json (see ${README})` };
    const empty = Object.fromEntries(KEYS.map((k) => [k, { fields: {} }])) as Record<keyof EnvironmentConfig, Reading>;
    return { draft: draftOf(empty, undefined), problems: [problem] };
  }
  const problems = unknownKeys(raw, KEYS, []);
  const readings = Object.fromEntries(KEYS.map((k) => [k, reader.read(environmentSchema.shape[k], own(raw, k), [k])])) as Record<keyof EnvironmentConfig, Reading>;
  problems.push(...reader.problems);
  const complete = problems.length === 0 ? (Object.fromEntries(KEYS.flatMap((k) => (readings[k].value === undefined ? [] : [[k, readings[k].value]]))) as EnvironmentConfig) : undefined;
  return { draft: draftOf(readings, complete), problems };
}
