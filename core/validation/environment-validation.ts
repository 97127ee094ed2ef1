import { z } from "zod";
import { alarmProblems } from "../observability";
import {
  DEFAULT_MANAGED_POLICIES_PER_PRINCIPAL,
  MAX_ALARM_EVALUATION_SECONDS,
  MAX_MANAGED_POLICIES_PER_PRINCIPAL,
  MAX_MANAGED_POLICY_CHARS,
  MAX_TAGS,
  MAX_TRUST_POLICY_CHARS,
  NAME_RULES,
  NameRule,
  nameRuleBreach,
  tagKeyBreach,
  tagValueBreach,
} from "../aws";
import type { Catalog } from "../catalog";
import {
  AlarmConfig,
  alarmsSchema,
  AppConfigSettings,
  appConfigSchema,
  BudgetConfig,
  budgetSchema,
  EnvironmentConfig,
  environmentSchema,
  FIELD_SCHEMAS,
  GuardrailConfig,
  MAX_NAME_LENGTH,
  ModelConfig,
  modelSchema,
  nameBreaches,
  parsePrincipalArn,
  principalIdentity,
  RouteConfig,
  routeSchema,
  smokeSchema,
  catalogSettingsSchema,
  OrganizationGuardConfig,
  organizationGuardSchema,
  suggestName,
  WorkloadConfig,
  workloadSchema,
} from "../environment";
import { partitionOf } from "../aws";
import { guardrailSchema } from "../environment";
import { sizingRefs } from "../environment";
import { type PolicyDocument, trustPolicy } from "../iam";
import { packPolicy, partSizes } from "../iam";
import { maxTokensProblems, type ModelInput, type ModelResolution, resolveModels, serviceTierProblems } from "../environment";
import { routeAccessProblems, sizingRouting, smokePolicyOf, workloadPolicyOf } from "../iam";
import { names } from "../aws";
import { quotaHeadroomProblems } from "../observability";
import { isError, jsonPath, Problem, quote, quoteList, readmeRef, UserInputError } from "../problems";
import { MAX_VALIDATOR_BYTES, routingValidator } from "../routing";
import { closest } from "../problems";
import type { BaselinePlan } from "../environment";

/** Inputs that make validation deterministic in tests. */
export interface ValidationOptions {
  /** The model catalog (cli/catalog-files.ts loads the shipped one). */
  readonly catalog: Catalog;
  /** ISO date used for lifecycle checks. Default: today (UTC). */
  readonly today?: string;
  /** When set, `name` must equal it (the file's base name). */
  readonly expectedName?: string;
}

const README = readmeRef("Declaring an environment");

/**
 * Parses and checks an environment document in one pass: every section, and every route, workload, model, region and
 * tag on its own, so a malformed part never hides the problems of the others; the semantic checks then run on
 * whatever parsed. Throws UserInputError listing every problem; returns the plan (with warnings) otherwise.
 */
export function validateEnvironment(raw: unknown, file: string, options: ValidationOptions): BaselinePlan {
  const problems: Problem[] = [];
  const draft = readDraft(raw, problems);
  problems.push(...nameProblems(draft, options), ...structureProblems(draft), ...awsLimitProblems(draft));
  const input = modelCheckInput(draft);
  const models = resolveModels(input, options.catalog, options.today ?? new Date().toISOString().slice(0, 10));
  const modelChecks = modelProblems(input, models);
  problems.push(...modelChecks);
  // The plan-level limits need every model resolved; they run whenever the parts they read are sound, even if
  // other sections have problems.
  const resolved = resolvable(draft, modelChecks) ? resolve(draft, models) : undefined;
  if (resolved) problems.push(...validatorProblems(resolved), ...alarmProblems(resolved), ...policyProblems(resolved, draft), ...quotaHeadroomProblems(resolved), ...routeAccessProblems(resolved));
  const errors = problems.filter(isError);
  if (errors.length > 0) throw new UserInputError(file, errors);
  if (!draft.complete || !resolved)
    // Unreachable by construction (every part that fails to parse records a problem); never a crash if it is reached.
    throw new UserInputError(file, [{ path: "", message: "could not be validated", fix: `check the file against ${README}` }]);
  return { config: draft.complete, invocations: resolved.invocations, specs: resolved.specs, warnings: problems.filter((p) => !isError(p)) };
}

// ---------------------------------------------------------------------------------------------------------------
// Shape: what parsed, section by section

/** A workload as far as it parsed: each field that is well formed. */
interface DraftWorkload {
  readonly name: string;
  /** The name is a valid workload name. */
  readonly validName: boolean;
  readonly fields: Partial<WorkloadConfig>;
  /** The whole entry, when every field parsed. */
  readonly value?: WorkloadConfig;
}

/** What parsed of an environment document. Sections that did not parse are absent (their problems are recorded). */
interface Draft {
  readonly name?: string;
  readonly account?: string;
  /** The well-formed regions with their index. */
  readonly regions: ReadonlyArray<{ readonly index: number; readonly region: string }>;
  readonly regionsComplete: boolean;
  /** Tag entries whose value is a string (AWS rules are checked later). */
  readonly tags: ReadonlyArray<readonly [string, string]>;
  /** Index-preserving: undefined where an entry is malformed. */
  readonly models: ReadonlyArray<ModelConfig | undefined>;
  /** IDs named by malformed model entries (declared, but not checkable). */
  readonly unparsedModelIds: ReadonlySet<string>;
  /** Well-formed routes with valid names (null prototype). */
  readonly routes: Readonly<Record<string, RouteConfig>>;
  /** Every key of `routes` in the file, valid or not. */
  readonly routeNames: ReadonlySet<string>;
  readonly routesPresent: boolean;
  readonly workloads: readonly DraftWorkload[];
  /** Well-formed guardrails with valid names (null prototype). */
  readonly guardrails: Readonly<Record<string, GuardrailConfig>>;
  /** Every key of `guardrails` in the file, valid or not. */
  readonly guardrailNames: ReadonlySet<string>;
  readonly alarms: Partial<AlarmConfig>;
  readonly budget: Partial<BudgetConfig>;
  readonly appConfig: Partial<AppConfigSettings>;
  readonly metricsNamespace?: string;
  readonly smoke: Partial<EnvironmentConfig["smoke"]>;
  /** The `catalog` settings as far as they parsed. */
  readonly catalog: Partial<EnvironmentConfig["catalog"]>;
  readonly organizationGuard: Partial<OrganizationGuardConfig>;
  /** The whole config, when every part parsed. */
  readonly complete?: EnvironmentConfig;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const own = (o: Json, key: string): unknown => (Object.hasOwn(o, key) ? o[key] : undefined);
const TOP_KEYS = Object.keys(environmentSchema.shape);

function readDraft(raw: unknown, problems: Problem[]): Draft {
  let complete = true;
  const fail = (p: Problem) => {
    complete = false;
    problems.push(p);
  };
  /** Parses `value` with `schema`; records its issues under `at`. */
  const parse = <T>(schema: z.ZodType<T>, value: unknown, at: readonly PropertyKey[]): T | undefined => {
    const r = schema.safeParse(value);
    if (r.success) return r.data;
    for (const i of r.error.issues) schemaProblems(i, at, value).forEach(fail);
    return undefined;
  };
  /** Parses a strict object field by field, so one bad field leaves the others usable. */
  const parseObject = <T extends object>(schema: { shape: Record<string, z.ZodType> }, value: unknown, at: readonly PropertyKey[]): { fields: Partial<T>; value?: T } => {
    if (!isObject(value)) {
      fail({ path: jsonPath(at), message: value === undefined ? "is required" : `must be an object, not ${quote(value)}`, fix: `write it as {...} (see ${README})` });
      return { fields: {} };
    }
    const keys = Object.keys(schema.shape);
    unknownKeys(value, keys, at).forEach(fail);
    const fields: Record<string, unknown> = {};
    let ok = true;
    for (const key of keys) {
      const r = schema.shape[key].safeParse(own(value, key));
      if (r.success) {
        if (r.data !== undefined) fields[key] = r.data;
      } else {
        ok = false;
        for (const i of r.error.issues) schemaProblems(i, [...at, key], own(value, key)).forEach(fail);
      }
    }
    return { fields: fields as Partial<T>, value: ok ? (fields as T) : undefined };
  };
  /** The own entries of an object-valued section (`{}` when absent and `optional`). */
  const entriesOf = (value: unknown, at: string, required: boolean): Array<[string, unknown]> | undefined => {
    if (value === undefined && !required) return [];
    if (!isObject(value)) {
      fail({ path: at, message: value === undefined ? "is required" : `must be an object, not ${quote(value)}`, fix: `write it as {"<name>": {...}} (see ${README})` });
      return undefined;
    }
    return Object.keys(value).map((k) => [k, value[k]]);
  };

  if (!isObject(raw)) {
    fail({ path: "", message: `must hold one JSON object ({...}), not ${quote(raw)}`, fix: `start from config/dev.json (see ${README})` });
    return { regions: [], regionsComplete: false, tags: [], models: [], unparsedModelIds: new Set(), routes: Object.create(null), routeNames: new Set(), routesPresent: false, workloads: [], guardrails: Object.create(null), guardrailNames: new Set(), alarms: {}, budget: {}, appConfig: {}, smoke: {}, catalog: {}, organizationGuard: {} };
  }
  unknownKeys(raw, TOP_KEYS, []).forEach(fail);
  const shape = environmentSchema.shape;

  const name = parse(FIELD_SCHEMAS.name, own(raw, "name"), ["name"]);
  const account = parse(FIELD_SCHEMAS.account, own(raw, "account"), ["account"]);
  const metricsNamespace = parse(FIELD_SCHEMAS.metricsNamespace, own(raw, "metricsNamespace"), ["metricsNamespace"]);
  const backend = parse(shape.backend, own(raw, "backend"), ["backend"]);

  // regions: each entry on its own
  const regions: Array<{ index: number; region: string }> = [];
  const rawRegions = own(raw, "regions");
  let regionsComplete = false;
  if (!Array.isArray(rawRegions)) fail({ path: "regions", message: rawRegions === undefined ? "is required" : `must be an array of region names, not ${quote(rawRegions)}`, fix: 'e.g. "regions": ["us-east-1"]' });
  else if (rawRegions.length === 0) fail({ path: "regions", message: "needs at least 1 region", fix: 'e.g. "regions": ["us-east-1"]' });
  else {
    regionsComplete = true;
    rawRegions.forEach((r, index) => {
      const region = parse(FIELD_SCHEMAS.regionName, r, ["regions", index]);
      if (region === undefined) regionsComplete = false;
      else regions.push({ index, region });
    });
  }

  // tags: keys are checked against AWS's rules later; here only that values are strings
  const tags: Array<[string, string]> = [];
  for (const [key, value] of entriesOf(own(raw, "tags"), "tags", false) ?? []) {
    if (typeof value === "string") tags.push([key, value]);
    else fail({ path: jsonPath(["tags", key]), message: `must be a string, not ${quote(value)}`, fix: "quote the tag value" });
  }

  // models: each entry on its own
  const models: Array<ModelConfig | undefined> = [];
  const unparsedModelIds = new Set<string>();
  const rawModels = own(raw, "models");
  if (!Array.isArray(rawModels)) fail({ path: "models", message: rawModels === undefined ? "is required" : `must be an array, not ${quote(rawModels)}`, fix: 'e.g. "models": [{"id": "amazon.nova-lite-v1:0"}]' });
  else if (rawModels.length === 0) fail({ path: "models", message: "needs at least 1 model", fix: 'e.g. "models": [{"id": "amazon.nova-lite-v1:0"}]' });
  else
    rawModels.forEach((m, i) => {
      const model = parse(modelSchema, m, ["models", i]);
      models.push(model);
      if (!model && isObject(m) && typeof own(m, "id") === "string") unparsedModelIds.add(own(m, "id") as string);
    });

  // routes: each name and entry on its own
  const routes: Record<string, RouteConfig> = Object.create(null);
  const routeNames = new Set<string>();
  const rawRoutes = entriesOf(own(raw, "routes"), "routes", true);
  for (const [task, value] of rawRoutes ?? []) {
    routeNames.add(task);
    const validName = parse(FIELD_SCHEMAS.routeName, task, ["routes", task]) !== undefined;
    const route = parse(routeSchema, value, ["routes", task]);
    if (validName && route) routes[task] = route;
  }

  // workloads: each name and field on its own
  const workloads: DraftWorkload[] = [];
  for (const [w, value] of entriesOf(own(raw, "workloads"), "workloads", false) ?? []) {
    const validName = parse(FIELD_SCHEMAS.name, w, ["workloads", w]) !== undefined;
    const { fields, value: parsed } = parseObject<WorkloadConfig>(workloadSchema, value, ["workloads", w]);
    workloads.push({ name: w, validName, fields, value: parsed });
  }

  // guardrails: each name and entry on its own
  const guardrails: Record<string, GuardrailConfig> = Object.create(null);
  const guardrailNames = new Set<string>();
  for (const [g, value] of entriesOf(own(raw, "guardrails"), "guardrails", false) ?? []) {
    guardrailNames.add(g);
    const validName = parse(FIELD_SCHEMAS.name, g, ["guardrails", g]) !== undefined;
    const guardrail = parse(guardrailSchema, value, ["guardrails", g]);
    if (validName && guardrail) guardrails[g] = guardrail;
  }

  // sections with defaults: absent means all defaults
  const section = <T extends object>(key: string, schema: { shape: Record<string, z.ZodType> }, required = false) => {
    const value = own(raw, key);
    return parseObject<T>(schema, value === undefined && !required ? {} : value, [key]);
  };
  const alarms = section<AlarmConfig>("alarms", alarmsSchema);
  const budget = section<BudgetConfig>("budget", budgetSchema, true);
  const appConfig = section<AppConfigSettings>("appConfig", appConfigSchema);
  const smoke = section<EnvironmentConfig["smoke"]>("smoke", smokeSchema);
  const catalogSettings = section<EnvironmentConfig["catalog"]>("catalog", catalogSettingsSchema);
  const organizationGuard = section<OrganizationGuardConfig>("organizationGuard", organizationGuardSchema);

  const draft: Draft = {
    name,
    account,
    regions,
    regionsComplete,
    tags,
    models,
    unparsedModelIds,
    routes,
    routeNames,
    routesPresent: rawRoutes !== undefined,
    workloads,
    guardrails,
    guardrailNames,
    alarms: alarms.fields,
    budget: budget.fields,
    appConfig: appConfig.fields,
    metricsNamespace,
    smoke: smoke.fields,
    catalog: catalogSettings.fields,
    organizationGuard: organizationGuard.fields,
  };
  if (!complete || name === undefined || account === undefined || metricsNamespace === undefined || !alarms.value || !budget.value || !appConfig.value || !smoke.value || !catalogSettings.value || !organizationGuard.value)
    return draft;
  const nullProto = <T>(entries: Iterable<readonly [string, T]>): Record<string, T> => Object.assign(Object.create(null), Object.fromEntries(entries));
  const config: EnvironmentConfig = {
    name,
    account,
    regions: regions.map((r) => r.region),
    tags: nullProto(tags),
    models: models as ModelConfig[],
    routes,
    workloads: nullProto(workloads.map((w) => [w.name, w.value!] as const)),
    guardrails,
    alarms: alarms.value,
    budget: budget.value,
    appConfig: appConfig.value,
    metricsNamespace,
    smoke: smoke.value,
    catalog: catalogSettings.value,
    organizationGuard: organizationGuard.value,
    ...(backend ? { backend } : {}),
  };
  return { ...draft, complete: config };
}

/** Keys of `value` that `allowed` does not have, each with a "did you mean". */
function unknownKeys(value: Json, allowed: readonly string[], at: readonly PropertyKey[]): Problem[] {
  return Object.keys(value)
    .filter((k) => !allowed.includes(k))
    .map((k) => {
      const near = closest(k, allowed, { max: 1 });
      return { path: jsonPath(at), message: `unknown key ${quote(k)}`, fix: near.length ? `did you mean ${quote(near[0])}?` : `remove it (keys: ${allowed.join(", ")})` };
    });
}

/** The value at a zod issue path below `base`, own properties only. */
function valueAt(base: unknown, path: readonly PropertyKey[]): unknown {
  let v = base;
  for (const k of path) {
    if (v === null || typeof v !== "object" || !Object.hasOwn(v, k)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

const article = (expected: string) => (expected === "int" ? "an integer" : /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`);

/** One zod issue as Problems; `at` is where the parsed value sits in the file, `value` that value. */
function schemaProblems(issue: z.core.$ZodIssue, at: readonly PropertyKey[], value: unknown): Problem[] {
  if (issue.code === "invalid_union") {
    // Report the branch the value was evidently meant for (the one that got past its type check), else the choices.
    const meant = issue.errors.filter((errs) => !errs.every((e) => e.path.length === 0 && (e.code === "invalid_type" || e.code === "invalid_value")));
    const got = valueAt(value, issue.path);
    if (meant.length === 1) return meant[0].flatMap((e) => schemaProblems(e, [...at, ...issue.path], got));
    return [{ path: jsonPath([...at, ...issue.path]), message: `has none of the accepted forms (got ${quote(got)})`, fix: `see ${README}` }];
  }
  return [schemaProblem(issue, at, value)];
}

function schemaProblem(issue: z.core.$ZodIssue, at: readonly PropertyKey[], value: unknown): Problem {
  const path = jsonPath([...at, ...issue.path]);
  const got = valueAt(value, issue.path);
  switch (issue.code) {
    case "custom": {
      const fix = (issue.params as { fix?: unknown } | undefined)?.fix;
      return { path, message: issue.message, fix: typeof fix === "string" ? fix : `see ${README}` };
    }
    case "unrecognized_keys":
      return { path, message: `unknown key${issue.keys.length > 1 ? "s" : ""} ${quoteList(issue.keys)}`, fix: `remove ${issue.keys.length > 1 ? "them" : "it"} or check the spelling against ${README}` };
    case "invalid_type":
      if (got === undefined) return { path, message: "is required", fix: `add it (${article(issue.expected)})` };
      if (typeof got === "number" && !Number.isFinite(got)) return { path, message: "is too large a number (it overflows to Infinity)", fix: "use a smaller number" };
      return { path, message: `must be ${article(issue.expected)}, not ${quote(got)}`, fix: `set ${issue.expected === "int" ? "a whole number" : article(issue.expected)}` };
    case "invalid_value":
      return { path, message: `must be one of ${quoteList(issue.values, 10)} (got ${quote(got)})`, fix: "use one of the listed values" };
    case "too_small":
      if (issue.origin === "array") return { path, message: `needs at least ${issue.minimum} item(s)`, fix: "add entries" };
      if (issue.origin === "string") return { path, message: "must not be empty", fix: "set a value" };
      return { path, message: `must be ${issue.inclusive ? ">=" : ">"} ${issue.minimum} (got ${quote(got)})`, fix: `raise it to ${issue.inclusive ? "at least" : "more than"} ${issue.minimum}` };
    case "too_big":
      if (issue.origin === "array") return { path, message: `allows at most ${issue.maximum} item(s)${issue.message.startsWith("Too big") ? "" : ` (${issue.message})`}`, fix: "remove entries" };
      if (issue.origin === "string") return { path, message: `is ${typeof got === "string" ? got.length : "too many"} characters; at most ${issue.maximum}`, fix: "shorten it" };
      return { path, message: `must be ${issue.inclusive ? "<=" : "<"} ${issue.maximum} (got ${quote(got)})`, fix: `lower it to ${issue.inclusive ? "at most" : "less than"} ${issue.maximum}` };
    case "invalid_format":
      return { path, message: `${quote(got)} ${issue.message}`, fix: `see ${README}` };
    default:
      return { path, message: issue.message, fix: `see ${README}` };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Names: the file's and the environment's

function nameProblems(d: Draft, options: ValidationOptions): Problem[] {
  const expected = options.expectedName;
  if (expected === undefined) return [];
  const fileBreaches = nameBreaches(expected, MAX_NAME_LENGTH);
  if (fileBreaches.length) {
    // The file name decides the environment name, so a bad one is fixed by renaming the file, never by copying it.
    const target = d.name ?? suggestName(expected, MAX_NAME_LENGTH);
    return [
      {
        path: "",
        message: `the file name ${quote(expected)} is not a valid environment name: it ${fileBreaches.map((b) => b.message).join("; ")}`,
        fix: target ? `rename the file to ${target}.json (and set "name": ${quote(target)})` : "rename the file to <name>.json with a lowercase name",
      },
    ];
  }
  if (d.name !== undefined && d.name !== expected)
    return [{ path: "name", message: `${quote(d.name)} does not match the file name ${quote(expected)}`, fix: `set "name": ${quote(expected)} or rename the file to ${d.name}.json` }];
  return [];
}

// ---------------------------------------------------------------------------------------------------------------
// Structure: references, duplicates, tags, alarm windows (everything that is not about models and the catalog)

/** Entries of `list` equal (by `key`) to an earlier one: a problem at each later index. */
function duplicates(list: readonly unknown[] | undefined, at: readonly PropertyKey[], what: string, key: (v: string) => string = (v) => v, explain = ""): Problem[] {
  const seen = new Map<string, number>();
  const out: Problem[] = [];
  (list ?? []).forEach((v, i) => {
    if (typeof v !== "string") return;
    const k = key(v);
    const first = seen.get(k);
    if (first === undefined) seen.set(k, i);
    else
      out.push({
        path: jsonPath([...at, i]),
        message: list![first] === v ? `${what} ${quote(v)} is listed twice (first at [${first}])` : `${quote(v)} is the same ${what} as [${first}] ${quote(list![first])}${explain}`,
        fix: "list it once",
      });
  });
  return out;
}

const SAME_PRINCIPAL = " (IAM names are unique per account, ignoring case and path)";
const emailIdentity = (e: string) => e.toLowerCase();

/** Tag keys the baseline sets itself (provider default tags). */
const BASELINE_TAG_KEYS = ["environment", "managed-by"];

function structureProblems(d: Draft): Problem[] {
  const problems: Problem[] = [];
  const add = (path: string, message: string, fix: string, severity?: "warning") => problems.push({ path, message, fix, severity });

  // regions: duplicates and one partition (an account lives in exactly one)
  problems.push(...duplicates(d.regions.map((r) => r.region), ["regions"], "region"));
  const partition = d.regions.length ? partitionOf(d.regions[0].region) : undefined;
  for (const r of d.regions)
    if (partitionOf(r.region) !== partition)
      add(`regions[${r.index}]`, `${r.region} is in the ${partitionOf(r.region)} partition, ${d.regions[0].region} in ${partition}; an account belongs to one`, "split the environment by partition");

  if (d.routesPresent && d.routeNames.size === 0) add("routes", "no routes declared", "add at least one task route");
  for (const [task, r] of Object.entries(d.routes))
    if (r.timeToFirstTokenP90Ms !== undefined && !r.streaming)
      add(jsonPath(["routes", task, "timeToFirstTokenP90Ms"]), "only applies to a streaming route (TimeToFirstToken is reported for ConverseStream calls only)", 'set "streaming": true if the route\'s clients stream, or remove it');

  // guardrails: what routes reference exists, and what is declared is used
  const referenced = new Set<string>();
  for (const [task, r] of Object.entries(d.routes)) {
    if (r.guardrail === undefined) continue;
    referenced.add(r.guardrail);
    if (!d.guardrailNames.has(r.guardrail)) {
      const near = closest(r.guardrail, d.guardrailNames, { max: 1 });
      add(
        jsonPath(["routes", task, "guardrail"]),
        `unknown guardrail ${quote(r.guardrail)}`,
        near.length ? `did you mean ${quote(near[0])}?` : d.guardrailNames.size ? `use one of: ${quoteList([...d.guardrailNames])}` : `declare it in "guardrails": {${quote(r.guardrail)}: {...}} (README "Guardrails per route")`,
      );
    }
  }
  for (const g of d.guardrailNames)
    if (!referenced.has(g) && Object.hasOwn(d.guardrails, g))
      add(jsonPath(["guardrails", g]), "no route uses it, yet every region stack creates and publishes it", `reference it with "guardrail": ${quote(g)} on a route, or remove it`, "warning");

  for (const w of d.workloads) {
    const at = ["workloads", w.name];
    const f = w.fields;
    f.routes?.forEach((r, i) => {
      if (!d.routeNames.has(r)) {
        const near = closest(r, d.routeNames, { max: 1 });
        add(jsonPath([...at, "routes", i]), `unknown route ${quote(r)}`, near.length ? `did you mean ${quote(near[0])}? (routes: ${quoteList([...d.routeNames])})` : `use one of: ${quoteList([...d.routeNames])}`);
      }
    });
    problems.push(...duplicates(f.routes, [...at, "routes"], "route"));
    problems.push(...duplicates(f.principals, [...at, "principals"], "principal", principalIdentity, SAME_PRINCIPAL));
    if (f.role) {
      problems.push(...duplicates(f.role.assumedByServices, [...at, "role", "assumedByServices"], "service"));
      problems.push(...duplicates(f.role.assumedByPrincipals, [...at, "role", "assumedByPrincipals"], "principal", principalIdentity, SAME_PRINCIPAL));
    }
    if (w.value && w.value.principals.length === 0 && !w.value.role)
      add(jsonPath(at), "has neither principals nor role", `add "principals": [role ARN] or "role": {"assumedByServices": [...]}`);
    if (w.value?.role && w.value.role.assumedByServices.length + w.value.role.assumedByPrincipals.length === 0)
      add(jsonPath([...at, "role"]), "nobody can assume the role", "add assumedByServices or assumedByPrincipals");
  }
  problems.push(...duplicates(d.smoke.principals, ["smoke", "principals"], "principal", principalIdentity, SAME_PRINCIPAL));
  problems.push(...duplicates(d.alarms.emails, ["alarms", "emails"], "address", emailIdentity, " (addresses compare without case)"));
  problems.push(...duplicates(d.budget.emails, ["budget", "emails"], "address", emailIdentity, " (addresses compare without case)"));
  if (d.budget.alerts)
    problems.push(...duplicates(d.budget.alerts.map((a) => `${a.type} ${a.percent}%`), ["budget", "alerts"], "alert"));
  problems.push(...organizationGuardProblems(d));

  // tags: AWS's rules, the keys the baseline adds, and what cdktf cannot write
  const seenTags = new Map<string, string>();
  for (const [key, value] of d.tags) {
    const at = jsonPath(["tags", key]);
    const keyBreach = tagKeyBreach(key);
    if (keyBreach) add(at, `${keyBreach} (key ${quote(key)})`, "rename the tag");
    const valueBreach = tagValueBreach(value);
    if (valueBreach) add(at, valueBreach, "shorten or change the value");
    // cdktf builds the provider block with plain-object assignment, which drops a key named __proto__ without a word.
    if (key === "__proto__") add(at, "cdktf cannot write a tag named __proto__ (it would be dropped silently)", "rename the tag");
    const lower = key.toLowerCase();
    if (BASELINE_TAG_KEYS.includes(lower)) add(at, `the baseline sets the ${lower} tag itself`, "remove it (or rename it)");
    const earlier = seenTags.get(lower);
    if (earlier !== undefined) add(at, `differs from the tag ${quote(earlier)} only in case; IAM refuses such pairs`, "keep one of them");
    else seenTags.set(lower, key);
  }
  if (d.tags.length + BASELINE_TAG_KEYS.length > MAX_TAGS)
    add("tags", `${d.tags.length} tags plus the baseline's ${BASELINE_TAG_KEYS.length} exceed AWS's ${MAX_TAGS} per resource`, `keep at most ${MAX_TAGS - BASELINE_TAG_KEYS.length} tags`);
  const scope = d.budget.scope;
  if (scope && scope !== "account") {
    const keyBreach = tagKeyBreach(scope.tagKey);
    if (keyBreach) add("budget.scope.tagKey", keyBreach, "use the key of an activated cost-allocation tag");
    const valueBreach = tagValueBreach(scope.tagValue);
    if (valueBreach) add("budget.scope.tagValue", valueBreach, "use the tag's value");
  }

  // alarms: CloudWatch evaluates at most one day of data
  const a = d.alarms;
  if (a.periodSeconds !== undefined && a.evaluationPeriods !== undefined && a.periodSeconds * a.evaluationPeriods > MAX_ALARM_EVALUATION_SECONDS)
    add(
      "alarms.evaluationPeriods",
      `${a.evaluationPeriods} periods of ${a.periodSeconds} s is ${a.periodSeconds * a.evaluationPeriods} s; CloudWatch evaluates at most ${MAX_ALARM_EVALUATION_SECONDS} s (one day)`,
      `use at most ${Math.floor(MAX_ALARM_EVALUATION_SECONDS / a.periodSeconds)} evaluation periods, or a shorter period`,
    );

  if (d.alarms.emails?.length === 0 && !d.budget.emails?.length)
    add("alarms.emails", "no one is notified of alarms or budget alerts", "add at least one email (or subscribe to the SNS topic yourself)", "warning");
  return problems;
}

/** The guard's settings fit together: targets only where the policy is created, nothing set while it is off. */
function organizationGuardProblems(d: Draft): Problem[] {
  const g = d.organizationGuard;
  const problems: Problem[] = [...duplicates(g.targets, ["organizationGuard", "targets"], "target")];
  const add = (path: string, message: string, fix: string, severity?: "warning") => problems.push({ path, message, fix, severity });
  const targets = g.targets ?? [];
  if (g.enabled === false && (g.managementAccount || targets.length))
    add("organizationGuard.enabled", "is false, so managementAccount and targets have no effect", 'set "enabled": true to emit the guard, or remove the other settings', "warning");
  if (g.managementAccount === false && targets.length)
    add("organizationGuard.targets", "targets are attached only when the account stack creates the policy", 'set "managementAccount": true (the environment\'s account manages SCPs), or remove targets and attach the written policy yourself');
  // SCPs never restrict the management account (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html).
  targets.forEach((t, i) => {
    if (g.managementAccount && t === d.account)
      add(`organizationGuard.targets[${i}]`, `${t} is the environment's own account; if it is the organization's management account, SCPs do not restrict it`, "attach the guard to the OUs or accounts that run workloads", "warning");
  });
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// AWS limits on what synth derives from the names and lists

/** Every AWS name the baseline derives from user names, with the path of the user part it comes from. */
function derivedNames(d: Draft): Array<{ path: string; rule: NameRule; name: string; owner: string }> {
  const env = d.name;
  if (env === undefined) return [];
  const out: Array<{ path: string; rule: NameRule; name: string; owner: string }> = [];
  const push = (path: string, rule: NameRule, name: string, owner: string) => out.push({ path, rule, name, owner });
  push("name", NAME_RULES.snsTopic, names.alarmTopic(env), "the alarm topic");
  push("name", NAME_RULES.snsTopic, names.budgetTopic(env), "the budget topic");
  push("name", NAME_RULES.budget, names.budget(env), "the budget");
  push("name", NAME_RULES.appConfigApplication, names.appConfigApplication(env), "the AppConfig application");
  push("name", NAME_RULES.appConfigEnvironment, names.appConfigEnvironment(env), "the AppConfig environment");
  push("name", NAME_RULES.appConfigStrategy, names.routineStrategy(env), "the routine strategy");
  push("name", NAME_RULES.appConfigStrategy, names.emergencyStrategy(env), "the emergency strategy");
  push("name", NAME_RULES.alarm, names.rollbackAlarm(env), "the rollback alarm");
  for (const g of Object.keys(d.guardrails)) push(jsonPath(["guardrails", g]), NAME_RULES.guardrail, names.guardrail(env, g), `guardrail ${g}`);
  for (const region of new Set(d.regions.map((r) => r.region))) {
    push("name", NAME_RULES.iamRole, names.rollbackRole(env, region), "the AppConfig rollback role");
    push("name", NAME_RULES.iamPolicy, names.smokePolicy(env, region), "the smoke policy");
    push("name", NAME_RULES.dashboard, names.dashboard(env, region), "the dashboard");
    for (const w of d.workloads) {
      if (!w.validName) continue;
      const at = jsonPath(["workloads", w.name]);
      push(at, NAME_RULES.iamPolicy, names.workloadPolicy(env, region, w.name), `the policy of workload ${w.name}`);
      if (w.fields.role) push(at, NAME_RULES.iamRole, names.workloadRole(env, region, w.name), `the role of workload ${w.name}`);
    }
  }
  return out;
}

function awsLimitProblems(d: Draft): Problem[] {
  const problems: Problem[] = [];
  // Name lengths and characters, and two derived IAM names that would be the same (e.g. a workload named "smoke").
  const reported = new Set<string>();
  const byName = new Map<string, string>();
  for (const n of derivedNames(d)) {
    const breach = nameRuleBreach(n.rule, n.name);
    if (breach && !reported.has(breach)) {
      reported.add(breach);
      problems.push({ path: n.path, message: breach, fix: n.path === "name" ? "shorten the environment name" : n.path.startsWith("guardrails") ? "shorten the guardrail (or environment) name" : "shorten the workload (or environment) name" });
    }
    if (n.rule === NAME_RULES.iamRole || n.rule === NAME_RULES.iamPolicy) {
      const key = `${n.rule.what}:${n.name.toLowerCase()}`;
      const first = byName.get(key);
      if (first === undefined) byName.set(key, n.owner);
      else if (!reported.has(key)) {
        reported.add(key);
        problems.push({ path: n.path, message: `${n.owner} would be named ${n.name}, like ${first}`, fix: "rename the workload" });
      }
    }
  }

  // A managed policy can only be attached to principals of its own account (and partition); other accounts assume a
  // created role.
  const partition = d.regions.length ? partitionOf(d.regions[0].region) : undefined;
  const attached: Array<[string, string, number]> = [
    ...d.workloads.flatMap((w) => (w.fields.principals ?? []).map((p, i): [string, string, number] => [jsonPath(["workloads", w.name, "principals", i]), p, 1])),
    ...(d.smoke.principals ?? []).map((p, i): [string, string, number] => [`smoke.principals[${i}]`, p, 1]),
  ];
  for (const [path, arn] of attached) {
    const p = parsePrincipalArn(arn);
    if (!p) continue;
    if (d.account !== undefined && p.account !== d.account)
      problems.push({ path, message: `${quote(arn)} is in account ${p.account}, not ${d.account}; a policy can only be attached in its own account`, fix: `use a principal of ${d.account}, or give a role "assumedByPrincipals"` });
    else if (partition && p.partition !== partition)
      problems.push({ path, message: `${quote(arn)} is in the ${p.partition} partition; the environment's regions are in ${partition}`, fix: `use an arn:${partition}:iam:: principal` });
  }
  for (const w of d.workloads)
    for (const [i, arn] of (w.fields.role?.assumedByPrincipals ?? []).entries()) {
      const p = parsePrincipalArn(arn);
      if (p && partition && p.partition !== partition)
        problems.push({ path: jsonPath(["workloads", w.name, "role", "assumedByPrincipals", i]), message: `${quote(arn)} is in the ${p.partition} partition; the environment's regions are in ${partition}`, fix: `use an arn:${partition}:iam:: principal` });
    }

  // A created role's trust policy.
  for (const w of d.workloads) {
    const role = w.fields.role;
    if (!role) continue;
    const length = JSON.stringify(trustPolicy({ services: role.assumedByServices, principals: role.assumedByPrincipals })).length;
    if (length > MAX_TRUST_POLICY_CHARS)
      problems.push({ path: jsonPath(["workloads", w.name, "role"]), message: `the role's trust policy would be ${length} characters; IAM allows ${MAX_TRUST_POLICY_CHARS}`, fix: "trust fewer services or principals (or request the 4,096-character quota)" });
  }

  // Budgets emails each alert directly.
  const emails = d.budget.emails ?? d.alarms.emails;
  if (emails && emails.length > 10)
    problems.push({
      path: d.budget.emails ? "budget.emails" : "alarms.emails",
      message: `budget alerts would email ${emails.length} addresses; AWS Budgets allows 10 per notification`,
      fix: "set budget.emails to at most 10 addresses (or subscribe to the budget SNS topic)",
    });
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// Models and the catalog: core/environment/model-resolution.ts decides existence, lifecycle, profiles per region, snapshot age and
// the specs; here only what routes make of the models (declared, enabled, within their output limits).

/** What the model checks read: the well-formed account, regions, models (index-preserving), routes and catalog settings. */
interface ModelCheckInput extends ModelInput {
  readonly unparsedModelIds: ReadonlySet<string>;
  readonly routes: Readonly<Record<string, RouteConfig>>;
}

function modelCheckInput(d: Draft): ModelCheckInput {
  return { account: d.account, regions: d.regions.map((r) => r.region), models: d.models, maxAgeDays: d.catalog.maxAgeDays, unparsedModelIds: d.unparsedModelIds, routes: d.routes };
}

function modelProblems(env: ModelCheckInput, models: ModelResolution): Problem[] {
  const problems: Problem[] = [...models.problems];
  const add = (path: string, message: string, fix: string, severity?: "warning") => problems.push({ path, message, fix, severity });

  const declared = new Map<string, { index: number; model: ModelConfig }>();
  for (const [i, m] of env.models.entries()) if (m && !declared.has(m.id)) declared.set(m.id, { index: i, model: m });

  const usable = (id: string, path: string): boolean => {
    const d = declared.get(id);
    if (!d) {
      if (env.unparsedModelIds.has(id)) return false; // declared by a malformed entry, reported there
      add(path, `${id} is not declared in models`, `add {"id": "${id}"} to models or pick a declared model`);
      return false;
    }
    if (!d.model.enabled) {
      add(path, `${id} is disabled (models[${d.index}].enabled is false)`, `enable it or route to another model`);
      return false;
    }
    return Object.hasOwn(models.specs, id);
  };

  for (const [task, route] of Object.entries(env.routes)) {
    const base = `routes.${task}`;
    const candidates: Array<[string, string]> = [[route.primary, `${base}.primary`]];
    route.fallbacks.forEach((f, i) => {
      const path = `${base}.fallbacks[${i}]`;
      if (f === route.primary) add(path, `fallback ${f} is the primary`, "remove it or choose a different model");
      else if (route.fallbacks.indexOf(f) !== i) add(path, `fallback ${f} is listed twice`, "list each fallback once");
      else candidates.push([f, path]);
    });
    // The canary is one more candidate (IAM grants it, maxTokens and the tier must fit it); a fallback may be canaried.
    if (route.canary) {
      const path = `${base}.canary.model`;
      if (route.canary.model === route.primary) add(path, `canary ${route.canary.model} is the primary`, "canary a different model, or remove the canary");
      else if (!route.fallbacks.includes(route.canary.model)) candidates.push([route.canary.model, path]);
    }
    const resolved = candidates.filter(([id, path]) => usable(id, path)).map(([id]) => id);
    problems.push(...maxTokensProblems(task, route.maxTokens, resolved, models.specs), ...serviceTierProblems(task, route.serviceTier, resolved, models.specs));
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// The resolved plan and the limits only it can tell

/** The parts a plan is resolved from are sound: name, account, every region, model and route, no model problem. */
function resolvable(d: Draft, modelChecks: readonly Problem[]): boolean {
  return (
    d.name !== undefined &&
    d.account !== undefined &&
    d.regionsComplete &&
    d.models.length > 0 &&
    d.models.every((m) => m !== undefined) &&
    d.routeNames.size > 0 &&
    Object.keys(d.routes).length === d.routeNames.size &&
    !modelChecks.some(isError)
  );
}

/**
 * Invocations and specs of the enabled models. The plan's config is the full config when the file is complete, else
 * the sound parts the plan-level checks read (name, account, regions, models, routes, well-formed workloads).
 */
function resolve(d: Draft, models: ModelResolution): BaselinePlan {
  const regions = [...new Set(d.regions.map((r) => r.region))];
  // Workloads as the plan-level checks read them: well formed, and naming only routes that exist (an unknown route is
  // reported by the structure checks).
  const workloads: Record<string, WorkloadConfig> = Object.create(null);
  for (const w of d.workloads) if (w.value && w.validName) workloads[w.name] = { ...w.value, routes: w.value.routes.filter((r) => Object.hasOwn(d.routes, r)) };
  const partial = { name: d.name!, account: d.account!, regions, models: d.models as ModelConfig[], routes: d.routes, guardrails: d.guardrails, smoke: { principals: d.smoke.principals ?? [] } } as unknown as EnvironmentConfig;
  const config = { ...(d.complete ?? partial), workloads };
  return { config, invocations: models.invocations, specs: models.specs, warnings: [] };
}

function validatorProblems(env: BaselinePlan): Problem[] {
  return env.config.regions.flatMap((region) => {
    const bytes = routingValidator(env, region).bytes;
    return bytes > MAX_VALIDATOR_BYTES
      ? [{ path: "routes", message: `the routing JSON Schema for ${region} is ${bytes} bytes; AppConfig allows ${MAX_VALIDATOR_BYTES}`, fix: "split the environment or remove routes/models" }]
      : [];
  });
}

/**
 * Managed policies as a stack creates them (packed into parts of at most 6,144 characters, core/iam/policy-packing.ts):
 * no single statement may exceed the limit, and every attached principal stays within IAM's managed-policies quota,
 * counting every part in every region.
 */
function policyProblems(plan: BaselinePlan, d: Draft): Problem[] {
  const problems: Problem[] = [];
  const c = plan.config;
  const attached = new Map<string, { path: string; arn: string; count: number }>();
  const attach = (path: string, arn: string, parts: number) => {
    const id = principalIdentity(arn);
    const entry = attached.get(id) ?? { path, arn, count: 0 };
    entry.count += parts;
    attached.set(id, entry);
  };
  const packed = (path: string, what: string, region: string, doc: PolicyDocument): PolicyDocument[] => {
    const parts = packPolicy(doc);
    const largest = Math.max(...partSizes(parts));
    if (largest > MAX_MANAGED_POLICY_CHARS)
      problems.push({ path, message: `one statement of ${what} in ${region} would be about ${largest} characters; IAM allows ${MAX_MANAGED_POLICY_CHARS} per policy`, fix: "declare fewer models per route" });
    return parts;
  };
  for (const region of new Set(c.regions)) {
    const routing = sizingRouting(region, c.account);
    // Every name a route references (an undeclared one is reported on its own; sized like the rest).
    const refs = sizingRefs(new Set([...Object.keys(c.guardrails), ...Object.values(c.routes).flatMap((r) => (r.guardrail ? [r.guardrail] : []))]), region, c.account, partitionOf(region));
    if (d.metricsNamespace !== undefined) {
      const sized = { ...plan, config: { ...c, metricsNamespace: d.metricsNamespace } };
      for (const [w, cfg] of Object.entries(c.workloads)) {
        const parts = packed(jsonPath(["workloads", w]), `the policy of workload ${w}`, region, workloadPolicyOf(sized, region, w, routing, refs));
        cfg.principals.forEach((p, i) => attach(jsonPath(["workloads", w, "principals", i]), p, parts.length));
        if (cfg.role && parts.length > DEFAULT_MANAGED_POLICIES_PER_PRINCIPAL)
          problems.push({ path: jsonPath(["workloads", w, "role"]), message: `the role of workload ${w} in ${region} would get ${parts.length} baseline policies; IAM's default quota is ${DEFAULT_MANAGED_POLICIES_PER_PRINCIPAL} managed policies per role`, fix: "give the workload fewer routes (or models), or request an increase", severity: "warning" });
      }
    }
    const smoke = packed("models", "the smoke policy", region, smokePolicyOf(plan, region, routing, refs));
    c.smoke.principals.forEach((p, i) => attach(`smoke.principals[${i}]`, p, smoke.length));
  }
  for (const { path, arn, count } of attached.values()) {
    if (count > MAX_MANAGED_POLICIES_PER_PRINCIPAL)
      problems.push({ path, message: `${quote(arn)} would get ${count} baseline policies; IAM attaches at most ${MAX_MANAGED_POLICIES_PER_PRINCIPAL} managed policies to a role or user`, fix: "give the workloads created roles, or split the environment" });
    else if (count > DEFAULT_MANAGED_POLICIES_PER_PRINCIPAL)
      problems.push({ path, message: `${quote(arn)} would get ${count} baseline policies; IAM's default quota is ${DEFAULT_MANAGED_POLICIES_PER_PRINCIPAL} managed policies per role or user`, fix: `request an increase (up to ${MAX_MANAGED_POLICIES_PER_PRINCIPAL}) before applying, or use created roles`, severity: "warning" });
  }
  return problems;
}
