import { HAIKU, MICRO, NOVA } from "../fixtures";
import { failure, messages, testDocument, useLocalEndpoint, wire } from "./fixtures";

// Refusals are a first-class outcome, over the wire: the local endpoint answers with a refusal stop reason (a 200, as
// Claude 5-family models decline), and the router reports it as refused in the result, the stream and the EMF record,
// falling back only where the route says onRefusal "fallback". And the application's own verdict on a call, reported
// against the result's handle.

const local = useLocalEndpoint();
const REFUSAL = { text: "I can't help with that.", stopReason: "refusal" } as const;
const refuses = (modelId: string, stopReason: string = REFUSAL.stopReason) => local.ep.scriptAnswer({ modelId, text: REFUSAL.text, stopReason });

/** The test document; `summarization` (Haiku, then Nova, then Micro) falls back on refusals. */
const make = (canary = false) =>
  local.make({
    document: testDocument((d) => {
      d.routes.summarization.onRefusal = "fallback";
      d.routes.chat.onRefusal = "fallback";
      if (canary) d.routes.summarization.canary = { model: NOVA.modelId, percent: 99 };
    }),
  });
const refusalDirective = { Namespace: "BedrockRouting", Dimensions: [["Model"], ["Model", "Variant"]], Metrics: [{ Name: "Refusals", Unit: "Count" }] };

describe("a refusal is refused, never a plain success", () => {
  it.each(["refusal", "content_filtered"])("stop reason %s: result, EMF record (Outcome refused, Refusals 1 per model and variant), no retry", async (stopReason) => {
    refuses(NOVA.modelId, stopReason);
    const { router, records } = make();
    const r = await router.converse({ task: "classification", messages: messages() });
    expect({ refused: r.refused, stopReason: r.stopReason, fellBack: r.fellBack, servedBy: r.servedBy }).toEqual({ refused: true, stopReason, fellBack: false, servedBy: NOVA });
    expect(wire(local.ep)).toEqual([[NOVA.invokeId, 200]]);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ Task: "classification", Model: NOVA.modelId, Outcome: "refused", Variant: "primary", Refusals: 1 });
    expect(records[0]._aws.CloudWatchMetrics.find((d) => d.Metrics.some((m) => m.Name === "Refusals"))).toEqual(refusalDirective);
    expect(JSON.stringify(records)).not.toContain(REFUSAL.text);
  });

  it("an answer is Refusals 0, so the metric's average is the refusal rate (a guardrail's intervention: router-tiers-guardrails.test.ts)", async () => {
    const { router, records } = make();
    const r = await router.converse({ task: "classification", messages: messages() });
    expect(r.refused).toBe(false);
    expect(records[0]).toMatchObject({ Outcome: "success", Refusals: 0 });
  });

  it("onRefusal fallback: the next candidate answers once; the result and both records say it happened", async () => {
    refuses(HAIKU.modelId);
    const { router, records } = make();
    const r = await router.converse({ task: "summarization", messages: messages() });
    expect({ refused: r.refused, servedBy: r.servedBy, refusedBy: r.refusedBy, fellBack: r.fellBack, attempts: r.attempts }).toEqual({ refused: false, servedBy: NOVA, refusedBy: HAIKU, fellBack: true, attempts: 2 });
    expect(wire(local.ep)).toEqual([
      [HAIKU.invokeId, 200],
      [NOVA.invokeId, 200],
    ]);
    expect(records.map((x) => [x.Model, x.Outcome, x.FellBack, x.RefusalFallback, x.RefusedBy, x.Refusals])).toEqual([
      [HAIKU.modelId, "refused", "false", "tried", undefined, 1],
      [NOVA.modelId, "success", "true", "served", HAIKU.modelId, 0],
    ]);
  });

  it("the next candidate refusing too is the result: tried once, never the whole list", async () => {
    refuses(HAIKU.modelId);
    refuses(NOVA.modelId);
    const { router } = make();
    const r = await router.converse({ task: "summarization", messages: messages() });
    expect({ refused: r.refused, servedBy: r.servedBy, refusedBy: r.refusedBy }).toEqual({ refused: true, servedBy: NOVA, refusedBy: HAIKU });
    expect(wire(local.ep).map(([id]) => id)).toEqual([HAIKU.invokeId, NOVA.invokeId]);
    expect(wire(local.ep).map(([id]) => id)).not.toContain(MICRO.invokeId);
  });

  it("with no candidate after the refusing one, the refusal is the result (no call to anyone before it)", async () => {
    refuses(HAIKU.modelId);
    const { router, records } = make();
    const r = await router.converse({ task: "chat", messages: messages() });
    expect(r.refused).toBe(true);
    expect(wire(local.ep)).toHaveLength(1);
    expect(records[0]).not.toHaveProperty("RefusalFallback");
  });

  it("the default (return): no fallback, whatever the route's fallbacks", async () => {
    refuses(NOVA.modelId);
    const { router } = local.make();
    const r = await router.converse({ task: "pair", messages: messages() });
    expect(r.refused).toBe(true);
    expect(wire(local.ep)).toEqual([[NOVA.invokeId, 200]]);
  });

  it("a canary call's refusal falls back in the canary's order (to the primary), recorded under variant canary", async () => {
    refuses(NOVA.modelId);
    const { router, records } = make(true);
    const r = await router.converse({ task: "summarization", messages: messages(), requestKey: "k" });
    expect({ variant: r.variant, servedBy: r.servedBy, refusedBy: r.refusedBy }).toEqual({ variant: "canary", servedBy: HAIKU, refusedBy: NOVA });
    expect(records.map((x) => [x.Model, x.Variant, x.Outcome])).toEqual([
      [NOVA.modelId, "canary", "refused"],
      [HAIKU.modelId, "canary", "success"],
    ]);
  });

  it("a stream ending in a refusal: refused on the stream's result and record, never fallen back from (its content was delivered)", async () => {
    refuses(HAIKU.modelId);
    const { router, records } = make();
    const stream = await router.converseStream({ task: "summarization", messages: messages() });
    for await (const _ of stream) {
      // consumed
    }
    const r = await stream.result;
    expect({ refused: r.refused, stopReason: r.stopReason, servedBy: r.servedBy }).toEqual({ refused: true, stopReason: "refusal", servedBy: HAIKU });
    expect(wire(local.ep)).toEqual([[HAIKU.invokeId, 200]]);
    expect(records[0]).toMatchObject({ Outcome: "refused", Refusals: 1, Streaming: true });
  });
});

describe("the application's verdict on a call: reportOutcome", () => {
  it("emits TaskSuccess and QualityScore by Task, Model and Variant, tied to the result, no text", async () => {
    const { router, records } = make();
    const r = await router.converse({ task: "classification", messages: messages() });
    router.reportOutcome(r, { success: true, score: 0.75 });
    const report = records[1];
    expect(report._aws.CloudWatchMetrics).toEqual([{ Namespace: "BedrockRouting", Dimensions: [["Task", "Model", "Variant"]], Metrics: [{ Name: "TaskSuccess", Unit: "Count" }, { Name: "QualityScore", Unit: "None" }] }]);
    expect(report).toMatchObject({ Task: "classification", Model: NOVA.modelId, Variant: "primary", TaskSuccess: 1, QualityScore: 0.75 });
    expect(Object.keys(report).sort()).toEqual(["Model", "QualityScore", "Task", "TaskSuccess", "Variant", "_aws"]);
  });

  it("takes the handle alone (the outcome may be known later, elsewhere in the application); a failure is TaskSuccess 0 without a score", async () => {
    const { router, records } = make(true);
    const r = await router.converse({ task: "summarization", messages: messages(), requestKey: "k" });
    const handle = r.outcomeHandle;
    router.reportOutcome(handle, { success: false });
    expect(records.at(-1)).toMatchObject({ Task: "summarization", Model: NOVA.modelId, Variant: "canary", TaskSuccess: 0 });
    expect(records.at(-1)).not.toHaveProperty("QualityScore");
  });

  it("refuses a second report of one call, a bad outcome or a foreign handle, as the caller's mistake", async () => {
    const { router } = make();
    const r = await router.converse({ task: "chat", messages: messages() });
    router.reportOutcome(r, { success: true });
    expect(() => router.reportOutcome(r, { success: true })).toThrow(/reported already/);
    const r2 = await router.converse({ task: "chat", messages: messages() });
    for (const [outcome, message] of [
      [{ success: "yes" }, /success: must be true or false/],
      [{ success: true, score: 7 }, /score: must be a number from 0 to 1/],
      [{ success: true, comment: "great answer" }, /unknown fields comment/],
    ] as const)
      expect(() => router.reportOutcome(r2, outcome as never)).toThrow(message);
    let e: { classification?: { category: string } } = {};
    try {
      router.reportOutcome("not-a-handle", { success: true });
    } catch (x) {
      e = x as typeof e;
    }
    expect(e.classification?.category).toBe("caller");
  });

  it("a stream's result has a handle too; a closed router refuses reports", async () => {
    const { router, records } = make();
    const stream = await router.converseStream({ task: "chat", messages: messages() });
    for await (const _ of stream) {
      // consumed
    }
    const result = await stream.result;
    router.reportOutcome(result, { success: true });
    expect(records.at(-1)).toMatchObject({ Task: "chat", Model: HAIKU.modelId, TaskSuccess: 1 });
    router.close();
    expect(() => router.reportOutcome(result.outcomeHandle, { success: true })).toThrow(/router is closed/);
    await failure(router.converse({ task: "chat", messages: messages() }));
  });
});
