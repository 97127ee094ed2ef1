import type { InvocationKind } from "../aws";

/*
 * Bedrock's per-model quotas are found by name: their codes differ between catalog generations and are not documented,
 * while the names follow one pattern per way of invoking (https://docs.aws.amazon.com/bedrock/latest/userguide/quotas.html
 * and live listings):
 *   "Cross-region model inference tokens per minute for Anthropic Claude Haiku 4.5"          -> geo, TPM
 *   "Global cross-region model inference requests per minute for Anthropic Claude Haiku 4.5" -> global, RPM
 *   "On-demand model inference tokens per minute for Amazon Nova Lite"                       -> on-demand, TPM
 *   "Cross-Region InvokeModel tokens per minute for Claude Sonnet 4.5 V1"                    -> geo, TPM (older wording)
 * Wording drifts ("Cross-region"/"Cross-Region", a "V1" suffix, with or without the provider), so both sides are
 * normalized. Variants with extra words ("… 1M Context Length", "… per day") are separate quotas and never match the
 * base model.
 */

/** What a quota name says: the way of invoking, the metric, and the model it is for (normalized keys). */
export interface QuotaNameParts {
  readonly kind: InvocationKind;
  readonly metric: "tpm" | "rpm";
  /** The model part, normalized (`claude haiku 4.5` for "… for Claude Haiku 4.5 V1"). */
  readonly modelKey: string;
  /** The same without its first word, for names that lead with the provider ("Anthropic Claude …"). */
  readonly modelKeyWithoutProvider: string;
}

const normalize = (s: string) =>
  s
    .toLowerCase()
    .replace(/\s+/g, " ")
    .replace(/\bcross[- ]region\b/g, "cross-region")
    .replace(/\bon[- ]demand\b/g, "on-demand")
    .trim();

// "V1" is the default version and is sometimes written, sometimes not; later versions ("v2") stay distinct.
const stripDefaultVersion = (s: string) => s.replace(/ v1$/, "");

/** Parses a Bedrock quota name; undefined for quotas that are not per-minute token/request quotas of one model. */
export function parseQuotaName(name: string): QuotaNameParts | undefined {
  const n = normalize(name);
  const m = /^(global cross-region|cross-region|on-demand) (?:model inference|invokemodel) (tokens|requests) per minute for (.+)$/.exec(n);
  if (!m) return undefined;
  const kind: InvocationKind = m[1] === "global cross-region" ? "global" : m[1] === "cross-region" ? "geo" : "on-demand";
  const modelKey = stripDefaultVersion(m[3]);
  return { kind, metric: m[2] === "tokens" ? "tpm" : "rpm", modelKey, modelKeyWithoutProvider: modelKey.slice(modelKey.indexOf(" ") + 1) };
}

/**
 * What a daily token quota's name says: "Model invocation max tokens per day for Claude Haiku 4.5" is one model's
 * (per model and Region, input + output; https://docs.aws.amazon.com/bedrock/latest/userguide/quotas-runtime.html);
 * "Cross-Model Max Tokens Per Day" is the account's across every model of the Region. Undefined for any other quota.
 */
export function parseDailyQuotaName(name: string): { readonly scope: "model"; readonly modelKey: string; readonly modelKeyWithoutProvider: string } | { readonly scope: "account" } | undefined {
  const n = normalize(name);
  if (n === "cross-model max tokens per day") return { scope: "account" };
  const m = /^model invocation max tokens per day for (.+)$/.exec(n);
  if (!m) return undefined;
  const modelKey = stripDefaultVersion(m[1]);
  return { scope: "model", modelKey, modelKeyWithoutProvider: modelKey.slice(modelKey.indexOf(" ") + 1) };
}

/** The key a model's quotas are matched by: its name, normalized, without a leading provider word or a `V1` suffix. */
export function quotaModelKey(modelName: string, provider: string): string {
  const n = stripDefaultVersion(normalize(modelName));
  const p = normalize(provider);
  return n.startsWith(p + " ") ? n.slice(p.length + 1) : n;
}
