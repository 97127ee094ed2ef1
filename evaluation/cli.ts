/**
 * Golden-set evaluation of a model upgrade: `npm run eval -- --env <env> --task <task> --candidate <modelId>` (see
 * --help and docs/evaluation.md). Exit 0 when the gate passes, 1 when it fails or cannot decide, 2 on usage or
 * configuration errors (nothing written, no model called).
 */
import { Deadline } from "../cli/deadline";
import { noteNodeSupport } from "../cli/node-support";
import { describeUserError, runCli } from "../cli/user-error";
import {
  automaticRepeat,
  buildReport,
  decideGate,
  failingCaseLines,
  gateLines,
  JUDGE_PROMPT_VERSION,
  minimumPairs,
  modelPrice,
  planRun,
  reportBaseName,
  reportJunit,
  reportMarkdown,
  type RunPlan,
} from "../core/evaluation";
import { displayText } from "../core/problems";
import { goldenLine, headerLine, planLines, progressLine, shapeLine, tableLines, textLines } from "./console-lines";
import { runEvaluation } from "./eval-run";
import { EvalSession } from "./eval-session";
import { type EvalTarget, loadEvalEnvironment, resolveTarget, snapshotDate } from "./eval-target";
import { defaultGoldenPath, type GoldenFile, readGoldenFile } from "./golden-file";
import { type EvalOptions, parseOptions, USAGE, usageError } from "./options";
import { checkReportTargets, writeReports } from "./report-files";

/** Where the command prints; tests pass their own. */
export interface EvalIo {
  stdout(line: string): void;
  stderr(line: string): void;
}

const processIo: EvalIo = {
  stdout: (line) => process.stdout.write(line + "\n"),
  stderr: (line) => process.stderr.write(line + "\n"),
};

/** Share of --deadline-ms kept after the calls for the gate and the reports: a quarter, at most 5 s. */
function reserveMs(deadlineMs: number): number {
  return Math.min(5_000, Math.floor(deadlineMs / 4));
}

function pricesOf(t: EvalTarget) {
  const price = (id: string) => modelPrice(t.env.catalog, id);
  return { baseline: price(t.baseline.modelId), candidate: price(t.candidate.modelId), judges: new Map([...t.judges.keys()].map((id) => [id, price(id)])) };
}

/** The plan, printed; refused (exit 2) above --max-calls. */
function planOf(t: EvalTarget, golden: GoldenFile, options: EvalOptions, io: EvalIo): RunPlan {
  const cases = golden.set.cases.length;
  const repeat = options.repeat ?? automaticRepeat(cases, options.margin);
  const plan = planRun(golden.set, { repeat, maxTokens: t.shape.maxTokens, judgeOf: (m) => m ?? t.defaultJudge, prices: pricesOf(t) });
  for (const line of planLines(plan, options.repeat === undefined, minimumPairs(options.margin), cases, options.maxCalls)) io.stdout(line);
  if (plan.calls.total > options.maxCalls)
    throw usageError(`the plan needs ${plan.calls.total} calls, more than --max-calls ${options.maxCalls}: lower --repeat, split the golden set, or raise --max-calls`);
  return plan;
}

/** Runs the calls, decides, writes the reports and prints the outcome; the exit code. */
async function evaluate(t: EvalTarget, golden: GoldenFile, options: EvalOptions, session: EvalSession, deadline: Deadline, plan: RunPlan, endpoint: string, io: EvalIo): Promise<number> {
  const startedAt = new Date();
  const run = await runEvaluation(t, golden.set, session, { repeat: plan.repeat, concurrency: options.concurrency, timeoutMs: options.timeoutMs, deadline, keepText: options.showText }, (s, done, total, text) => {
    io.stdout(progressLine(s, done, total));
    if (text && (s.passed === false || s.inconclusive)) for (const line of textLines(text)) io.stdout(line);
  });
  const prices = pricesOf(t);
  const gate = decideGate(run.samples, { margin: options.margin, prices: { ...(prices.baseline ? { baseline: prices.baseline } : {}), ...(prices.candidate ? { candidate: prices.candidate } : {}) } });
  const model = (m: { modelId: string; invokeId: string }, price: typeof prices.baseline) => ({ modelId: m.modelId, invokeId: m.invokeId, ...(price ? { price } : {}) });
  const date = snapshotDate(t.env);
  const report = buildReport(
    {
      environment: t.env.plan.config.name,
      region: t.env.region,
      task: t.task,
      baseline: model(t.baseline, prices.baseline),
      candidate: model(t.candidate, prices.candidate),
      judgeModels: [...t.judges.keys()],
      judgePromptVersion: JUDGE_PROMPT_VERSION,
      goldenFile: golden.displayName,
      goldenSha256: golden.sha256,
      ...(date ? { catalogSnapshotDate: date } : {}),
      startedAt,
      finishedAt: new Date(),
      run: {
        repeat: plan.repeat,
        concurrency: options.concurrency,
        maxTokens: t.shape.maxTokens,
        ...(t.shape.temperature === undefined ? {} : { temperature: t.shape.temperature }),
        ...(t.shape.serviceTier ? { serviceTier: t.shape.serviceTier } : {}),
        ...(t.shape.guardrail ? { guardrail: t.shape.guardrail.name } : {}),
        endpoint,
        calls: { planned: plan.calls.total, made: run.calls },
      },
    },
    golden.set,
    run.samples,
    gate,
  );
  for (const line of tableLines(report)) io.stdout(line);
  for (const line of gateLines(report)) io.stdout(`gate: ${line}`);
  const failing = failingCaseLines(report);
  if (failing.length) io.stdout("failing or unmeasured candidate samples:");
  for (const line of failing) io.stdout(`  ${line}`);
  for (const reason of gate.reasons) io.stdout(`not a pass: ${reason}`);
  const base = reportBaseName({ environment: report.environment, region: report.region, task: report.task, candidate: report.candidate.modelId });
  const files = writeReports(options.reportDir, base, { json: JSON.stringify(report, null, 2) + "\n", md: reportMarkdown(report), xml: reportJunit(report) });
  io.stdout(`reports: ${displayText(files.json, 200)}, .md, .xml`);
  io.stdout(`eval: ${report.verdict.toUpperCase()} (${run.calls} calls in ${(report.wallMs / 1000).toFixed(1)} s)`);
  return report.verdict === "pass" ? 0 : 1;
}

/** The whole command; returns the exit code. Mistakes print one line each and return 2, never a stack trace. */
export async function main(argv: readonly string[], io: EvalIo = processIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let deadline: Deadline | undefined;
  let session: EvalSession | undefined;
  try {
    const options = parseOptions(argv, env);
    if (options === "help") {
      io.stdout(USAGE);
      return 0;
    }
    const golden = readGoldenFile(options.golden ?? defaultGoldenPath(options.task));
    const loaded = loadEvalEnvironment(options);
    // A report path eval could not write must fail before a single token is spent.
    checkReportTargets(options.reportDir, reportBaseName({ environment: options.env, region: loaded.region, task: options.task, candidate: options.candidate }));
    deadline = new Deadline(options.deadlineMs - reserveMs(options.deadlineMs));
    noteNodeSupport(io.stderr, env);
    session = new EvalSession(loaded.region, options.endpointUrl);
    const endpoint = await session.preflight(options.endpointUrl, deadline.signal);
    const doc = await session.deployedDocument(loaded.manifest, options.timeoutMs, deadline);
    const target = resolveTarget(loaded, doc, options, golden);
    io.stdout(headerLine(target, endpoint));
    io.stdout(shapeLine(target));
    io.stdout(goldenLine(golden.displayName, golden.sha256, golden.set, target));
    for (const note of target.notes) io.stdout(note);
    const plan = planOf(target, golden, options, io);
    if (options.planOnly) {
      io.stdout("eval: plan only, no model called");
      return 0;
    }
    return await evaluate(target, golden, options, session, deadline, plan, options.endpointShown ?? endpoint, io);
  } catch (err) {
    const user = describeUserError(err);
    if (!user) throw err;
    for (const line of user.lines) io.stderr(line);
    // 1 means "the gate did not pass"; every mistake in the command, its inputs or the environment is 2.
    return 2;
  } finally {
    deadline?.dispose();
    session?.destroy();
  }
}

if (require.main === module) void runCli(() => main(process.argv.slice(2)));
