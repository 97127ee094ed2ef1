import { conversationProblems, kindOf, problemList, type Classification } from "../core/runtime";
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

/** The task of a request as errors and records may name it: a string the caller sent, else "(none)". */
export function taskOf(req: unknown): string {
  const task = typeof req === "object" && req !== null ? (req as { task?: unknown }).task : undefined;
  return typeof task === "string" && task !== "" ? task : "(none)";
}
