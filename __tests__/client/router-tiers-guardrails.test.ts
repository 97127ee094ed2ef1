import type { SeededGuardrail } from "../../local/endpoint";
import { HAIKU, MICRO, NOVA, REGION } from "../fixtures";
import { failure, messages, testDocument, useLocalEndpoint, wire, type Harness } from "./fixtures";

// Service tiers and guardrails per route, through the router to the local endpoint over the wire.

const local = useLocalEndpoint();
let guardrail: SeededGuardrail;

beforeAll(() => {
  guardrail = local.ep.seedGuardrail(REGION, { name: "bedrock-dev-safety", blockedInputMessaging: "Sorry, I can't help with that." });
});
beforeEach(() => local.ep.configure({ serviceTiers: {}, echoServiceTier: true }));

/** The test document plus a flex route (Nova Lite, fallback Micro) and guarded routes (Haiku, fallback Nova Lite). */
function make(identifier = guardrail.arn, version = guardrail.version): Harness {
  return local.make({
    document: testDocument((d) => {
      d.routes.bulk = { primary: NOVA.modelId, fallbacks: [MICRO.modelId], maxTokens: 32, serviceTier: "flex" };
      d.routes.moderated = { primary: HAIKU.modelId, fallbacks: [NOVA.modelId], maxTokens: 32, guardrail: { name: "safety", identifier, version } };
    }),
  });
}

const bedrockCalls = () => local.ep.calls.filter((c) => c.service === "bedrock-runtime");

describe("service tier per route", () => {
  it("goes on every request of the route, fallbacks included; the result and the EMF record carry the tier that served", async () => {
    const { router, records } = make();
    local.ep.inject({ modelId: NOVA.invokeId, fault: "throttle", times: 1 });
    const r = await router.converse({ task: "bulk", messages: messages() });
    expect(r.servedBy).toEqual(MICRO);
    expect(bedrockCalls().map((c) => [c.modelId, c.serviceTier])).toEqual([
      [NOVA.invokeId, "flex"],
      [MICRO.invokeId, "flex"],
    ]);
    expect(r.serviceTier).toBe("flex");
    expect(records[0]).toMatchObject({ Task: "bulk", Outcome: "success", ServiceTier: "flex" });
    // A tier is a log field, never a dimension (the dimension set stays as it was).
    expect(records[0]._aws.CloudWatchMetrics[0].Dimensions).toEqual([["Task", "Model", "Outcome", "FellBack"]]);
  });

  it("when the response does not echo a tier, the record names the one requested", async () => {
    local.ep.configure({ echoServiceTier: false });
    const { router, records } = make();
    const r = await router.converse({ task: "bulk", messages: messages() });
    expect(r.output.serviceTier).toBeUndefined();
    expect(r.serviceTier).toBe("flex");
    expect(records[0].ServiceTier).toBe("flex");
  });

  it("a route without a tier sends none, and its record names none", async () => {
    const { router, records } = make();
    const r = await router.converse({ task: "chat", messages: messages() });
    expect(bedrockCalls().map((c) => c.serviceTier)).toEqual([undefined]);
    expect(r.serviceTier).toBeUndefined();
    expect(records[0]).not.toHaveProperty("ServiceTier");
    expect((await router.requestFor("chat", { messages: messages() })).serviceTier).toBeUndefined();
    expect((await router.requestFor("bulk", { messages: messages() })).serviceTier).toEqual({ type: "flex" });
  });

  it("streams carry it too, and the stream's metadata echo decides the recorded tier", async () => {
    const { router, records } = make();
    const s = await router.converseStream({ task: "bulk", messages: messages() });
    for await (const _ of s) {
      // drained
    }
    const r = await s.result;
    expect(r.serviceTier).toBe("flex");
    expect(bedrockCalls().map((c) => [c.operation, c.serviceTier])).toEqual([["ConverseStream", "flex"]]);
    expect(records[0]).toMatchObject({ Streaming: true, ServiceTier: "flex", Outcome: "success" });
  });

  it("a tier the model refuses (ValidationException) is configuration with the fix: no retry, no fallback", async () => {
    local.ep.configure({ serviceTiers: { [NOVA.modelId]: ["default"] } });
    const { router, records } = make();
    const e = await failure(router.converse({ task: "bulk", messages: messages() }));
    expect(e.classification).toMatchObject({ category: "configuration", cause: "service-tier-unsupported", retryable: false });
    expect(e.classification.hint).toMatch(/serviceTier in config\/<env>\.json/);
    expect(wire(local.ep)).toEqual([[NOVA.invokeId, 400]]);
    expect(records[0]).toMatchObject({ Outcome: "configuration", Cause: "service-tier-unsupported", ServiceTier: "flex" });
  });
});

describe("guardrail per route", () => {
  it("goes on every request of the route (guardrailConfig with the document's identifier and version), fallbacks included", async () => {
    const { router, records } = make();
    local.ep.inject({ modelId: HAIKU.invokeId, fault: "throttle", times: 1 });
    const r = await router.converse({ task: "moderated", messages: messages() });
    expect(r.servedBy).toEqual(NOVA);
    expect(bedrockCalls().map((c) => [c.modelId, c.guardrail])).toEqual([
      [HAIKU.invokeId, `${guardrail.arn}:${guardrail.version}`],
      [NOVA.invokeId, `${guardrail.arn}:${guardrail.version}`],
    ]);
    expect(r.guardrailIntervened).toBe(false);
    expect(records[0]).toMatchObject({ Guardrail: "safety", GuardrailIntervened: 0, Outcome: "success" });
    // Unguarded routes send none and count nothing.
    local.ep.clearCalls();
    await router.converse({ task: "chat", messages: messages() });
    expect(bedrockCalls().map((c) => c.guardrail)).toEqual([undefined]);
    expect(records[1]).not.toHaveProperty("GuardrailIntervened");
    expect(records[1]).not.toHaveProperty("Guardrail");
  });

  it("an intervention is returned as such: the blocked message, stopReason guardrail_intervened, one call, no fallback, counted", async () => {
    local.ep.scriptGuardrail({ guardrail: guardrail.name, intervene: "input" });
    const { router, records } = make();
    const r = await router.converse({ task: "moderated", messages: messages() });
    expect({ stop: r.stopReason, intervened: r.guardrailIntervened, servedBy: r.servedBy, fellBack: r.fellBack, attempts: r.attempts }).toEqual({
      stop: "guardrail_intervened",
      intervened: true,
      servedBy: HAIKU,
      fellBack: false,
      attempts: 1,
    });
    expect(r.output.output?.message?.content?.[0].text).toBe("Sorry, I can't help with that.");
    expect(wire(local.ep)).toEqual([[HAIKU.invokeId, 200]]);
    expect(records[0]).toMatchObject({ Outcome: "guardrail", Guardrail: "safety", GuardrailIntervened: 1 });
    expect(records[0]._aws.CloudWatchMetrics[0].Metrics).toContainEqual({ Name: "GuardrailIntervened", Unit: "Count" });
    // The record carries the count, never the blocked prompt or message.
    expect(JSON.stringify(records)).not.toContain("Sorry");
  });

  it("a streamed intervention ends the stream as a result, counted the same way", async () => {
    local.ep.scriptGuardrail({ modelId: HAIKU.invokeId, intervene: "output" });
    const { router, records } = make();
    const s = await router.converseStream({ task: "moderated", messages: messages() });
    for await (const _ of s) {
      // drained
    }
    const r = await s.result;
    expect({ stop: r.stopReason, intervened: r.guardrailIntervened, fellBack: r.fellBack }).toEqual({ stop: "guardrail_intervened", intervened: true, fellBack: false });
    expect(records[0]).toMatchObject({ Streaming: true, Outcome: "guardrail", GuardrailIntervened: 1 });
  });

  it("a guardrail that does not exist (ValidationException naming it) is configuration with the fix: no fallback", async () => {
    const { router, records } = make(`arn:aws:bedrock:${REGION}:123456789012:guardrail/missing000000`, "1");
    const e = await failure(router.converse({ task: "moderated", messages: messages() }));
    expect(e.classification).toMatchObject({ category: "configuration", cause: "guardrail-not-found", retryable: false });
    expect(e.classification.hint).toMatch(/apply the region stack/);
    expect(wire(local.ep)).toEqual([[HAIKU.invokeId, 400]]);
    expect(records[0]).toMatchObject({ Outcome: "configuration", Cause: "guardrail-not-found", Guardrail: "safety" });
    expect(records[0]).not.toHaveProperty("GuardrailIntervened");
  });

  it("so does a version never published", async () => {
    const { router } = make(guardrail.arn, "7");
    expect((await failure(router.converse({ task: "moderated", messages: messages() }))).classification.cause).toBe("guardrail-not-found");
  });
});
