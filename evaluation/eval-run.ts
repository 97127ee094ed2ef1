import type { ContentBlock } from "@aws-sdk/client-bedrock-runtime";
import { abortable, type Deadline, DeadlineExceeded } from "../cli/deadline";
import { type RetryOutcome, withRetries } from "../cli/retry";
import { workerPool } from "../cli/worker-pool";
import { converseOnce } from "../client/converse-attempt";
import { replyText } from "../client/response-check";
import {
  type Arm,
  answeredSample,
  ARMS,
  failedSample,
  type GoldenCase,
  type GoldenSet,
  JUDGE_REQUEST,
  judgeConversation,
  type JudgeOutcome,
  readJudgeReply,
  type Reply,
  type Sample,
} from "../core/evaluation";
import { classifyError, type ConversationInput, type RequestShape } from "../core/runtime";
import type { EvalSession } from "./eval-session";
import type { EvalModel, EvalTarget } from "./eval-target";

/*
 * The calls of a run. Each sample is one case answered once by one model through the routing client's single attempt
 * (client/converse-attempt.ts: core's request builder with the route's shape, the response checked), retried on
 * capacity errors by the operator commands' one retry loop (cli/retry.ts), each call bounded by the per-call timeout
 * and the run deadline; then its judge checks, judged the same way. At most `concurrency` samples are in flight.
 */

/** What a run needs besides the target. */
export interface RunSettings {
  readonly repeat: number;
  readonly concurrency: number;
  readonly timeoutMs: number;
  readonly deadline: Deadline;
  /** Hand prompt and answer text to `onSample` (for --show-text); otherwise no text leaves the run. */
  readonly keepText: boolean;
}

/** Text of a sample, only when RunSettings.keepText. */
export interface SampleText {
  readonly prompt: string;
  readonly answer?: string;
}

export interface RunOutput {
  /** In completion order. */
  readonly samples: readonly Sample[];
  /** Wire calls made, retries and judge calls included. */
  readonly calls: number;
}

/** requestMetadata of a call (Bedrock invocation logs): what the call was for, never text. */
function metadata(purpose: "eval" | "eval-judge", c: GoldenCase, arm: Arm): Record<string, string> {
  return { purpose, evalCase: c.id, evalArm: arm };
}

function promptText(input: ConversationInput): string {
  return input.messages.flatMap((m) => m.content ?? []).map((b: ContentBlock) => ("text" in b && typeof b.text === "string" ? b.text : "")).join("\n");
}

class SampleRunner {
  calls = 0;

  constructor(
    private readonly target: EvalTarget,
    private readonly session: EvalSession,
    private readonly settings: RunSettings,
  ) {}

  /** One Converse call (the route's or the judge's shape) with the retry policy; DeadlineExceeded propagates. */
  private call(model: EvalModel, shape: RequestShape, input: ConversationInput): Promise<RetryOutcome<Reply>> {
    const { deadline, timeoutMs } = this.settings;
    const declaredRegions = this.target.env.plan.config.regions;
    return withRetries<Reply>(
      async () => {
        const signal = deadline.callSignal(timeoutMs);
        this.calls += 1;
        const started = Date.now();
        const { reply } = await abortable(converseOnce(this.session.bedrock, { invokeId: model.invokeId, route: shape }, input, { abortSignal: signal }), signal);
        const usage = { inputTokens: reply.usage.inputTokens, outputTokens: reply.usage.outputTokens };
        return { text: replyText(reply.message), stopReason: reply.stopReason, latencyMs: Date.now() - started, usage };
      },
      { classify: (e) => classifyError(e as Error, { invokeId: model.invokeId, region: this.session.region, declaredRegions }), deadline },
    );
  }

  /** The judge checks of a case on one answer, by check index. */
  private async judge(c: GoldenCase, arm: Arm, answer: string): Promise<Map<number, JudgeOutcome>> {
    const out = new Map<number, JudgeOutcome>();
    for (const [i, check] of c.checks.entries()) {
      if (check.type !== "judge") continue;
      const judge = this.target.judges.get(check.model ?? this.target.defaultJudge)!;
      const r = await this.call(judge, this.target.judgeShapes.get(judge.modelId) ?? JUDGE_REQUEST, judgeConversation(check.rubric, c.input, answer, metadata("eval-judge", c, arm)));
      out.set(i, r.ok ? readJudgeReply(r.value.text) : { failed: r.classification });
    }
    return out;
  }

  async sample(c: GoldenCase, arm: Arm, repeat: number): Promise<{ sample: Sample; text?: SampleText }> {
    const model = arm === "baseline" ? this.target.baseline : this.target.candidate;
    const prompt = () => (this.settings.keepText ? { prompt: promptText(c.input) } : undefined);
    try {
      this.settings.deadline.throwIfExpired();
      const r = await this.call(model, this.target.shape, { ...c.input, requestMetadata: metadata("eval", c, arm) });
      if (!r.ok) return { sample: failedSample(c, arm, repeat, r.classification), ...(prompt() ? { text: prompt() } : {}) };
      const judged = await this.judge(c, arm, r.value.text);
      const text = this.settings.keepText ? { text: { prompt: promptText(c.input), answer: r.value.text } } : {};
      return { sample: answeredSample(c, arm, repeat, r.value, judged), ...text };
    } catch (e) {
      if (!(e instanceof DeadlineExceeded)) throw e;
      const sample: Sample = {
        caseId: c.id,
        repeat,
        arm,
        outcome: "error",
        checks: [],
        error: { category: "deadline", cause: "deadline" },
        inconclusive: `${arm} not finished within the run deadline (--deadline-ms)`,
      };
      return { sample };
    }
  }
}

/**
 * Runs every case `repeat` times on both models, repeat by repeat, the two models' samples of a case side by side
 * (a run the deadline cuts short has measured whole pairs first). `onSample` sees each sample as it completes.
 */
export async function runEvaluation(
  target: EvalTarget,
  set: GoldenSet,
  session: EvalSession,
  settings: RunSettings,
  onSample: (sample: Sample, done: number, total: number, text?: SampleText) => void = () => undefined,
): Promise<RunOutput> {
  const runner = new SampleRunner(target, session, settings);
  const pool = workerPool(settings.concurrency);
  const jobs: Array<{ c: GoldenCase; arm: Arm; repeat: number }> = [];
  for (let repeat = 1; repeat <= settings.repeat; repeat++) for (const c of set.cases) for (const arm of ARMS) jobs.push({ c, arm, repeat });
  const samples: Sample[] = [];
  await Promise.all(
    jobs.map((j) =>
      pool(async () => {
        const { sample, text } = await runner.sample(j.c, j.arm, j.repeat);
        samples.push(sample);
        onSample(sample, samples.length, jobs.length, text);
      }),
    ),
  );
  return { samples, calls: runner.calls };
}
