import { conversationProblems, kindOf, problemList, type Classification, type RouteEntry } from "../core/runtime";
import { RoutingError, routerClassification } from "./routing-error";

/**
 * A routed call's request, checked before anything else happens: a malformed one is the caller's mistake, reported
 * with category `caller` and a hint for the calling code, never as a model failure, a hint about model IDs or a raw
 * TypeError from deep inside the router.
 */

/** The hint every refused request carries. */
const HINT = "fix the calling code: send { task, messages } with task a routed task name and messages a non-empty list of { role: \"user\" | \"assistant\", content: [{ text }] } starting with a user message (no model or configuration change helps)";

/** The classification of a request the router refused before sending it. */
export function callerClassification(cause = "invalid-request", hint = HINT): Classification {
  return { ...routerClassification("caller", cause, hint), errorName: "InvalidRequest" };
}

/** One line per problem of a routed call's request (request fields first, then the conversation); empty when well-formed. */
export function routeRequestProblems(req: unknown): string[] {
  if (typeof req !== "object" || req === null || Array.isArray(req)) return [`the request must be an object { task, messages, ... }, got ${kindOf(req)}`];
  const r = req as Record<string, unknown>;
  const out: string[] = [];
  if (typeof r.task !== "string" || r.task === "") out.push(`task: must be a non-empty string naming a route, got ${typeof r.task === "string" ? "an empty string" : kindOf(r.task)}`);
  if (r.deadlineMs !== undefined && !(typeof r.deadlineMs === "number" && Number.isFinite(r.deadlineMs) && r.deadlineMs > 0)) out.push(`deadlineMs: must be a positive number of milliseconds, got ${typeof r.deadlineMs === "number" ? String(r.deadlineMs) : kindOf(r.deadlineMs)}`);
  if (r.requestKey !== undefined && typeof r.requestKey !== "string") out.push(`requestKey: must be a string, got ${kindOf(r.requestKey)}`);
  return [...out, ...conversationProblems(r)];
}

/** The RoutingError for a refused request; `task` is what the error's details name (the caller's task when it is one). */
export function invalidRequest(task: string, problems: readonly string[]): RoutingError {
  return new RoutingError(`${task}: invalid request: ${problemList(problems)}`, callerClassification(), { task, attempts: 0, routerCause: "invalid-request" });
}

/** requestFor's `modelId` names none of the route's enabled candidates (`all`). */
export function notACandidate(task: string, modelId: string, all: ReadonlyArray<{ readonly modelId: string }>): RoutingError {
  const names = all.map((c) => c.modelId).join(", ");
  return new RoutingError(`${modelId} is not an enabled candidate of route "${task}"`, callerClassification("not-a-candidate", `name one of the route's enabled models (${names}) or its invoke ID, or leave modelId out for the first`), { task, attempts: 0, routerCause: "invalid-request" });
}

/** The task of a request as errors and records may name it: a string the caller sent, else "(none)". */
export function taskOf(req: unknown): string {
  const task = typeof req === "object" && req !== null ? (req as { task?: unknown }).task : undefined;
  return typeof task === "string" && task !== "" ? task : "(none)";
}

/** The kind of tool choice a caller's toolConfig names: `auto`, `any`, `tool`, `none`, or undefined when it names none. */
function callerChoice(choice: unknown): string | undefined {
  if (choice === undefined) return undefined;
  if (typeof choice !== "object" || choice === null) return "malformed";
  const keys = Object.keys(choice);
  return keys.length === 1 && ["auto", "any", "tool"].includes(keys[0]) ? keys[0] : "malformed";
}

/**
 * A call's tools against its route: tools come as a non-empty list, and a forced choice (`any`, or a named `tool`) only
 * where the route declares that choice (routes.<task>.toolChoice), since only a declared one is checked against every
 * candidate before apply; a route that forces `tool` needs the caller to name the tool. Empty when the call fits.
 */
export function toolChoiceProblems(task: string, route: Pick<RouteEntry, "toolChoice">, toolConfig: unknown): string[] {
  if (toolConfig === undefined) return [];
  if (typeof toolConfig !== "object" || toolConfig === null || Array.isArray(toolConfig)) return [`toolConfig: must be an object { tools, toolChoice? }, got ${kindOf(toolConfig)}`];
  const c = toolConfig as { tools?: unknown; toolChoice?: unknown };
  const out: string[] = [];
  if (!Array.isArray(c.tools) || c.tools.length === 0) out.push("toolConfig.tools: must be a non-empty list of tools (Converse needs at least one)");
  const choice = callerChoice(c.toolChoice);
  const declared = route.toolChoice ?? "auto";
  if (choice === "malformed") out.push("toolConfig.toolChoice: must be { auto: {} }, { any: {} } or { tool: { name } }");
  else if ((choice === "any" || choice === "tool") && choice !== declared)
    out.push(`toolConfig.toolChoice: a forced choice (${choice}) must be the route's: route "${task}" declares toolChoice ${declared}; set routes.${task}.toolChoice to "${choice}" in the environment file so synth checks every candidate accepts it, or send { auto: {} }`);
  else if (declared === "tool" && choice !== "tool") out.push(`toolConfig.toolChoice: route "${task}" forces a named tool (toolChoice "tool"): send { tool: { name } } naming one of the tools`);
  else if (declared === "any" && choice === "auto") out.push(`toolConfig.toolChoice: route "${task}" forces tool use (toolChoice "any"): send { any: {} } or leave toolChoice out`);
  return out;
}
