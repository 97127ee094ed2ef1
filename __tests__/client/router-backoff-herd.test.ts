import { setMaxListeners } from "node:events";
import { systemClock } from "../../client/clock";
import { Sleepers } from "../../client/sleepers";
import { HAIKU, NOVA, MICRO } from "../fixtures";
import { failure, messages, useLocalEndpoint } from "./fixtures";

// A throttle burst: many calls backing off at the same moment. Each sleeping call must be woken by close(), but
// listening on one router-wide signal per sleep made Node print MaxListenersExceededWarning past 10 sleepers (a
// "possible memory leak" line in every application under a burst), and nothing may stay registered once calls end.

const local = useLocalEndpoint();

/**
 * The most "abort" listeners any one AbortSignal held at once while `run` ran, and how many were still registered
 * when it ended. Node prints
 * MaxListenersExceededWarning when one EventTarget passes events.defaultMaxListeners (10) listeners of a type
 * (https://nodejs.org/api/events.html#eventsdefaultmaxlisteners); jest's sandboxed `process` does not receive the real
 * process's warnings, so the test counts what causes the warning instead of listening for it.
 */
async function abortListeners(run: () => Promise<void>): Promise<{ peak: number; remaining: number }> {
  const proto = EventTarget.prototype;
  const { addEventListener: add, removeEventListener: remove } = proto;
  const live = new Map<object, Set<unknown>>();
  let peak = 0;
  proto.addEventListener = function (this: EventTarget, type: string, listener: unknown, options?: unknown) {
    if (type === "abort" && listener) {
      const set = live.get(this) ?? new Set();
      live.set(this, set);
      set.add(listener);
      peak = Math.max(peak, set.size);
      // A once-listener leaves when it fires: count it out then too.
      if (typeof options === "object" && options && (options as { once?: boolean }).once) {
        const once = () => set.delete(listener);
        add.call(this, type, once, { once: true });
      }
    }
    return add.call(this, type, listener as Parameters<typeof add>[1], options as Parameters<typeof add>[2]);
  } as typeof proto.addEventListener;
  proto.removeEventListener = function (this: EventTarget, type: string, listener: unknown, options?: unknown) {
    if (type === "abort") live.get(this)?.delete(listener);
    return remove.call(this, type, listener as Parameters<typeof remove>[1], options as Parameters<typeof remove>[2]);
  } as typeof proto.removeEventListener;
  try {
    await run();
  } finally {
    proto.addEventListener = add;
    proto.removeEventListener = remove;
  }
  return { peak, remaining: [...live.values()].reduce((n, set) => n + set.size, 0) };
}

it("the counter sees listeners pile up on one signal (the checks below can fail)", async () => {
  const { peak, remaining } = await abortListeners(async () => {
    const shared = new AbortController();
    setMaxListeners(20, shared.signal); // this self-check piles up 11 on purpose: no warning in the run's output
    const listeners = Array.from({ length: 11 }, () => () => undefined);
    for (const l of listeners) shared.signal.addEventListener("abort", l);
    for (const l of listeners) shared.signal.removeEventListener("abort", l);
  });
  expect(peak).toBe(11);
  expect(remaining).toBe(0);
});

it("25 calls backing off at once hold no more than 10 abort listeners on any signal, and close() still wakes them at once", async () => {
  // Real clock, every model throttled: each call fails its first pass (three candidates) and backs off for ~2 s.
  for (const m of [HAIKU, NOVA, MICRO]) local.ep.inject({ modelId: m.invokeId, fault: "throttle" });
  const { router } = local.make({ clock: undefined, maxAttempts: 6, backoff: { baseMs: 2_000, capMs: 2_000 }, breaker: { failureThreshold: 1000 }, random: () => 0.99 });
  let settled: string[] = [];
  let wokeAfterMs = Number.POSITIVE_INFINITY;
  const { peak } = await abortListeners(async () => {
    const calls = Array.from({ length: 25 }, () => failure(router.converse({ task: "summarization", messages: messages() })));
    // Every call's first pass is on the wire (3 x 25 calls); then they all sleep in backoff together.
    for (const until = Date.now() + 60_000; local.ep.calls.length < 75 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    const closedAt = Date.now();
    router.close();
    settled = (await Promise.all(calls)).map((e) => e.details.routerCause ?? e.classification.cause);
    wokeAfterMs = Date.now() - closedAt;
  });
  expect(local.ep.calls.length).toBe(75);
  expect(peak).toBeLessThanOrEqual(10);
  expect(new Set(settled)).toEqual(new Set(["router-closed"]));
  // Woken by close(), not by the end of a 2 s backoff.
  expect(wokeAfterMs).toBeLessThan(1_500);
});

it("sleeps that end on their own leave no listener behind: 25 throttled calls run to attempts-exhausted, three times", async () => {
  for (const m of [HAIKU, NOVA, MICRO]) local.ep.inject({ modelId: m.invokeId, fault: "throttle" });
  const { router } = local.make({ clock: undefined, maxAttempts: 6, backoff: { baseMs: 20, capMs: 20 }, breaker: { failureThreshold: 1000 } });
  const { peak, remaining } = await abortListeners(async () => {
    for (let round = 0; round < 3; round++) {
      const errors = await Promise.all(Array.from({ length: 25 }, () => failure(router.converse({ task: "summarization", messages: messages() }))));
      expect(new Set(errors.map((e) => e.details.routerCause))).toEqual(new Set(["attempts-exhausted"]));
    }
  });
  expect(peak).toBeLessThanOrEqual(10);
  expect(remaining).toBe(0);
});

describe("Sleepers", () => {
  it("a sleep that ends on its own unregisters; wakeAll() ends those in progress at once and every later one", async () => {
    const sleepers = new Sleepers(systemClock);
    await sleepers.sleep(5);
    expect(sleepers.size).toBe(0);
    const started = Date.now();
    const long = Array.from({ length: 30 }, () => sleepers.sleep(60_000));
    expect(sleepers.size).toBe(30);
    sleepers.wakeAll();
    await Promise.all(long);
    expect(sleepers.size).toBe(0);
    await sleepers.sleep(60_000);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("a stop signal wakes its own sleep only, and the sleep leaves no listener on it", async () => {
    const sleepers = new Sleepers(systemClock);
    const stop = new AbortController();
    const { remaining } = await abortListeners(async () => {
      const mine = sleepers.sleep(60_000, stop.signal);
      let otherDone = false;
      const other = sleepers.sleep(60_000).then(() => (otherDone = true));
      stop.abort();
      await mine;
      expect(otherDone).toBe(false);
      sleepers.wakeAll();
      await other;
    });
    expect(remaining).toBe(0);
  });
});
