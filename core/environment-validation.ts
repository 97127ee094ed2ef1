import { z } from "zod";
import { alarmProblems } from "./alarms";
import type { Catalog } from "./catalog";
import { budgetEmails, EnvironmentConfig, environmentSchema, ModelConfig } from "./environment-config";
import { maxTokensProblems, modelInputOf, type ModelResolution, resolveModels } from "./model-resolution";
import { names } from "./names";
import { jsonPath, Problem, UserInputError } from "./problem";
import { MAX_VALIDATOR_BYTES, routingValidatorContent } from "./routing-baseline";
import type { BaselinePlan } from "./baseline-plan";

/** Inputs that make validation deterministic in tests. */
export interface ValidationOptions {
  /** The model catalog (cli/catalog-files.ts loads the shipped one). */
  readonly catalog: Catalog;
  /** ISO date used for lifecycle checks. Default: today (UTC). */
  readonly today?: string;
  /** When set, `name` must equal it (the file's base name). */
  readonly expectedName?: string;
}

/**
 * Parses and checks an environment document. Throws UserInputError listing every problem at once; returns warnings
 * alongside the environment otherwise.
 */
export function validateEnvironment(raw: unknown, file: string, options: ValidationOptions): BaselinePlan {
  const parsed = environmentSchema.safeParse(raw);
  if (!parsed.success) throw new UserInputError(file, parsed.error.issues.map((i) => schemaProblem(i, raw)));
  const models = resolveModels(modelInputOf(parsed.data), options.catalog, options.today ?? new Date().toISOString().slice(0, 10));
  const problems = [...semanticProblems(parsed.data, options, models), ...awsLimitProblems(parsed.data)];
  const errors = problems.filter((p) => p.severity !== "warning");
  if (errors.length > 0) throw new UserInputError(file, errors);
  const env: BaselinePlan = { config: parsed.data, invocations: models.invocations, specs: models.specs, warnings: problems.filter((p) => p.severity === "warning") };
  const tooLarge = [...validatorProblems(env), ...alarmProblems(env)];
  if (tooLarge.length > 0) throw new UserInputError(file, tooLarge);
  return env;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((v, k) => (v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k] : undefined), raw);
}

function schemaProblem(issue: z.core.$ZodIssue, raw: unknown): Problem {
  const path = jsonPath(issue.path);
  switch (issue.code) {
    case "invalid_key":
      return { path, message: `key ${issue.issues.map((i) => i.message).join("; ")}`, fix: "rename the key" };
    case "unrecognized_keys":
      return { path, message: `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`, fix: "remove it or check its spelling against README.md" };
    case "invalid_type":
      return valueAt(raw, issue.path) === undefined
        ? { path, message: "is required", fix: `add it (${issue.expected})` }
        : { path, message: `must be ${issue.expected === "int" ? "an integer" : `a ${issue.expected}`}`, fix: `set ${issue.expected === "int" ? "a whole number" : `a ${issue.expected} value`}` };
    case "invalid_value":
      return { path, message: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`, fix: "use one of the listed values" };
    case "too_small":
      return { path, message: issue.origin === "array" ? `needs at least ${issue.minimum} item(s)` : `must be ${issue.inclusive ? ">=" : ">"} ${issue.minimum}`, fix: "raise the value or add entries" };
    case "too_big":
      return { path, message: issue.origin === "array" ? `allows at most ${issue.maximum} item(s)` : `must be ${issue.inclusive ? "<=" : "<"} ${issue.maximum}`, fix: "lower the value or remove entries" };
    default:
      return { path, message: issue.message, fix: "correct the value (see README.md, 'Environment file')" };
  }
}

function semanticProblems(env: EnvironmentConfig, options: ValidationOptions, models: ModelResolution): Problem[] {
  const problems: Problem[] = [];
  const add = (path: string, message: string, fix: string, severity?: "warning") => problems.push({ path, message, fix, severity });

  if (options.expectedName && env.name !== options.expectedName)
    add("name", `"${env.name}" does not match the file name "${options.expectedName}"`, `set "name": "${options.expectedName}" or rename the file`);

  env.regions.forEach((r, i) => {
    if (env.regions.indexOf(r) !== i) add(`regions[${i}]`, `duplicate region ${r}`, "list each region once");
  });

  // Models against the catalog (existence, lifecycle, profiles per region, snapshot age): core/model-resolution.ts.
  problems.push(...models.problems);
  const declared = new Map<string, { index: number; model: ModelConfig }>();
  for (const [i, m] of env.models.entries()) if (!declared.has(m.id)) declared.set(m.id, { index: i, model: m });

  const usable = (id: string, path: string): boolean => {
    const d = declared.get(id);
    if (!d) {
      add(path, `${id} is not declared in models`, `add {"id": "${id}"} to models or pick a declared model`);
      return false;
    }
    if (!d.model.enabled) {
      add(path, `${id} is disabled (models[${d.index}].enabled is false)`, `enable it or route to another model`);
      return false;
    }
    return Object.hasOwn(models.specs, id);
  };

  if (Object.keys(env.routes).length === 0) add("routes", "no routes declared", "add at least one task route");
  for (const [task, route] of Object.entries(env.routes)) {
    const base = `routes.${task}`;
    const candidates: Array<[string, string]> = [[route.primary, `${base}.primary`]];
    route.fallbacks.forEach((f, i) => {
      const path = `${base}.fallbacks[${i}]`;
      if (f === route.primary) add(path, `fallback ${f} is the primary`, "remove it or choose a different model");
      else if (route.fallbacks.indexOf(f) !== i) add(path, `fallback ${f} is listed twice`, "list each fallback once");
      else candidates.push([f, path]);
    });
    const resolved = candidates.filter(([id, path]) => usable(id, path)).map(([id]) => id);
    problems.push(...maxTokensProblems(task, route.maxTokens, resolved, models.specs));
  }

  for (const [name, w] of Object.entries(env.workloads)) {
    w.routes.forEach((r, i) => {
      if (!env.routes[r]) add(`workloads.${name}.routes[${i}]`, `unknown route "${r}"`, `use one of: ${Object.keys(env.routes).join(", ") || "(none declared)"}`);
    });
    if (w.principals.length === 0 && !w.role)
      add(`workloads.${name}`, "has neither principals nor role", `add "principals": [role ARN] or "role": {"assumedByServices": [...]}`);
    if (w.role && w.role.assumedByServices.length + w.role.assumedByPrincipals.length === 0)
      add(`workloads.${name}.role`, "nobody can assume the role", "add assumedByServices or assumedByPrincipals");
  }

  if (env.alarms.emails.length === 0 && !env.budget.emails?.length)
    add("alarms.emails", "no one is notified of alarms or budget alerts", "add at least one email (or subscribe to the SNS topic yourself)", "warning");
  return problems;
}

/** AWS limits the resources synth creates would hit at apply time (bedrock.md §8-9, IAM quotas). */
function awsLimitProblems(c: EnvironmentConfig): Problem[] {
  const problems: Problem[] = [];
  const roleName = (path: string, name: string) => {
    if (name.length > 64) problems.push({ path, message: `IAM role name ${name} is ${name.length} characters; IAM allows 64`, fix: "shorten the environment or workload name" });
  };
  for (const region of c.regions) {
    roleName("name", names.rollbackRole(c.name, region));
    for (const [w, cfg] of Object.entries(c.workloads)) if (cfg.role) roleName(`workloads.${w}`, names.workloadRole(c.name, region, w));
  }
  // A managed policy can only be attached to principals of its own account; other accounts assume a created role.
  const attached: Array<[string, string]> = [
    ...Object.entries(c.workloads).flatMap(([w, cfg]) => cfg.principals.map((p, i): [string, string] => [`workloads.${w}.principals[${i}]`, p])),
    ...c.smoke.principals.map((p, i): [string, string] => [`smoke.principals[${i}]`, p]),
  ];
  for (const [path, arn] of attached) {
    const account = /^arn:[\w-]+:iam::(\d{12}):/.exec(arn)?.[1];
    if (account && account !== c.account)
      problems.push({ path, message: `${arn} is in account ${account}, not ${c.account}; a policy can only be attached in its own account`, fix: `use a principal of ${c.account}, or give a role "assumedByPrincipals"` });
  }
  const emails = budgetEmails(c);
  if (emails.length > 10)
    problems.push({
      path: c.budget.emails ? "budget.emails" : "alarms.emails",
      message: `budget alerts would email ${emails.length} addresses; AWS Budgets allows 10 per notification`,
      fix: "set budget.emails to at most 10 addresses (or subscribe to the budget SNS topic)",
    });
  return problems;
}

function validatorProblems(env: BaselinePlan): Problem[] {
  return env.config.regions.flatMap((region) => {
    const bytes = new TextEncoder().encode(routingValidatorContent(env, region)).length;
    return bytes > MAX_VALIDATOR_BYTES
      ? [{ path: "routes", message: `the routing JSON Schema for ${region} is ${bytes} bytes; AppConfig allows ${MAX_VALIDATOR_BYTES}`, fix: "split the environment or remove routes/models" }]
      : [];
  });
}
