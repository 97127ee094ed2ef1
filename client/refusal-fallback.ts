import type { CallContext } from "./retry-loop";
import type { Candidate } from "./route-plan";

/**
 * A route's `onRefusal: fallback` (core/runtime/routing-document.ts): after a refusal the call tries the candidates that
 * follow the refusing one in its order (the canary's order for a canary call) once, so "try the next candidate" never
 * goes back to a model that already answered. Undefined when none follows: the refusal is the result.
 */
export function refusalFallbackOrder(ctx: CallContext, refusedBy: Candidate): CallContext | undefined {
  const i = ctx.order.candidates.indexOf(refusedBy);
  if (i < 0 || i === ctx.order.candidates.length - 1) return undefined;
  const candidates = ctx.order.candidates.slice(i + 1);
  return { ...ctx, order: { candidates, invokeIds: ctx.order.invokeIds.slice(i + 1), targets: ctx.order.targets.slice(i + 1) } };
}
