import { Geography } from "./geography";

/** Lifecycle dates (ISO `YYYY-MM-DD`). A model is legacy from `legacyFrom` and unusable from `endOfLife`. */
export interface Lifecycle {
  readonly legacyFrom?: string;
  readonly endOfLife?: string;
  /** Foundation-model ID to move to. */
  readonly replacement?: string;
}

/** Service Quotas codes (service `bedrock`) for the tokens-per-minute quota, per way of invoking. */
export interface QuotaCodes {
  readonly geo?: string;
  readonly global?: string;
  readonly onDemand?: string;
}

/** One foundation model as the baseline knows it. Adding a model is a data change here only. */
export interface ModelSpec {
  /** Foundation-model ID, e.g. `anthropic.claude-haiku-4-5-20251001-v1:0`. */
  readonly id: string;
  readonly displayName: string;
  /** True when billed through AWS Marketplace (first call starts an account-wide subscription). */
  readonly marketplace: boolean;
  /** Largest `maxTokens` the model accepts. */
  readonly maxOutputTokens: number;
  /** System inference profiles that exist for the model, by geography prefix. */
  readonly geographies: readonly Geography[];
  /** Regions where the bare foundation-model ID may be invoked on demand. Default: none. */
  readonly onDemandRegions?: readonly string[];
  readonly lifecycle?: Lifecycle;
  readonly quotaCodes: QuotaCodes;
  /** Name fragment to find the TPM quota when no code is known, e.g. `Claude Haiku 4.5`. */
  readonly quotaName: string;
  /** Quota tokens charged per output token (Claude 4-class: 5). */
  readonly outputBurndown: number;
  /** USD per 1,000 tokens (on-demand, geo profile). */
  readonly price: { readonly inputPer1k: number; readonly outputPer1k: number };
  /** Where these figures come from; `UNCONFIRMED` marks third-party-only facts. */
  readonly source: string;
}

const ANTHROPIC_GEOS: readonly Geography[] = ["us", "eu", "apac", "jp", "au", "global"];

/**
 * Model catalog. Facts from ../shared/reference/bedrock.md (§1 IDs and lifecycle, §6 quota codes and burndown) and
 * the AWS model cards; confirm per region with ListInferenceProfiles / ListServiceQuotas before relying on a value.
 */
export const CATALOG: readonly ModelSpec[] = [
  {
    id: "anthropic.claude-haiku-4-5-20251001-v1:0",
    displayName: "Claude Haiku 4.5",
    marketplace: true,
    maxOutputTokens: 64000,
    geographies: ANTHROPIC_GEOS,
    quotaCodes: { geo: "L-58BE175A", global: "L-9A11C666" },
    quotaName: "Claude Haiku 4.5",
    outputBurndown: 5,
    price: { inputPer1k: 0.001, outputPer1k: 0.005 },
    source: "AWS model card (200K context, 64K output); quota codes from a live-catalog dump; burndown 5x UNCONFIRMED for Haiku 4.5",
  },
  {
    id: "anthropic.claude-sonnet-4-5-20250929-v1:0",
    displayName: "Claude Sonnet 4.5",
    marketplace: true,
    maxOutputTokens: 64000,
    geographies: ANTHROPIC_GEOS,
    quotaCodes: { geo: "L-F4DDD3EB", global: "L-27C57EE8" },
    quotaName: "Claude Sonnet 4.5 V1",
    outputBurndown: 5,
    price: { inputPer1k: 0.003, outputPer1k: 0.015 },
    source: "AWS geographic/global CRIS pages (burndown 5x); quota codes from a live-catalog dump",
  },
  {
    id: "anthropic.claude-sonnet-4-6",
    displayName: "Claude Sonnet 4.6",
    marketplace: true,
    maxOutputTokens: 64000,
    geographies: ["us", "eu", "apac", "jp", "au", "global"],
    quotaCodes: {},
    quotaName: "Claude Sonnet 4.6",
    outputBurndown: 5,
    price: { inputPer1k: 0.003, outputPer1k: 0.015 },
    source: "ID from AWS model card (no date suffix); output limit, profiles, burndown and price UNCONFIRMED",
  },
  {
    id: "anthropic.claude-opus-4-5-20251101-v1:0",
    displayName: "Claude Opus 4.5",
    marketplace: true,
    maxOutputTokens: 64000,
    geographies: ["us", "eu", "global"],
    quotaCodes: {},
    quotaName: "Claude Opus 4.5",
    outputBurndown: 5,
    price: { inputPer1k: 0.005, outputPer1k: 0.025 },
    source: "ID from AWS model card; profiles, burndown (5x) and price UNCONFIRMED",
  },
  {
    id: "anthropic.claude-opus-4-6-v1",
    displayName: "Claude Opus 4.6",
    marketplace: true,
    maxOutputTokens: 128000,
    geographies: ["us", "eu", "global"],
    quotaCodes: {},
    quotaName: "Claude Opus 4.6",
    outputBurndown: 5,
    price: { inputPer1k: 0.005, outputPer1k: 0.025 },
    source: "ID from AWS model card; output limit, profiles, burndown and price UNCONFIRMED",
  },
  {
    id: "anthropic.claude-sonnet-4-20250514-v1:0",
    displayName: "Claude Sonnet 4",
    marketplace: true,
    maxOutputTokens: 64000,
    geographies: ["us", "eu", "apac", "global"],
    lifecycle: { legacyFrom: "2026-04-14", endOfLife: "2026-10-14", replacement: "anthropic.claude-sonnet-4-5-20250929-v1:0" },
    quotaCodes: { geo: "L-59759B4A" },
    quotaName: "Claude Sonnet 4 V1",
    outputBurndown: 5,
    price: { inputPer1k: 0.003, outputPer1k: 0.015 },
    source: "AWS model lifecycle page: Legacy 2026-04-14, EOL 2026-10-14",
  },
  {
    id: "anthropic.claude-3-5-haiku-20241022-v1:0",
    displayName: "Claude 3.5 Haiku",
    marketplace: true,
    maxOutputTokens: 8192,
    geographies: ["us"],
    lifecycle: { endOfLife: "2026-06-19", replacement: "anthropic.claude-haiku-4-5-20251001-v1:0" },
    quotaCodes: {},
    quotaName: "Claude 3.5 Haiku",
    outputBurndown: 1,
    price: { inputPer1k: 0.0008, outputPer1k: 0.004 },
    source: "AWS model lifecycle page: EOL 2026-06-19",
  },
  {
    id: "anthropic.claude-3-haiku-20240307-v1:0",
    displayName: "Claude 3 Haiku",
    marketplace: true,
    maxOutputTokens: 4096,
    geographies: ["us", "eu", "apac"],
    onDemandRegions: ["us-east-1", "us-west-2", "eu-central-1", "ap-northeast-1"],
    lifecycle: { legacyFrom: "2026-03-10", endOfLife: "2026-09-10", replacement: "anthropic.claude-haiku-4-5-20251001-v1:0" },
    quotaCodes: { onDemand: "L-8CE99163" },
    quotaName: "Claude 3 Haiku",
    outputBurndown: 1,
    price: { inputPer1k: 0.00025, outputPer1k: 0.00125 },
    source: "AWS model cards: Legacy in some regions, EOL 2026-09-10; legacyFrom date UNCONFIRMED",
  },
  ...(["micro", "lite", "pro"] as const).map(
    (size): ModelSpec => ({
      id: `amazon.nova-${size}-v1:0`,
      displayName: `Amazon Nova ${size[0].toUpperCase()}${size.slice(1)}`,
      marketplace: false,
      maxOutputTokens: 10000,
      geographies: ["us", "eu", "apac"],
      onDemandRegions: ["us-east-1"],
      quotaCodes: { geo: { micro: "L-DC7FF66C", lite: "L-7C42E72A", pro: "L-C0326783" }[size] },
      quotaName: `Nova ${size[0].toUpperCase()}${size.slice(1)}`,
      outputBurndown: 1,
      price: {
        micro: { inputPer1k: 0.000035, outputPer1k: 0.00014 },
        lite: { inputPer1k: 0.00006, outputPer1k: 0.00024 },
        pro: { inputPer1k: 0.0008, outputPer1k: 0.0032 },
      }[size],
      source: "AWS Nova model card; quota codes from a live-catalog dump; output limit and on-demand regions UNCONFIRMED",
    }),
  ),
];

/** Lifecycle state of a model on a given day. */
export type LifecycleState = "active" | "legacy" | "end-of-life";

export function lifecycleState(model: ModelSpec, today: string): LifecycleState {
  const l = model.lifecycle;
  if (l?.endOfLife && today >= l.endOfLife) return "end-of-life";
  if (l?.legacyFrom && today >= l.legacyFrom) return "legacy";
  return "active";
}

/** Finds a catalog entry by foundation-model ID. */
export function findModel(catalog: readonly ModelSpec[], id: string): ModelSpec | undefined {
  return catalog.find((m) => m.id === id);
}
