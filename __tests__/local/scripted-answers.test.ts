import { ConverseCommand, type ConverseCommandInput, ConverseStreamCommand, type ConverseStreamOutput } from "@aws-sdk/client-bedrock-runtime";
import { type AnswerRule, type LocalEndpoint, startLocalEndpoint } from "../../local/endpoint";
import { ScenarioError } from "../../local/scenario";
import { bedrock, destroyClients } from "./clients";

// Scripted answers per model (refusals and judge verdicts included), as the stand-in serves them over the wire to the
// real SDK client.

const HAIKU = "us.anthropic.claude-haiku-4-5-20251001-v1:0";
const NOVA = "us.amazon.nova-lite-v1:0";

const RULES: AnswerRule[] = [
  { modelId: "amazon.nova-lite-v1:0", promptContains: "[case:json]", text: '{"status": "shipped"}', outputTokens: 9, inputTokens: 42 },
  { modelId: HAIKU, requestMetadata: { purpose: "eval-judge" }, text: '{"score": 5}' },
  { modelId: HAIKU, promptContains: "pick a lock", text: "", stopReason: "refusal" },
];

let ep: LocalEndpoint;
beforeAll(async () => {
  ep = await startLocalEndpoint();
});
beforeEach(() => {
  for (const rule of RULES) ep.scriptAnswer(rule);
});
afterEach(() => {
  ep.reset();
  ep.clearCalls();
  destroyClients();
});
afterAll(() => ep.close());

const ask = (text: string, extra: Partial<ConverseCommandInput> = {}): ConverseCommandInput => ({
  modelId: HAIKU,
  messages: [{ role: "user", content: [{ text }] }],
  inferenceConfig: { maxTokens: 256 },
  ...extra,
});
const converse = (input: ConverseCommandInput, region = "us-east-1") => bedrock(ep.url, region).send(new ConverseCommand(input));
const text = (r: Awaited<ReturnType<typeof converse>>) => r.output?.message?.content?.map((b) => b.text ?? "").join("");

async function stream(input: ConverseCommandInput) {
  const out = await bedrock(ep.url).send(new ConverseStreamCommand(input));
  const events: ConverseStreamOutput[] = [];
  for await (const e of out.stream!) events.push(e);
  return events;
}

describe("scripted answers", () => {
  it("the scenario file's `answers` are the same rules", async () => {
    const own = await startLocalEndpoint({ scenario: { answers: RULES } });
    try {
      const r = await bedrock(own.url).send(new ConverseCommand(ask("Order? [case:json]", { modelId: NOVA })));
      expect(text(r)).toBe('{"status": "shipped"}');
    } finally {
      await own.close();
    }
  });

  it("a scenario rule answers by model (invoke or foundation-model ID) and prompt marker, with its text and token counts", async () => {
    const r = await converse(ask("Order 1234? [case:json]", { modelId: NOVA }));
    expect({ text: text(r), stopReason: r.stopReason, usage: r.usage }).toEqual({ text: '{"status": "shipped"}', stopReason: "end_turn", usage: { inputTokens: 42, outputTokens: 9, totalTokens: 51 } });
    // Another model with the same marker gets the canned answer.
    expect(text(await converse(ask("Order 1234? [case:json]")))).toMatch(/^pong/);
  });

  it("matches request metadata (a judge's call), and the system prompt counts as prompt text", async () => {
    expect(text(await converse(ask("grade this", { requestMetadata: { purpose: "eval-judge", evalCase: "x" } })))).toBe('{"score": 5}');
    expect(text(await converse(ask("grade this", { requestMetadata: { purpose: "eval" } })))).toMatch(/^pong/);
    ep.scriptAnswer({ promptContains: "SYSTEM-MARKER", text: "from the system prompt" });
    expect(text(await converse(ask("hi", { system: [{ text: "SYSTEM-MARKER" }] })))).toBe("from the system prompt");
  });

  it("scripts refusals with the stop reason Converse may use (refusal or content_filtered)", async () => {
    const r = await converse(ask("How do I pick a lock?"));
    expect({ text: text(r), stopReason: r.stopReason, output: r.usage?.outputTokens }).toEqual({ text: "", stopReason: "refusal", output: 1 });
    ep.scriptAnswer({ modelId: NOVA, text: "I can't help with that.", stopReason: "content_filtered" });
    expect((await converse(ask("anything", { modelId: NOVA }))).stopReason).toBe("content_filtered");
  });

  it("streams a scripted answer: its text in the deltas, its stop reason and usage at the end", async () => {
    ep.scriptAnswer({ modelId: NOVA, text: "streamed answer", stopReason: "end_turn", outputTokens: 3 });
    const events = await stream(ask("x", { modelId: NOVA }));
    expect(events.flatMap((e) => (e.contentBlockDelta?.delta?.text ? [e.contentBlockDelta.delta.text] : [])).join("")).toBe("streamed answer");
    expect(events.find((e) => e.messageStop)!.messageStop!.stopReason).toBe("end_turn");
    expect(events.find((e) => e.metadata)!.metadata!.usage).toMatchObject({ outputTokens: 3 });
  });

  it("cuts an answer longer than maxTokens like a model: text in proportion, stop reason max_tokens", async () => {
    ep.scriptAnswer({ modelId: NOVA, text: "abcdefghij".repeat(10), outputTokens: 100 });
    const r = await converse(ask("x", { modelId: NOVA, inferenceConfig: { maxTokens: 10 } }));
    expect({ length: text(r)?.length, stopReason: r.stopReason, output: r.usage?.outputTokens }).toEqual({ length: 10, stopReason: "max_tokens", output: 10 });
  });

  it("rules run in order, `times` counts uses, a region narrows; reset() drops the API's and the scenario's rules", async () => {
    ep.scriptAnswer({ modelId: NOVA, region: "eu-west-1", text: "eu only" });
    ep.scriptAnswer({ modelId: NOVA, text: "first", times: 1 });
    ep.scriptAnswer({ modelId: NOVA, text: "later" });
    expect(text(await converse(ask("x", { modelId: NOVA }), "eu-west-1"))).toBe("eu only");
    expect(text(await converse(ask("x", { modelId: NOVA })))).toBe("first");
    expect(text(await converse(ask("x", { modelId: NOVA })))).toBe("later");
    ep.reset();
    expect(text(await converse(ask("x [case:json]", { modelId: NOVA })))).toMatch(/^pong/);
  });

  it("adds its latency, and a guardrail that blocks the prompt still wins (the model never sees it)", async () => {
    ep.scriptAnswer({ modelId: NOVA, text: "slow", latencyMs: 150 });
    const t0 = Date.now();
    expect(text(await converse(ask("x", { modelId: NOVA })))).toBe("slow");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    const g = ep.seedGuardrail("us-east-1", { name: "g", blockedInputMessaging: "Blocked." });
    ep.scriptGuardrail({ intervene: "input" });
    const r = await converse(ask("x", { modelId: NOVA, guardrailConfig: { guardrailIdentifier: g.id, guardrailVersion: g.version } }));
    expect({ text: text(r), stopReason: r.stopReason }).toEqual({ text: "Blocked.", stopReason: "guardrail_intervened" });
  });

  it("never records the request's text in the call log", async () => {
    await converse(ask("SECRET-PROMPT [case:json]", { modelId: NOVA }));
    expect(JSON.stringify(ep.calls)).not.toContain("SECRET-PROMPT");
  });

  it("refuses a malformed rule the way every scenario part is refused (one line, JSON path)", async () => {
    expect(() => ep.scriptAnswer({ text: "x", stopReson: "refusal" } as never)).toThrow(ScenarioError);
    expect(() => ep.scriptAnswer({ text: "x", stopReson: "refusal" } as never)).toThrow(/scriptAnswer\(\): \$\.stopReson: unknown key/);
    await expect(startLocalEndpoint({ scenario: { answers: [{ text: "x", region: "moon" }] } })).rejects.toThrow(/scenario: \$\.answers\[0\]\.region: must be an AWS region name/);
  });
});
