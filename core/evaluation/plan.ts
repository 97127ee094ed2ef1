import { estimateInputTokens } from "../runtime";
import { callCostUsd, type ModelPrice } from "./cost";
import type { GoldenSet } from "./golden-set";
import { JUDGE_MAX_TOKENS, JUDGE_SYSTEM, judgeUserText } from "./judge";
import { minimumPairs } from "./statistics";

/** Most repeats of each case a run may make. */
export const MAX_REPEAT = 20;
/** Default ceiling on the calls of one run (`--max-calls`). */
export const DEFAULT_MAX_CALLS = 500;

/**
 * The repeat count used when none is given: the fewest repeats with which the set can show non-inferiority at the
 * margin when both models agree on every sample (statistics.ts minimumPairs), at least 1, at most MAX_REPEAT.
 */
export function automaticRepeat(cases: number, margin: number): number {
  if (cases <= 0) return 1;
  return Math.min(MAX_REPEAT, Math.max(1, Math.ceil(minimumPairs(margin) / cases)));
}

/** Calls and upper bounds on tokens and cost, printed before the first call. */
export interface RunPlan {
  readonly repeat: number;
  readonly calls: { readonly baseline: number; readonly candidate: number; readonly judge: number; readonly total: number };
  /** Estimated input tokens (characters / 4) and the most output tokens the calls may produce (their maxTokens). */
  readonly tokens: { readonly input: number; readonly output: number };
  /** At most this many USD at the catalog's prices; undefined when a model has no price. */
  readonly costUsdAtMost?: number;
}

/** Prices of the models a run calls; the judges' by foundation-model ID. */
export interface PlanPrices {
  readonly baseline?: ModelPrice;
  readonly candidate?: ModelPrice;
  readonly judges: ReadonlyMap<string, ModelPrice | undefined>;
}

/**
 * The plan of a run: per case and repeat one call to each model, and one judge call per judge check and answer.
 * `judgeOf` names the judge model of a check (the check's own, else the run's).
 */
export function planRun(set: GoldenSet, args: { readonly repeat: number; readonly maxTokens: number; readonly judgeOf: (model: string | undefined) => string; readonly prices?: PlanPrices }): RunPlan {
  const total: { input: number; output: number; cost?: number } = { input: 0, output: 0, cost: 0 };
  let judgeCalls = 0;
  const add = (price: ModelPrice | undefined, inTokens: number, outTokens: number, times: number) => {
    total.input += inTokens * times;
    total.output += outTokens * times;
    total.cost = price && total.cost !== undefined ? total.cost + callCostUsd(price, { inputTokens: inTokens, outputTokens: outTokens }) * times : undefined;
  };
  for (const c of set.cases) {
    const asked = estimateInputTokens(c.input);
    add(args.prices?.baseline, asked, args.maxTokens, args.repeat);
    add(args.prices?.candidate, asked, args.maxTokens, args.repeat);
    for (const check of c.checks) {
      if (check.type !== "judge") continue;
      // The judge reads the rubric, the question and an answer as long as maxTokens allows (about 4 characters a token).
      const judgeInput = Math.ceil((JUDGE_SYSTEM.length + judgeUserText(check.rubric, c.input, "").length) / 4) + args.maxTokens;
      judgeCalls += 2 * args.repeat;
      const judge = args.judgeOf(check.model);
      add(args.prices?.judges.get(judge), judgeInput, JUDGE_MAX_TOKENS, 2 * args.repeat);
    }
  }
  const perModel = set.cases.length * args.repeat;
  return {
    repeat: args.repeat,
    calls: { baseline: perModel, candidate: perModel, judge: judgeCalls, total: 2 * perModel + judgeCalls },
    tokens: { input: total.input, output: total.output },
    ...(total.cost === undefined || !args.prices ? {} : { costUsdAtMost: total.cost }),
  };
}
