import * as net from "node:net";
import { HAIKU, NOVA } from "../fixtures";
import { failure, messages, useLocalEndpoint, wire } from "./fixtures";

// Router defects found by fault injection: close() that was not final, a straggler's late success closing a breaker
// that opened meanwhile, connection failures over HTTP/2 that were not recognised, and a model stream error before
// any content that was not retried. Everything over the wire against the local endpoint (or a closed port).

const local = useLocalEndpoint();
const make = local.make;

/** TCP sockets this process holds open (client side included). */
function tcpSockets(): number {
  return process.getActiveResourcesInfo().filter((r) => r === "TCPSocketWrap").length;
}

/** A port nothing listens on: bound, read, closed. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe("close() is final", () => {
  it("every later call rejects with router-closed, makes no wire call and opens no connection", async () => {
    const { router } = make();
    await router.converse({ task: "summarization", messages: messages() });
    router.close();
    expect(router.closed).toBe(true);
    local.ep.clearCalls();
    const sockets = tcpSockets();
    for (const call of [() => router.converse({ task: "summarization", messages: messages() }), () => router.converseStream({ task: "chat", messages: messages() }), () => router.requestFor("chat", { messages: messages() }), () => router.refresh()]) {
      const e = await failure(call());
      expect(e.classification.cause).toBe("router-closed");
      expect(e.message).toMatch(/the router is closed; create a new one/);
    }
    expect(local.ep.calls).toEqual([]);
    expect(tcpSockets()).toBeLessThanOrEqual(sockets);
    router.close(); // idempotent
  });

  it("a call in flight when close() is called rejects with router-closed at once, and is not retried", async () => {
    const { router } = make({ attemptTimeoutMs: 60_000 });
    local.ep.inject({ modelId: HAIKU.invokeId, fault: "hang" });
    const pending = router.converse({ task: "summarization", messages: messages(), deadlineMs: 60_000 });
    while (wire(local.ep).length === 0) await new Promise((r) => setTimeout(r, 5));
    const started = Date.now();
    router.close();
    const e = await failure(pending);
    expect(e.classification.cause).toBe("router-closed");
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(wire(local.ep).map(([id]) => id)).toEqual([HAIKU.invokeId]);
    // No breaker verdict for the model: closing says nothing about it.
    expect(router.breakers().find((b) => b.invokeId === HAIKU.invokeId)?.consecutiveFailures ?? 0).toBe(0);
  });

  it("an open stream ends with router-closed when the router closes", async () => {
    const { router } = make();
    const s = await router.converseStream({ task: "chat", messages: messages() });
    router.close();
    await expect(s.result).rejects.toMatchObject({ classification: { cause: "router-closed" } });
  });
});

describe("breaker verdicts of stragglers", () => {
  it("a call admitted before the breaker opened does not close it when it succeeds late", async () => {
    // One model, one wire call per request: the slow call is admitted first, three fast throttles open the breaker.
    const { router } = make({ maxAttempts: 1, breaker: { failureThreshold: 3, probeIntervalMs: 30_000 } });
    // Slow enough that three fast calls finish first even on a loaded machine (checked, not assumed).
    local.ep.configure({ latencyMs: 4_000 });
    let slowDone = false;
    const slow = router.converse({ task: "chat", messages: messages(), deadlineMs: 30_000 }).finally(() => (slowDone = true));
    while (wire(local.ep).length === 0) await new Promise((r) => setTimeout(r, 5));
    local.ep.configure({ latencyMs: 0 });
    local.ep.inject({ modelId: HAIKU.invokeId, fault: "throttle", times: 3 });
    for (let i = 0; i < 3; i++) await failure(router.converse({ task: "chat", messages: messages() }));
    expect(slowDone).toBe(false);
    expect(router.breakers().find((b) => b.invokeId === HAIKU.invokeId)).toMatchObject({ state: "open" });
    const late = await slow;
    expect(late.servedBy).toEqual(HAIKU);
    // The late success was admitted in the breaker's previous generation: the breaker stays open.
    expect(router.breakers().find((b) => b.invokeId === HAIKU.invokeId)).toMatchObject({ state: "open", consecutiveFailures: 3 });
    local.ep.clearCalls();
    const refused = await failure(router.converse({ task: "chat", messages: messages(), deadlineMs: 1_000 }));
    expect(refused.details.routerCause).toBe("all-candidates-cooling");
    expect(wire(local.ep)).toEqual([]);
  });
});

describe("connection failures over HTTP/2 are capacity errors (the cause chain decides)", () => {
  it("ECONNREFUSED through the real SDK: retried and fallen back to the end, counted by the breaker", async () => {
    const port = await closedPort();
    const { router } = make({ endpointUrl: `http://127.0.0.1:${port}`, breaker: { failureThreshold: 1, probeIntervalMs: 30_000 } });
    const e = await failure(router.converse({ task: "summarization", messages: messages(), deadlineMs: 20_000 }));
    expect(e.classification).toMatchObject({ category: "capacity", cause: "connection", errorName: "ECONNREFUSED", retryable: true });
    expect(e.classification.hint).toMatch(/connection to Bedrock failed \(ECONNREFUSED\)/);
    // The outer error is the SDK's HTTP/2 wrapper (plain Node: socket error as its cause; under jest's realm the SDK
    // flattens it to text, which the classifier reads as a last resort; both shapes are unit-tested in core).
    expect(String((e.details.cause as Error).message)).toMatch(/pending stream has been canceled/);
    expect(e.details.routerCause).toBe("attempts-exhausted");
    expect(e.details.attempts).toBeGreaterThan(1);
    expect(router.breakers().find((b) => b.invokeId === HAIKU.invokeId)).toMatchObject({ state: "open" });
  });
});

describe("ModelStreamErrorException", () => {
  it("before the first content is retryable: the stream falls back and completes", async () => {
    const { router } = make();
    local.ep.inject({ modelId: HAIKU.invokeId, fault: "stream-exception", exceptionType: "modelStreamErrorException", deltasBefore: 0, times: 1 });
    const s = await router.converseStream({ task: "summarization", messages: messages() });
    expect(s).toMatchObject({ servedBy: NOVA, fellBack: true, attempts: 2 });
    for await (const _ of s) void _;
    expect((await s.result).stopReason).toBe("end_turn");
    expect(router.breakers().find((b) => b.invokeId === HAIKU.invokeId)?.consecutiveFailures).toBe(1);
  });

  it("after the first content the stream fails, classified as a model error, not re-issued", async () => {
    const { router } = make();
    local.ep.inject({ modelId: HAIKU.invokeId, fault: "stream-exception", exceptionType: "modelStreamErrorException", deltasBefore: 2, times: 1 });
    const s = await router.converseStream({ task: "summarization", messages: messages() });
    const e = await failure(
      (async () => {
        for await (const _ of s) void _;
      })(),
    );
    expect(e.classification).toMatchObject({ category: "model", cause: "model-error" });
    expect(wire(local.ep).map(([id]) => id)).toEqual([HAIKU.invokeId]);
  });
});
