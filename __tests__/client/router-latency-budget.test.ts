import type { RoutingDocument } from "../../core/runtime";
import { callBudgetMs } from "../../client/call-budget";
import { RoutingError } from "../../client/routing-error";
import { HAIKU, NOVA } from "../fixtures";
import { FakeClock, testDocument, useLocalEndpoint, wire, type Harness } from "./fixtures";

// A route's latency budget (docs/fleet-quota.md, "Latency budgets per route") against the stand-in's quota mode, on one
// manual clock: `maxQueueMs` bounds the time a call waits for capacity (exceeded: refused at once, nothing sent),
// `deadlineMs` replaces the router's default deadline, and a caller's shorter deadline still wins.

/** 4,000 characters: 1,000 input tokens for the stand-in and for the router's estimate. */
const THOUSAND = [{ role: "user" as const, content: [{ text: "q".repeat(4000) }] }];

let clock: FakeClock;
const local = useLocalEndpoint({ quotaClock: () => clock.now() });
beforeEach(() => {
  clock = new FakeClock();
  // Two calls' charges (2 × 1,256) fit Haiku's 3,000; the third call's 1,512 reservation has room after 20,480 ms.
  local.ep.setQuotaMode({ models: [{ modelId: HAIKU.invokeId, tokensPerMinute: 3000, outputTokens: 256 }] });
});

/** Route "quota" on Haiku alone (Nova disabled), maxTokens 512, the document knowing Haiku's quota, with `budget`. */
function documentWith(budget: { deadlineMs?: number; maxQueueMs?: number }): RoutingDocument {
  return testDocument((d) => {
    d.routes.quota = { primary: HAIKU.modelId, fallbacks: [NOVA.modelId], maxTokens: 512, ...budget };
    d.models[HAIKU.modelId].quota = { tokensPerMinute: 3000, outputBurndown: 1 };
    d.models[NOVA.modelId].enabled = false;
  });
}

function make(document: RoutingDocument): Harness {
  return local.make({ clock, document, backoff: { baseMs: 100, capMs: 30_000 } });
}

/** Spends the quota so that the next call must wait 20,480 ms for room. */
async function exhaust(h: Harness): Promise<void> {
  await h.router.converse({ task: "quota", messages: THOUSAND });
  await h.router.converse({ task: "quota", messages: THOUSAND });
  local.ep.clearCalls();
  clock.sleeps.length = 0;
}

async function refusal(p: Promise<unknown>): Promise<RoutingError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(RoutingError);
  return e as RoutingError;
}

describe("maxQueueMs", () => {
  it("a call that would wait longer fails at once: capacity, queue-budget-exceeded, the refused wait, nothing sent", async () => {
    const h = make(documentWith({ maxQueueMs: 5_000 }));
    await exhaust(h);
    const started = clock.now();
    const e = await refusal(h.router.converse({ task: "quota", messages: THOUSAND }));
    expect(e.classification).toMatchObject({ category: "capacity", cause: "queue-budget-exceeded", retryable: true });
    expect(e.details).toMatchObject({ routerCause: "queue-budget-exceeded", retryAfterMs: 20_480, attempts: 0 });
    expect(e.message).toBe("quota: would wait 20480 ms for quota room, beyond the route's maxQueueMs of 5000 ms (0 ms waited, 0 attempts)");
    expect(clock.now() - started).toBe(0);
    expect(clock.sleeps).toEqual([]);
    expect(wire(local.ep)).toEqual([]);
    // Recorded as a failed capacity call of the route, like any other.
    expect(h.records.at(-1)).toMatchObject({ Task: "quota", Outcome: "capacity", Cause: "queue-budget-exceeded" });
  });

  it("a wait within the budget is taken, and the call is served", async () => {
    const h = make(documentWith({ maxQueueMs: 30_000 }));
    await exhaust(h);
    expect((await h.router.converse({ task: "quota", messages: THOUSAND })).servedBy).toEqual(HAIKU);
    expect(clock.sleeps).toEqual([20_480]);
  });

  it("0: never waits, but a call with room goes through", async () => {
    const h = make(documentWith({ maxQueueMs: 0 }));
    expect((await h.router.converse({ task: "quota", messages: THOUSAND })).servedBy).toEqual(HAIKU);
    await h.router.converse({ task: "quota", messages: THOUSAND });
    const e = await refusal(h.router.converse({ task: "quota", messages: THOUSAND }));
    expect(e.classification.cause).toBe("queue-budget-exceeded");
  });

  it("waits add up across a call: a backoff after a failed pass counts against the same budget", async () => {
    // Haiku is throttled on every call: each pass backs off (or waits for the room the throttle took), and the waits
    // exhaust a 150 ms budget long before ten attempts.
    local.ep.setQuotaMode(undefined);
    local.ep.inject({ modelId: HAIKU.invokeId, fault: "throttle" });
    const h = local.make({ clock, document: documentWith({ maxQueueMs: 150 }), backoff: { baseMs: 100, capMs: 1000 }, maxAttempts: 10 });
    const e = await refusal(h.router.converse({ task: "quota", messages: THOUSAND }));
    expect(e.classification.cause).toBe("queue-budget-exceeded");
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(150);
  });

  it("streams obey it too", async () => {
    const h = make(documentWith({ maxQueueMs: 1_000 }));
    await exhaust(h);
    const e = await refusal(h.router.converseStream({ task: "quota", messages: THOUSAND }));
    expect(e.classification.cause).toBe("queue-budget-exceeded");
    expect(wire(local.ep)).toEqual([]);
  });

  it("without it (today's behaviour) the call waits for room", async () => {
    const h = make(documentWith({}));
    await exhaust(h);
    expect((await h.router.converse({ task: "quota", messages: THOUSAND })).servedBy).toEqual(HAIKU);
    expect(clock.sleeps).toEqual([20_480]);
  });
});

describe("deadlineMs", () => {
  it("the route's deadline bounds the call: no wait past it, failed for capacity within it", async () => {
    const h = make(documentWith({ deadlineMs: 10_000 }));
    await exhaust(h);
    const started = clock.now();
    const e = await refusal(h.router.converse({ task: "quota", messages: THOUSAND }));
    expect(e.category).toBe("capacity");
    expect(clock.now() - started).toBeLessThanOrEqual(10_000);
  });

  it("a longer route deadline than the router's default lets the call wait for room", async () => {
    const h = local.make({ clock, document: documentWith({ deadlineMs: 60_000 }), backoff: { baseMs: 100, capMs: 30_000 }, deadlineMs: 5_000 });
    await exhaust(h);
    expect((await h.router.converse({ task: "quota", messages: THOUSAND })).servedBy).toEqual(HAIKU);
    expect(clock.sleeps).toEqual([20_480]);
  });

  it.each<[string, number | undefined, number | undefined, number]>([
    ["neither: the router's", undefined, undefined, 120_000],
    ["the caller's alone", 5_000, undefined, 5_000],
    ["the route's alone, even above the router's", undefined, 300_000, 300_000],
    ["the caller's when shorter", 5_000, 20_000, 5_000],
    ["the route's when the caller asks for longer", 50_000, 20_000, 20_000],
  ])("call budget: %s", (_case, caller, route, expected) => {
    expect(callBudgetMs(caller, route, 120_000)).toBe(expected);
  });
});
