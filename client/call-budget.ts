// How long one call may take in all: the route's latency budget against the router's and the caller's deadlines.

/**
 * A call's whole budget: the route's `deadlineMs` replaces the router's default, and the caller's own `deadlineMs`
 * wins when shorter (a caller may hurry a route, never slow it past what the operator set).
 */
export function callBudgetMs(callerMs: number | undefined, routeMs: number | undefined, routerMs: number): number {
  if (routeMs === undefined) return callerMs ?? routerMs;
  return callerMs === undefined ? routeMs : Math.min(callerMs, routeMs);
}
