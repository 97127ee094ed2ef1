import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { BaselinePlan } from "../core/baseline-plan";
import { validateEnvironment, type ValidationOptions } from "../core/environment-validation";

// The one fixture module every test shares: a fixed day, the shipped environments, model IDs and local credentials.

/** Fixed day for lifecycle checks, so a model's legacy or end-of-life date cannot flip a test. */
export const TODAY = "2026-11-22";
export const ROOT = join(__dirname, "..");
/** The region of config/dev.json. */
export const REGION = "us-east-1";
/** Static credentials the local endpoint verifies signatures with. */
export const CREDS = { accessKeyId: "local", secretAccessKey: "local" };

/** A model as the tests call it in us-east-1: foundation-model ID and the invoke ID its `us.` profile has. */
export interface TestModel {
  readonly modelId: string;
  readonly invokeId: string;
}
const usProfile = (modelId: string): TestModel => ({ modelId, invokeId: `us.${modelId}` });
export const HAIKU = usProfile("anthropic.claude-haiku-4-5-20251001-v1:0");
export const SONNET = usProfile("anthropic.claude-sonnet-4-5-20250929-v1:0");
export const NOVA = usProfile("amazon.nova-lite-v1:0");
export const MICRO = usProfile("amazon.nova-micro-v1:0");
export const NOVA_PRO = usProfile("amazon.nova-pro-v1:0");

/** A config file of the repository, parsed but not validated (to derive expectations and variants from). */
export function rawConfig(name: "dev" | "prod"): any {
  return JSON.parse(readFileSync(join(ROOT, "config", `${name}.json`), "utf8"));
}

/** Validates a raw config on TODAY (throws on problems, like the CLI would report them). */
export function planOf(raw: unknown, options: ValidationOptions = {}): BaselinePlan {
  return validateEnvironment(raw, "test.json", { today: TODAY, ...options });
}

export const devPlan = () => planOf(rawConfig("dev"));
export const prodPlan = () => planOf(rawConfig("prod"));

/** A shipped config changed by `edit` (a deep copy; the file is untouched), validated. */
export function variant(name: "dev" | "prod", edit: (c: any) => void): BaselinePlan {
  const c = rawConfig(name);
  edit(c);
  return planOf(c);
}
