import Ajv from "ajv-draft-04";
import { closest, displayText, jsonPath, quote } from "../core/problems";
import { CANARY_PERCENT_MAX, CANARY_PERCENT_MIN, modelOf, routeOf, routingDocumentSchema, type RouteEntry, type RoutingDocument } from "../core/runtime";
import { type BaselinePlan } from "../core/environment";
import { routingJsonSchema } from "../core/routing";

/**
 * The pure half of `npm run toggle`: apply one change to a routing document and check the result locally, before
 * anything is written to AppConfig. No I/O here.
 */

export type ToggleChange =
  | { readonly kind: "disable"; readonly model: string }
  | { readonly kind: "enable"; readonly model: string }
  /** Make `model` the primary of `task`; the old primary becomes the first fallback. */
  | { readonly kind: "primary"; readonly task: string; readonly model: string }
  /** Send `percent` (CANARY_PERCENT_MIN..MAX) of `task`'s calls to `model` first; replaces a canary the route has. */
  | { readonly kind: "canary"; readonly task: string; readonly model: string; readonly percent: number }
  /** Make the canary of `task` its primary: the old primary becomes the first fallback, the canary entry goes. */
  | { readonly kind: "promote"; readonly task: string }
  /** Remove the canary of `task`: every call takes the route's own order again. */
  | { readonly kind: "abort"; readonly task: string };

/** Changes that remove traffic from a model, deployed with the emergency strategy (see toggle/cli.ts). */
export function isEmergency(change: ToggleChange): boolean {
  return change.kind === "disable" || change.kind === "abort";
}

/** A change the toggle refuses to make (exit 1), with every reason. */
export class ToggleRefused extends Error {
  constructor(readonly reasons: readonly string[]) {
    super(reasons.join("\n"));
    this.name = "ToggleRefused";
  }
}

export interface ToggleResult {
  readonly document: RoutingDocument;
  /** False when the document already says what was asked (nothing to deploy). */
  readonly changed: boolean;
  /** Foundation-model ID the change is about. */
  readonly modelId: string;
  /** One line, e.g. `disable amazon.nova-pro-v1:0`. */
  readonly summary: string;
}

/** Foundation-model ID for a foundation-model ID or an invoke ID listed in the document (own entries only). */
export function resolveModel(doc: RoutingDocument, ref: string): string | undefined {
  if (modelOf(doc, ref)) return ref;
  return Object.entries(doc.models).find(([, m]) => m.invokeId === ref)?.[0];
}

/** Names listed in a refusal before `and N more`. */
const LISTED = 10;

function listed(names: readonly string[]): string {
  if (names.length === 0) return "(none)";
  const shown = names.slice(0, LISTED).map((n) => displayText(n, 160)).join(", ");
  return names.length > LISTED ? `${shown} and ${names.length - LISTED} more` : shown;
}

/** ` did you mean "x"?` when a known name is close to the mistyped one, else "". */
function didYouMean(ref: string, known: Iterable<string>): string {
  const [best] = closest(ref, known, { max: 1 });
  return best === undefined ? "" : ` did you mean ${quote(best, 120)}?`;
}

function unknownModel(doc: RoutingDocument, ref: string): ToggleRefused {
  const entries = Object.entries(doc.models);
  const known = entries.map(([id, m]) => `${id} (${m.invokeId})`);
  const hint = didYouMean(ref, entries.flatMap(([id, m]) => [id, m.invokeId]));
  return new ToggleRefused([`${displayText(ref)} is not a model of the deployed routing document, so the baseline never provisioned it (no IAM grant, no alarms);${hint} models: ${listed(known)}. A new model goes into config/<env>.json, then cdktf deploy.`]);
}

/** Routes whose candidates are all disabled. */
export function routesWithoutEnabledModel(doc: RoutingDocument): string[] {
  // The canary is not counted: it serves only its share of calls.
  return Object.entries(doc.routes)
    .filter(([, r]) => ![r.primary, ...r.fallbacks].some((id) => modelOf(doc, id)?.enabled === true))
    .map(([task]) => task);
}

/**
 * Applies `change` to a copy of `doc`. Throws ToggleRefused (one line per reason, names escaped and bounded) when the
 * change cannot apply or would strand a route; never anything else. Every name is looked up as an own property, so
 * `__proto__` or `toString` are unknown names, not members of Object.prototype.
 */
export function applyToggle(doc: RoutingDocument, change: ToggleChange): ToggleResult {
  const next: RoutingDocument = structuredClone(doc);
  if (change.kind === "canary" || change.kind === "promote" || change.kind === "abort") return applyCanaryToggle(doc, next, change);
  const modelId = resolveModel(doc, change.model);
  if (change.kind === "primary") {
    const route = taskRoute(doc, next, change.task);
    if (modelId !== undefined && route.canary?.model === modelId)
      throw new ToggleRefused([`${displayText(modelId)} is the canary of route ${quote(change.task)}; promote it with --promote ${displayText(change.task, 80)} (the canary entry goes with it)`]);
    const candidates = [route.primary, ...route.fallbacks];
    if (!modelId || !candidates.includes(modelId)) {
      const hint = modelId ? "" : didYouMean(change.model, candidates.flatMap((id) => [id, modelOf(doc, id)?.invokeId ?? id]));
      throw new ToggleRefused([
        `${displayText(change.model)} is not a candidate of route ${quote(change.task)} (candidates: ${listed(candidates)});${hint} only a current primary or fallback can become primary, because IAM grants the route's workloads exactly those models`,
      ]);
    }
    if (modelOf(next, modelId)?.enabled !== true) throw new ToggleRefused([`${displayText(modelId)} is disabled; enable it first (--enable ${displayText(modelId)}) so the route's primary can serve`]);
    const summary = `primary ${displayText(change.task, 80)}=${displayText(modelId, 120)}`;
    if (route.primary === modelId) return { document: next, changed: false, modelId, summary };
    route.fallbacks = [route.primary, ...route.fallbacks.filter((f) => f !== modelId)];
    route.primary = modelId;
    return { document: next, changed: true, modelId, summary };
  }
  const entry = modelId === undefined ? undefined : modelOf(next, modelId);
  if (modelId === undefined || !entry) throw unknownModel(doc, change.model);
  const enabled = change.kind === "enable";
  const summary = `${change.kind} ${displayText(modelId, 120)}`;
  if (entry.enabled === enabled) return { document: next, changed: false, modelId, summary };
  entry.enabled = enabled;
  const stranded = routesWithoutEnabledModel(next);
  if (stranded.length)
    throw new ToggleRefused([`disabling ${displayText(modelId, 120)} would leave ${listed(stranded.map((t) => quote(t, 80)))} with no enabled model; enable another candidate of ${stranded.length > 1 ? "those routes" : "that route"} first, or switch its primary`]);
  return { document: next, changed: true, modelId, summary };
}

/** The route of `task` in `next`, or a refusal naming the routes of `doc` (with a "did you mean"). */
function taskRoute(doc: RoutingDocument, next: RoutingDocument, task: string): RouteEntry {
  const route = routeOf(next, task);
  if (route) return route;
  const tasks = Object.keys(doc.routes);
  throw new ToggleRefused([`unknown task ${quote(task)};${didYouMean(task, tasks)} routes: ${listed(tasks)}`]);
}

/**
 * --canary, --promote and --abort. Which models a canary may name is the environment's JSON Schema's call (the
 * route's candidates as IAM grants them), checked by documentValidator after this; here: the model exists in the
 * document, is enabled and is not the primary, and the share is a whole percent in range.
 */
function applyCanaryToggle(doc: RoutingDocument, next: RoutingDocument, change: Extract<ToggleChange, { task: string; kind: "canary" | "promote" | "abort" }>): ToggleResult {
  const route = taskRoute(doc, next, change.task);
  const task = displayText(change.task, 80);
  if (change.kind === "canary") {
    const modelId = resolveModel(doc, change.model);
    if (modelId === undefined) throw unknownModel(doc, change.model);
    const reasons: string[] = [];
    // A route names models by non-empty ID (routing-document.ts), though a document's models may carry an empty key.
    if (modelId === "") reasons.push(`${displayText(change.model)} names a model with an empty ID, which no route can name`);
    if (modelId === route.primary) reasons.push(`${displayText(modelId)} is already the primary of route ${quote(change.task)}; a canary is another model`);
    if (modelOf(next, modelId)?.enabled !== true) reasons.push(`${displayText(modelId)} is disabled; enable it first (--enable ${displayText(modelId)}) so the canary can serve`);
    if (!Number.isInteger(change.percent) || change.percent < CANARY_PERCENT_MIN || change.percent > CANARY_PERCENT_MAX)
      reasons.push(`a canary takes a whole percent from ${CANARY_PERCENT_MIN} to ${CANARY_PERCENT_MAX} of the route's calls, not ${displayText(String(change.percent), 40)} (all of them is --promote)`);
    if (reasons.length) throw new ToggleRefused(reasons);
    const summary = `canary ${task}=${displayText(modelId, 120)}:${change.percent}`;
    if (route.canary?.model === modelId && route.canary.percent === change.percent) return { document: next, changed: false, modelId, summary };
    route.canary = { model: modelId, percent: change.percent };
    return { document: next, changed: true, modelId, summary };
  }
  const canary = route.canary;
  if (!canary) {
    if (change.kind === "abort") return { document: next, changed: false, modelId: route.primary, summary: `abort ${task} (no canary)` };
    throw new ToggleRefused([`route ${quote(change.task)} has no canary to promote; start one with --canary ${task}=<model>:<percent>, or switch the primary with --primary`]);
  }
  delete route.canary;
  if (change.kind === "abort") return { document: next, changed: true, modelId: canary.model, summary: `abort ${task} canary ${displayText(canary.model, 120)}` };
  if (modelOf(next, canary.model)?.enabled !== true) throw new ToggleRefused([`the canary ${displayText(canary.model)} of route ${quote(change.task)} is disabled; enable it (--enable ${displayText(canary.model)}) and let it bake before promoting it, or --abort ${task}`]);
  // The old primary is the first fallback; a route keeps at most two, so the last one may drop out (named in the summary).
  const order = [route.primary, ...route.fallbacks.filter((f) => f !== canary.model)];
  const dropped = order.slice(2);
  route.primary = canary.model;
  route.fallbacks = order.slice(0, 2);
  const summary = `promote ${task}=${displayText(canary.model, 120)}${dropped.length ? ` (fallback ${dropped.map((d) => displayText(d, 120)).join(", ")} dropped: at most 2)` : ""}`;
  return { document: next, changed: true, modelId: canary.model, summary };
}

/**
 * Validates a document exactly as it will be judged after the write: the core schema (what clients accept) and the
 * environment's generated AppConfig JSON Schema (what the validator accepts; it enumerates what IAM grants).
 * Compiled once; returns a checker listing every problem.
 */
export function documentValidator(env: BaselinePlan, region: string): (doc: unknown) => string[] {
  // As AppConfig judges it: plain draft-04. Ajv's strict mode would print a warning to the operator for each narrowing
  // the generator writes as `allOf` + `properties` without repeating `type` (valid JSON Schema, core/routing).
  const validate = new Ajv({ allErrors: true, strict: false }).compile(routingJsonSchema(env, region));
  return (doc) => {
    const problems: string[] = [];
    const r = routingDocumentSchema.safeParse(doc);
    if (!r.success) for (const i of r.error.issues) problems.push(`${displayText(jsonPath(i.path), 160) || "(document)"}: ${i.message}`);
    if (!validate(doc))
      for (const e of validate.errors ?? []) {
        const where = e.instancePath.replace(/^\//, "").split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~")).filter(Boolean);
        const extra = e.params && "additionalProperty" in e.params ? ` (${displayText(String(e.params.additionalProperty), 120)})` : e.params && "allowedValues" in e.params ? ` (allowed: ${listed((e.params.allowedValues as unknown[]).map(String))})` : "";
        problems.push(`${displayText(jsonPath(where), 160) || "(document)"}: ${e.message ?? "invalid"}${extra} [environment JSON Schema]`);
      }
    return problems;
  };
}

/** AppConfig VersionLabel: 1-64 characters, at least one non-numeric, sent as an HTTP header (ASCII only). */
export const VERSION_LABEL_MAX = 64;
/** AppConfig Description: up to 1024 ASCII characters. */
export const DESCRIPTION_MAX = 1024;

function ascii(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, "?").replace(/\s+/g, " ").trim();
}

/** `toggle: disable amazon.nova-pro-v1:0: <reason>`, cut to the API limit. */
export function versionLabel(summary: string, reason: string | undefined, max = VERSION_LABEL_MAX): string {
  const full = ascii(`toggle: ${summary}${reason ? `: ${reason}` : ""}`);
  return full.length <= max ? full : `${full.slice(0, max - 3)}...`;
}

export function versionDescription(summary: string, reason: string | undefined, who: string | undefined, options: { withoutEval?: boolean } = {}): string {
  // An upgrade made without evaluation evidence says so first, where anyone reading the version's history sees it.
  const full = ascii(`npm run toggle: ${summary}${options.withoutEval ? ". WITHOUT EVALUATION EVIDENCE (--without-eval)" : ""}${reason ? `. Reason: ${reason}` : ""}${who ? `. By: ${who}` : ""}`);
  return full.length <= DESCRIPTION_MAX ? full : `${full.slice(0, DESCRIPTION_MAX - 3)}...`;
}
