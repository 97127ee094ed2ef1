import { StopReason } from "@aws-sdk/client-bedrock-runtime";
import { checkConverseResponse, replyText } from "../../client/response-check";
import { StreamAssembly, StreamEndedEarly } from "../../client/stream-assembly";

// The one response check (router and smoke probe alike): the SDK does not validate, so a 200 missing required members
// must fail here, classified as malformed, instead of reaching a caller as an answer.

describe("checkConverseResponse", () => {
  const good = () => ({ output: { message: { role: "assistant" as const, content: [{ text: "pong" }] } }, stopReason: StopReason.END_TURN, usage: { inputTokens: 8, outputTokens: 1, totalTokens: 9 }, metrics: { latencyMs: 1 }, $metadata: {} });

  test("a complete response passes unchanged, with its text, stop reason and usage", () => {
    const input = good();
    const { response, reply } = checkConverseResponse(input);
    expect(response).toBe(input);
    expect(replyText(reply.message)).toBe("pong");
    expect(reply).toMatchObject({ stopReason: "end_turn", usage: { inputTokens: 8, outputTokens: 1, totalTokens: 9 } });
  });

  test("a stop reason newer than the SDK's enum is accepted (Bedrock adds them first)", () => {
    expect(checkConverseResponse({ ...good(), stopReason: "model_context_window_exceeded_v2" as StopReason }).reply.stopReason).toBe("model_context_window_exceeded_v2");
  });

  test.each([
    ["no output", { output: undefined }, /output\.message/],
    ["a message without content", { output: { message: { role: "assistant" } } }, /output\.message/],
    ["no usage", { usage: undefined }, /usage/],
    ["usage without numbers", { usage: { inputTokens: "8" } }, /usage/],
    ["negative usage", { usage: { inputTokens: -1, outputTokens: 1 } }, /usage/],
    ["no stop reason", { stopReason: undefined }, /stopReason/],
    ["a numeric stop reason", { stopReason: 42 }, /stopReason/],
  ])("%s is a MalformedResponse naming what is missing", (_t, patch, message) => {
    expect(() => checkConverseResponse({ ...good(), ...patch } as never)).toThrow(expect.objectContaining({ name: "MalformedResponse", message: expect.stringMatching(message) }));
  });
});

describe("StreamAssembly", () => {
  test("assembles text per block and tool input from JSON deltas, with stop reason and usage", () => {
    const a = new StreamAssembly("m");
    a.absorb({ messageStart: { role: "assistant" } });
    a.absorb({ contentBlockDelta: { contentBlockIndex: 0, delta: { text: "po" } } });
    a.absorb({ contentBlockDelta: { contentBlockIndex: 0, delta: { text: "ng" } } });
    a.absorb({ contentBlockStart: { contentBlockIndex: 1, start: { toolUse: { toolUseId: "t", name: "f" } } } });
    a.absorb({ contentBlockDelta: { contentBlockIndex: 1, delta: { toolUse: { input: '{"a":' } } } });
    a.absorb({ contentBlockDelta: { contentBlockIndex: 1, delta: { toolUse: { input: "1}" } } } });
    a.absorb({ messageStop: { stopReason: "tool_use" } });
    a.absorb({ metadata: { usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5 }, metrics: { latencyMs: 1 } } });
    const out = a.finish();
    expect(out.message.content).toEqual([{ text: "pong" }, { toolUse: { toolUseId: "t", name: "f", input: { a: 1 } } }]);
    expect(out).toMatchObject({ stopReason: "tool_use", usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5 } });
  });

  test("content without messageStop is a cut stream; no content and no stop is malformed; an exception member throws", () => {
    const cut = new StreamAssembly("m");
    cut.absorb({ contentBlockDelta: { contentBlockIndex: 0, delta: { text: "p" } } });
    expect(() => cut.finish()).toThrow(StreamEndedEarly);
    const empty = new StreamAssembly("m");
    empty.absorb({ messageStart: { role: "assistant" } });
    expect(() => empty.finish()).toThrow(expect.objectContaining({ name: "MalformedResponse" }));
    expect(() => new StreamAssembly("m").absorb({ throttlingException: { message: "slow down" } } as never)).toThrow(expect.objectContaining({ name: "throttlingException", message: "slow down" }));
  });
});
