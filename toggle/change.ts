import Ajv from "ajv-draft-04";
import { jsonPath } from "../core/problem";
import { routingDocumentSchema, type RoutingDocument } from "../core/routing-document";
import { type BaselinePlan } from "../core/baseline-plan";
import { routingJsonSchema } from "../core/routing-baseline";

/**
 * The pure half of `npm run toggle`: apply one change to a routing document and check the result locally, before
 * anything is written to AppConfig. No I/O here.
 */

export type ToggleChange =
  | { readonly kind: "disable"; readonly model: string }
  | { readonly kind: "enable"; readonly model: string }
  /** Make `model` the primary of `task`; the old primary becomes the first fallback. */
  | { readonly kind: "primary"; readonly task: string; readonly model: string };

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

/** Foundation-model ID for a foundation-model ID or an invoke ID listed in the document. */
export function resolveModel(doc: RoutingDocument, ref: string): string | undefined {
  if (doc.models[ref]) return ref;
  return Object.entries(doc.models).find(([, m]) => m.invokeId === ref)?.[0];
}

function unknownModel(doc: RoutingDocument, ref: string): ToggleRefused {
  const known = Object.entries(doc.models)
    .map(([id, m]) => `${id} (${m.invokeId})`)
    .join(", ");
  return new ToggleRefused([`${ref} is not a model of the deployed routing document, so the baseline never provisioned it (no IAM grant, no alarms); models: ${known || "(none)"}. Add it to config/<env>.json and run cdktf deploy first.`]);
}

/** Routes whose candidates are all disabled. */
export function routesWithoutEnabledModel(doc: RoutingDocument): string[] {
  return Object.entries(doc.routes)
    .filter(([, r]) => ![r.primary, ...r.fallbacks].some((id) => doc.models[id]?.enabled))
    .map(([task]) => task);
}

/** Applies `change` to a copy of `doc`. Throws ToggleRefused when the change cannot apply or would strand a route. */
export function applyToggle(doc: RoutingDocument, change: ToggleChange): ToggleResult {
  const next: RoutingDocument = structuredClone(doc);
  const modelId = resolveModel(doc, change.model);
  if (change.kind === "primary") {
    const route = next.routes[change.task];
    if (!route) throw new ToggleRefused([`unknown task "${change.task}"; routes: ${Object.keys(doc.routes).join(", ") || "(none)"}`]);
    const candidates = [route.primary, ...route.fallbacks];
    if (!modelId || !candidates.includes(modelId))
      throw new ToggleRefused([
        `${change.model} is not a candidate of route "${change.task}" (candidates: ${candidates.join(", ")}); only a current primary or fallback can become primary, because IAM grants the route's workloads exactly those models`,
      ]);
    if (!next.models[modelId].enabled) throw new ToggleRefused([`${modelId} is disabled; enable it first (--enable ${modelId}) so the route's primary can serve`]);
    const summary = `primary ${change.task}=${modelId}`;
    if (route.primary === modelId) return { document: next, changed: false, modelId, summary };
    route.fallbacks = [route.primary, ...route.fallbacks.filter((f) => f !== modelId)];
    route.primary = modelId;
    return { document: next, changed: true, modelId, summary };
  }
  if (!modelId) throw unknownModel(doc, change.model);
  const enabled = change.kind === "enable";
  const summary = `${change.kind} ${modelId}`;
  if (next.models[modelId].enabled === enabled) return { document: next, changed: false, modelId, summary };
  next.models[modelId].enabled = enabled;
  const stranded = routesWithoutEnabledModel(next);
  if (stranded.length)
    throw new ToggleRefused([`disabling ${modelId} would leave ${stranded.map((t) => `"${t}"`).join(", ")} with no enabled model; enable another candidate of ${stranded.length > 1 ? "those routes" : "that route"} first, or switch its primary`]);
  return { document: next, changed: true, modelId, summary };
}

/**
 * Validates a document exactly as it will be judged after the write: the core schema (what clients accept) and the
 * environment's generated AppConfig JSON Schema (what the validator accepts; it enumerates what IAM grants).
 * Compiled once; returns a checker listing every problem.
 */
export function documentValidator(env: BaselinePlan, region: string): (doc: unknown) => string[] {
  const validate = new Ajv({ allErrors: true }).compile(routingJsonSchema(env, region));
  return (doc) => {
    const problems: string[] = [];
    const r = routingDocumentSchema.safeParse(doc);
    if (!r.success) for (const i of r.error.issues) problems.push(`${jsonPath(i.path) || "(document)"}: ${i.message}`);
    if (!validate(doc))
      for (const e of validate.errors ?? []) {
        const where = e.instancePath.replace(/^\//, "").split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~")).filter(Boolean);
        const extra = e.params && "additionalProperty" in e.params ? ` (${String(e.params.additionalProperty)})` : e.params && "allowedValues" in e.params ? ` (allowed: ${(e.params.allowedValues as unknown[]).join(", ")})` : "";
        problems.push(`${jsonPath(where) || "(document)"}: ${e.message ?? "invalid"}${extra} [environment JSON Schema]`);
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

export function versionDescription(summary: string, reason: string | undefined, who: string | undefined): string {
  const full = ascii(`npm run toggle: ${summary}${reason ? `. Reason: ${reason}` : ""}${who ? `. By: ${who}` : ""}`);
  return full.length <= DESCRIPTION_MAX ? full : `${full.slice(0, DESCRIPTION_MAX - 3)}...`;
}
