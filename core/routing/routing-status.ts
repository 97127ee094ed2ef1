import type { RoutingDocument } from "../runtime";
import { type DocumentChange, documentChanges } from "./document-diff";

/*
 * What `bedrock-baseline status` says about one region: for each route, what a request does now (the canary's share
 * first, then the primary and fallbacks, skipping disabled models), since when the canary has been live, and what a
 * toggle changed against the stack's own (baseline) document. Computed from the live document and the environment's
 * recent deployments; the command reads them.
 */

/** One deployment of the routing profile, newest first in a history; `document` when its version was read. */
export interface DeploymentRecord {
  readonly number: number;
  /** DEPLOYING, BAKING, VALIDATING, ROLLING_BACK, COMPLETE, ROLLED_BACK, REVERTED. */
  readonly state: string;
  /** The hosted version it deployed (number or label). */
  readonly version?: string;
  /** ISO timestamps. */
  readonly startedAt?: string;
  readonly completedAt?: string;
  readonly percentComplete?: number;
  readonly document?: RoutingDocument;
}

/** What one route does now. */
export interface RouteStatus {
  readonly task: string;
  readonly primary: string;
  readonly fallbacks: readonly string[];
  readonly maxTokens: number;
  readonly serviceTier?: string;
  readonly guardrail?: string;
  /** The canary, its share, and when the deployment that made it the route's canary started (absent: not in the history read). */
  readonly canary?: { readonly model: string; readonly percent: number; readonly since?: string };
  /** Candidates a toggle disabled (the route skips them). */
  readonly disabled: readonly string[];
  /** Who answers a request that does not draw the canary: the first enabled of primary and fallbacks (none: the route fails). */
  readonly servedBy?: string;
}

/**
 * When the route's current canary became its canary: the start of the oldest deployment in an unbroken run, newest
 * first, of COMPLETE deployments whose document gives the route the same canary model. Undefined when the history read
 * has no document with it (it is older than the history, or was never read).
 */
export function canarySince(task: string, model: string, history: readonly DeploymentRecord[]): string | undefined {
  let since: string | undefined;
  for (const d of history) {
    if (d.state !== "COMPLETE" || !d.document) continue;
    const route = Object.hasOwn(d.document.routes, task) ? d.document.routes[task] : undefined;
    if (route?.canary?.model !== model) break;
    since = d.startedAt ?? d.completedAt ?? since;
  }
  return since;
}

/** Every route of the live document, sorted by task, with what it does now. */
export function routeStatuses(live: RoutingDocument, history: readonly DeploymentRecord[]): RouteStatus[] {
  const enabled = (id: string) => Object.hasOwn(live.models, id) && live.models[id].enabled;
  return Object.entries(live.routes)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([task, r]) => {
      const candidates = [r.primary, ...r.fallbacks];
      const since = r.canary ? canarySince(task, r.canary.model, history) : undefined;
      return {
        task,
        primary: r.primary,
        fallbacks: r.fallbacks,
        maxTokens: r.maxTokens,
        ...(r.serviceTier ? { serviceTier: r.serviceTier } : {}),
        ...(r.guardrail ? { guardrail: r.guardrail.name } : {}),
        ...(r.canary ? { canary: { model: r.canary.model, percent: r.canary.percent, ...(since ? { since } : {}) } } : {}),
        disabled: [...candidates, ...(r.canary ? [r.canary.model] : [])].filter((id) => !enabled(id)),
        ...(candidates.find(enabled) ? { servedBy: candidates.find(enabled) } : {}),
      };
    });
}

/**
 * What toggles changed against the stack's own document: only the fields a toggle writes (routes' primary, fallbacks
 * and canary, models' enabled), so the apply-time guardrail IDs and quotas of the baseline do not show as changes.
 */
export function toggledChanges(baseline: RoutingDocument, live: RoutingDocument): DocumentChange[] {
  const togglable = (d: RoutingDocument) => ({
    models: Object.fromEntries(Object.entries(d.models).map(([id, m]) => [id, { enabled: m.enabled }])),
    routes: Object.fromEntries(Object.entries(d.routes).map(([task, r]) => [task, { primary: r.primary, fallbacks: r.fallbacks, ...(r.canary ? { canary: r.canary } : {}) }])),
  });
  return documentChanges(togglable(baseline), togglable(live));
}

/** `2 d 3 h`, `5 h 12 min`, `7 min`, `under a minute`: how long ago `iso` was at `now` (ms). */
export function ageOf(iso: string, now: number): string {
  const minutes = Math.floor((now - Date.parse(iso)) / 60_000);
  if (!Number.isFinite(minutes) || minutes < 1) return "under a minute";
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d > 0) return `${d} d${h ? ` ${h} h` : ""}`;
  if (h > 0) return `${h} h${m ? ` ${m} min` : ""}`;
  return `${m} min`;
}
