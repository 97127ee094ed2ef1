import { answers, bedrockCalls, HAIKU, NOVA_LITE, runEval, shopPlan, verdict, writeGolden } from "./fixtures";
import { useSharedFixture } from "../smoke/fixtures";

// Eval's requests fit each model's request constraints, proven against the stand-in that enforces the catalog's
// (seeded from the manifests): a candidate that refuses the route's parameters is refused before any call, and a judge
// that takes no temperature is asked without one.

const OPUS_55 = "anthropic.claude-opus-5-5";
const OPUS_48 = "anthropic.claude-opus-4-8";
const { plan, configDir } = shopPlan((raw) => raw.models.push({ id: OPUS_55, inference: "global" }, { id: OPUS_48 }));
const fixture = useSharedFixture(plan);

const CASES = [
  { id: "refund-window", prompt: "How many days do customers have to return an item?", checks: [{ type: "contains", value: "30 days" }] },
  { id: "apology", prompt: "The parcel was late.", checks: [{ type: "judge", rubric: "Apologises." }] },
];

test("a candidate that refuses the route's parameters (temperature 0.2 on Opus 5.5) is refused before any call, naming model, parameter and fix", async () => {
  const golden = writeGolden(fixture(), CASES);
  const r = await runEval(fixture(), ["--task", "support-answers", "--candidate", OPUS_55, "--golden", golden, "--repeat", "1", "--margin", "50"], { configDir });
  expect(r.code).toBe(2);
  expect(r.stderr).toContainEqual(
    `${OPUS_55} cannot take route support-answers's requests: the candidate ${OPUS_55} accepts no temperature while thinking is on (its default, and it cannot be disabled), not 0.2 -> remove temperature, or route "support-answers" to models that accept it`,
  );
  expect(bedrockCalls(fixture())).toEqual([]);
  expect(r.files).toEqual([]);
});

test("a judge that takes no temperature (Opus 4.8) is asked without one, and scores: the stand-in refuses temperature 0 from it", async () => {
  const golden = writeGolden(fixture(), CASES);
  for (const m of [HAIKU, NOVA_LITE]) {
    fixture().endpoint.scriptAnswer(answers(m, "refund-window", "Within 30 days."));
    fixture().endpoint.scriptAnswer(answers(m, "apology", "We are sorry. REPLY"));
  }
  fixture().endpoint.scriptAnswer(verdict(OPUS_48, "REPLY", 5));
  const r = await runEval(fixture(), ["--task", "support-answers", "--candidate", NOVA_LITE, "--golden", golden, "--judge-model", OPUS_48, "--repeat", "2", "--margin", "50"], { configDir });
  expect(r.stdout).toContain(`note: judge ${OPUS_48} takes no temperature (catalog request constraints): judged at its own sampling`);
  expect(r.report!.cases.find((c) => c.id === "apology")!.samples.candidate[0]).toMatchObject({ judgeScores: [5] });
  expect(bedrockCalls(fixture(), OPUS_48).map((c) => c.status)).toEqual([200, 200, 200, 200]);
  expect(r.code).toBe(0);
});
