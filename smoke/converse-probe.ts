import { attemptRequest, converseOnce, openConverseStream, type AttemptTarget } from "../client/converse-attempt";
import { GUARDRAIL_INTERVENED, replyText } from "../client/response-check";
import { APPLY_TIME, isApplyTime } from "../core/environment";
import { type ConversationInput, estimateInputTokens, isRefusal, MIN_THINKING_BUDGET, PROBE_CONVERSATION, PROBE_MAX_TOKENS, type Classification, classifyError } from "../core/runtime";
import { requestViolations } from "../core/catalog";
import type { CheckedReply } from "../client/response-check";
import { type CheckRow, failedRow, type RowBase, type TokenUsage } from "./check-result";
import { type RegionContext } from "./check-context";
import { abortable } from "../cli/deadline";
import { type ProbeTarget, targetLabel } from "./probe-targets";
import { throttleFiguresText } from "./quota-figures";
import { type RetryOutcome, withRetries } from "../cli/retry";

/**
 * The probes are the routing client's own single attempt (client/converse-attempt.ts): the request built by core's
 * builder exactly as real traffic (invariant 4), with the route's maxTokens capped at PROBE_MAX_TOKENS and
 * requestMetadata purpose=smoke-test; the response checked and the stream assembled by the same code the router runs.
 * Smoke keeps only its own retry policy (smoke/retry.ts) and its reporting.
 */
export function probeTarget(target: ProbeTarget): AttemptTarget {
  const p = target.parameters ?? {};
  // A thinking budget is the smallest Anthropic takes, so the probe stays as small as thinking allows.
  const thinking = p.thinking?.type === "enabled" ? { type: "enabled" as const, budgetTokens: MIN_THINKING_BUDGET } : p.thinking;
  return {
    invokeId: target.invokeId,
    route: {
      maxTokens: target.maxTokens,
      ...(target.serviceTier ? { serviceTier: target.serviceTier } : {}),
      ...(target.guardrail ? { guardrail: target.guardrail } : {}),
      ...(p.temperature === undefined ? {} : { temperature: p.temperature }),
      ...(p.topP === undefined ? {} : { topP: p.topP }),
      ...(thinking ? { thinking } : {}),
      ...(p.toolChoice ? { toolChoice: p.toolChoice } : {}),
    },
  };
}

/** The probe tool a route that forces tool use is probed with (the forced choice needs a tool to name). */
const PROBE_TOOL = { toolSpec: { name: "probe_tool", description: "Acknowledge the probe.", inputSchema: { json: { type: "object", properties: {} } } } };

/** The probe's conversation: the fixed prompt, with the probe tool where the target forces tool use. */
export function probeConversation(target: ProbeTarget): ConversationInput {
  const choice = target.parameters?.toolChoice;
  if (choice !== "any" && choice !== "tool") return PROBE_CONVERSATION;
  return { ...PROBE_CONVERSATION, toolConfig: { tools: [PROBE_TOOL], ...(choice === "tool" ? { toolChoice: { tool: { name: PROBE_TOOL.toolSpec.name } } } : {}) } as ConversationInput["toolConfig"] };
}

/** The probe's maxTokens cap: PROBE_MAX_TOKENS, above the smallest thinking budget where the target sets one. */
export function probeOptions(target: ProbeTarget): { readonly maxTokensCap: number } {
  return { maxTokensCap: target.parameters?.thinking?.type === "enabled" ? MIN_THINKING_BUDGET + PROBE_MAX_TOKENS : PROBE_MAX_TOKENS };
}

/** What a passing probe reports. */
interface ProbeReply {
  readonly text: string;
  readonly stopReason: string;
  readonly usage: TokenUsage;
  /** ConverseStream only: from the request to the first content event. */
  readonly firstTokenMs?: number;
  /** The tier the response says served it. */
  readonly serviceTier?: string;
}

function probeReply(reply: CheckedReply, firstTokenMs?: number): ProbeReply {
  return {
    text: replyText(reply.message),
    stopReason: reply.stopReason,
    usage: { input: reply.usage.inputTokens, output: reply.usage.outputTokens, total: reply.usage.totalTokens },
    ...(firstTokenMs !== undefined ? { firstTokenMs } : {}),
    ...(reply.serviceTier ? { serviceTier: reply.serviceTier } : {}),
  };
}

/**
 * A guarded route's guardrail, and a workload's application profile, are known only after apply: the deployed routing
 * document carries them. When smoke probes the synthesized document instead (the deployed one could not be read),
 * such a target is reported, not guessed.
 */
function unknownGuardrailRow(ctx: RegionContext, target: ProbeTarget, kind: "converse" | "stream"): CheckRow | undefined {
  const base = { region: ctx.region, kind, subject: targetLabel(target), verdict: "WARN" as const, outcome: "not-probed", category: "routing-document" as const };
  if (target.invokeId === APPLY_TIME)
    return { ...base, hint: `the application profile of workload ${target.workload} for ${target.modelId} exists only after apply and its ARN is in the deployed routing document, which could not be read (see the routing row): not probed` };
  if (!target.guardrail || !isApplyTime({ arn: target.guardrail.identifier, version: target.guardrail.version })) return undefined;
  return {
    ...base,
    guardrail: target.guardrail.name,
    hint: `guardrail ${target.guardrail.name} exists only after apply and its identifier is in the deployed routing document, which could not be read (see the routing row): not probed`,
  };
}

/** One Converse call per model; capacity errors retried with backoff, everything else reported at once. */
export async function converseCheck(ctx: RegionContext, target: ProbeTarget): Promise<CheckRow> {
  const unknown = unknownGuardrailRow(ctx, target, "converse");
  if (unknown) return unknown;
  const outcome = await withRetries<ProbeReply>(
    async () => {
      const signal = ctx.deadline.callSignal(ctx.timeoutMs);
      const { reply } = await abortable(converseOnce(ctx.clients.bedrock, probeTarget(target), probeConversation(target), { ...probeOptions(target), abortSignal: signal }), signal);
      return probeReply(reply);
    },
    { classify: (e) => classify(ctx, target, e), deadline: ctx.deadline },
  );
  return probeRow(ctx, target, "converse", outcome);
}

/**
 * One ConverseStream call per model, consumed to the end: time to first token (first content event), reply text, stop
 * reason and usage. A failure before the first content is retried like Converse (the router would fall back there);
 * one after it fails the check (a cut stream must not look like a clean answer, and is not re-issued:
 * https://github.com/Portkey-AI/gateway/issues/1797).
 */
export async function streamCheck(ctx: RegionContext, target: ProbeTarget): Promise<CheckRow> {
  const unknown = unknownGuardrailRow(ctx, target, "stream");
  if (unknown) return unknown;
  let afterContent = false;
  const outcome = await withRetries<ProbeReply>(
    async () => {
      afterContent = false;
      const signal = ctx.deadline.callSignal(ctx.timeoutMs);
      const opened = await abortable(openConverseStream(ctx.clients.bedrock, probeTarget(target), probeConversation(target), { ...probeOptions(target), abortSignal: signal }), signal);
      afterContent = !opened.endedWhileOpening;
      try {
        return probeReply(await abortable(opened.readToEnd(), signal), opened.timeToFirstContentMs);
      } catch (e) {
        // Abandoning an open stream: release it without waiting (the run deadline owns the wall time).
        opened.cancel();
        throw e;
      }
    },
    { classify: (e) => classify(ctx, target, e, afterContent ? "after-content" : "before-content"), deadline: ctx.deadline, retryable: () => !afterContent },
  );
  return probeRow(ctx, target, "stream", outcome, afterContent);
}

function classify(ctx: RegionContext, target: ProbeTarget, err: unknown, streamPhase?: "before-content" | "after-content"): Classification {
  return classifyError(err as Error, { invokeId: target.invokeId, region: ctx.region, declaredRegions: ctx.declaredRegions, ...(streamPhase ? { streamPhase } : {}) });
}

/** The row of a probe: the reply sample and figures when it passed, the classification and its hint when not. */
async function probeRow(ctx: RegionContext, target: ProbeTarget, kind: "converse" | "stream", outcome: RetryOutcome<ProbeReply>, midStream = false): Promise<CheckRow> {
  const base: RowBase = { region: ctx.region, kind, subject: targetLabel(target) };
  // As sent: the builder applied the cap.
  const maxTokens = attemptRequest(probeTarget(target), probeConversation(target), probeOptions(target)).inferenceConfig!.maxTokens!;
  const figures = { latencyMs: outcome.attempts[outcome.attempts.length - 1].latencyMs, attempts: outcome.attempts, maxTokens, ...(target.guardrail ? { guardrail: target.guardrail.name } : {}) };
  if (outcome.ok && isRefusal(outcome.value.stopReason)) return refusedRow(base, target, outcome.value, figures);
  if (outcome.ok) {
    const reply = outcome.value;
    const firstTokenMs = reply.firstTokenMs;
    const ttft = firstTokenMs !== undefined ? `, first token ${firstTokenMs} ms` : "";
    const serviceTier = reply.serviceTier ?? target.serviceTier;
    const tier = target.serviceTier ? `, tier ${reply.serviceTier ?? `${target.serviceTier} (requested; not echoed)`}` : "";
    const intervened = reply.stopReason === GUARDRAIL_INTERVENED;
    // A guardrail that blocks the probe prompt still proves the guarded path works end to end: a pass, said as such.
    const note = intervened
      ? `guardrail ${target.guardrail?.name ?? "(enforced by the account or organization)"} intervened on the probe: a pass (the guarded call works; the reply is its blocked message)`
      : JSON.stringify(replySample(reply.text));
    return {
      ...base,
      verdict: "PASS",
      outcome: intervened ? "guardrail-intervened" : "ok",
      hint: `${note} (${reply.stopReason}${tier}${ttft})`,
      tokens: reply.usage,
      stopReason: reply.stopReason,
      ...figures,
      ...(serviceTier ? { serviceTier } : {}),
      ...(target.guardrail || intervened ? { guardrailIntervened: intervened } : {}),
      ...(firstTokenMs !== undefined ? { timeToFirstTokenMs: firstTokenMs } : {}),
    };
  }
  const hint = await failureHint(ctx, target, outcome.classification, maxTokens);
  return failedRow(base, { ...outcome.classification, hint: midStream ? `the stream broke after its first content: ${hint}` : hint }, { ...figures, message: messageOf(outcome.error) });
}

/**
 * A probe the model declined (a refusal stop reason, core/runtime/refusal.ts): its own failure class, never a pass, since
 * the one-word probe prompt gives no reason to decline; the routes' calls would be refused the same way.
 */
function refusedRow(base: RowBase, target: ProbeTarget, reply: ProbeReply, figures: Partial<CheckRow>): CheckRow {
  return {
    ...base,
    verdict: "FAIL",
    outcome: "refused",
    category: "refusal",
    stopReason: reply.stopReason,
    tokens: reply.usage,
    hint: `${target.invokeId} declined the probe prompt (stop reason ${reply.stopReason}): the routes ${target.routes.map((r) => r.task).join(", ")} would get refusals, not answers; check the model's safety settings and any account- or organization-enforced guardrail, and run npm run eval on the routes' golden sets`,
    ...figures,
  };
}

/** Core's hint, plus what smoke knows: the routes and stack behind a tier or guardrail failure, quota figures when throttled. */
async function failureHint(ctx: RegionContext, target: ProbeTarget, c: Classification, maxTokens: number): Promise<string> {
  const tasks = target.routes.map((r) => r.task).join(", ");
  if (c.cause === "request-parameter-refused") return `${c.hint} (routes ${tasks}${catalogSays(target)})`;
  if (c.cause === "service-tier-unsupported" && target.serviceTier)
    return `${c.hint} (routes ${tasks} request ${target.serviceTier}: set routes.<task>.serviceTier in config/${ctx.manifest.environment}.json to a tier ${target.modelId} offers, or remove it, and record the model's tiers in catalog/overlay.json)`;
  if (c.cause === "guardrail-not-found" && target.guardrail)
    return `${c.hint} (guardrail ${target.guardrail.name} of routes ${tasks}, version ${target.guardrail.version}: cdktf deploy '${ctx.manifest.stack}' creates and publishes it and deploys the routing document naming it)`;
  if (c.cause !== "throttled" && c.cause !== "daily-quota-exhausted") return c.hint;
  const found = target.model ? await ctx.quotas.lookup(target.model).catch(() => undefined) : undefined;
  const figures = throttleFiguresText({
    ...(found?.kind === "found" ? { quota: found.quota } : {}),
    probeInputTokens: estimateInputTokens(PROBE_CONVERSATION),
    probeMaxTokens: maxTokens,
    routes: target.routes,
  });
  return `${c.hint} (${figures})`;
}

/** At most 40 characters of the reply, on one line: the only model output smoke ever prints or stores. */
export function replySample(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= 40 ? flat : `${flat.slice(0, 39)}…`;
}

function messageOf(err: unknown): string | undefined {
  const m = (err as { message?: unknown } | undefined)?.message;
  return typeof m === "string" ? m.slice(0, 300) : undefined;
}

/** What the catalog said of the probed request, when it judged it acceptable: the refusal then contradicts the catalog. */
function catalogSays(target: ProbeTarget): string {
  const constraints = target.model?.requestConstraints;
  if (!constraints) return "; the catalog records no request constraints for the model";
  const errors = requestViolations(target.modelId, probeTarget(target).route, constraints).filter((v) => v.severity !== "warning");
  return errors.length
    ? `; the catalog predicted it: ${errors.map((v) => v.message).join("; ")}`
    : `; the catalog (requestConstraints in catalog/overlay.json, as synthesized) says the model accepts this request, so the live model contradicts it: correct the constraint there, citing this run`;
}
