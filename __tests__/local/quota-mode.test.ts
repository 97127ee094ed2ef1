import { ConverseCommand, ConverseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
import { type LocalEndpoint, type QuotaModeConfig, startLocalEndpoint } from "../../local/endpoint";
import { QuotaMode } from "../../local/quota-mode";
import { ScenarioError } from "../../local/scenario";
import { bedrock, caught, destroyClients, userMessage } from "./clients";

const HAIKU = "us.anthropic.claude-haiku-4-5-20251001-v1:0";
const NOVA = "us.amazon.nova-lite-v1:0";
const REGION = "us-east-1";
/** 4,000 characters: the endpoint counts ceil(chars / 4) = 1,000 input tokens. */
const THOUSAND_TOKENS = "x".repeat(4000);

/** A manual wall clock for the quota mode: refills and outage windows move only when the test says so. */
let now = 1_700_000_000_000;
const advance = (ms: number) => void (now += ms);

let ep: LocalEndpoint;
beforeAll(async () => {
  ep = await startLocalEndpoint({ quotaClock: () => now });
});
afterEach(() => {
  ep.reset();
  ep.clearCalls();
  destroyClients();
});
afterAll(() => ep.close());

function converse(modelId: string, opts: { maxTokens?: number; region?: string } = {}) {
  return bedrock(ep.url, opts.region ?? REGION).send(
    new ConverseCommand({
      modelId,
      messages: userMessage(THOUSAND_TOKENS),
      ...(opts.maxTokens !== undefined ? { inferenceConfig: { maxTokens: opts.maxTokens } } : {}),
    }),
  );
}

function quota(models: QuotaModeConfig["models"], extra: Omit<QuotaModeConfig, "models"> = {}): void {
  ep.setQuotaMode({ ...extra, models });
}

const tokensLeft = (modelId = HAIKU, region = REGION) => ep.quotaUsage(modelId, region)!.tokensAvailable;
const lastCall = () => ep.calls[ep.calls.length - 1];

describe("reservation and correction", () => {
  it("reserves input + maxTokens at the start and charges input + output × burndown at the end", async () => {
    quota([{ modelId: HAIKU, tokensPerMinute: 10_000, outputTokens: 256, outputBurndown: 5 }]);
    const res = await converse(HAIKU, { maxTokens: 512 });
    expect(res.usage).toEqual({ inputTokens: 1000, outputTokens: 256, totalTokens: 1256 });
    expect(res.stopReason).toBe("end_turn");
    expect(lastCall()).toMatchObject({ status: 200, quota: "admitted", reservedTokens: 1512, chargedTokens: 1000 + 256 * 5 });
    // 2,280 charged although only 1,512 was reserved: the correction takes the difference too.
    expect(tokensLeft()).toBe(10_000 - 2280);
  });

  it("an unset maxTokens reserves the model's maximum output, so a quota that fits the answer still throttles", async () => {
    quota([{ modelId: HAIKU, tokensPerMinute: 50_000, maxOutputTokens: 64_000 }]);
    const e = await caught(() => converse(HAIKU));
    expect(e.name).toBe("ThrottlingException");
    expect(lastCall()).toMatchObject({ status: 429, quota: "throttled" });
    expect(lastCall().maxTokens).toBeUndefined();
    expect(tokensLeft()).toBe(50_000);
    // The same request with maxTokens set fits easily.
    await converse(HAIKU, { maxTokens: 512 });
    expect(lastCall()).toMatchObject({ status: 200, reservedTokens: 1512 });
  });

  it("an unset maxTokens within the quota is reserved whole and corrected to the real output", async () => {
    quota([{ modelId: HAIKU, tokensPerMinute: 100_000, maxOutputTokens: 8000, outputTokens: 300 }]);
    await converse(HAIKU);
    expect(lastCall()).toMatchObject({ reservedTokens: 9000, chargedTokens: 1300 });
    expect(tokensLeft()).toBe(100_000 - 1300);
  });

  it("maxTokens below the natural answer cuts it short (max_tokens) and only that output is charged", async () => {
    quota([{ modelId: HAIKU, tokensPerMinute: 10_000, outputTokens: 256, outputBurndown: 5 }]);
    const res = await converse(HAIKU, { maxTokens: 100 });
    expect(res.stopReason).toBe("max_tokens");
    expect(res.usage?.outputTokens).toBe(100);
    expect(lastCall()).toMatchObject({ reservedTokens: 1100, chargedTokens: 1500 });
  });

  it("holds the reservation while the request runs: a second request that would fit the charge is throttled", async () => {
    // A quota-minute of latency on an endpoint of its own: the first request stays in flight until that endpoint closes.
    const other = await startLocalEndpoint({ quotaClock: () => now });
    other.setQuotaMode({ models: [{ modelId: HAIKU, tokensPerMinute: 3000, outputTokens: 256, latency: { baseMs: 60_000 } }] });
    const send = () => bedrock(other.url).send(new ConverseCommand({ modelId: HAIKU, messages: userMessage(THOUSAND_TOKENS), inferenceConfig: { maxTokens: 512 } }));
    const first = send().catch((e: Error) => e);
    try {
      await waitFor(() => other.quotaUsage(HAIKU, REGION)?.inFlight === 1);
      expect(other.quotaUsage(HAIKU, REGION)).toMatchObject({ tokensAvailable: 3000 - 1512, reservedInFlight: 1512 });
      // 1,488 left: the 1,256 it would be charged fits, the 1,512 it reserves does not.
      expect((await caught(send)).name).toBe("ThrottlingException");
    } finally {
      await other.close();
    }
    expect(await first).toBeInstanceOf(Error);
    // Ended long before its answer: charged the input and the (small) share of the output generated by then.
    const usage = other.quotaUsage(HAIKU, REGION)!;
    expect(usage.inFlight).toBe(0);
    expect(usage.chargedTokens).toBeGreaterThanOrEqual(1000);
    expect(usage.chargedTokens).toBeLessThan(1256);
    expect(usage.tokensAvailable).toBe(3000 - usage.chargedTokens);
  });

  it("a correction is made once, whatever share of the answer was generated", () => {
    const mode = new QuotaMode({ models: [{ modelId: HAIKU, tokensPerMinute: 10_000, outputTokens: 200, outputBurndown: 5 }] }, () => now);
    const a = mode.admit(HAIKU, REGION, { inputTokens: 1000, maxTokens: 512 });
    if (a?.kind !== "admitted") throw new Error("expected admission");
    expect(mode.usage(HAIKU, REGION)).toMatchObject({ tokensAvailable: 10_000 - 1512, inFlight: 1, reservedInFlight: 1512 });
    expect(a.settle(0.5)).toBe(1000 + 100 * 5);
    expect(a.settle(1)).toBe(1500);
    expect(mode.usage(HAIKU, REGION)).toMatchObject({ tokensAvailable: 10_000 - 1500, inFlight: 0, reservedInFlight: 0, chargedTokens: 1500 });
  });
});

describe("refill", () => {
  it("refills continuously, one quota per minute, capped at the quota", async () => {
    quota([{ modelId: HAIKU, tokensPerMinute: 2000, outputTokens: 256 }]);
    await converse(HAIKU, { maxTokens: 512 }); // charges 1,256: 744 left
    expect(tokensLeft()).toBe(744);
    expect((await caught(() => converse(HAIKU, { maxTokens: 512 }))).name).toBe("ThrottlingException");
    advance(23_000); // + 2000 × 23/60 = 766.7: 1,510.7 < 1,512
    expect(tokensLeft()).toBeCloseTo(744 + (2000 * 23) / 60, 6);
    expect((await caught(() => converse(HAIKU, { maxTokens: 512 }))).name).toBe("ThrottlingException");
    advance(1000); // 1,544 >= 1,512
    await converse(HAIKU, { maxTokens: 512 });
    expect(lastCall().status).toBe(200);
    advance(10 * 60_000);
    expect(tokensLeft()).toBe(2000);
  });

  it("enforces requests per minute with its own bucket and AWS's wording", async () => {
    quota([{ modelId: HAIKU, tokensPerMinute: 1_000_000, requestsPerMinute: 2 }]);
    await converse(HAIKU, { maxTokens: 512 });
    await converse(HAIKU, { maxTokens: 512 });
    const e = await caught(() => converse(HAIKU, { maxTokens: 512 }));
    expect(e.name).toBe("ThrottlingException");
    expect(e.message).toBe("Too many requests, please wait before trying again.");
    advance(30_000); // one request's worth
    await converse(HAIKU, { maxTokens: 512 });
    expect(ep.quotaUsage(HAIKU, REGION)!.requestsAvailable).toBeCloseTo(0, 6);
  });

  it("keeps one set of buckets per model and per region", async () => {
    quota([
      { modelId: HAIKU, tokensPerMinute: 2000 },
      { modelId: NOVA, tokensPerMinute: 2000 },
    ]);
    await converse(HAIKU, { maxTokens: 512 });
    await converse(NOVA, { maxTokens: 512 });
    await converse(HAIKU, { maxTokens: 512, region: "us-west-2" });
    expect(ep.calls.map((c) => c.status)).toEqual([200, 200, 200]);
    expect((await caught(() => converse(HAIKU, { maxTokens: 512 }))).name).toBe("ThrottlingException");
    // A model quota mode does not name is served as without it.
    await converse("us.amazon.nova-micro-v1:0", { maxTokens: 512 });
    expect(lastCall().status).toBe(200);
    expect(lastCall().quota).toBeUndefined();
  });
});

describe("throttling replies", () => {
  it("answers exactly like the scripted throttle fault", async () => {
    ep.inject({ modelId: NOVA, fault: "throttle", times: 1 });
    const scripted = await caught(() => converse(NOVA, { maxTokens: 512 }));
    quota([{ modelId: HAIKU, tokensPerMinute: 0 }]);
    const fromQuota = await caught(() => converse(HAIKU, { maxTokens: 512 }));
    const shape = (e: typeof scripted) => ({ name: e.name, message: e.message, status: e.$metadata?.httpStatusCode, fault: e.$fault });
    expect(shape(fromQuota)).toEqual(shape(scripted));
    expect(shape(fromQuota)).toEqual({ name: "ThrottlingException", message: "Too many tokens, please wait before trying again.", status: 429, fault: "client" });
  });

  it("throttles ConverseStream before any event, and serves it within quota", async () => {
    quota([{ modelId: HAIKU, tokensPerMinute: 2000, outputTokens: 12 }]);
    const client = bedrock(ep.url);
    const stream = await client.send(new ConverseStreamCommand({ modelId: HAIKU, messages: userMessage(THOUSAND_TOKENS), inferenceConfig: { maxTokens: 512 } }));
    let deltas = 0;
    for await (const ev of stream.stream!) if (ev.contentBlockDelta) deltas++;
    expect(deltas).toBe(12);
    expect(lastCall()).toMatchObject({ operation: "ConverseStream", chargedTokens: 1012 });
    const e = await caught(() => client.send(new ConverseStreamCommand({ modelId: HAIKU, messages: userMessage(THOUSAND_TOKENS), inferenceConfig: { maxTokens: 512 } })));
    expect(e.name).toBe("ThrottlingException");
  });
});

describe("outage windows", () => {
  it("answers 503 ServiceUnavailableException during [start, end) and serves outside it, without touching the quota", async () => {
    quota([{ modelId: HAIKU, tokensPerMinute: 100_000, outages: [{ startMs: 10_000, endMs: 20_000 }] }]);
    await converse(HAIKU, { maxTokens: 512 });
    const before = tokensLeft();
    advance(10_000);
    const e = await caught(() => converse(HAIKU, { maxTokens: 512 }));
    expect(e.name).toBe("ServiceUnavailableException");
    expect(e.$metadata?.httpStatusCode).toBe(503);
    expect(lastCall()).toMatchObject({ status: 503, quota: "outage" });
    advance(9_999);
    expect((await caught(() => converse(HAIKU, { maxTokens: 512 }))).name).toBe("ServiceUnavailableException");
    // The bucket refilled meanwhile (capped) but nothing was reserved or charged for the refused calls.
    expect(tokensLeft()).toBe(Math.min(100_000, before + (100_000 * 19_999) / 60_000));
    advance(1);
    await converse(HAIKU, { maxTokens: 512 });
    expect(lastCall().status).toBe(200);
    expect(ep.quotaUsage(HAIKU, REGION)).toMatchObject({ admitted: 2, outageErrors: 2, throttled: 0 });
  });

  it("can answer 500 InternalServerException instead", async () => {
    quota([{ modelId: HAIKU, tokensPerMinute: 100_000, outages: [{ startMs: 0, endMs: 1000, status: 500 }] }]);
    const e = await caught(() => converse(HAIKU, { maxTokens: 512 }));
    expect(e.name).toBe("InternalServerException");
    expect(e.$metadata?.httpStatusCode).toBe(500);
  });
});

describe("time compression", () => {
  it("a quota-minute, an outage window and the latency all shrink by the factor", async () => {
    // x60: a quota-minute lasts one wall-clock second.
    quota(
      [{ modelId: HAIKU, tokensPerMinute: 6000, outputTokens: 256, latency: { baseMs: 3000 }, outages: [{ startMs: 60_000, endMs: 120_000 }] }],
      { timeCompression: 60 },
    );
    const started = Date.now();
    await converse(HAIKU, { maxTokens: 512 });
    // 3,000 stand-in ms / 60 = 50 wall-clock ms at least (an upper bound would depend on the machine's load).
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(tokensLeft()).toBe(6000 - 1256);
    advance(500); // half a quota-minute: +3,000 tokens, capped at 6,000
    expect(tokensLeft()).toBe(6000);
    expect(ep.quotaUsage(HAIKU, REGION)!.at).toBe(30_000);
    advance(500); // one wall-clock second = stand-in minute 1: the outage begins
    expect((await caught(() => converse(HAIKU, { maxTokens: 512 }))).name).toBe("ServiceUnavailableException");
    advance(1000);
    await converse(HAIKU, { maxTokens: 512 });
    expect(lastCall().status).toBe(200);
  });
});

describe("determinism", () => {
  it("the same seed gives the same latencies; another seed other ones", () => {
    const config = (seed: number): QuotaModeConfig => ({ seed, models: [{ modelId: HAIKU, tokensPerMinute: 1e9, latency: { baseMs: 1000, perOutputTokenMs: 2, jitter: 0.5 } }] });
    const delays = (seed: number) => {
      const mode = new QuotaMode(config(seed), () => now);
      return Array.from({ length: 20 }, () => {
        const a = mode.admit(HAIKU, REGION, { inputTokens: 10, maxTokens: 512 });
        if (a?.kind !== "admitted") throw new Error("expected admission");
        a.settle(1);
        return a.delayMs;
      });
    };
    expect(delays(7)).toEqual(delays(7));
    expect(delays(7)).not.toEqual(delays(8));
    for (const d of delays(7)) {
      expect(d).toBeGreaterThanOrEqual((1000 + 2 * 256) * 0.5);
      expect(d).toBeLessThan((1000 + 2 * 256) * 1.5);
    }
  });
});

describe("configuration", () => {
  it.each<[string, unknown, string]>([
    ["an outage that ends before it starts", { models: [{ modelId: HAIKU, tokensPerMinute: 1, outages: [{ startMs: 5, endMs: 5 }] }] }, "$.models[0].outages[0].endMs"],
    ["a misspelt field", { models: [{ modelId: HAIKU, tokensPerMinute: 1, burndown: 5 }] }, "$.models[0].burndown"],
    ["a zero compression", { timeCompression: 0, models: [] }, "$.timeCompression"],
    ["one model twice", { models: [{ modelId: HAIKU, tokensPerMinute: 1 }, { modelId: HAIKU, tokensPerMinute: 2 }] }, "$.models"],
  ])("refuses %s with its JSON path", (_label, config, path) => {
    let error: unknown;
    try {
      ep.setQuotaMode(config as QuotaModeConfig);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).jsonPath).toBe(path);
  });

  it("a scenario file's quotaMode is on from the start, and reset() turns it off", async () => {
    const other = await startLocalEndpoint({ scenario: { quotaMode: { models: [{ modelId: HAIKU, tokensPerMinute: 0 }] } } });
    try {
      const e = await caught(() => bedrock(other.url).send(new ConverseCommand({ modelId: HAIKU, messages: userMessage("hi"), inferenceConfig: { maxTokens: 8 } })));
      expect(e.name).toBe("ThrottlingException");
      other.reset();
      await bedrock(other.url).send(new ConverseCommand({ modelId: HAIKU, messages: userMessage("hi"), inferenceConfig: { maxTokens: 8 } }));
      expect(other.quotaUsage(HAIKU, REGION)).toBeUndefined();
    } finally {
      await other.close();
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}
