import * as path from "node:path";
import { loadCatalog, shippedCatalog } from "../cli/catalog-files";
import { environmentNameOf, listEnvironmentFiles, readEnvironmentFile } from "../cli/environment-files";
import { type Catalog, own, regionFacts } from "../core/catalog";
import { type BaselinePlan, maxTokensProblems, requestParameterProblems, serviceTierProblems } from "../core/environment";
import { type GoldenSet, judgeRequest } from "../core/evaluation";
import { allowedTiers, modelUses } from "../core/iam";
import { closest, formatProblem, isError, type Problem, quote, quoteList, UserInputError } from "../core/problems";
import { buildManifest, type StackManifest } from "../core/routing";
import { modelOf, type RequestShape, routeOf, type RoutingDocument } from "../core/runtime";
import { type EvalOptions, usageError } from "./options";

/*
 * What a run compares, resolved before any model call: the environment (validated like synth validates it), the
 * region's manifest (core's buildManifest, the file synth writes), the deployed routing document (read by the caller
 * the way smoke and the client read it), and from them the route's request shape, the baseline, the candidate and the
 * judges, each a model the environment provisions in the region.
 */

/** A model a run calls. */
export interface EvalModel {
  readonly modelId: string;
  /** What goes on the wire: the deployed document's invoke ID, else the manifest's. */
  readonly invokeId: string;
  /** False when a toggle disabled it in the deployed document (it is still provisioned and callable). */
  readonly enabledInDocument: boolean;
}

/** The environment as loaded for a run. */
export interface LoadedEvalEnvironment {
  readonly plan: BaselinePlan;
  /** How messages name the environment file, e.g. config/prod.json. */
  readonly displayName: string;
  readonly catalog: Catalog;
  readonly region: string;
  readonly manifest: StackManifest;
}

/** Everything a run needs to call the models. */
export interface EvalTarget {
  readonly env: LoadedEvalEnvironment;
  readonly task: string;
  /** The route's request shape as deployed: maxTokens, temperature, tier, guardrail. */
  readonly shape: RequestShape;
  readonly baseline: EvalModel;
  readonly candidate: EvalModel;
  /** Judge models by foundation-model ID (the default one and every one a check names). */
  readonly judges: ReadonlyMap<string, EvalModel>;
  /** Judge of checks that name none. */
  readonly defaultJudge: string;
  /** Each judge's request shape, fitted to its request constraints (temperature 0 where it takes it). */
  readonly judgeShapes: ReadonlyMap<string, RequestShape>;
  /** Lines worth knowing before the calls (printed, never fatal). */
  readonly notes: readonly string[];
}

/**
 * Loads and validates config/<env>.json with the catalog, picks the region and builds its manifest. Throws CliError
 * (exit 2) naming the fix, or the environment file's problems (UserInputError).
 */
export function loadEvalEnvironment(options: EvalOptions): LoadedEvalEnvironment {
  const catalog = options.catalogDir ? loadCatalog(path.resolve(options.catalogDir)) : shippedCatalog();
  const configDir = path.resolve(options.configDir);
  const files = listEnvironmentFiles(configDir);
  const file = files.find((f) => environmentNameOf(f) === options.env);
  if (!file) throw usageError(`no environment file ${options.env}.json in ${options.configDir} (environments: ${files.map(environmentNameOf).join(", ") || "none"}); pass --config-dir or --env`);
  const { plan, displayName } = readEnvironmentFile(file, { catalog });
  const region = options.region ?? plan.config.regions[0];
  if (!plan.config.regions.includes(region)) throw usageError(`--region ${region} is not a region of ${displayName} (${plan.config.regions.join(", ")})`);
  if (!Object.hasOwn(plan.config.routes, options.task)) {
    const near = closest(options.task, Object.keys(plan.config.routes), { max: 1 });
    throw usageError(`--task ${quote(options.task, 64)} is not a route of ${displayName}${near.length ? `; did you mean ${near[0]}?` : ` (routes: ${Object.keys(plan.config.routes).join(", ")})`}`);
  }
  return { plan, displayName, catalog, region, manifest: buildManifest(plan, region) };
}

/** The date the catalog snapshot read the region, if it did. */
export function snapshotDate(env: LoadedEvalEnvironment): string | undefined {
  return regionFacts(env.catalog, env.region)?.read.on;
}

/** Why `modelId` cannot be called in the run's region, or undefined when the environment provisions it there. */
function notProvisioned(env: LoadedEvalEnvironment, modelId: string): string | undefined {
  if (Object.hasOwn(env.plan.invocations[env.region], modelId)) return undefined;
  const i = env.plan.config.models.findIndex((m) => m.id === modelId);
  if (i >= 0) return `is disabled in ${env.displayName} (models[${i}].enabled is false): enable it and deploy (npm run synth; cdktf deploy) before evaluating it`;
  return `is not provisioned by ${env.displayName}: add it to models[] and deploy (npm run synth; cdktf deploy) first; IAM grants only provisioned models (models: ${quoteList(Object.keys(env.plan.invocations[env.region]), 6)})`;
}

function evalModel(env: LoadedEvalEnvironment, doc: RoutingDocument, modelId: string): EvalModel {
  const deployed = modelOf(doc, modelId);
  return { modelId, invokeId: deployed?.invokeId ?? own(env.manifest.models, modelId)!.invokeId, enabledInDocument: deployed?.enabled ?? false };
}

/**
 * The tiers the smoke policy lets a principal send to `modelId` (the tiers of the routes that use it, "default" for
 * untiered ones; core/iam/route-access.ts); undefined when no route uses it (then any tier is allowed).
 */
export function smokePolicyTiers(plan: BaselinePlan, modelId: string): string[] | undefined {
  const use = modelUses(plan, Object.keys(plan.config.routes)).get(modelId);
  return use ? allowedTiers(use) : undefined;
}

/** Problems of the candidate against the route as deployed (output limit, service tier, request parameters): errors refuse the run. */
function candidateProblems(env: LoadedEvalEnvironment, task: string, shape: RequestShape, candidate: string): Problem[] {
  return [
    ...maxTokensProblems(task, shape.maxTokens, [candidate], env.plan.specs),
    ...serviceTierProblems(task, shape.serviceTier, [candidate], env.plan.specs),
    ...requestParameterProblems(task, shape, [{ id: candidate, role: "the candidate" }], env.plan.specs),
  ];
}

/** Judge models the golden set's checks name, each checked against the environment (problems name the line). */
function judgeModels(env: LoadedEvalEnvironment, set: GoldenSet, defaultJudge: string, goldenName: string): string[] {
  const problems: Problem[] = [];
  const ids = new Set<string>();
  for (const c of set.cases)
    c.checks.forEach((k, i) => {
      if (k.type !== "judge") return;
      const id = k.model ?? defaultJudge;
      const why = k.model ? notProvisioned(env, k.model) : undefined;
      if (why) problems.push({ path: `line ${c.line}: checks[${i}].model`, message: `${k.model} ${why}`, fix: "name a model the environment provisions in this region, or leave model out to use --judge-model" });
      else ids.add(id);
    });
  if (problems.length) throw new UserInputError(goldenName, problems);
  return [...ids];
}

/** Resolves baseline, candidate and judges against the deployed document; throws CliError (exit 2) naming the fix. */
export function resolveTarget(env: LoadedEvalEnvironment, doc: RoutingDocument, options: EvalOptions, golden: { readonly set: GoldenSet; readonly displayName: string }): EvalTarget {
  const route = routeOf(doc, options.task);
  if (!route) throw usageError(`the deployed routing document of ${env.plan.config.name} in ${env.region} has no route ${options.task}: deploy the stack (cdktf deploy) first`);
  const baselineId = options.baseline ?? route.primary;
  for (const [flag, id] of [["--candidate", options.candidate], ["--baseline", baselineId], ["--judge-model", options.judgeModel]] as const) {
    const why = id === undefined ? undefined : notProvisioned(env, id);
    if (why) throw usageError(`${flag === "--baseline" && !options.baseline ? `the route's primary ${id}` : `${flag} ${id}`} ${why}`);
  }
  if (options.candidate === baselineId) throw usageError(`--candidate ${options.candidate} is the baseline (the route's primary): name the model that would replace it`);
  const shape: RequestShape = {
    maxTokens: route.maxTokens,
    ...(route.temperature === undefined ? {} : { temperature: route.temperature }),
    ...(route.topP === undefined ? {} : { topP: route.topP }),
    ...(route.thinking ? { thinking: route.thinking } : {}),
    ...(route.toolChoice ? { toolChoice: route.toolChoice } : {}),
    ...(route.serviceTier ? { serviceTier: route.serviceTier } : {}),
    ...(route.guardrail ? { guardrail: route.guardrail } : {}),
  };
  const problems = candidateProblems(env, options.task, shape, options.candidate);
  const errors = problems.filter(isError);
  if (errors.length) throw usageError(`${options.candidate} cannot take route ${options.task}'s requests: ${errors.map((p) => `${p.message} -> ${p.fix}`).join("; ")}`);
  const notes = problems.filter((p) => !isError(p)).map((p) => formatProblem(env.displayName, p));
  const tiers = shape.serviceTier ? smokePolicyTiers(env.plan, options.candidate) : undefined;
  if (tiers && !tiers.includes(shape.serviceTier!))
    notes.push(
      `note: the smoke policy lets ${options.candidate} be called with tier ${tiers.join(" or ")} only (the routes that use it), and ${options.task} sends ${shape.serviceTier}: run with credentials that may call it (with the smoke role, its calls are denied and not measured)`,
    );
  const defaultJudge = options.judgeModel ?? baselineId;
  const judges = judgeModels(env, golden.set, defaultJudge, golden.displayName);
  const judgeShapes = new Map(judges.map((id) => [id, judgeRequest(id, env.plan.specs[id]?.requestConstraints)]));
  for (const [id, s] of judgeShapes)
    if (s.temperature !== 0) notes.push(`note: judge ${id} ${s.temperature === undefined ? "takes no temperature (catalog request constraints): judged at its own sampling" : `takes temperature ${s.temperature} at the lowest (catalog request constraints): judged at it`}`);
  const candidate = evalModel(env, doc, options.candidate);
  if (!candidate.enabledInDocument) notes.push(`note: ${options.candidate} is disabled in the deployed routing document (a toggle); it is provisioned, so it is evaluated anyway`);
  return {
    env,
    task: options.task,
    shape,
    baseline: evalModel(env, doc, baselineId),
    candidate,
    judges: new Map(judges.map((id) => [id, evalModel(env, doc, id)])),
    defaultJudge,
    judgeShapes,
    notes,
  };
}
