import {
  answeredSample,
  buildReport,
  type CheckedReport,
  decideGate,
  DEFAULT_EVIDENCE_MAX_AGE_DAYS,
  evalCommand,
  type EvalReport,
  evaluateEvidence,
  type EvidenceRequest,
  type GoldenCase,
  parseEvalReport,
  type Reply,
  reportBaseName,
  reportJunit,
  reportMarkdown,
  type Sample,
} from "../../../core/evaluation";

const SECRET_PROMPT = "PROMPT-TEXT-never-in-a-report";
const SECRET_ANSWER = "ANSWER-TEXT-never-in-a-report";
const SHA = "a".repeat(64);
const FINISHED = new Date("2026-12-01T10:00:00Z");

const cases: GoldenCase[] = ["refund", "status"].map((id) => ({
  id,
  line: 1,
  input: { messages: [{ role: "user", content: [{ text: `${SECRET_PROMPT} ${id}` }] }] },
  hard: false,
  expect: "answer",
  checks: [{ type: "contains", label: "mentions days", hard: true, value: "days", ignoreCase: false }],
}));
const reply = (text: string): Reply => ({ text, stopReason: "end_turn", latencyMs: 50, usage: { inputTokens: 5, outputTokens: 7 } });

function report(candidateText: string, repeats = 40): EvalReport {
  const samples: Sample[] = [];
  for (let r = 1; r <= repeats; r++)
    for (const c of cases) samples.push(answeredSample(c, "baseline", r, reply(`30 days ${SECRET_ANSWER}`)), answeredSample(c, "candidate", r, reply(candidateText)));
  const gate = decideGate(samples);
  return buildReport(
    {
      environment: "shop",
      region: "us-east-1",
      task: "support-answers",
      baseline: { modelId: "anthropic.claude-haiku-4-5-20251001-v1:0", invokeId: "us.anthropic.claude-haiku-4-5-20251001-v1:0" },
      candidate: { modelId: "amazon.nova-lite-v1:0", invokeId: "us.amazon.nova-lite-v1:0" },
      judgeModels: [],
      judgePromptVersion: "judge-v1",
      goldenFile: "evals/support-answers.jsonl",
      goldenSha256: SHA,
      catalogSnapshotDate: "2026-11-30",
      startedAt: new Date(FINISHED.getTime() - 60_000),
      finishedAt: FINISHED,
      run: { repeat: repeats, concurrency: 4, maxTokens: 512, endpoint: "AWS", calls: { planned: 4 * repeats, made: 4 * repeats } },
    },
    { cases },
    samples,
    gate,
  );
}

describe("the report", () => {
  const passing = report(`Within 30 days. ${SECRET_ANSWER}`);
  const failing = report(`Soon. ${SECRET_ANSWER}`, 2);

  it("names environment, region, task, baseline, candidate, golden set hash, catalog date, time and verdict", () => {
    expect(passing).toMatchObject({
      reportVersion: 1,
      kind: "bedrock-eval-report",
      environment: "shop",
      region: "us-east-1",
      task: "support-answers",
      baseline: { modelId: "anthropic.claude-haiku-4-5-20251001-v1:0" },
      candidate: { modelId: "amazon.nova-lite-v1:0" },
      goldenSet: { sha256: SHA, cases: 2, checks: 2, hardChecks: 2 },
      catalogSnapshotDate: "2026-11-30",
      finishedAt: FINISHED.toISOString(),
      wallMs: 60_000,
      verdict: "pass",
    });
    expect(passing.gate).toMatchObject({ pairs: 80, margin: 0.05, confidence: 0.95, nonInferior: true, test: expect.stringContaining("Tango") });
    expect(failing.verdict).toBe("fail");
    expect(failing.gate.hardFailures).toHaveLength(4);
  });

  it("carries no prompt or answer text in any of its three forms", () => {
    for (const r of [passing, failing])
      for (const text of [JSON.stringify(r), reportMarkdown(r), reportJunit(r)]) {
        expect(text).not.toContain(SECRET_PROMPT);
        expect(text).not.toContain(SECRET_ANSWER);
      }
  });

  it("the Markdown summary shows the figures side by side and the gate with its numbers", () => {
    const md = reportMarkdown(failing);
    expect(md).toMatch(/^### Model evaluation: `support-answers` in shop\/us-east-1: FAIL/);
    expect(md).toContain("| pass rate | 4/4 (100.0%) | 0/4 (0.0%) |");
    expect(md).toContain("- hard checks: FAIL: 4 hard check failures of the candidate");
    expect(md).toMatch(/- non-inferiority \(margin 5\.0 points\): FAIL: difference -100\.0 points, 95% interval \[-100\.0, -\d+\.\d\]/);
    expect(md).toContain("- refund #1: mentions days [hard] (the expected text is missing)");
  });

  it("the JUnit report has the gate's conditions and a test case per golden case", () => {
    const xml = reportJunit(failing);
    expect(xml).toMatch(/<testsuites name="eval shop\/us-east-1 support-answers amazon.nova-lite-v1:0" tests="5" failures="4"/);
    expect(xml).toContain('<testcase classname="eval.shop.us-east-1.support-answers" name="gate: hard checks">');
    expect(xml).toContain('<testcase classname="eval.shop.us-east-1.support-answers" name="gate: every sample measured"/>');
    expect(xml).toContain('name="case refund">');
    expect(reportJunit(passing)).toMatch(/tests="5" failures="0"/);
  });

  it("file names are safe and one per comparison", () => {
    expect(reportBaseName({ environment: "prod", region: "eu-west-1", task: "code-review", candidate: "anthropic.claude-opus-4-5-20251101-v1:0" })).toBe(
      "prod.eu-west-1.code-review.anthropic.claude-opus-4-5-20251101-v1_0",
    );
  });
});

describe("the report read back at the boundary", () => {
  it("round-trips through JSON", () => {
    const r = report("30 days");
    expect(parseEvalReport(JSON.stringify(r))).toMatchObject({ environment: "shop", verdict: "pass", goldenSet: { sha256: SHA } });
  });

  it.each<[string, string, RegExp]>([
    ["not JSON", "{", /^is not JSON/],
    ["another JSON file", JSON.stringify({ reportVersion: 1, environment: "shop" }), /^is not an evaluation report of this version \(kind:/],
    ["a future version", JSON.stringify({ ...report("30 days"), reportVersion: 2 }), /reportVersion/],
    ["a truncated hash", JSON.stringify({ ...report("30 days"), goldenSet: { sha256: "abc" } }), /goldenSet\.sha256: must be a SHA-256 in hex/],
    ["an unknown verdict", JSON.stringify({ ...report("30 days"), verdict: "maybe" }), /verdict/],
  ])("refuses %s with one line", (_label, text, reason) => {
    const r = parseEvalReport(text);
    expect(typeof r).toBe("string");
    expect(r).toMatch(reason);
    expect(r).not.toContain("\n");
  });
});

describe("evidence for the toggle", () => {
  const checked = (r: EvalReport) => parseEvalReport(JSON.stringify(r)) as CheckedReport;
  const good = checked(report("30 days"));
  const request: EvidenceRequest = { environment: "shop", region: "us-east-1", task: "support-answers", candidate: "amazon.nova-lite-v1:0", goldenSha256: SHA, now: new Date("2026-12-03T10:00:00Z") };
  const command = evalCommand(request);

  it("names the command that produces the evidence", () => {
    expect(command).toBe("npm run eval -- --env shop --region us-east-1 --task support-answers --candidate amazon.nova-lite-v1:0");
  });

  it("accepts a passing report for the same comparison and golden set, within the age limit (default 7 days)", () => {
    expect(DEFAULT_EVIDENCE_MAX_AGE_DAYS).toBe(7);
    expect(evaluateEvidence(good, request)).toEqual({ valid: true });
    expect(evaluateEvidence(good, { ...request, now: new Date("2026-12-08T09:59:00Z") })).toEqual({ valid: true });
  });

  it.each<[string, CheckedReport | undefined, Partial<EvidenceRequest>, RegExp]>([
    ["no report", undefined, {}, /^no evaluation report for shop\/us-east-1 support-answers with amazon.nova-lite-v1:0: run npm run eval/],
    ["another environment", good, { environment: "prod" }, /^the evaluation report is for environment "?shop"?, not "?prod"?/],
    ["another region", good, { region: "eu-west-1" }, /is for region "?us-east-1"?, not "?eu-west-1"?/],
    ["another task", good, { task: "chat" }, /is for task/],
    ["another candidate", good, { candidate: "amazon.nova-pro-v1:0" }, /is for candidate amazon.nova-lite-v1:0, not amazon.nova-pro-v1:0/],
    ["a failed evaluation", checked(report("soon", 2)), {}, /did not pass \(verdict fail\)/],
    ["an inconclusive one", { ...good, verdict: "inconclusive" }, {}, /did not pass \(verdict inconclusive\)/],
    ["a changed golden set", good, { goldenSha256: "b".repeat(64) }, /the golden set changed since the evaluation \(report sha256 aaaaaaaaaaaa…, now bbbbbbbbbbbb…\)/],
    ["a report too old", good, { now: new Date("2026-12-08T10:00:01Z") }, /is 7 days old \(finished 2026-12-01T10:00:00.000Z; at most 7\)/],
    ["a report too old for a stricter limit", good, { maxAgeDays: 1 }, /is 2 days old .*at most 1\)/],
    ["a report from the future", good, { now: new Date("2026-11-30T10:00:00Z") }, /dated 2026-12-01T10:00:00.000Z, after now/],
  ])("refuses %s, in one line naming the command", (_label, r, change, reason) => {
    const v = evaluateEvidence(r, { ...request, ...change });
    expect(v.valid).toBe(false);
    const text = (v as { reason: string }).reason;
    expect(text).toMatch(reason);
    expect(text.endsWith(`run ${evalCommand({ ...request, ...change })}`)).toBe(true);
    expect(text).not.toContain("\n");
  });
});
