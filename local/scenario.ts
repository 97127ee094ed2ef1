import { readRegularFile, UnreadableFile } from "../cli/regular-file";
import { type RequestConstraints, requestConstraintValuesSchema } from "../core/catalog";
import { z } from "zod";
import type { AppConfigSeed, RollbackScript } from "./appconfig-store";
import type { StrategySeed } from "./appconfig-strategies";
import { API_FAULT_KINDS, API_FAULT_OPERATIONS, type ApiFaultRule } from "./api-faults";
import {
  type ApplicationProfileSeed,
  type BedrockRegionSeed,
  CUSTOMIZATIONS,
  type FoundationModelSeed,
  INFERENCE_TYPES,
  type InferenceProfileSeed,
  LIFECYCLE_STATUSES,
  MODALITIES,
  PROFILE_TYPES,
} from "./bedrock-catalog";
import { FAULT_KINDS, type FaultRule, STREAM_EXCEPTION_TYPES } from "./faults";
import { GUARDRAIL_INTERVENTIONS, type GuardrailOutcomeRule, type GuardrailSeed } from "./guardrails";
import type { QuotaModeConfig } from "./quota-mode";
import type { QuotaSeed } from "./service-quotas";
import type { AnswerRule } from "./scripted-answers";

/** Everything the endpoint can be primed with at start; every field optional. */
export interface Scenario {
  /** What the scenario is for, for its readers; ignored by the endpoint. */
  description?: string;
  /** Account in ARNs and caller identities; default 123456789012. */
  accountId?: string;
  /** Latency added to every Bedrock call, ms; default 0. */
  latencyMs?: number;
  /** Time a deployment takes from DEPLOYING through BAKING to COMPLETE, ms; default 0 (complete on creation). */
  deploymentDurationMs?: number;
  /** Bare foundation-model IDs allowed on demand; default none (every bare ID gets the ValidationException). */
  onDemandModelIds?: string[];
  /** Fault scripts, evaluated in order; default none. */
  faults?: FaultRule[];
  /** Applied quotas per region; default none. */
  quotas?: Record<string, QuotaSeed[]>;
  /** Hosted configurations to seed; default none. */
  appConfig?: AppConfigSeed[];
  /** Rollbacks to script for upcoming deployments; default none. */
  rollbacks?: RollbackScript[];
  /** Role ARNs AssumeRole refuses; default none. */
  deniedRoles?: string[];
  /** Static access key -> secret used to verify signatures; default { local: "local" }. */
  credentials?: Record<string, string>;
  /** Bedrock control plane per region (foundation models, inference profiles, whether it is offered); default none. */
  bedrock?: Record<string, BedrockRegionSeed>;
  /** Scripted failures of the catalog APIs (Bedrock control plane, Service Quotas), evaluated in order; default none. */
  apiFaults?: ApiFaultRule[];
  /**
   * Service tiers a model accepts, by foundation-model ID or invoke ID; other tiers get Bedrock's ValidationException.
   * Default: every model accepts priority, default and flex.
   */
  serviceTiers?: Record<string, string[]>;
  /** Echo a requested tier in responses (Converse `serviceTier`, the stream's metadata); default true. */
  echoServiceTier?: boolean;
  /** Guardrails to create per region (what the stacks' aws_bedrock_guardrail + version leave); default none. */
  guardrails?: Record<string, GuardrailSeed[]>;
  /** Scripted guardrail outcomes, evaluated in order; default: no guardrail intervenes. */
  guardrailOutcomes?: GuardrailOutcomeRule[];
  /** Per-model TPM/RPM buckets, latency model and outage windows (local/quota-mode.ts); default off. */
  quotaMode?: QuotaModeConfig;
  /** Scripted answers per model, refusals and judge verdicts included (local/scripted-answers.ts); default: the canned answer. */
  answers?: AnswerRule[];
  /**
   * What each model refuses in a request (temperature, topP, thinking, forced tool use, Converse), by foundation-model
   * or invoke ID, as catalog/overlay.json's requestConstraints values (local/request-constraints.ts). Default: none
   * (every request is accepted); seedFromManifests sets the catalog's.
   */
  requestConstraints?: Record<string, RequestConstraints>;
}

const nonNegative = z.number().int().nonnegative();

/** Keys that name a region, e.g. us-east-1 or us-gov-west-1; default-prototype names such as `constructor` fail it. */
export const regionName = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, "must be an AWS region name such as us-east-1");

/**
 * A record keyed by strings from the file. Zod drops an own `__proto__` key silently (and would hand the value to the
 * prototype slot), so it is refused here by name; the values are then read only through own keys (Object.entries).
 */
function recordOf<V extends z.ZodType>(key: z.ZodType<string>, value: V) {
  return z.preprocess((input, ctx) => {
    if (typeof input === "object" && input !== null && Object.hasOwn(input, "__proto__")) {
      ctx.addIssue({ code: "custom", message: "__proto__ is a reserved name, not a usable key", path: ["__proto__"], input });
    }
    return input;
  }, z.record(key, value));
}

const faultRuleSchema = z.strictObject({
  modelId: z.string().min(1),
  region: z.string().min(1).optional(),
  fault: z.enum(FAULT_KINDS),
  times: z.number().int().positive().optional(),
  status: z.union([z.literal(500), z.literal(503)]).optional(),
  destinationRegion: z.string().min(1).optional(),
  exceptionType: z.enum(STREAM_EXCEPTION_TYPES).optional(),
  deltasBefore: z.number().int().min(0).max(1000).optional(),
  message: z.string().optional(),
  latencyMs: nonNegative.optional(),
});

const quotaSeedSchema = z.strictObject({
  code: z.string().min(1),
  name: z.string().min(1),
  value: z.number(),
  serviceCode: z.string().min(1).optional(),
  defaultValue: z.number().optional(),
  unit: z.string().optional(),
  adjustable: z.boolean().optional(),
  globalQuota: z.boolean().optional(),
});

const jsonText = z.string().refine(
  (s) => {
    try {
      JSON.parse(s);
      return true;
    } catch {
      return false;
    }
  },
  { message: "must be a JSON document (a draft-04 schema) in a string" },
);

/** AWS's CreateDeploymentStrategy limits. */
const minutes = z.number().int().min(0).max(1440);

const strategySeedSchema: z.ZodType<StrategySeed> = z.strictObject({
  name: z.string().min(1).max(64),
  deploymentDurationInMinutes: minutes,
  growthFactor: z.number().min(1).max(100),
  growthType: z.enum(["LINEAR", "EXPONENTIAL"]).optional(),
  finalBakeTimeInMinutes: minutes.optional(),
});

const appConfigSeedSchema = z.strictObject({
  region: z.string().min(1),
  application: z.string().min(1),
  environment: z.string().min(1),
  profile: z.string().min(1),
  content: z.string(),
  contentType: z.string().min(1).optional(),
  jsonSchema: jsonText.optional(),
  monitors: z.array(z.string().startsWith("arn:")).max(5).optional(),
  versionLabel: z.string().optional(),
  strategies: z
    .array(strategySeedSchema)
    .refine((list) => new Set(list.map((x) => x.name)).size === list.length, { message: "strategy names must be unique" })
    .optional(),
});

const rollbackSchema = z.strictObject({
  region: z.string().min(1).optional(),
  application: z.string().min(1).optional(),
  alarmArn: z.string().startsWith("arn:"),
});

const isoTime = z.iso.datetime({ offset: true, message: "must be an ISO 8601 date-time such as 2026-09-07T00:00:00Z" });
const unique = <T>(key: (item: T) => string, what: string) =>
  [(list: T[]) => new Set(list.map(key)).size === list.length, { message: `${what} must be unique` }] as const;

const foundationModelSchema: z.ZodType<FoundationModelSeed> = z.strictObject({
  modelId: z.string().min(1).max(2048),
  modelName: z.string().min(1).optional(),
  providerName: z.string().min(1).optional(),
  inputModalities: z.array(z.enum(MODALITIES)).optional(),
  outputModalities: z.array(z.enum(MODALITIES)).optional(),
  responseStreamingSupported: z.boolean().optional(),
  customizationsSupported: z.array(z.enum(CUSTOMIZATIONS)).optional(),
  inferenceTypesSupported: z.array(z.enum(INFERENCE_TYPES)).optional(),
  modelLifecycle: z
    .strictObject({
      status: z.enum(LIFECYCLE_STATUSES),
      startOfLifeTime: isoTime.optional(),
      endOfLifeTime: isoTime.optional(),
      legacyTime: isoTime.optional(),
      publicExtendedAccessTime: isoTime.optional(),
    })
    .optional(),
});

const inferenceProfileSchema: z.ZodType<InferenceProfileSeed> = z
  .strictObject({
    inferenceProfileId: z.string().min(1).max(2048),
    inferenceProfileName: z.string().min(1).optional(),
    description: z.string().max(200).optional(),
    type: z.enum(PROFILE_TYPES).optional(),
    modelId: z.string().min(1).optional(),
    destinationRegions: z.array(regionName).min(1).optional(),
  })
  .refine((p) => !(p.inferenceProfileId.startsWith("global.") && p.destinationRegions), {
    message: "a global. profile routes to every commercial region (one region-less model ARN): drop destinationRegions",
    path: ["destinationRegions"],
  })
  .refine((p) => p.type !== "APPLICATION" || p.modelId !== undefined, {
    message: "an APPLICATION profile needs modelId (its ID says nothing about the model)",
    path: ["modelId"],
  });

const bedrockRegionSchema: z.ZodType<BedrockRegionSeed> = z.strictObject({
  offered: z.boolean().optional(),
  foundationModels: z.array(foundationModelSchema).refine(...unique((m: FoundationModelSeed) => m.modelId, "modelId values")).optional(),
  inferenceProfiles: z
    .array(inferenceProfileSchema)
    .refine(...unique((p: InferenceProfileSeed) => p.inferenceProfileId, "inferenceProfileId values"))
    .optional(),
});

const apiFaultSchema: z.ZodType<ApiFaultRule> = z.strictObject({
  operation: z.enum(API_FAULT_OPERATIONS),
  region: regionName.optional(),
  fault: z.enum(API_FAULT_KINDS),
  times: z.number().int().positive().optional(),
  message: z.string().optional(),
});

const serviceTierName = z.enum(["priority", "default", "flex", "reserved"]);

const guardrailSeedSchema: z.ZodType<GuardrailSeed> = z.strictObject({
  name: z.string().regex(/^[0-9a-zA-Z_-]{1,50}$/, "must be a guardrail name (1-50 letters, digits, - and _)"),
  id: z.string().regex(/^[a-z0-9]{1,64}$/, "must be a guardrail ID (lowercase letters and digits)").optional(),
  versions: z.number().int().min(1).max(99_999_999).optional(),
  blockedInputMessaging: z.string().min(1).max(500).optional(),
  blockedOutputsMessaging: z.string().min(1).max(500).optional(),
});

// CreateInferenceProfile's name rule (1-64, ([0-9a-zA-Z][ _-]?)+) and a system profile or foundation-model ARN to copy.
const profileName = z.string().regex(/^(?=.{1,64}$)([0-9a-zA-Z][ _-]?)+$/, "must be an inference profile name (1-64 letters and digits, single separators)");
const profileSource = z.string().regex(/^arn:[\w-]+:bedrock:[a-z0-9-]*:\d*:(inference-profile|foundation-model)\/.+$/, "must be a system inference profile or foundation-model ARN");
const applicationProfileSchema: z.ZodType<ApplicationProfileSeed> = z.strictObject({ name: profileName, copyFrom: profileSource, description: z.string().min(1).max(200).optional() });

const guardrailOutcomeSchema: z.ZodType<GuardrailOutcomeRule> = z.strictObject({
  guardrail: z.string().min(1).optional(),
  modelId: z.string().min(1).optional(),
  region: regionName.optional(),
  intervene: z.enum(GUARDRAIL_INTERVENTIONS),
  times: z.number().int().positive().optional(),
});

const outageSchema = z
  .strictObject({
    startMs: z.number().nonnegative(),
    endMs: z.number().nonnegative(),
    status: z.union([z.literal(500), z.literal(503)]).optional(),
  })
  .refine((w) => w.endMs > w.startMs, { message: "must be after startMs (a window is [startMs, endMs))", path: ["endMs"] });

const quotaModelSchema = z.strictObject({
  modelId: z.string().min(1),
  region: regionName.optional(),
  tokensPerMinute: nonNegative,
  requestsPerMinute: nonNegative.optional(),
  outputBurndown: z.number().positive().max(100).optional(),
  maxOutputTokens: z.number().int().positive().max(1_000_000).optional(),
  outputTokens: z.number().int().positive().max(200_000).optional(),
  latency: z
    .strictObject({
      baseMs: z.number().nonnegative(),
      perOutputTokenMs: z.number().nonnegative().optional(),
      jitter: z.number().min(0).lt(1).optional(),
    })
    .optional(),
  outages: z.array(outageSchema).optional(),
});

const quotaModeSchema: z.ZodType<QuotaModeConfig> = z.strictObject({
  timeCompression: z.number().positive().max(1000).optional(),
  seed: z.number().int().optional(),
  models: z.array(quotaModelSchema).refine(...unique((m: { modelId: string; region?: string }) => `${m.modelId}|${m.region ?? "*"}`, "modelId and region pairs")),
});

const answerRuleSchema: z.ZodType<AnswerRule> = z.strictObject({
  modelId: z.string().min(1).optional(),
  region: regionName.optional(),
  requestMetadata: recordOf(z.string().min(1), z.string()).optional(),
  promptContains: z.string().min(1).optional(),
  text: z.string().max(1_000_000),
  stopReason: z.string().min(1).max(64).optional(),
  outputTokens: z.number().int().nonnegative().max(1_000_000).optional(),
  inputTokens: z.number().int().nonnegative().max(10_000_000).optional(),
  latencyMs: nonNegative.max(600_000).optional(),
  times: z.number().int().positive().optional(),
});

/** Strict (unknown keys rejected) so a misspelt field fails loudly instead of silently doing nothing. */
export const scenarioSchema: z.ZodType<Scenario> = z.strictObject({
  description: z.string().optional(),
  accountId: z.string().regex(/^\d{12}$/, "must be 12 digits").optional(),
  latencyMs: nonNegative.optional(),
  deploymentDurationMs: nonNegative.optional(),
  onDemandModelIds: z.array(z.string().min(1)).optional(),
  faults: z.array(faultRuleSchema).optional(),
  quotas: recordOf(regionName, z.array(quotaSeedSchema)).optional(),
  appConfig: z.array(appConfigSeedSchema).optional(),
  rollbacks: z.array(rollbackSchema).optional(),
  deniedRoles: z.array(z.string().startsWith("arn:")).optional(),
  bedrock: recordOf(regionName, bedrockRegionSchema).optional(),
  apiFaults: z.array(apiFaultSchema).optional(),
  quotaMode: quotaModeSchema.optional(),
  credentials: recordOf(z.string().regex(/^[A-Za-z0-9]{1,128}$/, "must be an access key ID (letters and digits)"), z.string()).optional(),
  serviceTiers: recordOf(z.string().min(1), z.array(serviceTierName)).optional(),
  echoServiceTier: z.boolean().optional(),
  guardrails: recordOf(regionName, z.array(guardrailSeedSchema)).optional(),
  guardrailOutcomes: z.array(guardrailOutcomeSchema).optional(),
  answers: z.array(answerRuleSchema).optional(),
  requestConstraints: recordOf(z.string().min(1), requestConstraintValuesSchema).optional(),
});

/** A scenario that failed to load; `message` is one line naming the source and the JSON path. */
export class ScenarioError extends Error {
  constructor(
    readonly source: string,
    readonly jsonPath: string,
    detail: string,
  ) {
    super(`${source}: ${jsonPath}: ${detail}`);
    this.name = "ScenarioError";
  }
}

function jsonPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "$";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (typeof key === "string" && /^[A-Za-z_$][\w$]*$/.test(key)) out += `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/** Validates a scenario object; `source` names it in errors (a file path, or "scenario"). */
export function parseScenario(value: unknown, source = "scenario"): Scenario {
  return parseWith(scenarioSchema, value, source);
}

/** The same checks for the pieces the endpoint API accepts one at a time (inject, seed*, scriptRollback). */
export const partSchemas: {
  fault: z.ZodType<FaultRule>;
  quotas: z.ZodType<QuotaSeed[]>;
  appConfig: z.ZodType<AppConfigSeed>;
  rollback: z.ZodType<RollbackScript>;
  bedrockRegion: z.ZodType<BedrockRegionSeed>;
  region: z.ZodType<string>;
  apiFault: z.ZodType<ApiFaultRule>;
  guardrail: z.ZodType<GuardrailSeed>;
  applicationProfile: z.ZodType<ApplicationProfileSeed>;
  guardrailOutcome: z.ZodType<GuardrailOutcomeRule>;
  serviceTiers: z.ZodType<Record<string, string[]>>;
  quotaMode: z.ZodType<QuotaModeConfig>;
  answer: z.ZodType<AnswerRule>;
  requestConstraints: z.ZodType<Record<string, RequestConstraints>>;
} = {
  fault: faultRuleSchema,
  quotas: z.array(quotaSeedSchema),
  appConfig: appConfigSeedSchema,
  rollback: rollbackSchema,
  bedrockRegion: bedrockRegionSchema,
  region: regionName,
  apiFault: apiFaultSchema,
  guardrail: guardrailSeedSchema,
  applicationProfile: applicationProfileSchema,
  guardrailOutcome: guardrailOutcomeSchema,
  serviceTiers: recordOf(z.string().min(1), z.array(serviceTierName)),
  quotaMode: quotaModeSchema,
  answer: answerRuleSchema,
  requestConstraints: recordOf(z.string().min(1), requestConstraintValuesSchema),
};

export function parseWith<T>(schema: z.ZodType<T>, value: unknown, source: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue.code === "unrecognized_keys") {
    // Point at the misspelt key itself, which is what the reader has to fix.
    throw new ScenarioError(source, jsonPath([...issue.path, issue.keys[0]]), "unknown key (misspelt field?)");
  }
  throw new ScenarioError(source, jsonPath(issue.path), issue.message.replace(/\s+/g, " "));
}

export function loadScenarioFile(file: string): Scenario {
  let text: string;
  try {
    // A FIFO, a directory or a device is refused before it is opened for reading (cli/regular-file.ts).
    text = readRegularFile(file).toString("utf8");
  } catch (e) {
    if (!(e instanceof UnreadableFile)) throw e;
    throw new ScenarioError(file, "$", `cannot read the file: it ${e.reason}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ScenarioError(file, "$", `invalid JSON: ${(e as Error).message}`);
  }
  return parseScenario(value, file);
}
