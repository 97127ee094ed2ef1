import { buildConverseRequest, estimateInputTokens, PROBE_CONVERSATION, PROBE_MAX_TOKENS } from "../../../core/runtime";

const input = { messages: [{ role: "user" as const, content: [{ text: "hello there" }] }] };

describe("buildConverseRequest", () => {
  it("always sets maxTokens from the route and sends the invoke ID", () => {
    const r = buildConverseRequest("us.model", { maxTokens: 512 }, input);
    expect(r.modelId).toBe("us.model");
    expect(r.inferenceConfig).toEqual({ maxTokens: 512 });
  });

  it("caps maxTokens for probes", () => {
    expect(buildConverseRequest("m", { maxTokens: 4096 }, PROBE_CONVERSATION, { maxTokensCap: PROBE_MAX_TOKENS }).inferenceConfig?.maxTokens).toBe(16);
    expect(buildConverseRequest("m", { maxTokens: 8 }, PROBE_CONVERSATION, { maxTokensCap: PROBE_MAX_TOKENS }).inferenceConfig?.maxTokens).toBe(8);
  });

  it("sends temperature only when the route sets it, and never topP", () => {
    expect(buildConverseRequest("m", { maxTokens: 1, temperature: 0 }, input).inferenceConfig).toEqual({ maxTokens: 1, temperature: 0 });
    expect(buildConverseRequest("m", { maxTokens: 1 }, input).inferenceConfig).not.toHaveProperty("topP");
  });

  it.each([0, -1, 1.5, NaN])("refuses maxTokens %p", (maxTokens) => {
    expect(() => buildConverseRequest("m", { maxTokens }, input)).toThrow(/maxTokens/);
  });

  it("refuses an empty conversation", () => expect(() => buildConverseRequest("m", { maxTokens: 1 }, { messages: [] })).toThrow());

  it("marks probes with request metadata and keeps them tiny", () => {
    const r = buildConverseRequest("m", { maxTokens: 100 }, PROBE_CONVERSATION, { maxTokensCap: PROBE_MAX_TOKENS });
    expect(r.requestMetadata).toEqual({ purpose: "smoke-test" });
    expect(estimateInputTokens(PROBE_CONVERSATION)).toBeLessThan(16);
  });

  it("sends the route's service tier as serviceTier {type}, and nothing for a route without one", () => {
    expect(buildConverseRequest("m", { maxTokens: 1, serviceTier: "flex" }, input).serviceTier).toEqual({ type: "flex" });
    expect(buildConverseRequest("m", { maxTokens: 1 }, input)).not.toHaveProperty("serviceTier");
  });

  it("sends the route's guardrail as guardrailConfig (identifier and version as the document has them), nothing otherwise", () => {
    const guardrail = { name: "safety", identifier: "arn:aws:bedrock:us-east-1:111111111111:guardrail/abc123", version: "2" };
    expect(buildConverseRequest("m", { maxTokens: 1, guardrail }, input).guardrailConfig).toEqual({ guardrailIdentifier: guardrail.identifier, guardrailVersion: "2" });
    expect(buildConverseRequest("m", { maxTokens: 1 }, input)).not.toHaveProperty("guardrailConfig");
  });

  it("does not share arrays with the caller's input", () => {
    const r = buildConverseRequest("m", { maxTokens: 1 }, input);
    expect(r.messages).not.toBe(input.messages);
  });
});
