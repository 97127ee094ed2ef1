import { type BaselinePlan, type ModelInput, resolveModels } from "../environment";
import { isError, type Problem, UserInputError } from "../problems";
import { type Draft, readDraft } from "./draft";
import { resolvable, resolvePlan } from "./resolved-plan";
import type { DraftInput, EnvironmentRule, ModelsInput, PlanInput, ValidationOptions } from "./rule";
import { ENVIRONMENT_RULES } from "./rules";
import { README } from "./schema-problems";

/** What the catalog resolution reads: the well-formed account, regions, models (index-preserving) and catalog settings. */
function modelInputOf(d: Draft): ModelInput {
  return { account: d.account, regions: d.regions.map((r) => r.region), models: d.models, maxAgeDays: d.catalog.maxAgeDays };
}

/** What validation worked from, and every problem its rules found. */
export interface ValidationResult {
  readonly draft: Draft;
  /** The resolved plan, when the parts it needs are sound (its config may be partial; see resolvePlan). */
  readonly plan?: BaselinePlan;
  /** Errors and warnings: the file's own parse problems, then each rule's in table order. */
  readonly problems: readonly Problem[];
  /** Rule name -> its problems, for every rule that ran (a plan rule runs only once the plan resolved). */
  readonly byRule: ReadonlyMap<string, readonly Problem[]>;
}

/**
 * Runs every rule of ENVIRONMENT_RULES on a parsed JSON document: the section reading first (every section, route,
 * workload, model, region and tag on its own, so a malformed part hides nothing), then the draft rules, the model
 * rules, and, when the parts a plan needs are sound, the plan rules. Never throws on input.
 */
export function checkEnvironment(raw: unknown, options: ValidationOptions): ValidationResult {
  const { draft, problems: parsed } = readDraft(raw);
  const byRule = new Map<string, readonly Problem[]>();
  const run = (stage: EnvironmentRule["stage"], input: PlanInput | ModelsInput | DraftInput) => {
    for (const rule of ENVIRONMENT_RULES) if (rule.stage === stage) byRule.set(rule.name, (rule.check as (i: typeof input) => Problem[])(input));
  };
  const draftInput: DraftInput = { draft, options };
  run("draft", draftInput);
  const models = resolveModels(modelInputOf(draft), options.catalog, options.today ?? new Date().toISOString().slice(0, 10));
  const modelsInput: ModelsInput = { ...draftInput, models };
  run("models", modelsInput);
  // The plan-level limits need every model resolved; they run whenever the parts they read are sound, even if
  // other sections have problems.
  const modelProblems = ENVIRONMENT_RULES.flatMap((r) => (r.stage === "models" ? (byRule.get(r.name) ?? []) : []));
  const plan = resolvable(draft, modelProblems) ? resolvePlan(draft, models) : undefined;
  if (plan) run("plan", { ...modelsInput, plan });
  const problems = [...parsed, ...ENVIRONMENT_RULES.flatMap((r) => byRule.get(r.name) ?? [])];
  return { draft, plan, problems, byRule };
}

/**
 * Validates an environment document (checkEnvironment). Throws UserInputError listing every error; returns the plan,
 * with the warnings, otherwise.
 */
export function validateEnvironment(raw: unknown, file: string, options: ValidationOptions): BaselinePlan {
  const { draft, plan, problems } = checkEnvironment(raw, options);
  const errors = problems.filter(isError);
  if (errors.length > 0) throw new UserInputError(file, errors);
  if (!draft.complete || !plan)
    // Unreachable by construction (every part that fails to parse records a problem); never a crash if it is reached.
    throw new UserInputError(file, [{ path: "", message: "could not be validated", fix: `check the file against ${README}` }]);
  return { config: draft.complete, invocations: plan.invocations, specs: plan.specs, ...(plan.regionQuotas ? { regionQuotas: plan.regionQuotas } : {}), warnings: problems.filter((p) => !isError(p)) };
}
