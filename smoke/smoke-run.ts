import type { StackManifest } from "../core/routing";
import type { RoutingDocument } from "../core/runtime";
import { assumeRoleCredentials, AwsSession } from "./aws-session";
import { type CheckKind, type CheckResult, type CheckRow, exitCodeOf, failedRow } from "./check-result";
import { type RegionContext, send } from "./check-context";
import { catalogRows, refusalCheck, refusalTargets } from "./constraint-check";
import { converseCheck, streamCheck } from "./converse-probe";
import { Deadline, DeadlineExceeded } from "../cli/deadline";
import { crossModelDailyQuotaCheck, modelDailyQuotaCheck } from "./daily-quota-check";
import { deploymentCheck, profileLabel } from "./deployment-check";
import type { SmokeOptions } from "./options";
import { probeTargets, quotaTargets, targetLabel } from "./probe-targets";
import { quotaCheck } from "./quota-check";
import { QuotaLookup } from "./quota-lookup";
import { routingCheck } from "./routing-check";
import { serviceFailure } from "./service-failure";
import { workerPool } from "../cli/worker-pool";

/** What a run produced. */
export interface SmokeRun {
  /** In completion order. */
  readonly results: readonly CheckResult[];
  /** Regions checked, in manifest order. */
  readonly regions: readonly string[];
  readonly startedAt: Date;
  readonly wallMs: number;
  readonly exitCode: 0 | 1;
}

/** Runs one check in the shared pool and emits its row; a deadline (or an unexpected bug) becomes a row too. */
type CheckRunner = <T extends { row: CheckRow }>(region: string, kind: CheckKind, subject: string, run: () => Promise<T>) => Promise<T | undefined>;

/** The credentials row of --role-arn: the assumed role's credentials, or undefined when AssumeRole failed. */
async function assumeRole(options: SmokeOptions, region: string, declaredRegions: readonly string[], deadline: Deadline, check: CheckRunner) {
  const roleArn = options.roleArn!;
  const assumed = await check(region, "credentials", roleArn, async () => {
    const base = { region, kind: "credentials" as const, subject: roleArn };
    try {
      const c = await assumeRoleCredentials({ roleArn, region, ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}), signal: deadline.callSignal(options.timeoutMs) });
      return { credentials: c, row: { ...base, verdict: "PASS" as const, outcome: "ok", hint: "assumed with session name bedrock-smoke" } };
    } catch (err) {
      if (err instanceof DeadlineExceeded) throw err;
      const f = serviceFailure(err, { action: "sts:AssumeRole", region, declaredRegions });
      return { row: failedRow(base, { ...f, hint: `${f.hint}; the role's trust policy must allow the caller (config smoke.principals)` }, { message: f.message }) };
    }
  });
  return assumed?.credentials;
}

/**
 * One region's checks: the deployment, the routing document, then the probes (with the rows where a live model settles
 * or contradicts the catalog's request constraints, written through `emit`), the refusal probes of --check-constraints
 * and the quota figures in parallel.
 */
async function regionChecks(ctx: RegionContext, options: SmokeOptions, check: CheckRunner, emit: (r: CheckResult) => void): Promise<void> {
  const row = (kind: CheckKind, subject: string, run: () => Promise<CheckRow>) => check(ctx.region, kind, subject, async () => ({ row: await run() }));
  const label = profileLabel(ctx);
  await row("deployment", label, () => deploymentCheck(ctx));
  const routing = await check(ctx.region, "routing", label, () => routingCheck(ctx));
  // The deployed document decides what traffic reaches; when it cannot be read, probe what synth provisioned.
  const workload = workloadOfRole(ctx.manifest, options.roleArn);
  const targets = probeTargets(routesOf(routing?.document ?? ctx.manifest.routingDocument, workload), ctx.manifest, workload?.name);
  const settled = new Set<string>();
  const probed = async (t: (typeof targets)[number]) => {
    const r = await converseCheck(ctx, t);
    for (const c of catalogRows(ctx, t, r, settled)) emit({ ...c, durationMs: 0 });
    return r;
  };
  await Promise.all([
    ...targets.map((t) => row("converse", targetLabel(t), () => probed(t))),
    ...(options.checkConstraints ? refusalTargets(targets).map(({ target, refusal }) => row("constraints", `${target.invokeId} ${refusal.label}`, () => refusalCheck(ctx, target, refusal))) : []),
    ...(options.stream ? targets.map((t) => row("stream", targetLabel(t), () => streamCheck(ctx, t))) : []),
    ...quotaTargets(targets).map((q) => row("quota", `${q.task} ${q.target.invokeId}`, () => quotaCheck(ctx, q))),
    ...dailyTargets(targets).map(([id, model]) => row("quota", `TPD ${id}`, () => modelDailyQuotaCheck(ctx, id, model))),
    row("quota", "TPD cross-model", () => crossModelDailyQuotaCheck(ctx)),
  ]);
}

/**
 * Runs every check of the selected regions: per region the AppConfig deployment (waiting for one in progress), then
 * the routing document, then one Converse (and ConverseStream) probe per enabled routed model and way its routes call
 * it (service tier, guardrail, request parameters), rows where the live model settles or contradicts the catalog's request
 * constraints (with --check-constraints, one probe per refusal the catalog claims), and the quota figures
 * per route and model. Each check is one task of a shared worker pool; each AWS call is bounded by the per-call
 * timeout and the whole run by the deadline, after which unfinished checks report "deadline". `onResult` sees each
 * row as it completes. Clients are destroyed before returning. `deadline` is the caller's when it also bounds work
 * around the checks (the CLI's report writing); by default the run makes its own and disposes of it.
 */
export async function runSmoke(options: SmokeOptions, manifests: readonly StackManifest[], onResult: (r: CheckResult) => void, given?: Deadline): Promise<SmokeRun> {
  const startedAt = new Date();
  const t0 = Date.now();
  const deadline = given ?? new Deadline(options.deadlineMs);
  const pool = workerPool(options.concurrency);
  const declaredRegions = manifests.map((m) => m.region);
  const selected = options.regions.length ? manifests.filter((m) => options.regions.includes(m.region)) : manifests;
  const results: CheckResult[] = [];
  const emit = (r: CheckResult) => (results.push(r), onResult(r));
  const check: CheckRunner = (region, kind, subject, run) =>
    pool(async () => {
      const started = Date.now();
      try {
        deadline.throwIfExpired();
        const out = await run();
        emit({ ...out.row, durationMs: Date.now() - started });
        return out;
      } catch (err) {
        emit({ region, kind, subject, durationMs: Date.now() - started, ...unfinished(err, deadline) });
        return undefined;
      }
    });
  const finish = (): SmokeRun => ({ results, regions: selected.map((m) => m.region), startedAt, wallMs: Date.now() - t0, exitCode: exitCodeOf(results) });

  let session: AwsSession | undefined;
  try {
    const credentials = options.roleArn ? await assumeRole(options, selected[0].region, declaredRegions, deadline, check) : undefined;
    // Without the role every check would fail the same way: the one credentials row says why.
    if (options.roleArn && !credentials) return finish();
    const aws = (session = new AwsSession(options.endpointUrl, credentials));
    await Promise.all(
      selected.map((manifest) => {
        const clients = aws.clients(manifest.region);
        const quotas = new QuotaLookup(clients.quotas, (call) => send({ deadline, timeoutMs: options.timeoutMs }, call));
        return regionChecks({ region: manifest.region, manifest, declaredRegions, clients, deadline, timeoutMs: options.timeoutMs, quotas }, options, check, emit);
      }),
    );
    return finish();
  } finally {
    session?.destroy();
    if (!given) deadline.dispose();
  }
}

/** Each probed model once, with its manifest facts: its daily quota is the model's, whichever way or workload calls it. */
function dailyTargets(targets: ReturnType<typeof probeTargets>): Array<[string, NonNullable<(typeof targets)[number]["model"]>]> {
  const out = new Map<string, NonNullable<(typeof targets)[number]["model"]>>();
  for (const t of targets) if (t.model && !out.has(t.modelId)) out.set(t.modelId, t.model);
  return [...out];
}

/** The workload whose baseline role `roleArn` is (matched by role name), if any. */
export function workloadOfRole(manifest: StackManifest, roleArn?: string): { readonly name: string; readonly routes: readonly string[] } | undefined {
  const roleName = roleArn?.slice(roleArn.lastIndexOf("/") + 1);
  const found = roleName ? Object.entries(manifest.workloads).find(([, w]) => w.roleName === roleName) : undefined;
  return found ? { name: found[0], routes: found[1].routes } : undefined;
}

/** A workload role may only call its own routes' models, so its run probes just those; any other caller probes all. */
function routesOf(doc: RoutingDocument, workload?: { readonly routes: readonly string[] }): RoutingDocument {
  return workload ? { ...doc, routes: Object.fromEntries(Object.entries(doc.routes).filter(([task]) => workload.routes.includes(task))) } : doc;
}

/** The row for a check that did not finish: the deadline, or (a bug) an exception a check let escape. */
function unfinished(err: unknown, deadline: Deadline): Omit<CheckRow, "region" | "kind" | "subject"> {
  if (err instanceof DeadlineExceeded || deadline.expired)
    return {
      verdict: "FAIL",
      outcome: "deadline",
      category: "deadline",
      hint: `not finished within the run deadline (--deadline-ms; checks stop ${deadline.ms} ms in, the rest is kept for the reports): the endpoint hung or the run has too much to do; raise --deadline-ms or --concurrency`,
    };
  const f = serviceFailure(err, { action: "the check", region: "", declaredRegions: [] });
  return { verdict: "FAIL", outcome: f.cause, category: f.category, errorName: f.errorName, message: f.message, hint: f.hint };
}
