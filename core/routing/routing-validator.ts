import { z } from "zod";
import { partitionOf } from "../aws";
import {
  APPLICATION_PROFILE_ARN_PATTERN,
  applicationProfiles,
  type BaselinePlan,
  GUARDRAIL_ARN_PATTERN,
  GUARDRAIL_VERSION_PATTERN,
  type GuardrailRefs,
  profileArnOf,
  type ProfileRefs,
  routeCandidates,
  sizingProfileRefs,
  sizingRefs,
} from "../environment";
import { modelEntrySchema, modelQuotaSchema, routeEntrySchema, routingDocumentSchema } from "../runtime";
import { documentQuotaStore } from "./routing-baseline";

/*
 * The AppConfig JSON_SCHEMA validator of a region's routing document. Its shape is generated from the routing
 * document's own zod schema (core/runtime/routing-document.ts) in draft-04, the dialect AppConfig validators use
 * (https://docs.aws.amazon.com/appconfig/latest/userguide/appconfig-creating-configuration-and-profile-validators.html);
 * then it is narrowed to what the region stack provisions: exactly its models (each keeping its invoke ID), exactly
 * its routes, each route naming only its own candidates (what IAM grants the route's workloads), maxTokens within
 * every candidate's output limit, the route's service tier and guardrail (IAM allows exactly those), and with cost
 * attribution exactly the workloads, their routes and their application profiles. AppConfig then refuses a toggle the
 * baseline never provisioned.
 *
 * Compact by construction, so a large organisation fits AppConfig's 32 KB: route, model and quota are one definition
 * each, a candidate set is one enumeration shared by every route that has it, and routes alike in everything share
 * one definition. Where even that does not fit, routes lose their own candidate lists (fewest routes per list first)
 * and name any model of the region instead; the validator reports which (validation warns), and the toggle's local
 * check (toggle/change.ts, routingJsonSchema) still holds every route to its own candidates.
 */

type JsonSchema = Record<string, unknown>;

/** AppConfig limit on a JSON_SCHEMA validator's content (bytes). */
export const MAX_VALIDATOR_BYTES = 32768;

/** The routing document's JSON Schema as zod writes it, with the route, model and quota schemas as definitions. */
interface GenericSchema {
  readonly top: JsonSchema;
  readonly definitions: Readonly<Record<string, JsonSchema>>;
}

let generic: GenericSchema | undefined;

function genericSchema(): GenericSchema {
  if (generic) return generic;
  const ids = z.registry<{ id: string }>();
  ids.add(routeEntrySchema, { id: "route" });
  ids.add(modelEntrySchema, { id: "model" });
  ids.add(modelQuotaSchema, { id: "quota" });
  // The document-level refinements (a route's models are in `models`) are not JSON Schema; narrowing below states them.
  const emitted = z.toJSONSchema(routingDocumentSchema, { target: "draft-04", metadata: ids }) as JsonSchema;
  const { definitions, ...top } = emitted;
  generic = { top, definitions: definitions as Record<string, JsonSchema> };
  return generic;
}

const ref = (name: string) => ({ $ref: `#/definitions/${name}` });
/** Forbids a property: draft-04 has no `false` schema. */
const ABSENT = { not: {} };

/** What a route pins besides its candidates: the output limit of its candidates, its tier and its guardrail. */
interface RouteShape {
  readonly maxTokens?: number;
  readonly tier?: string;
  readonly guardrail?: string;
}

/** Routes alike in candidates and shape: they share one definition. */
interface RouteClass {
  /** Definition name of the candidate list (`all`: the region's models). */
  readonly candidates: string;
  /** Definition name of the shape. */
  readonly shape: string;
  readonly tasks: string[];
}

/** How far a validator is compacted to fit. */
interface Compaction {
  /**
   * State "every model and route is there" as a count (minProperties beside additionalProperties false) rather than a
   * list of keys: the same guarantee in fewer bytes, with terser messages from AppConfig.
   */
  readonly counts: boolean;
  /** Application profile ARNs checked for their form rather than pinned (their exact values did not fit). */
  readonly profilesByPattern: boolean;
  /** Candidate lists (keys of candidateSets) replaced by the region's models. */
  readonly unrestricted: ReadonlySet<string>;
}

const EXACT: Compaction = { counts: false, profilesByPattern: false, unrestricted: new Set() };

/** `{required: keys}`, or the count that says the same once additionalProperties is false and every key is listed. */
const everyKey = (keys: readonly string[], c: Compaction) => (c.counts ? { minProperties: keys.length } : { required: keys });

/** The candidate lists of a region's routes, keyed by their sorted members, in order of first use. */
function candidateSets(plan: BaselinePlan): Map<string, { members: string[]; tasks: string[] }> {
  const sets = new Map<string, { members: string[]; tasks: string[] }>();
  for (const task of Object.keys(plan.config.routes)) {
    const members = routeCandidates(plan, task);
    const key = JSON.stringify([...members].sort());
    const set = sets.get(key) ?? { members, tasks: [] };
    set.tasks.push(task);
    sets.set(key, set);
  }
  return sets;
}

/** The smallest known output limit of some candidates; undefined when none is known. */
function maxTokensOf(plan: BaselinePlan, candidates: readonly string[]): number | undefined {
  const known = candidates.flatMap((id) => (plan.specs[id]?.maxOutputTokens === undefined ? [] : [plan.specs[id].maxOutputTokens!]));
  return known.length ? Math.min(...known) : undefined;
}

/** A guarded route's guardrail: its name, and the applied identifier and version (pinned when known, else by form). */
function guardrailNarrowing(name: string, refs: GuardrailRefs | undefined): JsonSchema {
  const applied = refs && Object.hasOwn(refs, name) ? refs[name] : undefined;
  return {
    properties: {
      name: { enum: [name] },
      identifier: applied ? { enum: [applied.arn] } : { pattern: GUARDRAIL_ARN_PATTERN },
      version: applied ? { enum: [applied.version] } : { pattern: GUARDRAIL_VERSION_PATTERN },
    },
  };
}

function shapeNarrowing(s: RouteShape, refs: GuardrailRefs | undefined): JsonSchema {
  const pinned = [...(s.tier ? ["serviceTier"] : []), ...(s.guardrail ? ["guardrail"] : [])];
  return {
    allOf: [ref("route")],
    ...(pinned.length ? { required: pinned } : {}),
    properties: {
      fallbacks: { uniqueItems: true },
      ...(s.maxTokens === undefined ? {} : { maxTokens: { maximum: s.maxTokens } }),
      serviceTier: s.tier ? { enum: [s.tier] } : ABSENT,
      guardrail: s.guardrail ? guardrailNarrowing(s.guardrail, refs) : ABSENT,
    },
  };
}

function classNarrowing(c: RouteClass): JsonSchema {
  const candidates = ref(c.candidates);
  return { allOf: [ref(c.shape)], properties: { primary: candidates, fallbacks: { items: candidates }, canary: { properties: { model: candidates } } } };
}

/**
 * The route classes of a region, adding the candidate lists and shapes they name to `definitions`: routes alike in
 * candidates, output limit, tier and guardrail share one class.
 */
function routeClasses(plan: BaselinePlan, region: string, c: Compaction, refs: GuardrailRefs | undefined, definitions: Record<string, JsonSchema>): RouteClass[] {
  const classes = new Map<string, RouteClass>();
  const shapes = new Map<string, string>();
  let setCount = 0;
  for (const [key, set] of candidateSets(plan)) {
    let candidates = "all";
    if (c.unrestricted.has(key)) definitions[candidates] = { enum: Object.keys(plan.invocations[region]) };
    else definitions[(candidates = `c${++setCount}`)] = { enum: set.members };
    for (const task of set.tasks) {
      const r = plan.config.routes[task];
      const s: RouteShape = { maxTokens: maxTokensOf(plan, set.members), tier: r.serviceTier, guardrail: r.guardrail };
      const shapeKey = JSON.stringify(s);
      let shape = shapes.get(shapeKey);
      if (shape === undefined) {
        shapes.set(shapeKey, (shape = `s${shapes.size + 1}`));
        definitions[shape] = shapeNarrowing(s, refs);
      }
      const classKey = `${candidates} ${shape}`;
      classes.set(classKey, { candidates, shape, tasks: [...(classes.get(classKey)?.tasks ?? []), task] });
    }
  }
  return [...classes.values()];
}

/**
 * The workloads of a document that attributes cost: exactly the plan's, each with exactly its routes and one invoke ID
 * per model it uses, pinned to its application profile (the stack's reference, or the applied ARN) or, without one or
 * compacted, checked for the form of such an ARN: then the form is written once (definition `profileArn`) and
 * workloads using the same models share their invoke IDs' schema (`w1`, `w2`, ...). Forbidden when the plan attributes
 * no cost.
 */
function workloadsNarrowing(plan: BaselinePlan, region: string, profiles: ProfileRefs | undefined, c: Compaction, definitions: Record<string, JsonSchema>): JsonSchema {
  const specs = applicationProfiles(plan, region);
  if (specs.length === 0) return ABSENT;
  const workloads = Object.keys(plan.config.workloads);
  const modelsOf = (w: string) => specs.filter((p) => p.workload === w).map((p) => p.modelId);
  const pinned = (w: string) => !c.profilesByPattern && modelsOf(w).every((id) => profileArnOf(profiles, w, id) !== undefined);
  if (workloads.some((w) => !pinned(w))) definitions.profileArn = { type: "string", pattern: APPLICATION_PROFILE_ARN_PATTERN };
  const invokeIds = (w: string): JsonSchema => {
    const models = modelsOf(w);
    const arn = (id: string) => profileArnOf(profiles, w, id);
    return { type: "object", additionalProperties: false, ...everyKey(models, c), properties: Object.fromEntries(models.map((id) => [id, !c.profilesByPattern && arn(id) !== undefined ? { enum: [arn(id)] } : ref("profileArn")])) };
  };
  // Schemas checking form only depend on the models alone: shared by the workloads using the same ones.
  const byModels = new Map<string, string[]>();
  for (const w of workloads.filter((x) => !pinned(x))) byModels.set(JSON.stringify(modelsOf(w)), [...(byModels.get(JSON.stringify(modelsOf(w))) ?? []), w]);
  const shared = new Map<string, string>();
  for (const group of byModels.values())
    if (group.length > 1) {
      const name = `w${shared.size + 1}`;
      definitions[name] = invokeIds(group[0]);
      for (const w of group) shared.set(w, name);
    }
  const entry = (w: string): JsonSchema => ({
    type: "object",
    additionalProperties: false,
    required: ["routes", "invokeIds"],
    properties: { routes: { enum: [[...plan.config.workloads[w].routes]] }, invokeIds: shared.has(w) ? ref(shared.get(w)!) : invokeIds(w) },
  });
  return { type: "object", additionalProperties: false, ...everyKey(workloads, c), properties: Object.fromEntries(workloads.map((w) => [w, entry(w)])) };
}

/** The validator for one region, compacted as `c` says. */
function narrowedSchema(plan: BaselinePlan, region: string, refs: GuardrailRefs | undefined, c: Compaction, profiles?: ProfileRefs): JsonSchema {
  const g = genericSchema();
  const invocations = plan.invocations[region];
  const modelIds = Object.keys(invocations);
  const definitions: Record<string, JsonSchema> = { ...g.definitions };
  const routeSchemas: Record<string, JsonSchema> = {};
  let classCount = 0;
  for (const rc of routeClasses(plan, region, c, refs, definitions)) {
    // A class one route has is written in place; a shared one once, as a definition.
    const name = rc.tasks.length > 1 ? `r${++classCount}` : undefined;
    if (name) definitions[name] = classNarrowing(rc);
    for (const task of rc.tasks) routeSchemas[task] = name ? ref(name) : classNarrowing(rc);
  }
  const properties = g.top.properties as Record<string, JsonSchema>;
  const tasks = Object.keys(plan.config.routes);
  const workloads = workloadsNarrowing(plan, region, profiles, c, definitions);
  return {
    $schema: g.top.$schema,
    title: `Bedrock routing document for ${plan.config.name} in ${region}`,
    type: g.top.type,
    additionalProperties: g.top.additionalProperties,
    required: workloads === ABSENT ? g.top.required : [...(g.top.required as string[]), "workloads"],
    definitions,
    properties: {
      schemaVersion: properties.schemaVersion,
      environment: { enum: [plan.config.name] },
      region: { enum: [region] },
      models: {
        type: "object",
        additionalProperties: false,
        ...everyKey(modelIds, c),
        properties: Object.fromEntries(modelIds.map((id) => [id, { allOf: [ref("model")], properties: { invokeId: { enum: [invocations[id].invokeId] } } }])),
      },
      routes: { type: "object", additionalProperties: false, ...everyKey(tasks, c), properties: Object.fromEntries(tasks.map((t) => [t, routeSchemas[t]])) },
      workloads,
      quotaStore: quotaStoreNarrowing(plan, region, properties.quotaStore),
    },
  };
}

/**
 * The document's `quotaStore`: absent unless the stack creates a cache; then TLS, and the cache, user and key prefix
 * the stack creates (its ACL admits no other prefix), pinned; the endpoint's host is checked for form only.
 */
function quotaStoreNarrowing(plan: BaselinePlan, region: string, generic: JsonSchema): JsonSchema {
  const store = documentQuotaStore(plan, region, "");
  if (!store) return ABSENT;
  return {
    allOf: [generic],
    properties: {
      tls: { enum: [true] },
      keyPrefix: { enum: [store.keyPrefix] },
      iamAuth: store.iamAuth ? { required: ["cacheName", "userId"], properties: { cacheName: { enum: [store.iamAuth.cacheName] }, userId: { enum: [store.iamAuth.userId] } } } : ABSENT,
    },
  };
}

/**
 * The validator holding every route to its own candidates, whatever its size: what the toggle checks a change against
 * locally before AppConfig sees it. With `guardrails` and `profiles` (the stack's references, or the applied values) a
 * guarded route's identifier and version, and each workload's application profiles, are pinned to them; without,
 * they are checked for form only.
 */
export function routingJsonSchema(plan: BaselinePlan, region: string, guardrails?: GuardrailRefs, profiles?: ProfileRefs): JsonSchema {
  return narrowedSchema(plan, region, guardrails, EXACT, profiles);
}

/** The AppConfig validator of one region, sized and fitted to MAX_VALIDATOR_BYTES where it can be. */
export interface RoutingValidator {
  /** UTF-8 bytes of the content with applied values as long as real ones (AppConfig counts the applied content). */
  readonly bytes: number;
  /** Routes AppConfig holds to the region's models rather than to their own candidates (their lists did not fit). */
  readonly unrestrictedRoutes: readonly string[];
  /** Application profile ARNs AppConfig checks for their form only (their exact values did not fit). */
  readonly profilesByPattern: boolean;
  /** The content with the given references (Terraform references in a stack); same shape as the sized one. */
  content(guardrails?: GuardrailRefs, profiles?: ProfileRefs): string;
}

const utf8Bytes = (text: string) => new TextEncoder().encode(text).length;

/**
 * The validator a region stack deploys, sized with applied values as long as real ones (sizingRefs). When the exact
 * validator is over MAX_VALIDATOR_BYTES it is compacted until it fits: first the key lists become counts (no guarantee
 * lost), then application profile ARNs are checked for their form, then candidate lists give way one at a time, those
 * protecting the fewest routes first (ties: the longer list, then the later route). If none is left and it still does
 * not fit, `bytes` stays over and validation refuses.
 */
export function routingValidator(plan: BaselinePlan, region: string): RoutingValidator {
  const sizing = sizingRefs(Object.keys(plan.config.guardrails), region, plan.config.account, partitionOf(region));
  const sizingProfiles = sizingProfileRefs(plan, region);
  const sizeWith = (c: Compaction) => utf8Bytes(JSON.stringify(narrowedSchema(plan, region, sizing, c, sizingProfiles)));
  const sets = [...candidateSets(plan)];
  let compaction = EXACT;
  let bytes = sizeWith(compaction);
  for (const step of [{ ...EXACT, counts: true }, { ...EXACT, counts: true, profilesByPattern: true }]) {
    if (bytes <= MAX_VALIDATOR_BYTES) break;
    compaction = step;
    bytes = sizeWith(compaction);
  }
  if (bytes > MAX_VALIDATOR_BYTES) {
    const order = sets
      .map(([key, s], index) => ({ key, routes: s.tasks.length, length: JSON.stringify(s.members).length, index }))
      .sort((a, b) => a.routes - b.routes || b.length - a.length || b.index - a.index)
      .map((s) => s.key);
    const giving = (k: number): Compaction => ({ counts: true, profilesByPattern: true, unrestricted: new Set(order.slice(0, k)) });
    // The size falls as lists give way (after the first, which adds the region's list): the fewest that fit, by bisection.
    let low = 0;
    let high = order.length;
    while (low < high) {
      const mid = Math.floor((low + high) / 2);
      if (sizeWith(giving(mid)) <= MAX_VALIDATOR_BYTES) high = mid;
      else low = mid + 1;
    }
    compaction = giving(low);
    bytes = sizeWith(compaction);
  }
  const unrestricted = new Set(sets.flatMap(([key, s]) => (compaction.unrestricted.has(key) ? s.tasks : [])));
  return {
    bytes,
    unrestrictedRoutes: Object.keys(plan.config.routes).filter((t) => unrestricted.has(t)),
    profilesByPattern: compaction.profilesByPattern && Object.keys(sizingProfiles).length > 0,
    content: (guardrails, profiles) => JSON.stringify(narrowedSchema(plan, region, guardrails, compaction, profiles)),
  };
}
