import {
  ConverseCommand,
  ConverseStreamCommand,
  type ConverseStreamOutput,
} from "@aws-sdk/client-bedrock-runtime";
import { type LocalEndpoint } from "../../local/endpoint";
import type { FaultRule } from "../../local/faults";
import { bedrock, caught, userMessage } from "./clients";
import { useEndpoint } from "./fixtures";

const HAIKU = "us.anthropic.claude-haiku-4-5-20251001-v1:0";
const HAIKU_FM = "anthropic.claude-haiku-4-5-20251001-v1:0";

let ep: LocalEndpoint;
useEndpoint({}, (e) => (ep = e), (e) => e.configure({ latencyMs: 0, onDemandModelIds: [] }));

function converse(modelId: string, opts: { maxTokens?: number; region?: string; text?: string } = {}) {
  return bedrock(ep.url, opts.region).send(
    new ConverseCommand({
      modelId,
      messages: userMessage(opts.text ?? "ping"),
      ...(opts.maxTokens !== undefined ? { inferenceConfig: { maxTokens: opts.maxTokens } } : {}),
    }),
  );
}

/** Drains a ConverseStream, returning the member names seen and the error that ended it, if any. */
async function drain(modelId: string, maxTokens?: number) {
  const out = await bedrock(ep.url).send(
    new ConverseStreamCommand({
      modelId,
      messages: userMessage("stream please"),
      ...(maxTokens !== undefined ? { inferenceConfig: { maxTokens } } : {}),
    }),
  );
  const events: ConverseStreamOutput[] = [];
  let error: (Error & { $fault?: string }) | undefined;
  try {
    for await (const ev of out.stream!) events.push(ev);
  } catch (e) {
    error = e as Error;
  }
  const kinds = events.map((e) => Object.keys(e).find((k) => (e as unknown as Record<string, unknown>)[k] !== undefined));
  return { events, kinds, error };
}

describe("Converse", () => {
  it("answers with the full ConverseResponse shape, token counts from the request, over HTTP/2", async () => {
    const res = await bedrock(ep.url).send(
      new ConverseCommand({
        modelId: HAIKU,
        system: [{ text: "You are terse." }], // 14 chars
        messages: userMessage("ping the endpoint"), // 17 chars -> 31 chars -> ceil(31/4) = 8 tokens
        inferenceConfig: { maxTokens: 5 },
      }),
    );
    expect(res.output?.message?.role).toBe("assistant");
    expect(res.output?.message?.content).toEqual([{ text: "pong pong pong pong pong" }]);
    expect(res.stopReason).toBe("max_tokens");
    expect(res.usage).toEqual({ inputTokens: 8, outputTokens: 5, totalTokens: 13 });
    expect(typeof res.metrics?.latencyMs).toBe("number");
    expect(ep.calls).toEqual([
      expect.objectContaining({
        service: "bedrock-runtime",
        operation: "Converse",
        region: "us-east-1",
        modelId: HAIKU,
        maxTokens: 5,
        status: 200,
        protocol: "h2",
      }),
    ]);
  });

  it("ends the turn naturally when maxTokens is absent, and logs maxTokens as absent", async () => {
    const res = await converse(HAIKU);
    expect(res.stopReason).toBe("end_turn");
    expect(res.usage?.outputTokens).toBe(8);
    expect(JSON.stringify(res.output)).not.toContain("ping");
    expect(ep.calls[0].maxTokens).toBeUndefined();
  });

  it("stops at end_turn when maxTokens exceeds the canned answer", async () => {
    const res = await converse(HAIKU, { maxTokens: 64 });
    expect(res.stopReason).toBe("end_turn");
    expect(res.usage?.outputTokens).toBe(8);
    expect(ep.calls[0].maxTokens).toBe(64);
  });

  it("rejects maxTokens below 1 as Bedrock does", async () => {
    const err = await caught(() => converse(HAIKU, { maxTokens: 0 }));
    expect(err.name).toBe("ValidationException");
    expect(err.message).toMatch(/inferenceConfig\.maxTokens/);
  });

  it("rejects a bare foundation-model ID with the on-demand ValidationException", async () => {
    const err = await caught(() => converse(HAIKU_FM, { maxTokens: 5 }));
    expect(err.name).toBe("ValidationException");
    expect(err.$metadata?.httpStatusCode).toBe(400);
    expect(err.message).toBe(
      `Invocation of model ID ${HAIKU_FM} with on-demand throughput isn\u2019t supported. ` +
        "Retry your request with the ID or ARN of an inference profile that contains this model.",
    );
  });

  it("accepts a bare ID listed in onDemandModelIds, and profile ARNs", async () => {
    ep.configure({ onDemandModelIds: ["amazon.nova-micro-v1:0"] });
    await expect(converse("amazon.nova-micro-v1:0", { maxTokens: 2 })).resolves.toMatchObject({ stopReason: "max_tokens" });
    const arn = `arn:aws:bedrock:us-east-1:123456789012:inference-profile/${HAIKU}`;
    await expect(converse(arn, { maxTokens: 2 })).resolves.toMatchObject({ usage: { outputTokens: 2 } });
    expect(ep.calls.map((c) => c.modelId)).toEqual(["amazon.nova-micro-v1:0", arn]);
  });

  it("routes by signing region: one endpoint, several regions, region-scoped faults", async () => {
    ep.inject({ modelId: "*", region: "eu-west-1", fault: "throttle" });
    await expect(converse("eu.anthropic.claude-haiku-4-5-20251001-v1:0", { region: "eu-west-1", maxTokens: 1 })).rejects.toMatchObject({
      name: "ThrottlingException",
    });
    await expect(converse(HAIKU, { region: "us-west-2", maxTokens: 1 })).resolves.toBeDefined();
    await expect(converse(HAIKU, { region: "us-east-1", maxTokens: 1 })).resolves.toBeDefined();
    expect(ep.calls.map((c) => [c.region, c.status])).toEqual([
      ["eu-west-1", 429],
      ["us-west-2", 200],
      ["us-east-1", 200],
    ]);
  });
});

describe("ConverseStream", () => {
  it("streams messageStart, deltas, stop, messageStop and metadata as real event-stream frames", async () => {
    const { events, kinds, error } = await drain(HAIKU, 3);
    expect(error).toBeUndefined();
    expect(kinds).toEqual(["messageStart", "contentBlockDelta", "contentBlockDelta", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata"]);
    const text = events.map((e) => e.contentBlockDelta?.delta?.text ?? "").join("");
    expect(text).toBe("pong pong pong");
    expect(events[5].messageStop?.stopReason).toBe("max_tokens");
    expect(events[6].metadata?.usage).toEqual({ inputTokens: 4, outputTokens: 3, totalTokens: 7 });
    expect(typeof events[6].metadata?.metrics?.latencyMs).toBe("number");
    expect(ep.calls[0]).toMatchObject({ operation: "ConverseStream", maxTokens: 3, status: 200, protocol: "h2" });
  });

  it("raises a mid-stream exception from the iterator after the first delta", async () => {
    ep.inject({ modelId: HAIKU, fault: "stream-exception", times: 1 });
    const first = await drain(HAIKU, 5);
    expect(first.kinds).toEqual(["messageStart", "contentBlockDelta"]);
    expect(first.error?.name).toBe("ModelStreamErrorException");
    const second = await drain(HAIKU, 5);
    expect(second.error).toBeUndefined();
    expect(second.kinds.at(-1)).toBe("metadata");
  });

  it("can raise other stream exception members, e.g. throttlingException", async () => {
    ep.inject({ modelId: HAIKU, fault: "stream-exception", exceptionType: "throttlingException" });
    const { error } = await drain(HAIKU, 5);
    expect(error?.name).toBe("ThrottlingException");
  });

  it("does not spend a stream-exception script on a Converse call", async () => {
    ep.inject({ modelId: HAIKU, fault: "stream-exception", times: 1 });
    await expect(converse(HAIKU, { maxTokens: 1 })).resolves.toBeDefined();
    expect((await drain(HAIKU, 1)).error?.name).toBe("ModelStreamErrorException");
  });

  it("fails before the stream opens for HTTP-level faults", async () => {
    ep.inject({ modelId: HAIKU, fault: "throttle" });
    const err = await caught(() => drain(HAIKU, 1));
    expect(err.name).toBe("ThrottlingException");
    expect(err.$metadata?.httpStatusCode).toBe(429);
  });
});

describe("fault scripting", () => {
  const cases: Array<[string, Omit<FaultRule, "modelId">, string, number, RegExp]> = [
    ["throttle", { fault: "throttle" }, "ThrottlingException", 429, /^Too many tokens, please wait before trying again\.$/],
    ["server-error 500", { fault: "server-error" }, "InternalServerException", 500, /internal error/],
    ["server-error 503", { fault: "server-error", status: 503 }, "ServiceUnavailableException", 503, /unable to process/],
    ["model-not-ready", { fault: "model-not-ready" }, "ModelNotReadyException", 429, /not ready/],
    ["model-timeout", { fault: "model-timeout" }, "ModelTimeoutException", 408, /timed out/],
    ["model-error", { fault: "model-error" }, "ModelErrorException", 424, /error from the model/],
    ["marketplace-denied", { fault: "marketplace-denied" }, "AccessDeniedException", 403, /aws-marketplace:Subscribe.*try again after 15 minutes/],
    ["legacy", { fault: "legacy" }, "ResourceNotFoundException", 404, /marked by provider as Legacy.*last 30 days/],
    ["eol", { fault: "eol" }, "ResourceNotFoundException", 404, /^This model version has reached the end of its life\.$/],
    [
      "scp-denied",
      { fault: "scp-denied", destinationRegion: "us-west-2" },
      "AccessDeniedException",
      403,
      new RegExp(
        "^User: arn:aws:iam::123456789012:user/local is not authorized to perform: bedrock:InvokeModel on resource: " +
          `arn:aws:bedrock:us-west-2::foundation-model/${HAIKU_FM.replace(/\./g, "\\.")} with an explicit deny in a service control policy$`,
      ),
    ],
  ];

  it.each(cases)("%s surfaces as the right exception and status", async (_label, rule, name, status, message) => {
    ep.inject({ modelId: HAIKU, ...rule });
    const err = await caught(() => converse(HAIKU, { maxTokens: 4 }));
    expect(err.name).toBe(name);
    expect(err.$metadata?.httpStatusCode).toBe(status);
    expect(err.message).toMatch(message);
    expect(ep.calls).toEqual([expect.objectContaining({ fault: rule.fault, status, errorType: name, maxTokens: 4 })]);
  });

  it("throttles the first k calls, then succeeds (one wire call per request with maxAttempts 1)", async () => {
    ep.inject({ modelId: HAIKU, fault: "throttle", times: 2 });
    await expect(converse(HAIKU, { maxTokens: 2 })).rejects.toMatchObject({ name: "ThrottlingException" });
    await expect(converse(HAIKU, { maxTokens: 2 })).rejects.toMatchObject({ name: "ThrottlingException" });
    await expect(converse(HAIKU, { maxTokens: 2 })).resolves.toMatchObject({ stopReason: "max_tokens" });
    expect(ep.calls.map((c) => c.status)).toEqual([429, 429, 200]);
  });

  it("lets the SDK's own retries be counted on the wire", async () => {
    ep.inject({ modelId: HAIKU, fault: "server-error", status: 503, times: 2 });
    const res = await bedrock(ep.url, "us-east-1", { maxAttempts: 3 }).send(
      new ConverseCommand({ modelId: HAIKU, messages: userMessage("x"), inferenceConfig: { maxTokens: 3 } }),
    );
    expect(res.$metadata.attempts).toBe(3);
    expect(ep.calls.map((c) => [c.status, c.maxTokens])).toEqual([
      [503, 3],
      [503, 3],
      [200, 3],
    ]);
  });

  it("plays several scripts for one model in injection order, other models unaffected", async () => {
    ep.inject({ modelId: HAIKU, fault: "throttle", times: 1 });
    ep.inject({ modelId: HAIKU, fault: "eol", times: 1 });
    await expect(converse("us.amazon.nova-micro-v1:0", { maxTokens: 1 })).resolves.toBeDefined();
    await expect(converse(HAIKU, { maxTokens: 1 })).rejects.toMatchObject({ name: "ThrottlingException" });
    await expect(converse(HAIKU, { maxTokens: 1 })).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    await expect(converse(HAIKU, { maxTokens: 1 })).resolves.toBeDefined();
  });

  it("malformed: 200 with a body that is not a ConverseResponse passes straight through the SDK", async () => {
    ep.inject({ modelId: HAIKU, fault: "malformed" });
    const res = await converse(HAIKU, { maxTokens: 2 });
    expect(res.$metadata.httpStatusCode).toBe(200);
    expect(res.output).toBeUndefined();
    expect(res.usage).toBeUndefined();
  });

  it("hang: never answers until the client's abort signal ends the call", async () => {
    ep.inject({ modelId: HAIKU, fault: "hang" });
    const started = Date.now();
    const err = await caught(() =>
      bedrock(ep.url).send(new ConverseCommand({ modelId: HAIKU, messages: userMessage("x") }), {
        abortSignal: AbortSignal.timeout(150),
      }),
    );
    expect(err.name).toBe("AbortError");
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(ep.calls).toEqual([expect.objectContaining({ fault: "hang", status: 0 })]);
  });

  it("hang: a client requestTimeout ends the call too", async () => {
    ep.inject({ modelId: HAIKU, fault: "hang", times: 1 });
    const { BedrockRuntimeClient } = await import("@aws-sdk/client-bedrock-runtime");
    const client = new BedrockRuntimeClient({
      endpoint: ep.url,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
      maxAttempts: 1,
      requestHandler: { requestTimeout: 150 },
    });
    try {
      const err = await caught(() => client.send(new ConverseCommand({ modelId: HAIKU, messages: userMessage("x") })));
      expect(err.name).toBe("TimeoutError");
    } finally {
      client.destroy();
    }
  });

  it("adds latency per rule and globally", async () => {
    ep.inject({ modelId: HAIKU, fault: "latency", latencyMs: 80, times: 1 });
    let t0 = Date.now();
    const slow = await converse(HAIKU, { maxTokens: 1 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(75);
    expect(slow.metrics?.latencyMs).toBeGreaterThanOrEqual(75);
    ep.configure({ latencyMs: 60 });
    t0 = Date.now();
    await converse("us.amazon.nova-micro-v1:0", { maxTokens: 1 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(55);
  });

  it("validates scripts like the scenario file does", () => {
    expect(() => ep.inject({ modelId: HAIKU, fault: "throttle", times: 0 })).toThrow(/^inject\(\): \$\.times: /);
    expect(() => ep.inject({ modelId: HAIKU, fault: "throttled" as FaultRule["fault"] })).toThrow(/^inject\(\): \$\.fault: Invalid option/);
    expect(() => ep.inject({ modelId: HAIKU, fault: "server-error", status: 502 as 500 })).toThrow(/\$\.status/);
  });
});
