import { buildConverseRequest, estimateInputTokens, PROBE_CONVERSATION, PROBE_MAX_TOKENS, providerOf } from "../../../core/runtime";

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

  it("sends temperature and topP only when the route sets them", () => {
    expect(buildConverseRequest("m", { maxTokens: 1, temperature: 0 }, input).inferenceConfig).toEqual({ maxTokens: 1, temperature: 0 });
    expect(buildConverseRequest("m", { maxTokens: 1, topP: 0.9 }, input).inferenceConfig).toEqual({ maxTokens: 1, topP: 0.9 });
    expect(buildConverseRequest("m", { maxTokens: 1 }, input).inferenceConfig).toEqual({ maxTokens: 1 });
  });

  it.each([
    ["us.anthropic.claude-haiku-4-5-20251001-v1:0", "anthropic"],
    ["anthropic.claude-opus-5-5", "anthropic"],
    ["global.anthropic.claude-opus-5-5", "anthropic"],
    ["us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0", "anthropic"],
    ["amazon.nova-lite-v1:0", "amazon"],
    ["us.amazon.nova-2-lite-v1:0", "amazon"],
    ["arn:aws:bedrock:us-east-1:111111111111:inference-profile/us.anthropic.claude-opus-4-8", "anthropic"],
    ["arn:aws:bedrock:us-east-1:111111111111:application-inference-profile/a1b2c3", ""],
  ])("providerOf(%s) = %p", (id, provider) => expect(providerOf(id)).toBe(provider));

  it("sends the route's thinking as the provider's field: Anthropic thinking, Amazon Nova reasoningConfig, nothing elsewhere", () => {
    const fields = (id: string, thinking: any) => buildConverseRequest(id, { maxTokens: 4096, thinking }, input).additionalModelRequestFields;
    expect(fields("us.anthropic.claude-haiku-4-5-20251001-v1:0", { type: "enabled", budgetTokens: 2048 })).toEqual({ thinking: { type: "enabled", budget_tokens: 2048 } });
    expect(fields("global.anthropic.claude-opus-5-5", { type: "adaptive" })).toEqual({ thinking: { type: "adaptive" } });
    expect(fields("us.anthropic.claude-haiku-5-5", { type: "disabled" })).toEqual({ thinking: { type: "disabled" } });
    expect(fields("us.amazon.nova-2-lite-v1:0", { type: "adaptive" })).toEqual({ reasoningConfig: { type: "enabled" } });
    expect(fields("us.amazon.nova-2-lite-v1:0", { type: "disabled" })).toEqual({ reasoningConfig: { type: "disabled" } });
    expect(fields("meta.llama3-70b-instruct-v1:0", { type: "adaptive" })).toBeUndefined();
    expect(buildConverseRequest("us.anthropic.claude-haiku-4-5-20251001-v1:0", { maxTokens: 1 }, input)).not.toHaveProperty("additionalModelRequestFields");
  });

  it("sends the caller's tools, with the route's forced choice `any` when the caller names none", () => {
    const toolConfig = { tools: [{ toolSpec: { name: "lookup", inputSchema: { json: { type: "object" } } } }] } as any;
    expect(buildConverseRequest("m", { maxTokens: 1, toolChoice: "any" }, { ...input, toolConfig }).toolConfig).toEqual({ ...toolConfig, toolChoice: { any: {} } });
    expect(buildConverseRequest("m", { maxTokens: 1 }, { ...input, toolConfig }).toolConfig).toEqual(toolConfig);
    const named = { ...toolConfig, toolChoice: { tool: { name: "lookup" } } };
    expect(buildConverseRequest("m", { maxTokens: 1, toolChoice: "tool" }, { ...input, toolConfig: named }).toolConfig).toEqual(named);
    expect(buildConverseRequest("m", { maxTokens: 1, toolChoice: "any" }, input)).not.toHaveProperty("toolConfig");
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
