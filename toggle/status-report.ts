import { displayText } from "../core/problems";
import { ageOf, changeLines, type DeploymentRecord, type DocumentChange, type RouteStatus } from "../core/routing";

/** What `status` found in one region, or why it could not read it. */
export interface RegionStatus {
  readonly region: string;
  /** Why the region could not be read; the rest is absent then. */
  readonly problem?: string;
  /** The live hosted version and the deployment that put it in place. */
  readonly version?: number;
  readonly deploymentNumber?: number;
  readonly routes?: readonly RouteStatus[];
  /** Deployments still running (DEPLOYING, BAKING, VALIDATING, ROLLING_BACK), newest first. */
  readonly inProgress?: readonly DeploymentRecord[];
  /** What toggles changed against the stack's own routing document. */
  readonly toggled?: readonly DocumentChange[];
}

/** The table of routes: columns padded to their widest cell. */
function routeTable(routes: readonly RouteStatus[], now: number): string[] {
  const head = ["ROUTE", "ANSWERED BY", "FALLBACKS", "CANARY", "DISABLED"];
  const rows = routes.map((r) => [
    r.task,
    r.servedBy === undefined ? "nobody (every candidate disabled)" : r.servedBy === r.primary ? r.primary : `${r.servedBy} (primary ${r.primary} disabled)`,
    r.fallbacks.length ? r.fallbacks.join(", ") : "-",
    r.canary ? `${r.canary.model} ${r.canary.percent}%, ${r.canary.since ? `live ${ageOf(r.canary.since, now)}` : "age unknown (older than the history read)"}` : "-",
    r.disabled.length ? r.disabled.join(", ") : "-",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((c) => c[i].length)));
  const line = (c: readonly string[]) => c.map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i]))).join("  ");
  return [line(head), ...rows.map(line)].map((l) => `  ${displayText(l, 400)}`);
}

/** The report of one region. */
export function regionStatusLines(env: string, s: RegionStatus, now: number): string[] {
  if (s.problem) return [`${env}/${s.region}: not read: ${s.problem}`];
  const toggled = s.toggled ?? [];
  const lines = [
    `${env}/${s.region}: live routing version ${s.version} (deployment ${s.deploymentNumber}); ${toggled.length ? `toggles changed ${toggled.length} field${toggled.length === 1 ? "" : "s"} of the stack's document` : "as the stack deployed it"}`,
    ...routeTable(s.routes ?? [], now),
  ];
  for (const d of s.inProgress ?? [])
    lines.push(`  in progress: deployment ${d.number} ${d.state}${d.percentComplete !== undefined ? ` ${d.percentComplete}%` : ""}${d.version ? ` (version ${displayText(d.version, 40)})` : ""}${d.startedAt ? `, started ${ageOf(d.startedAt, now)} ago` : ""}`);
  for (const c of changeLines(toggled)) lines.push(`  toggled: ${c}`);
  return lines;
}
