import { converseOnce, type AttemptTarget } from "../client/converse-attempt";
import { type ConstraintName, type RequestConstraints, requestViolations } from "../core/catalog";
import { classifyError, PROBE_CONVERSATION, PROBE_MAX_TOKENS, type RouteEntry } from "../core/runtime";
import type { CheckRow, RowBase } from "./check-result";
import type { RegionContext } from "./check-context";
import { probeConversation, probeTarget } from "./converse-probe";
import { abortable } from "../cli/deadline";
import type { ProbeTarget } from "./probe-targets";
import { withRetries } from "../cli/retry";

/*
 * Smoke as the live source for the catalog's request constraints (core/catalog/request-constraints.ts), many of which
 * rest on third-party material or are UNCONFIRMED. Every run reports, per model and region, where the live model
 * settles or contradicts what the catalog said about Converse and the routes' parameters (kind `constraints`, WARN: the
 * catalog needs an edit). With --check-constraints it also sends, per model, one tiny request with each parameter the
 * catalog says the model refuses: a refusal confirms the fact (PASS), an answer contradicts it (WARN). Each such probe
 * costs at most PROBE_MAX_TOKENS output tokens.
 */

const ROW = (ctx: RegionContext, subject: string): RowBase => ({ region: ctx.region, kind: "constraints", subject });
const edit = (name: ConstraintName, model: string) => `catalog/overlay.json models["${model}"].requestConstraints.${name}`;

/**
 * What a model's probe row says about the catalog's Converse and parameter facts; one WARN row per fact it settles or
 * contradicts, none when it agrees. `seen` keeps the Converse verdict to one row per model and region.
 */
export function catalogRows(ctx: RegionContext, target: ProbeTarget, probe: CheckRow, seen: Set<string>): CheckRow[] {
  const facts = target.model?.requestConstraints ?? {};
  const converse = facts.converse ?? "unconfirmed";
  const rows: CheckRow[] = [];
  const answered = probe.verdict === "PASS" || probe.outcome === "refused";
  const warn = (outcome: string, hint: string): CheckRow => ({ ...ROW(ctx, `${target.invokeId} converse`), verdict: "WARN", outcome, category: "catalog", hint });
  if (!seen.has(target.modelId)) {
    if (answered && converse !== "supported" && converse !== "legacy") {
      seen.add(target.modelId);
      rows.push(warn(converse === "unsupported" ? "contradicted" : "settled", `Converse served ${target.modelId} in ${ctx.region}, where the catalog says ${converse}: set ${edit("converse", target.modelId)} to "supported" (source: this smoke run)`));
    } else if (probe.outcome === "converse-unsupported" && converse !== "unsupported") {
      seen.add(target.modelId);
      rows.push(warn(converse === "unconfirmed" ? "settled" : "contradicted", `Converse refused ${target.modelId} in ${ctx.region}, where the catalog says ${converse}: set ${edit("converse", target.modelId)} to "unsupported" (source: this smoke run) and route its tasks elsewhere`));
    }
  }
  const predicted = requestViolations(target.modelId, probeTarget(target).route, facts).some((v) => v.severity !== "warning");
  if (probe.outcome === "request-parameter-refused" && target.model?.requestConstraints && !predicted)
    rows.push({ ...ROW(ctx, probe.subject), verdict: "WARN", outcome: "contradicted", category: "catalog", hint: `the catalog says ${target.modelId} accepts what its routes send, and the live model refused it (${probe.message ?? probe.errorName ?? "ValidationException"}): correct the matching requestConstraints fact in catalog/overlay.json (source: this smoke run)` });
  return rows;
}

/** One parameter the catalog says a model refuses, and the request part that tests it. */
interface Refusal {
  readonly name: ConstraintName;
  readonly label: string;
  readonly route: Partial<Pick<RouteEntry, "temperature" | "topP" | "thinking" | "toolChoice">>;
}

/** The refusals worth probing: each fact that forbids something a route could send. */
export function claimedRefusals(c: RequestConstraints): Refusal[] {
  const out: Refusal[] = [];
  const outside = (r: RequestConstraints["temperature"]) => (r === "unset" ? 0.5 : r && r.min > 0 ? 0 : r && r.max < 1 ? 1 : undefined);
  const t = outside(c.temperature);
  if (t !== undefined) out.push({ name: "temperature", label: `temperature=${t}`, route: { temperature: t } });
  const p = outside(c.topP);
  if (p !== undefined) out.push({ name: "topP", label: `topP=${p}`, route: { topP: p } });
  if (c.temperatureWithTopP === false && c.temperature !== "unset" && c.topP !== "unset") out.push({ name: "temperatureWithTopP", label: "temperature+topP", route: { temperature: 1, topP: 1 } });
  if (c.thinking && !c.thinking.types.includes("disabled")) out.push({ name: "thinking", label: "thinking=disabled", route: { thinking: { type: "disabled" } } });
  if (c.forcedToolUse === false) out.push({ name: "forcedToolUse", label: "toolChoice=any", route: { toolChoice: "any" } });
  return out;
}

/** Probes one refusal the catalog claims: PASS when the model refuses it, WARN when it answers (the catalog is wrong). */
export async function refusalCheck(ctx: RegionContext, target: ProbeTarget, refusal: Refusal): Promise<CheckRow> {
  const base = ROW(ctx, `${target.invokeId} ${refusal.label}`);
  const shape = probeTarget({ ...target, parameters: undefined }).route;
  const attempt: AttemptTarget = { invokeId: target.invokeId, route: { ...shape, ...refusal.route } };
  const input = refusal.route.toolChoice ? probeConversation({ ...target, parameters: { toolChoice: refusal.route.toolChoice } }) : PROBE_CONVERSATION;
  const outcome = await withRetries(
    async () => {
      const signal = ctx.deadline.callSignal(ctx.timeoutMs);
      return abortable(converseOnce(ctx.clients.bedrock, attempt, input, { maxTokensCap: PROBE_MAX_TOKENS, abortSignal: signal }), signal);
    },
    { classify: (e) => classifyError(e as Error, { invokeId: target.invokeId, region: ctx.region }), deadline: ctx.deadline },
  );
  const fact = edit(refusal.name, target.modelId);
  if (outcome.ok)
    return { ...base, verdict: "WARN", outcome: "contradicted", category: "catalog", hint: `the catalog says ${target.modelId} refuses ${refusal.label}, and the live model answered it: correct ${fact} (source: this smoke run)` };
  const c = outcome.classification;
  if (c.cause === "request-parameter-refused")
    return { ...base, verdict: "PASS", outcome: "confirmed", category: "catalog", hint: `refused as ${fact} says: it can lose its "unconfirmed" note, citing this run` };
  return { ...base, verdict: "WARN", outcome: "not-settled", category: c.category, errorName: c.errorName, hint: `${refusal.label} could not be settled (${c.cause}): ${c.hint}` };
}

/** Per model of a region (its first probe target, whose tier and guardrail IAM allows), the refusals to probe. */
export function refusalTargets(targets: readonly ProbeTarget[]): Array<{ target: ProbeTarget; refusal: Refusal }> {
  const first = new Map<string, ProbeTarget>();
  for (const t of targets) if (!first.has(t.modelId)) first.set(t.modelId, t);
  return [...first.values()].flatMap((target) => claimedRefusals(target.model?.requestConstraints ?? {}).map((refusal) => ({ target, refusal })));
}
