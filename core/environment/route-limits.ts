import { own, requestViolations, type RequestParameters } from "../catalog";
import type { Problem } from "../problems";
import type { ModelSpec } from "./model-resolution";

/*
 * What a route asks of its models that the catalog can check: its maxTokens within each model's output limit, its
 * service tier one each model accepts, its request parameters (temperature, topP, thinking, tool choice) ones each model
 * accepts. Validation's rules (core/validation/rules/route-output-limit.ts, route-service-tier.ts,
 * route-request-parameters.ts) run them on every route; the toggle on the model a change puts in a route; the
 * evaluation gate on a candidate before it calls it.
 */

/** maxTokens of a route above the output limit of any of its candidates (models without a known limit are skipped). */
export function maxTokensProblems(task: string, maxTokens: number, candidates: readonly string[], specs: Readonly<Record<string, ModelSpec>>): Problem[] {
  return candidates.flatMap((id) => {
    const limit = own(specs, id)?.maxOutputTokens;
    return limit !== undefined && maxTokens > limit ? [{ path: `routes.${task}.maxTokens`, message: `${maxTokens} exceeds the output limit of ${id} (${limit})`, fix: `set maxTokens to at most ${limit}` }] : [];
  });
}

/**
 * A route's service tier against each candidate's tiers: an error where the catalog (or declared facts) says the model
 * does not accept it (Bedrock answers every such request with a ValidationException), a warning where no source says.
 */
export function serviceTierProblems(task: string, tier: string | undefined, candidates: readonly string[], specs: Readonly<Record<string, ModelSpec>>): Problem[] {
  if (tier === undefined) return [];
  const path = `routes.${task}.serviceTier`;
  const problems: Problem[] = [];
  const unknown: string[] = [];
  for (const id of candidates) {
    const tiers = own(specs, id)?.serviceTiers;
    if (tiers === undefined) unknown.push(id);
    else if (!tiers.includes(tier))
      problems.push({
        path,
        message: `${id} does not support the ${tier} tier (catalog/overlay.json serviceTiers: ${tiers.join(", ")}); Bedrock would refuse every ${tier} request to it`,
        fix: `remove serviceTier, set one every candidate supports, or route "${task}" to models that offer ${tier} (e.g. Amazon Nova)`,
      });
  }
  if (unknown.length)
    problems.push({ path, message: `no service tiers are known for ${unknown.join(", ")}, so the ${tier} tier is not checked`, fix: `add serviceTiers with a source to catalog/overlay.json (or declare models[].facts.serviceTiers)`, severity: "warning" });
  return problems;
}

/** A model a route names, and how (`primary`, `fallback`, `canary`, `candidate`), for messages. */
export interface RouteModel {
  readonly id: string;
  readonly role: string;
}

/** The request parameters a route sends (what request constraints judge). */
export function routeParameters(route: RequestParameters): RequestParameters {
  const { maxTokens, temperature, topP, thinking, toolChoice } = route;
  return { maxTokens, temperature, topP, thinking, toolChoice };
}

/**
 * A route's request parameters against each model's request constraints (core/catalog/request-constraints.ts): an error
 * naming the model, the parameter and the fix where the model refuses them (Bedrock would answer every such request
 * with a ValidationException), a warning where no source says. Models without a spec (unknown, disabled) are skipped.
 */
export function requestParameterProblems(task: string, route: RequestParameters, models: readonly RouteModel[], specs: Readonly<Record<string, ModelSpec>>): Problem[] {
  const problems: Problem[] = [];
  let budget = false;
  for (const { id, role } of models) {
    const spec = own(specs, id);
    if (!spec) continue;
    for (const v of requestViolations(id, routeParameters(route), spec.requestConstraints)) {
      if (v.parameter === "converse") continue;
      // The budget is the route's own mistake, whatever the model: said once.
      if (v.code === "thinking-budget") {
        if (!budget) problems.push({ path: `routes.${task}.thinking.budgetTokens`, message: v.message, fix: v.fix });
        budget = true;
        continue;
      }
      problems.push({
        path: `routes.${task}.${v.parameter}`,
        message: `${role} ${v.message}`,
        fix: v.severity === "warning" ? v.fix : `${v.fix}, or route "${task}" to models that accept it`,
        ...(v.severity ? { severity: v.severity } : {}),
      });
    }
  }
  return problems;
}
