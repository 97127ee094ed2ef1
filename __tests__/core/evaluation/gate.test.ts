import {
  answeredSample,
  type Arm,
  automaticRepeat,
  decideGate,
  failedSample,
  type GoldenCase,
  hardFailures,
  type JudgeOutcome,
  pairedCounts,
  planRun,
  type Reply,
  type Sample,
  summarizeArm,
} from "../../../core/evaluation";
import type { Classification } from "../../../core/runtime";

/** A case with a hard JSON check and a soft contains check (and optionally a judge check). */
function goldenCase(id: string, options: { hard?: boolean; judge?: boolean; expect?: "answer" | "refusal" } = {}): GoldenCase {
  return {
    id,
    line: 1,
    input: { messages: [{ role: "user", content: [{ text: `question ${id}` }] }] },
    hard: options.hard ?? false,
    expect: options.expect ?? "answer",
    checks: [
      { type: "json-schema", label: "checks[0] json-schema", hard: true, schema: { type: "object", required: ["ok"] } },
      { type: "contains", label: "checks[1] contains", hard: options.hard ?? false, value: "yes", ignoreCase: false },
      ...(options.judge ? [{ type: "judge" as const, label: "checks[2] judge", hard: options.hard ?? false, rubric: "r", threshold: 4 }] : []),
    ],
  };
}

/** Passes both checks. */
const GOOD = '{"ok": "yes"}';
/** Passes the hard JSON check, fails the soft contains check. */
const SOFT_FAIL = '{"ok": "no"}';
const reply = (text: string, stopReason = "end_turn", latencyMs = 100): Reply => ({ text, stopReason, latencyMs, usage: { inputTokens: 10, outputTokens: 20 } });
const classification = (category: Classification["category"], cause: string): Classification =>
  ({ category, cause, retryable: category === "capacity", fallback: category === "capacity", hint: "h", errorName: "X" }) as unknown as Classification;

/** Both models answer every case `repeats` times; `candidateText` decides the candidate's answers. */
function run(cases: GoldenCase[], repeats: number, candidateText: (c: GoldenCase, repeat: number) => string): Sample[] {
  const out: Sample[] = [];
  for (let r = 1; r <= repeats; r++)
    for (const c of cases) {
      out.push(answeredSample(c, "baseline", r, reply(GOOD)));
      out.push(answeredSample(c, "candidate", r, reply(candidateText(c, r))));
    }
  return out;
}

/** The reason a sample is not measured; fails when it counts. */
function unmeasured(s: Sample): string {
  expect(s.passed).toBeUndefined();
  expect(s.inconclusive).toEqual(expect.any(String));
  return s.inconclusive!;
}

const cases = Array.from({ length: 10 }, (_, i) => goldenCase(`c${i}`));

describe("scoring a sample", () => {
  it("passes when every check passes, names the failed ones otherwise", () => {
    const c = goldenCase("a");
    expect(answeredSample(c, "candidate", 1, reply(GOOD))).toMatchObject({ passed: true, outcome: "answered" });
    const bad = answeredSample(c, "candidate", 1, reply("yes, not JSON"));
    expect(bad.passed).toBe(false);
    expect(hardFailures(bad).map((r) => r.label)).toEqual(["checks[0] json-schema"]);
  });

  it("a refusal is never a pass when the case expects an answer, and the only pass when it expects a refusal", () => {
    for (const stop of ["refusal", "content_filtered"]) {
      const declined = answeredSample(goldenCase("a"), "candidate", 1, reply(GOOD, stop));
      expect(declined).toMatchObject({ outcome: "refused", passed: false });
      expect(declined.checks.find((r) => r.type === "expect")).toMatchObject({ passed: false, reason: `the model declined (${stop})` });
    }
    const refusalCase: GoldenCase = { ...goldenCase("r", { expect: "refusal" }), checks: [] };
    expect(answeredSample(refusalCase, "candidate", 1, reply("", "refusal")).passed).toBe(true);
    expect(answeredSample(refusalCase, "candidate", 1, reply("Sure, here is how")).passed).toBe(false);
    // A guardrail's intervention is an answer (the blocked message), not a refusal.
    expect(answeredSample(goldenCase("g"), "candidate", 1, reply(GOOD, "guardrail_intervened")).outcome).toBe("answered");
  });

  it("a judge check passes at its threshold; an unreadable or failed judge makes the sample unmeasured", () => {
    const c = goldenCase("j", { judge: true });
    const judged = (o: JudgeOutcome) => answeredSample(c, "candidate", 1, reply(GOOD), new Map([[2, o]]));
    expect(judged({ score: 4 })).toMatchObject({ passed: true });
    expect(judged({ score: 3 })).toMatchObject({ passed: false });
    expect(judged({ score: 3 }).checks.find((r) => r.type === "judge")).toMatchObject({ score: 3, reason: "scored 3, below 4" });
    expect(unmeasured(judged({ unreadable: "the judge did not reply with a JSON object" }))).toMatch(/did not reply/);
    expect(unmeasured(judged({ failed: classification("capacity", "throttled") }))).toMatch(/judge's call failed: throttled/);
  });

  it("a failed call counts against the candidate only when it says something about the model", () => {
    const c = goldenCase("e");
    const rejected = failedSample(c, "candidate", 1, classification("configuration", "validation"));
    expect(rejected).toMatchObject({ outcome: "error", passed: false });
    expect(hardFailures(rejected).map((r) => r.label)).toEqual(["checks[0] json-schema"]);
    for (const category of ["capacity", "access", "marketplace-pending"] as const) expect(unmeasured(failedSample(c, "candidate", 1, classification(category, "x")))).toMatch(/candidate call failed: x/);
    // The baseline's failures never count for or against the candidate.
    expect(unmeasured(failedSample(c, "baseline", 1, classification("configuration", "validation")))).toMatch(/baseline call failed/);
  });
});

describe("the gate", () => {
  it("passes a candidate that answers like the baseline, with enough pairs", () => {
    const g = decideGate(run(cases, 8, () => GOOD));
    expect(g.nonInferiority.counts).toEqual({ pairs: 80, candidateOnly: 0, baselineOnly: 0 });
    expect(g).toMatchObject({ verdict: "pass", reasons: [], hardFailures: [] });
  });

  it("fails a candidate that breaks a hard check once, whatever its pass rate", () => {
    const g = decideGate(run(cases, 8, (c, r) => (c.id === "c3" && r === 5 ? '{"nope": "yes"}' : GOOD)));
    expect(g.verdict).toBe("fail");
    expect(g.hardFailures).toEqual([{ caseId: "c3", repeat: 5, check: "checks[0] json-schema", reason: "the answer must have required property 'ok'" }]);
    expect(g.reasons[0]).toBe("1 hard check of the candidate failed");
  });

  it("fails a candidate that loses the soft check on one sample in eight: the lower limit is below -margin", () => {
    const g = decideGate(run(cases, 8, (c, r) => (Number(c.id.slice(1)) % 8 === r % 8 ? SOFT_FAIL : GOOD)));
    expect(g.nonInferiority.counts).toEqual({ pairs: 80, candidateOnly: 0, baselineOnly: 10 });
    expect(g.hardFailures).toEqual([]);
    expect(g.verdict).toBe("fail");
    expect(g.reasons).toEqual([expect.stringMatching(/^pass rate difference -12\.5 points, lower 95% limit -\d+\.\d points is not above -5\.0 points$/)]);
  });

  it("never passes on missing evidence: an unmeasured sample makes it inconclusive", () => {
    const samples = run(cases, 8, () => GOOD);
    samples[3] = failedSample(cases[1], "candidate", 1, classification("capacity", "throttled"));
    const g = decideGate(samples);
    expect(g.verdict).toBe("inconclusive");
    expect(g.inconclusive).toEqual([{ caseId: "c1", repeat: 1, arm: "candidate", reason: "candidate call failed: throttled (capacity)" }]);
    expect(g.nonInferiority.counts.pairs).toBe(79); // the pair is left out of the test
  });

  it("says when the set is too small to pass at the margin, and by how much", () => {
    const g = decideGate(run(cases.slice(0, 4), 1, () => GOOD));
    expect(g.verdict).toBe("fail");
    expect(g.reasons[0]).toMatch(/with 4 pairs the test cannot pass at this margin even if every pair agrees \(it needs 73/);
    // The same four agreeing pairs pass at a 50-point margin (minimumPairs(0.5) = 4).
    expect(decideGate(run(cases.slice(0, 4), 1, () => GOOD), { margin: 0.5 }).verdict).toBe("pass");
  });

  it("pairs samples by case and repeat, never across them", () => {
    const samples: Sample[] = [
      answeredSample(cases[0], "baseline", 1, reply(GOOD)),
      answeredSample(cases[0], "candidate", 2, reply(GOOD)),
      answeredSample(cases[1], "baseline", 1, reply(SOFT_FAIL)),
      answeredSample(cases[1], "candidate", 1, reply(GOOD)),
    ];
    expect(pairedCounts(samples)).toEqual({ pairs: 1, candidateOnly: 1, baselineOnly: 0 });
  });
});

describe("figures side by side", () => {
  it("summarizes pass rate, refusals, latency percentiles, tokens and cost per case", () => {
    const arm: Arm = "candidate";
    const samples = [
      answeredSample(cases[0], arm, 1, { text: GOOD, stopReason: "end_turn", latencyMs: 100, usage: { inputTokens: 1000, outputTokens: 200 } }),
      answeredSample(cases[1], arm, 1, { text: "", stopReason: "refusal", latencyMs: 300, usage: { inputTokens: 1000, outputTokens: 0 } }),
      failedSample(cases[2], arm, 1, classification("capacity", "throttled")),
    ];
    const s = summarizeArm(samples, { inputPer1k: 0.001, outputPer1k: 0.005, basis: "geo" });
    expect(s).toEqual({
      samples: 3,
      measured: 2,
      passed: 1,
      passRate: 0.5,
      refusals: 1,
      refusalRate: 0.5,
      errors: 1,
      latencyMs: { p50: 100, p90: 300 },
      inputTokensPerCase: 1000,
      outputTokensPerCase: 100,
      // (1000 x 0.001 + 200 x 0.005) / 1000 = 0.002 and (1000 x 0.001) / 1000 = 0.001: mean 0.0015.
      costUsdPerCase: 0.0015,
    });
    expect(summarizeArm(samples).costUsdPerCase).toBeUndefined();
  });
});

describe("the plan", () => {
  it("counts a call per case, repeat and model, and two judge calls per judge check and repeat", () => {
    const set = { cases: [goldenCase("a"), goldenCase("b", { judge: true })] };
    const plan = planRun(set, { repeat: 3, maxTokens: 100, judgeOf: (m) => m ?? "judge" });
    expect(plan.calls).toEqual({ baseline: 6, candidate: 6, judge: 6, total: 18 });
    expect(plan.tokens.output).toBe(12 * 100 + 6 * 300);
    expect(plan.costUsdAtMost).toBeUndefined();
    const priced = planRun(set, {
      repeat: 1,
      maxTokens: 100,
      judgeOf: () => "judge",
      prices: { baseline: { inputPer1k: 1, outputPer1k: 1, basis: "geo" }, candidate: { inputPer1k: 1, outputPer1k: 1, basis: "geo" }, judges: new Map([["judge", { inputPer1k: 1, outputPer1k: 1, basis: "geo" }]]) },
    });
    expect(priced.costUsdAtMost).toBeCloseTo((priced.tokens.input + priced.tokens.output) / 1000, 9);
  });

  it("picks the fewest repeats with which the set can pass at the margin", () => {
    expect(automaticRepeat(8, 0.05)).toBe(10); // 73 pairs
    expect(automaticRepeat(100, 0.05)).toBe(1);
    expect(automaticRepeat(1, 0.05)).toBe(20); // capped
    expect(automaticRepeat(4, 0.5)).toBe(1);
  });
});
