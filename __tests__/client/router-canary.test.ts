import { canaryBucket, chooseVariant } from "../../client/canary-split";
import { RoutingError, type RoutedResult } from "../../client/router";
import { HAIKU, MICRO, NOVA } from "../fixtures";
import { messages, testDocument, useLocalEndpoint, wire } from "./fixtures";

// A route's canary over the wire (real SDK client, local endpoint): the split, stickiness per request key,
// the order a canary call tries, and a canary's failure falling back to the route's own order.

const local = useLocalEndpoint();
const make = local.make;

/** chat (primary Haiku, no fallbacks) canaries Nova Micro; summarization (Haiku, then Nova Lite, Micro) canaries Nova Lite. */
const canaried = (percent: number, mutate: Parameters<typeof testDocument>[0] = () => undefined) =>
  testDocument((d) => {
    d.routes.chat.canary = { model: MICRO.modelId, percent };
    d.routes.summarization.canary = { model: NOVA.modelId, percent };
    mutate(d);
  });

/** `n` calls, `width` at a time (the endpoint answers in a few ms; a 2-core machine keeps up). */
async function calls(n: number, width: number, call: (i: number) => Promise<RoutedResult>): Promise<RoutedResult[]> {
  const out: RoutedResult[] = [];
  for (let i = 0; i < n; i += width) out.push(...(await Promise.all(Array.from({ length: Math.min(width, n - i) }, (_, j) => call(i + j)))));
  return out;
}

/** Binomial bounds at ±4 standard deviations: a correct split falls outside them about once in 16,000 runs. */
function bounds(n: number, p: number): [number, number] {
  const sigma = Math.sqrt(n * p * (1 - p));
  return [n * p - 4 * sigma, n * p + 4 * sigma];
}

describe("the canary split", () => {
  // Over the wire the split is checked on 400 calls (bounds 48-112 of 400 at 20%): each wire call costs the SDK's
  // signing and parsing, and 4,000 of them made this the suite's costliest file. The share itself is a pure function
  // of the draw or the key, checked on 2,000 keys below.
  it("sends the canary's share of 400 random calls to the canary model (within binomial bounds)", async () => {
    const { router } = make({ document: canaried(20), random: Math.random });
    const results = await calls(400, 25, () => router.converse({ task: "chat", messages: messages() }));
    const canary = results.filter((r) => r.variant === "canary");
    // The variant and the model that served agree call by call, and the wire saw exactly that many canary calls.
    expect(canary.every((r) => r.servedBy.modelId === MICRO.modelId && !r.fellBack)).toBe(true);
    expect(results.filter((r) => r.variant === "primary").every((r) => r.servedBy.modelId === HAIKU.modelId)).toBe(true);
    expect(wire(local.ep).filter(([id, status]) => id === MICRO.invokeId && status === 200).length).toBe(canary.length);
    const [low, high] = bounds(400, 0.2);
    expect(canary.length).toBeGreaterThanOrEqual(low);
    expect(canary.length).toBeLessThanOrEqual(high);
  });

  it("splits 2,000 distinct request keys by the share too, and the router takes each key's variant", async () => {
    const keys = Array.from({ length: 2000 }, (_, i) => `conversation-${i}`);
    const n = keys.filter((k) => chooseVariant("chat", 20, k, Math.random) === "canary").length;
    const [low, high] = bounds(2000, 0.2);
    expect(n).toBeGreaterThanOrEqual(low);
    expect(n).toBeLessThanOrEqual(high);
    const { router } = make({ document: canaried(20) });
    const sample = keys.slice(0, 200);
    const results = await calls(sample.length, 25, (i) => router.converse({ task: "chat", messages: messages(), requestKey: sample[i] }));
    expect(results.map((r) => r.variant)).toEqual(sample.map((k) => chooseVariant("chat", 20, k, Math.random)));
    expect(results.some((r) => r.variant === "canary")).toBe(true);
  });

  it("is sticky per request key: the same key takes the same variant every time, different keys spread", async () => {
    const { router } = make({ document: canaried(30), random: Math.random });
    const keys = Array.from({ length: 40 }, (_, i) => `user-${i * 7919}`);
    const seen = new Map<string, Set<string>>();
    for (let round = 0; round < 5; round++) {
      const results = await Promise.all(keys.map((requestKey) => router.converse({ task: "chat", messages: messages(), requestKey })));
      results.forEach((r, i) => {
        const s = seen.get(keys[i]) ?? new Set<string>();
        s.add(`${r.variant}:${r.servedBy.modelId}`);
        seen.set(keys[i], s);
      });
    }
    for (const s of seen.values()) expect(s.size).toBe(1);
    const variants = [...seen.values()].map((s) => [...s][0].split(":")[0]);
    expect(variants).toContain("canary");
    expect(variants).toContain("primary");
  });

  it("buckets a key per task, and the canary takes the lowest buckets (a raised share keeps its keys)", () => {
    const keys = Array.from({ length: 500 }, (_, i) => `k${i}`);
    const buckets = keys.map((k) => canaryBucket("chat", k));
    expect(buckets.every((b) => Number.isInteger(b) && b >= 0 && b < 100)).toBe(true);
    // The same key lands in unrelated buckets on different tasks.
    expect(keys.filter((k) => canaryBucket("chat", k) !== canaryBucket("summarization", k)).length).toBeGreaterThan(400);
    for (const k of keys) if (chooseVariant("chat", 10, k, Math.random) === "canary") expect(chooseVariant("chat", 40, k, Math.random)).toBe("canary");
  });

  it("without a key, draws from the injected random source: below the share is canary", async () => {
    expect(chooseVariant("chat", 20, undefined, () => 0.19)).toBe("canary");
    expect(chooseVariant("chat", 20, undefined, () => 0.2)).toBe("primary");
    const { router } = make({ document: canaried(20), random: () => 0.19 });
    expect((await router.converse({ task: "chat", messages: messages() })).variant).toBe("canary");
  });
});

describe("a canary call", () => {
  it("tries the canary, then the primary, then the fallbacks, each once (a canaried fallback is not repeated)", async () => {
    const { router } = make({ document: canaried(99), random: () => 0 });
    local.ep.inject({ modelId: NOVA.invokeId, fault: "throttle" });
    local.ep.inject({ modelId: HAIKU.invokeId, fault: "throttle" });
    const r = await router.converse({ task: "summarization", messages: messages() });
    expect(wire(local.ep)).toEqual([
      [NOVA.invokeId, 429],
      [HAIKU.invokeId, 429],
      [MICRO.invokeId, 200],
    ]);
    expect(r).toMatchObject({ variant: "canary", servedBy: MICRO, fellBack: true, attempts: 3 });
  });

  it("falls back to the route's own order when the canary fails for capacity, and records the variant", async () => {
    const { router, records } = make({ document: canaried(99), random: () => 0 });
    local.ep.inject({ modelId: MICRO.invokeId, fault: "server-error", status: 503 });
    const r = await router.converse({ task: "chat", messages: messages() });
    expect(wire(local.ep)).toEqual([
      [MICRO.invokeId, 503],
      [HAIKU.invokeId, 200],
    ]);
    expect(r).toMatchObject({ variant: "canary", servedBy: HAIKU, fellBack: true });
    expect(records.at(-1)).toMatchObject({ Task: "chat", Model: HAIKU.modelId, Variant: "canary", FellBack: "true", Outcome: "success" });
  });

  it("is not fallen back from on an error that is not capacity, like any candidate", async () => {
    const { router, records } = make({ document: canaried(99), random: () => 0 });
    local.ep.inject({ modelId: MICRO.invokeId, fault: "model-error" });
    const e = await router.converse({ task: "chat", messages: messages() }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(RoutingError);
    expect((e as RoutingError).details.modelId).toBe(MICRO.modelId);
    expect(wire(local.ep).map(([id]) => id)).toEqual([MICRO.invokeId]);
    expect(records.at(-1)).toMatchObject({ Model: MICRO.modelId, Variant: "canary", Outcome: "model" });
  });

  it("records variant primary for calls outside the share and on routes without a canary", async () => {
    const { router, records } = make({ document: canaried(20), random: () => 0.99 });
    const r = await router.converse({ task: "chat", messages: messages() });
    expect(r).toMatchObject({ variant: "primary", servedBy: HAIKU, fellBack: false });
    await router.converse({ task: "pair", messages: messages() });
    expect(records.map((x) => x.Variant)).toEqual(["primary", "primary"]);
  });

  it("a stream in the canary share is served by the canary and its record says so", async () => {
    const { router, records } = make({ document: canaried(99), random: () => 0 });
    const s = await router.converseStream({ task: "chat", messages: messages() });
    expect(s.variant).toBe("canary");
    for await (const _ of s) void _;
    const result = await s.result;
    expect(result).toMatchObject({ variant: "canary", servedBy: MICRO, fellBack: false });
    expect(records.at(-1)).toMatchObject({ Model: MICRO.modelId, Variant: "canary", Streaming: true, Outcome: "success" });
  });

  it("is not used while the canary's model is disabled in the document", async () => {
    const { router } = make({ document: canaried(99, (d) => (d.models[MICRO.modelId].enabled = false)), random: () => 0 });
    const results = await calls(20, 10, () => router.converse({ task: "chat", messages: messages() }));
    expect(results.every((r) => r.variant === "primary" && r.servedBy.modelId === HAIKU.modelId)).toBe(true);
    expect(wire(local.ep).some(([id]) => id === MICRO.invokeId)).toBe(false);
  });

  it("requestFor builds the canary's request like any candidate's; the default stays the primary", async () => {
    const { router } = make({ document: canaried(10) });
    expect((await router.requestFor("chat", { messages: messages() }, MICRO.modelId)).modelId).toBe(MICRO.invokeId);
    expect((await router.requestFor("chat", { messages: messages() })).modelId).toBe(HAIKU.invokeId);
  });

  it("never records the request key", async () => {
    const { router, records } = make({ document: canaried(50) });
    await router.converse({ task: "chat", messages: messages(), requestKey: "customer-4711-secret" });
    expect(JSON.stringify(records)).not.toContain("customer-4711-secret");
  });
});
