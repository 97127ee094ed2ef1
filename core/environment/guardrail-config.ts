import { z } from "zod";
import { quote } from "../problems";

/*
 * The guardrails an environment file may declare (`guardrails.<name>`): a focused subset of Amazon Bedrock Guardrails
 * (content filters, denied topics, sensitive-information handling), each checked against CreateGuardrail's limits
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_CreateGuardrail.html and the Guardrail*Config types it
 * links). Every region stack creates each guardrail with aws_bedrock_guardrail and publishes a version of it with
 * aws_bedrock_guardrail_version; a route names one in `routes.<task>.guardrail`.
 */

/** Content filter categories (GuardrailContentFilterType). */
export const CONTENT_FILTER_TYPES = ["SEXUAL", "VIOLENCE", "HATE", "INSULTS", "MISCONDUCT", "PROMPT_ATTACK"] as const;
/** Filter strengths (GuardrailFilterStrength). */
export const FILTER_STRENGTHS = ["NONE", "LOW", "MEDIUM", "HIGH"] as const;
/** What a sensitive-information filter does with a match (GuardrailSensitiveInformationAction, less NONE). */
export const SENSITIVE_ACTIONS = ["BLOCK", "ANONYMIZE"] as const;

/**
 * PII entity types (GuardrailPiiEntityType, @aws-sdk/client-bedrock; a test compares the lists).
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_GuardrailPiiEntityConfig.html
 */
export const PII_ENTITY_TYPES = [
  "ADDRESS", "AGE", "AWS_ACCESS_KEY", "AWS_SECRET_KEY", "CA_HEALTH_NUMBER", "CA_SOCIAL_INSURANCE_NUMBER", "CREDIT_DEBIT_CARD_CVV",
  "CREDIT_DEBIT_CARD_EXPIRY", "CREDIT_DEBIT_CARD_NUMBER", "DRIVER_ID", "EMAIL", "INTERNATIONAL_BANK_ACCOUNT_NUMBER", "IP_ADDRESS",
  "LICENSE_PLATE", "MAC_ADDRESS", "NAME", "PASSWORD", "PHONE", "PIN", "SWIFT_CODE", "UK_NATIONAL_HEALTH_SERVICE_NUMBER",
  "UK_NATIONAL_INSURANCE_NUMBER", "UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER", "URL", "USERNAME", "US_BANK_ACCOUNT_NUMBER",
  "US_BANK_ROUTING_NUMBER", "US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER", "US_PASSPORT_NUMBER", "US_SOCIAL_SECURITY_NUMBER",
  "VEHICLE_IDENTIFICATION_NUMBER",
] as const;

/** CreateGuardrail limits the schema enforces (bytes are characters here: the API counts characters). */
export const GUARDRAIL_LIMITS = {
  /** blockedInputMessaging / blockedOutputsMessaging: 1-500. */
  blockedMessaging: 500,
  /** description: 1-200. */
  description: 200,
  /** topicPolicyConfig.topicsConfig: 1-30 topics. */
  topics: 30,
  /** GuardrailTopicConfig.name: 1-100, [0-9a-zA-Z-_ !?.]+ */
  topicName: 100,
  /** GuardrailTopicConfig.definition: 1-200. */
  topicDefinition: 200,
  /** GuardrailTopicConfig.examples: 0-5, each 1-100. */
  topicExamples: 5,
  topicExample: 100,
  /** sensitiveInformationPolicyConfig.regexesConfig: at most 10. */
  regexes: 10,
  /** GuardrailRegexConfig.name 1-100, pattern 1-500, description 1-1000. */
  regexName: 100,
  regexPattern: 500,
  regexDescription: 1000,
} as const;

/** What a blocked prompt returns when the file sets no `blockedInputMessaging`. */
export const DEFAULT_BLOCKED_INPUT = "Sorry, this request cannot be processed.";
/** What a blocked answer returns when the file sets no `blockedOutputsMessaging`. */
export const DEFAULT_BLOCKED_OUTPUT = "Sorry, the answer was withheld by a content policy.";

const fixOf = (fix: string) => ({ params: { fix } });
const text = (max: number, what: string) => z.string().min(1, `${what} must not be empty`).max(max, `${what} has at most ${max} characters`);

const contentFilter = z.strictObject({
  /** Category. */
  type: z.enum(CONTENT_FILTER_TYPES),
  /** Strength on prompts. */
  inputStrength: z.enum(FILTER_STRENGTHS),
  /** Strength on answers. Default: inputStrength (NONE for PROMPT_ATTACK, which applies to prompts only). */
  outputStrength: z.enum(FILTER_STRENGTHS).optional(),
});

const deniedTopic = z.strictObject({
  name: text(GUARDRAIL_LIMITS.topicName, "a topic name").regex(/^[0-9a-zA-Z\-_ !?.]+$/, "may contain only letters, digits, spaces and - _ ! ? ."),
  /** What the topic is, in a sentence (the guardrail classifies by it). */
  definition: text(GUARDRAIL_LIMITS.topicDefinition, "a definition"),
  /** Up to 5 example prompts. Default: none. */
  examples: z.array(text(GUARDRAIL_LIMITS.topicExample, "an example")).max(GUARDRAIL_LIMITS.topicExamples, `at most ${GUARDRAIL_LIMITS.topicExamples} examples per topic`).default([]),
});

const piiEntity = z.strictObject({
  type: z.enum(PII_ENTITY_TYPES),
  /** Default: BLOCK. */
  action: z.enum(SENSITIVE_ACTIONS).default("BLOCK"),
});

const regex = z.strictObject({
  name: text(GUARDRAIL_LIMITS.regexName, "a regex name"),
  pattern: text(GUARDRAIL_LIMITS.regexPattern, "a pattern"),
  /** Default: BLOCK. */
  action: z.enum(SENSITIVE_ACTIONS).default("BLOCK"),
  /** Default: none. */
  description: text(GUARDRAIL_LIMITS.regexDescription, "a description").optional(),
});

/** `guardrails.<name>`: one Bedrock guardrail every region stack creates and publishes a version of. */
export const guardrailSchema = z
  .strictObject({
    /** Shown in the console (1-200 characters). Default: names the environment. */
    description: text(GUARDRAIL_LIMITS.description, "a description").optional(),
    /** Returned instead of an answer when a prompt is blocked (1-500 characters). Default: DEFAULT_BLOCKED_INPUT. */
    blockedInputMessaging: text(GUARDRAIL_LIMITS.blockedMessaging, "the message").default(DEFAULT_BLOCKED_INPUT),
    /** Returned instead of an answer when the answer is blocked (1-500 characters). Default: DEFAULT_BLOCKED_OUTPUT. */
    blockedOutputsMessaging: text(GUARDRAIL_LIMITS.blockedMessaging, "the message").default(DEFAULT_BLOCKED_OUTPUT),
    /** One filter per category. Default: none. */
    contentFilters: z.array(contentFilter).max(CONTENT_FILTER_TYPES.length).default([]),
    /** Topics the guardrail refuses. Default: none. */
    deniedTopics: z.array(deniedTopic).max(GUARDRAIL_LIMITS.topics, `at most ${GUARDRAIL_LIMITS.topics} denied topics per guardrail`).default([]),
    /** PII entities and custom regexes to block or mask. Default: none. */
    sensitiveInformation: z
      .strictObject({
        piiEntities: z.array(piiEntity).max(PII_ENTITY_TYPES.length).default([]),
        regexes: z.array(regex).max(GUARDRAIL_LIMITS.regexes, `at most ${GUARDRAIL_LIMITS.regexes} regexes per guardrail`).default([]),
      })
      .default({ piiEntities: [], regexes: [] }),
  })
  .superRefine((g, ctx) => {
    const s = g.sensitiveInformation;
    if (g.contentFilters.length + g.deniedTopics.length + s.piiEntities.length + s.regexes.length === 0)
      ctx.addIssue({ code: "custom", path: [], message: "configures no policy; CreateGuardrail needs at least one", ...fixOf("add contentFilters, deniedTopics or sensitiveInformation") });
    const once = <T>(list: readonly T[], key: (x: T) => string, at: readonly (string | number)[], what: string) => {
      const seen = new Map<string, number>();
      list.forEach((x, i) => {
        const k = key(x);
        const first = seen.get(k);
        if (first === undefined) seen.set(k, i);
        else ctx.addIssue({ code: "custom", path: [...at, i], message: `${what} ${quote(k)} is listed twice (first at [${first}])`, ...fixOf("list it once") });
      });
    };
    once(g.contentFilters, (f) => f.type, ["contentFilters"], "content filter");
    once(g.deniedTopics, (t) => t.name.toLowerCase(), ["deniedTopics"], "topic");
    once(s.piiEntities, (p) => p.type, ["sensitiveInformation", "piiEntities"], "PII entity");
    once(s.regexes, (r) => r.name, ["sensitiveInformation", "regexes"], "regex");
    g.contentFilters.forEach((f, i) => {
      // The prompt-attack filter applies to prompts only (GuardrailContentFilterConfig).
      if (f.type === "PROMPT_ATTACK" && f.outputStrength !== undefined && f.outputStrength !== "NONE")
        ctx.addIssue({ code: "custom", path: ["contentFilters", i, "outputStrength"], message: "PROMPT_ATTACK filters prompts only; its output strength must be NONE", ...fixOf('remove outputStrength (or set "NONE")') });
      if (f.inputStrength === "NONE" && outputStrengthOf(f) === "NONE")
        ctx.addIssue({ code: "custom", path: ["contentFilters", i], message: `the ${f.type} filter is NONE both ways, so it filters nothing`, ...fixOf("raise a strength or remove the filter") });
    });
  });

/** A declared guardrail with defaults applied. */
export type GuardrailConfig = z.infer<typeof guardrailSchema>;
export type ContentFilterConfig = GuardrailConfig["contentFilters"][number];

/** The output strength a filter gets: as written, else its input strength (NONE for PROMPT_ATTACK). */
export function outputStrengthOf(f: ContentFilterConfig): (typeof FILTER_STRENGTHS)[number] {
  return f.outputStrength ?? (f.type === "PROMPT_ATTACK" ? "NONE" : f.inputStrength);
}
