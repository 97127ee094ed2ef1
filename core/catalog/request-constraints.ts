import { z } from "zod";
import { providerOf, type RouteThinking, THINKING_TYPES, type ThinkingType, TOOL_CHOICES } from "../runtime";

/*
 * What each model accepts in a request, beyond maxTokens and the tier: temperature and topP ranges (or none at all),
 * whether both may be sent together, which thinking types it takes and whether thinking is on when the request says
 * nothing, whether it accepts a forced tool choice, and whether Converse serves it at all. Newer Claude models refuse
 * requests older ones took (Opus 4.7 and later: no sampling parameters; Opus 5.5: thinking always on, no forced tool
 * use; https://platform.claude.com/docs/en/models/opus-5-5/whats-new-opus-5-5), so a route that worked on its primary
 * can fail on a canary with a ValidationException. The curated overlay records the facts with sources
 * (catalog/overlay.json `requestConstraints`), an environment may declare them for a model the catalog lacks
 * (`models[].facts.requestConstraints`); synth, the toggle, eval, smoke and the local endpoint all judge with
 * requestViolations below.
 */

/** A parameter's accepted values: inclusive bounds (min = max: that value only), or `unset` (the request must not send it). */
export const parameterRangeSchema = z.union([
  z.literal("unset"),
  z
    .strictObject({ min: z.number().min(0).max(1), max: z.number().min(0).max(1) })
    .refine((r) => r.min <= r.max, "min must not be above max"),
]);
/** A parameter's accepted values. */
export type ParameterRange = z.infer<typeof parameterRangeSchema>;

/** How a model thinks: what it does when the request says nothing, and which `thinking.type` values it takes. */
export const thinkingFactsSchema = z.strictObject({
  /** `on`: the model thinks unless the request turns it off (or always, when `disabled` is not accepted). */
  default: z.enum(["on", "off"]),
  /** The `thinking.type` values the model accepts (core/runtime/routing-document.ts THINKING_TYPES); none: it has no thinking field. */
  types: z.array(z.enum(THINKING_TYPES)),
});

/**
 * Whether Converse serves the model: `supported` (AWS lists it), `legacy` (it works, but Anthropic files the
 * Converse/InvokeModel integration as legacy for Opus 4.6 and earlier,
 * https://platform.claude.com/docs/en/build-with-claude/claude-on-amazon-bedrock), `unconfirmed` (no source says;
 * a smoke run settles it) or `unsupported` (Converse refuses it: the baseline cannot route to it).
 */
export const CONVERSE_SUPPORT = ["supported", "legacy", "unconfirmed", "unsupported"] as const;
export type ConverseSupport = (typeof CONVERSE_SUPPORT)[number];

/** A model's request constraints as plain values (the overlay wraps each in a sourced fact). Every one optional: unknown. */
export const requestConstraintValuesSchema = z.strictObject({
  /** Whether Converse serves the model. Default: unknown (treated as unconfirmed). */
  converse: z.enum(CONVERSE_SUPPORT).optional(),
  /** Accepted temperature while thinking is off. Default: unknown (not checked). */
  temperature: parameterRangeSchema.optional(),
  /** Accepted topP while thinking is off. Default: unknown (not checked). */
  topP: parameterRangeSchema.optional(),
  /** Whether temperature and topP may be sent together (Claude 4.5 and later: one of them). Default: unknown (not checked). */
  temperatureWithTopP: z.boolean().optional(),
  /** Thinking default and accepted types. Default: unknown (a route's thinking is not checked; thinking counts as off). */
  thinking: thinkingFactsSchema.optional(),
  /** Whether a forced tool choice (`any`, or a named tool) is accepted while thinking is off. Default: unknown (not checked). */
  forcedToolUse: z.boolean().optional(),
});
/** A model's request constraints, each one known or not. */
export type RequestConstraints = z.infer<typeof requestConstraintValuesSchema>;
/** The names of the constraints. */
export type ConstraintName = keyof RequestConstraints;
export const CONSTRAINT_NAMES = Object.keys(requestConstraintValuesSchema.shape) as ConstraintName[];

/** What a request sends that a constraint judges. */
export interface RequestParameters {
  readonly maxTokens?: number;
  readonly temperature?: number;
  readonly topP?: number;
  readonly thinking?: RouteThinking;
  /** `none` is a caller's explicit "no tool" (never forced). */
  readonly toolChoice?: (typeof TOOL_CHOICES)[number] | "none";
}

/** The request parameter a violation is about (`converse`: the API itself). */
export type ConstrainedParameter = "converse" | "temperature" | "topP" | "thinking" | "toolChoice";

/** One way a request does not fit a model: the parameter, why (a sentence about the model) and the fix. */
export interface ConstraintViolation {
  readonly parameter: ConstrainedParameter;
  /** Stable code, e.g. `temperature-unset`, `thinking-type`, `forced-tool-use`; the local endpoint words its error by it. */
  readonly code: string;
  readonly message: string;
  readonly fix: string;
  /** A warning: the request may work, no source says (Converse support unconfirmed, a fact unknown). */
  readonly severity?: "warning";
}

/**
 * While an Anthropic model thinks it takes no temperature change (1 only), topP from 0.95 to 1 and no forced tool use
 * (https://platform.claude.com/docs/en/build-with-claude/extended-thinking, "Feature compatibility").
 */
export const WHILE_THINKING = { temperature: { min: 1, max: 1 }, topP: { min: 0.95, max: 1 } } as const;

const FULL = { min: 0, max: 1 } as const;

/** The values both ranges accept. */
export function intersectRanges(a: ParameterRange, b: ParameterRange): ParameterRange {
  if (a === "unset" || b === "unset") return "unset";
  const min = Math.max(a.min, b.min);
  const max = Math.min(a.max, b.max);
  return min <= max ? { min, max } : "unset";
}

/** `no temperature`, `temperature 1 only`, `temperature from 0 to 1`. */
export function describeRange(name: string, r: ParameterRange): string {
  if (r === "unset") return `no ${name}`;
  return r.min === r.max ? `${name} ${r.min} only` : `${name} from ${r.min} to ${r.max}`;
}

function inRange(v: number, r: ParameterRange): boolean {
  return r !== "unset" && v >= r.min && v <= r.max;
}

/** Whether the model thinks for this request: the request's type, else the model's default. */
export function thinkingOn(params: RequestParameters, constraints: RequestConstraints | undefined): boolean {
  if (params.thinking) return params.thinking.type !== "disabled";
  return constraints?.thinking?.default === "on";
}

/** What `modelId` refuses of a request (and warnings where no source says); empty when it fits. */
export function requestViolations(modelId: string, params: RequestParameters, constraints: RequestConstraints | undefined): ConstraintViolation[] {
  const c = constraints ?? {};
  const out: ConstraintViolation[] = [];
  if (c.converse === "unsupported")
    out.push({ parameter: "converse", code: "converse-unsupported", message: `${modelId} is not served by Converse (catalog: requestConstraints.converse unsupported)`, fix: `route the task to a model Converse serves` });
  const thinking = thinkingViolations(modelId, params, c);
  out.push(...thinking);
  const on = thinkingOn(params, c) && providerOf(modelId) === "anthropic";
  const why = on ? (params.thinking ? ` while thinking is ${params.thinking.type}` : ` while thinking is on (its default${c.thinking?.types.includes("disabled") ? "" : ", and it cannot be disabled"})`) : "";
  for (const name of ["temperature", "topP"] as const) {
    const value = params[name];
    if (value === undefined) continue;
    const own = c[name];
    if (own === undefined && !on) {
      out.push({ parameter: name, code: `${name}-unknown`, message: `${modelId} has no known ${name} constraint, so ${name} ${value} is not checked`, fix: `add requestConstraints.${name} with a source to catalog/overlay.json (or declare models[].facts.requestConstraints)`, severity: "warning" });
      continue;
    }
    const allowed = on ? intersectRanges(own ?? FULL, WHILE_THINKING[name]) : (own ?? FULL);
    if (!inRange(value, allowed))
      out.push({ parameter: name, code: allowed === "unset" ? `${name}-unset` : `${name}-range`, message: `${modelId} accepts ${describeRange(name, allowed)}${why}, not ${value}`, fix: allowed === "unset" ? `remove ${name}` : `set ${name} within the range, or remove it` });
  }
  if (params.temperature !== undefined && params.topP !== undefined && c.temperatureWithTopP === false)
    out.push({ parameter: "topP", code: "temperature-with-top-p", message: `${modelId} takes temperature or topP, not both`, fix: "remove one of temperature and topP" });
  if (params.toolChoice === "any" || params.toolChoice === "tool") {
    if (c.forcedToolUse === false) out.push({ parameter: "toolChoice", code: "forced-tool-use", message: `${modelId} refuses a forced tool choice (${params.toolChoice})`, fix: `set toolChoice "auto" (and check the answer for the tool call), or route the task to models that accept forced tool use` });
    else if (on) out.push({ parameter: "toolChoice", code: "forced-tool-use-thinking", message: `${modelId} refuses a forced tool choice (${params.toolChoice})${why}`, fix: `set toolChoice "auto", or turn thinking off (thinking: {"type": "disabled"}) where the model allows it` });
  }
  return out;
}

function thinkingViolations(modelId: string, params: RequestParameters, c: RequestConstraints): ConstraintViolation[] {
  const t = params.thinking;
  if (!t) return [];
  const out: ConstraintViolation[] = [];
  if (t.budgetTokens !== undefined && params.maxTokens !== undefined && t.budgetTokens >= params.maxTokens)
    out.push({ parameter: "thinking", code: "thinking-budget", message: `thinking.budgetTokens ${t.budgetTokens} is not below maxTokens ${params.maxTokens} (the budget is part of the output)`, fix: "lower thinking.budgetTokens or raise maxTokens" });
  const types: readonly ThinkingType[] | undefined = c.thinking?.types;
  if (types === undefined) {
    const sent = providerOf(modelId) === "anthropic" || providerOf(modelId) === "amazon";
    out.push({
      parameter: "thinking",
      code: "thinking-unknown",
      message: sent ? `${modelId} has no known thinking facts, so thinking.type ${t.type} is not checked` : `${modelId} gets no thinking field: only Anthropic and Amazon Nova models have one the client knows`,
      fix: "add requestConstraints.thinking with a source to catalog/overlay.json (or declare models[].facts.requestConstraints)",
      severity: "warning",
    });
  } else if (!types.includes(t.type))
    out.push({
      parameter: "thinking",
      code: types.length === 0 ? "thinking-none" : t.type === "disabled" ? "thinking-always-on" : "thinking-type",
      message:
        types.length === 0
          ? `${modelId} has no thinking setting, so it refuses thinking.type ${t.type}`
          : t.type === "disabled"
            ? `${modelId} cannot turn thinking off (it accepts thinking.type ${types.join(", ")})`
            : `${modelId} does not accept thinking.type ${t.type} (it accepts ${types.join(", ")})`,
      fix: types.length === 0 ? "remove thinking" : `set thinking.type to one of ${types.join(", ")}, or remove thinking (the model's default: ${c.thinking!.default})`,
    });
  return out;
}
