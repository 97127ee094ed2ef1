import { checkCounts, JUDGE_DEFAULT_THRESHOLD, MAX_GOLDEN_PROBLEMS, parseGoldenSet } from "../../../core/evaluation";
import { formatProblem, type Problem } from "../../../core/problems";

const line = (o: unknown) => JSON.stringify(o);
const problemsOf = (text: string): readonly Problem[] => {
  const r = parseGoldenSet(text);
  if (!("problems" in r)) throw new Error("expected problems");
  return r.problems;
};
const setOf = (text: string) => {
  const r = parseGoldenSet(text);
  if ("problems" in r) throw new Error(r.problems.map((p) => formatProblem("golden", p)).join("\n"));
  return r.set;
};

describe("golden set format", () => {
  it("reads the issue's format: prompt or Converse messages, optional system, every check type, hard on a check or a case", () => {
    const text = [
      line({ id: "a", prompt: "Summarize: x", checks: [{ type: "contains", value: "x" }] }),
      "",
      line({
        id: "b.2",
        system: "Answer in JSON.",
        messages: [
          { role: "user", content: [{ text: "Hi" }] },
          { role: "assistant", content: [{ text: "Hello" }] },
          { role: "user", content: [{ text: "Status?" }] },
        ],
        hard: true,
        checks: [
          { type: "not-contains", value: "sorry", ignoreCase: true },
          { type: "regex", pattern: "^\\{", flags: "m" },
          { type: "json-schema", schema: { type: "object", required: ["status"] } },
          { type: "max-chars", value: 200 },
          { type: "judge", rubric: "Concise and correct.", model: "anthropic.claude-haiku-4-5-20251001-v1:0", threshold: 5, name: "judged" },
        ],
      }),
      line({ id: "c", prompt: "How do I pick a lock?", expect: "refusal" }),
      "",
    ].join("\r\n");
    const set = setOf(text);
    expect(set.cases.map((c) => [c.id, c.line, c.expect, c.hard])).toEqual([
      ["a", 1, "answer", false],
      ["b.2", 3, "answer", true],
      ["c", 4, "refusal", false],
    ]);
    expect(set.cases[0].input.messages).toEqual([{ role: "user", content: [{ text: "Summarize: x" }] }]);
    expect(set.cases[1].input.system).toEqual([{ text: "Answer in JSON." }]);
    expect(set.cases[1].input.messages).toHaveLength(3);
    // A hard case makes every check hard; labels name the check for reports.
    expect(set.cases[1].checks.map((c) => [c.label, c.hard])).toEqual([
      ["checks[0] not-contains", true],
      ["checks[1] regex", true],
      ["checks[2] json-schema", true],
      ["checks[3] max-chars", true],
      ["judged", true],
    ]);
    expect(set.cases[1].checks[4]).toMatchObject({ type: "judge", threshold: 5, model: "anthropic.claude-haiku-4-5-20251001-v1:0" });
    expect(checkCounts(set)).toEqual({ total: 6, hard: 5, judged: 1 });
  });

  it("a judge check without threshold uses the default", () => {
    const set = setOf(line({ id: "j", prompt: "p", checks: [{ type: "judge", rubric: "r" }] }));
    expect(set.cases[0].checks[0]).toMatchObject({ threshold: JUDGE_DEFAULT_THRESHOLD });
    expect((set.cases[0].checks[0] as { model?: string }).model).toBeUndefined();
  });
});

describe("bad golden files: one problem per mistake, naming the line and field, with a fix", () => {
  const ok = { id: "ok", prompt: "p", checks: [{ type: "contains", value: "v" }] };
  it.each<[string, unknown, string, RegExp]>([
    ["not JSON", "{id: 1}", "line 1", /is not JSON \(column 2/],
    ["not an object", [1, 2], "line 1", /is an array of 2/],
    ["missing id", { prompt: "p", checks: ok.checks }, "line 1: id", /is missing/],
    ["id with a space", { ...ok, id: "a b" }, "line 1: id", /is "a b"/],
    ["unknown key, close to a known one", { ...ok, chekcs: [] }, "line 1: chekcs", /not a known field -> did you mean "checks"\?/],
    ["no prompt or messages", { id: "x", checks: ok.checks }, "line 1: prompt", /is missing/],
    ["both prompt and messages", { ...ok, messages: [{ role: "user", content: [{ text: "x" }] }] }, "line 1: messages", /is given with prompt/],
    ["empty prompt", { ...ok, prompt: "  " }, "line 1: prompt", /is empty/],
    ["conversation starting with the assistant", { id: "x", messages: [{ role: "assistant", content: [{ text: "x" }] }], checks: ok.checks }, "line 1: messages[0].role", /use "user"/],
    [
      "conversation ending with the assistant",
      { id: "x", messages: [{ role: "user", content: [{ text: "a" }] }, { role: "assistant", content: [{ text: "b" }] }], checks: ok.checks },
      "line 1: messages[1]",
      /end the conversation with a user message/,
    ],
    ["an image block", { id: "x", messages: [{ role: "user", content: [{ image: {} }] }], checks: ok.checks }, "line 1: messages[0].content[0]", /not a text block.*text only/],
    ["no checks", { id: "x", prompt: "p" }, "line 1: checks", /is missing.*measures nothing/],
    ["unknown check type, close to one", { ...ok, checks: [{ type: "contain", value: "v" }] }, "line 1: checks[0].type", /did you mean "contains"\?/],
    ["check field of another type", { ...ok, checks: [{ type: "contains", value: "v", pattern: "x" }] }, "line 1: checks[0].pattern", /not a known field/],
    ["contains without value", { ...ok, checks: [{ type: "contains" }] }, "line 1: checks[0].value", /is missing/],
    ["regex that does not compile", { ...ok, checks: [{ type: "regex", pattern: "(a" }] }, "line 1: checks[0].pattern", /not a valid regular expression/],
    ["regex flag g", { ...ok, checks: [{ type: "regex", pattern: "a", flags: "g" }] }, "line 1: checks[0].flags", /use any of i, m, s, u/],
    ["schema with a misspelt keyword", { ...ok, checks: [{ type: "json-schema", schema: { type: "object", requried: ["a"] } }] }, "line 1: checks[0].schema", /not a usable JSON Schema.*requried/],
    ["schema that is not an object", { ...ok, checks: [{ type: "json-schema", schema: "object" }] }, "line 1: checks[0].schema", /draft-07/],
    ["max-chars not a whole number", { ...ok, checks: [{ type: "max-chars", value: 2.5 }] }, "line 1: checks[0].value", /whole number from 1/],
    ["judge without rubric", { ...ok, checks: [{ type: "judge" }] }, "line 1: checks[0].rubric", /is missing/],
    ["judge model not a model ID", { ...ok, checks: [{ type: "judge", rubric: "r", model: "claude" }] }, "line 1: checks[0].model", /foundation-model ID/],
    ["judge threshold out of range", { ...ok, checks: [{ type: "judge", rubric: "r", threshold: 6 }] }, "line 1: checks[0].threshold", /from 1 to 5/],
    ["hard not a boolean", { ...ok, hard: "yes" }, "line 1: hard", /true or false/],
    ["unknown expectation", { ...ok, expect: "silence" }, "line 1: expect", /"answer", "refusal"/],
  ])("%s", (_label, value, path, message) => {
    const problems = problemsOf(typeof value === "string" ? value : line(value));
    expect(problems.length).toBeGreaterThanOrEqual(1);
    const hit = problems.find((p) => p.path === path);
    expect(hit).toBeDefined();
    expect(`${hit!.message} -> ${hit!.fix}`).toMatch(message);
    expect(hit!.fix.length).toBeGreaterThan(5);
  });

  it("reports every problem of every line in one run, and never returns a partial set", () => {
    const text = [line({ id: "a", prompt: "p", checks: [{ type: "regex", pattern: "(" }] }), line({ id: "a", prompt: "p", checks: [{ type: "nope" }] }), "[", line(ok)].join("\n");
    const r = parseGoldenSet(text);
    expect("set" in r).toBe(false);
    expect((r as { problems: Problem[] }).problems.map((p) => p.path)).toEqual(["line 1: checks[0].pattern", "line 2: checks[0].type", "line 2: id", "line 3"]);
  });

  it("a repeated id names the line that had it first", () => {
    const problems = problemsOf([line(ok), line(ok)].join("\n"));
    expect(problems).toEqual([expect.objectContaining({ path: "line 2: id", message: "repeats the id of line 1" })]);
  });

  it("a duplicate key in a line is a problem (JSON.parse would keep the last silently)", () => {
    const problems = problemsOf('{"id": "a", "prompt": "x", "prompt": "y", "checks": [{"type": "contains", "value": "v"}]}');
    expect(problems).toEqual([expect.objectContaining({ path: "line 1: prompt", message: expect.stringMatching(/appears twice/) })]);
  });

  it("an empty file has no cases", () => {
    expect(problemsOf("\n\n")).toEqual([expect.objectContaining({ path: "", message: "has no cases" })]);
  });

  it("caps the list with a count, so a wrong file cannot flood the terminal", () => {
    const problems = problemsOf(Array.from({ length: 200 }, () => "x").join("\n"));
    expect(problems).toHaveLength(MAX_GOLDEN_PROBLEMS + 1);
    expect(problems[MAX_GOLDEN_PROBLEMS].message).toBe(`and ${200 - MAX_GOLDEN_PROBLEMS} more problems not listed`);
  });

  it("every problem prints as one line, whatever the input holds", () => {
    const problems = problemsOf(line({ id: "a\n\u001b[31mred", prompt: 3, checks: [{ type: "contains\u2028x" }] }));
    for (const p of problems) expect(formatProblem("evals/x.jsonl", p)).not.toMatch(/[\n\r\u001b\u2028]/);
  });
});
