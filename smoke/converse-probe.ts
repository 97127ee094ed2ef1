import { ConverseCommand, ConverseStreamCommand, type ConverseStreamOutput } from "@aws-sdk/client-bedrock-runtime";
import { buildConverseRequest, estimateInputTokens, PROBE_CONVERSATION, PROBE_MAX_TOKENS } from "../core/converse-request";
import { type Classification, classifyError } from "../core/error-classification";
import { type CheckRow, failedRow, type RowBase } from "./check-result";
import { type RegionContext, send } from "./check-context";
import { abortable } from "./deadline";
import type { ProbeTarget } from "./probe-targets";
import { throttleFiguresText } from "./quota-figures";
import { checkReply, MalformedResponse, type ProbeReply, readConverseResponse, replySample } from "./response-validation";
import { type RetryOutcome, withRetries } from "./retry";

/**
 * The probe request: built by core's builder exactly as the routing client builds real traffic (invariant 4), with the
 * route's maxTokens capped at PROBE_MAX_TOKENS and requestMetadata purpose=smoke-test.
 */
export function probeRequest(target: ProbeTarget) {
  return buildConverseRequest(target.invokeId, { maxTokens: target.maxTokens }, PROBE_CONVERSATION, { maxTokensCap: PROBE_MAX_TOKENS });
}

/** One Converse call per model; capacity errors retried with backoff, everything else reported at once. */
export async function converseCheck(ctx: RegionContext, target: ProbeTarget): Promise<CheckRow> {
  const request = probeRequest(target);
  const outcome = await withRetries<ProbeResult>(
    async () => ({ reply: readConverseResponse(await send(ctx, (abortSignal) => ctx.clients.bedrock.send(new ConverseCommand(request), { abortSignal }))) }),
    { classify: (e) => classify(ctx, target, e), deadline: ctx.deadline },
  );
  return probeRow(ctx, target, "converse", request.inferenceConfig!.maxTokens!, outcome);
}

/**
 * One ConverseStream call per model, consumed to the end: time to first token (first contentBlockDelta), reply text,
 * stop reason and usage. A failure before any event is retried like Converse; an exception after the first event is
 * a failure (lessons.md §4: a cut stream must not look like a clean answer, and is not silently re-issued).
 */
export async function streamCheck(ctx: RegionContext, target: ProbeTarget): Promise<CheckRow> {
  const request = probeRequest(target);
  let midStream = false;
  const outcome = await withRetries<ProbeResult>(
    async () => {
      midStream = false;
      const signal = ctx.deadline.callSignal(ctx.timeoutMs);
      const t0 = Date.now();
      const res = await abortable(ctx.clients.bedrock.send(new ConverseStreamCommand(request), { abortSignal: signal }), signal);
      if (!res.stream) throw new MalformedResponse(["the event stream"]);
      let firstTokenMs: number | undefined;
      let text = "";
      let stopReason: unknown;
      let usage: unknown;
      const events = res.stream[Symbol.asyncIterator]();
      let finished = false;
      try {
        for (;;) {
          const next = await abortable(events.next(), signal);
          if (next.done) break;
          midStream = true;
          const ev: ConverseStreamOutput = next.value;
          if (ev.contentBlockDelta) {
            firstTokenMs ??= Date.now() - t0;
            text += ev.contentBlockDelta.delta?.text ?? "";
          } else if (ev.messageStop) stopReason = ev.messageStop.stopReason;
          else if (ev.metadata) usage = ev.metadata.usage;
          else throwStreamException(ev);
        }
        finished = true;
      } finally {
        // Abandoning an open stream: release it without waiting (the run deadline owns the wall time).
        if (!finished) void Promise.resolve(events.return?.()).catch(() => undefined);
      }
      return { reply: checkReply({ text, stopReason, usage }, STREAM_FIELDS), firstTokenMs };
    },
    { classify: (e) => classify(ctx, target, e), deadline: ctx.deadline, retryable: () => !midStream },
  );
  return probeRow(ctx, target, "stream", request.inferenceConfig!.maxTokens!, outcome, midStream);
}

const STREAM_FIELDS = { text: "contentBlockDelta text", stopReason: "messageStop.stopReason", usage: "metadata.usage" };

/** Exception members of the stream union, in case the SDK yields one instead of throwing it. */
function throwStreamException(ev: ConverseStreamOutput): void {
  const [name, value] = Object.entries(ev).find(([k]) => k.endsWith("Exception")) ?? [];
  if (!name) return;
  const e = new Error((value as { message?: string } | undefined)?.message ?? name);
  e.name = name;
  throw e;
}

function classify(ctx: RegionContext, target: ProbeTarget, err: unknown): Classification {
  return classifyError(err as Error, { invokeId: target.invokeId, region: ctx.region, declaredRegions: ctx.declaredRegions });
}

/** What a successful probe yields. */
interface ProbeResult {
  readonly reply: ProbeReply;
  /** ConverseStream only. */
  readonly firstTokenMs?: number;
}

/** The row of a probe: the reply sample and figures when it passed, the classification and its hint when not. */
async function probeRow(ctx: RegionContext, target: ProbeTarget, kind: "converse" | "stream", maxTokens: number, outcome: RetryOutcome<ProbeResult>, midStream = false): Promise<CheckRow> {
  const base: RowBase = { region: ctx.region, kind, subject: target.invokeId };
  const figures = { latencyMs: outcome.attempts[outcome.attempts.length - 1].latencyMs, attempts: outcome.attempts, maxTokens };
  if (outcome.ok) {
    const { reply, firstTokenMs } = outcome.value;
    const ttft = firstTokenMs !== undefined ? `, first token ${firstTokenMs} ms` : "";
    return {
      ...base,
      verdict: "PASS",
      outcome: "ok",
      hint: `${JSON.stringify(replySample(reply.text))} (${reply.stopReason}${ttft})`,
      tokens: reply.usage,
      stopReason: reply.stopReason,
      ...figures,
      ...(firstTokenMs !== undefined ? { timeToFirstTokenMs: firstTokenMs } : {}),
    };
  }
  const hint = await failureHint(ctx, target, outcome.classification, maxTokens);
  return failedRow(base, { ...outcome.classification, hint: midStream ? `the stream broke after its first events: ${hint}` : hint }, { ...figures, message: messageOf(outcome.error) });
}

/** Core's hint, plus the quota and maxTokens figures when the model is throttled. */
async function failureHint(ctx: RegionContext, target: ProbeTarget, c: Classification, maxTokens: number): Promise<string> {
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

function messageOf(err: unknown): string | undefined {
  const m = (err as { message?: unknown } | undefined)?.message;
  return typeof m === "string" ? m.slice(0, 300) : undefined;
}
