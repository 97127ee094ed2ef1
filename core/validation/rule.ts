import type { Catalog } from "../catalog";
import type { BaselinePlan, ModelResolution } from "../environment";
import type { Problem } from "../problems";
import type { Draft } from "./draft";

/** Inputs that make validation deterministic in tests. */
export interface ValidationOptions {
  /** The model catalog (cli/catalog-files.ts loads the shipped one). */
  readonly catalog: Catalog;
  /** ISO date used for lifecycle checks. Default: today (UTC). */
  readonly today?: string;
  /** When set, `name` must equal it (the file's base name). */
  readonly expectedName?: string;
}

/** What a draft-stage rule reads: what parsed of the file, and the options. */
export interface DraftInput {
  readonly draft: Draft;
  readonly options: ValidationOptions;
}

/** What a models-stage rule reads: the draft and the models as the catalog resolves them. */
export interface ModelsInput extends DraftInput {
  readonly models: ModelResolution;
}

/** What a plan-stage rule reads: the resolved plan as well (its config holds the sound parts when the file is not complete). */
export interface PlanInput extends ModelsInput {
  readonly plan: BaselinePlan;
}

/** Fields every rule has, the way cdk-nag names its rules. */
interface RuleInfo {
  /** Kebab-case name, also its file name: core/validation/rules/<name>.ts (and its test's). */
  readonly name: string;
  /** What it checks, in one line. */
  readonly description: string;
}

/**
 * One named, pure check of an environment file. Its stage says what it reads: `draft` rules run on whatever parsed;
 * `models` rules also read the catalog's resolution, and their errors keep the plan from resolving; `plan` rules run
 * only once the plan resolved (the limits only a whole plan can tell). validateEnvironment runs the table of rules
 * (rules/index.ts) stage by stage, in table order.
 */
export type EnvironmentRule =
  | (RuleInfo & { readonly stage: "draft"; check(input: DraftInput): Problem[] })
  | (RuleInfo & { readonly stage: "models"; check(input: ModelsInput): Problem[] })
  | (RuleInfo & { readonly stage: "plan"; check(input: PlanInput): Problem[] });
