import { ConverseCommand, type ConverseCommandInput, ConverseStreamCommand, type ConverseStreamOutput } from "@aws-sdk/client-bedrock-runtime";
import { type LocalEndpoint, startLocalEndpoint } from "../../local/endpoint";
import { ScenarioError } from "../../local/scenario";
import { bedrock, caught, userMessage } from "./clients";
import { useEndpoint } from "./fixtures";

// Service tiers and guardrails as the stand-in answers them, over the wire to the real SDK client.

const NOVA = "us.amazon.nova-pro-v1:0";
const HAIKU = "us.anthropic.claude-haiku-4-5-20251001-v1:0";

let ep: LocalEndpoint;
useEndpoint({ scenario: { serviceTiers: { "anthropic.claude-haiku-4-5-20251001-v1:0": ["default"] } } }, (e) => (ep = e), (e) =>
  e.configure({ serviceTiers: { "anthropic.claude-haiku-4-5-20251001-v1:0": ["default"] }, echoServiceTier: true }),
);

const converse = (input: Partial<ConverseCommandInput> & { modelId: string }, region = "us-east-1") =>
  bedrock(ep.url, region).send(new ConverseCommand({ messages: userMessage("ping"), inferenceConfig: { maxTokens: 16 }, ...input }));

async function stream(input: Partial<ConverseCommandInput> & { modelId: string }) {
  const out = await bedrock(ep.url).send(new ConverseStreamCommand({ messages: userMessage("ping"), inferenceConfig: { maxTokens: 16 }, ...input }));
  const events: ConverseStreamOutput[] = [];
  for await (const e of out.stream!) events.push(e);
  return events;
}

describe("service tiers", () => {
  it("echoes the requested tier (Converse and the stream's metadata) and records it; names none when none was asked", async () => {
    expect((await converse({ modelId: NOVA, serviceTier: { type: "flex" } })).serviceTier).toEqual({ type: "flex" });
    expect((await converse({ modelId: NOVA })).serviceTier).toBeUndefined();
    const events = await stream({ modelId: NOVA, serviceTier: { type: "priority" } });
    expect(events.find((e) => e.metadata)!.metadata!.serviceTier).toEqual({ type: "priority" });
    expect(ep.calls.map((c) => c.serviceTier)).toEqual(["flex", undefined, "priority"]);
  });

  it("echoes nothing when configured not to (the response may not say)", async () => {
    ep.configure({ echoServiceTier: false });
    expect((await converse({ modelId: NOVA, serviceTier: { type: "flex" } })).serviceTier).toBeUndefined();
  });

  it.each([
    ["a tier the scenario says the model lacks", HAIKU, "flex", "The requested service tier is not supported for model anthropic.claude-haiku-4-5-20251001-v1:0."],
    ["reserved without a reservation", NOVA, "reserved", "Reservation not found."],
    ["an unknown tier value", NOVA, "turbo", "The service tier provided is invalid."],
  ])("refuses %s with a 400 ValidationException", async (_label, modelId, type, message) => {
    const err = await caught(() => converse({ modelId, serviceTier: { type: type as "flex" } }));
    expect({ name: err.name, status: err.$metadata?.httpStatusCode, message: err.message }).toEqual({ name: "ValidationException", status: 400, message });
  });

  it("the tiers a model accepts are the scenario's; configure() replaces them", async () => {
    expect((await converse({ modelId: HAIKU, serviceTier: { type: "default" } })).stopReason).toBe("end_turn");
    ep.configure({ serviceTiers: {} });
    expect((await converse({ modelId: HAIKU, serviceTier: { type: "flex" } })).serviceTier).toEqual({ type: "flex" });
    expect(() => ep.configure({ serviceTiers: { [NOVA]: ["fast"] } })).toThrow(ScenarioError);
  });
});

describe("guardrails", () => {
  const seeded = () => ep.seedGuardrail("us-east-1", { name: "bedrock-dev-safety", blockedInputMessaging: "Blocked prompt.", blockedOutputsMessaging: "Blocked answer.", versions: 2 });

  it("creates a guardrail with an ID of the real form, its ARN and newest version", () => {
    const g = seeded();
    expect(g.arn).toBe(`arn:aws:bedrock:us-east-1:123456789012:guardrail/${g.id}`);
    expect(g.id).toMatch(/^[a-z0-9]{12}$/);
    expect(g.version).toBe("2");
  });

  it("answers a guarded request by ARN or ID; the guardrail intervenes only when scripted", async () => {
    const g = seeded();
    for (const identifier of [g.arn, g.id]) {
      const r = await converse({ modelId: NOVA, guardrailConfig: { guardrailIdentifier: identifier, guardrailVersion: "1" } });
      expect(r.stopReason).toBe("end_turn");
    }
    expect(ep.calls.map((c) => [c.guardrail, c.guardrailIntervened])).toEqual([
      [`${g.arn}:1`, false],
      [`${g.id}:1`, false],
    ]);
  });

  it("an input intervention blocks the prompt (no output tokens) and returns the blocked message; an output one replaces the answer", async () => {
    const g = seeded();
    ep.scriptGuardrail({ guardrail: "bedrock-dev-safety", intervene: "input", times: 1 });
    ep.scriptGuardrail({ guardrail: g.id, modelId: NOVA, intervene: "output", times: 1 });
    const guardrailConfig = { guardrailIdentifier: g.arn, guardrailVersion: "2" };
    const input = await converse({ modelId: NOVA, guardrailConfig });
    expect({ stop: input.stopReason, text: input.output!.message!.content![0].text, out: input.usage!.outputTokens }).toEqual({ stop: "guardrail_intervened", text: "Blocked prompt.", out: 0 });
    const output = await converse({ modelId: NOVA, guardrailConfig });
    expect({ stop: output.stopReason, text: output.output!.message!.content![0].text }).toEqual({ stop: "guardrail_intervened", text: "Blocked answer." });
    expect(output.usage!.outputTokens).toBeGreaterThan(0);
    // Both rules used up: the next call is answered.
    expect((await converse({ modelId: NOVA, guardrailConfig })).stopReason).toBe("end_turn");
  });

  it("scripts match by model and region; a stream ends with guardrail_intervened after the blocked message", async () => {
    const g = seeded();
    ep.scriptGuardrail({ modelId: HAIKU, region: "us-east-1", intervene: "input" });
    const guardrailConfig = { guardrailIdentifier: g.arn, guardrailVersion: "1" };
    expect((await converse({ modelId: NOVA, guardrailConfig })).stopReason).toBe("end_turn");
    const events = await stream({ modelId: HAIKU, guardrailConfig });
    expect(events.filter((e) => e.contentBlockDelta).map((e) => e.contentBlockDelta!.delta!.text)).toEqual(["Blocked prompt."]);
    expect(events.find((e) => e.messageStop)!.messageStop!.stopReason).toBe("guardrail_intervened");
    // reset() drops the scripts, keeps the guardrail.
    ep.reset();
    expect((await converse({ modelId: HAIKU, guardrailConfig })).stopReason).toBe("end_turn");
  });

  it.each([
    ["an unknown identifier", (id: string) => ({ guardrailIdentifier: `${id}x`, guardrailVersion: "1" }), "The provided guardrail identifier is invalid."],
    ["a version never published", (id: string) => ({ guardrailIdentifier: id, guardrailVersion: "3" }), "The provided guardrail version is invalid."],
  ])("refuses %s with a ValidationException", async (_label, config, message) => {
    const g = seeded();
    const err = await caught(() => converse({ modelId: NOVA, guardrailConfig: config(g.id) }));
    expect({ name: err.name, status: err.$metadata?.httpStatusCode, message: err.message }).toEqual({ name: "ValidationException", status: 400, message });
  });

  it("a guardrail belongs to its region: its ARN called from another region is unknown there", async () => {
    const g = seeded();
    const err = await caught(() => converse({ modelId: "eu.amazon.nova-pro-v1:0", guardrailConfig: { guardrailIdentifier: g.arn, guardrailVersion: "1" } }, "eu-west-1"));
    expect(err.message).toBe("The provided guardrail identifier is invalid.");
  });

  it("re-creating a guardrail by name gives it a new ID (the old identifier no longer resolves)", async () => {
    const before = seeded();
    const after = ep.seedGuardrail("us-east-1", { name: "bedrock-dev-safety", id: "recreated0001" });
    expect(after.id).not.toBe(before.id);
    expect((await caught(() => converse({ modelId: NOVA, guardrailConfig: { guardrailIdentifier: before.arn, guardrailVersion: "1" } }))).message).toBe("The provided guardrail identifier is invalid.");
  });

  it("scenario and API shapes are checked (one line with the JSON path)", async () => {
    expect(() => ep.scriptGuardrail({ intervene: "sometimes" as "input" })).toThrow(/scriptGuardrail\(\): \$\.intervene/);
    expect(() => ep.seedGuardrail("us-east-1", { name: "has space" })).toThrow(/seedGuardrail\(\): \$\.name: must be a guardrail name/);
    await expect(startLocalEndpoint({ scenario: { guardrails: { "us-east-1": [{ name: "g", versions: 0 }] } } })).rejects.toThrow(/\$\.guardrails\["us-east-1"\]\[0\]\.versions/);
    const fromScenario = await startLocalEndpoint({ scenario: { guardrails: { "us-east-1": [{ name: "g", id: "abc123" }] }, guardrailOutcomes: [{ guardrail: "g", intervene: "input" }] } });
    try {
      const client = bedrock(fromScenario.url);
      const r = await client.send(new ConverseCommand({ modelId: NOVA, messages: userMessage("x"), guardrailConfig: { guardrailIdentifier: "abc123", guardrailVersion: "1" } }));
      expect(r.stopReason).toBe("guardrail_intervened");
    } finally {
      await fromScenario.close();
    }
  });
});
