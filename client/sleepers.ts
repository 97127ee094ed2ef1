import type { Clock } from "./clock";

/**
 * The router's sleeping calls (backoff, waits for quota room or a recovery), which close() must wake at once. Each
 * sleep listens on a signal of its own that wakeAll() aborts: listening on one router-wide signal instead added a
 * listener per sleeping call, and past 10 of them (a throttle burst) Node printed MaxListenersExceededWarning
 * ("possible EventTarget memory leak", https://nodejs.org/api/events.html#eventsdefaultmaxlisteners). A sleep that
 * ends leaves nothing registered.
 */
export class Sleepers {
  private readonly pending = new Set<AbortController>();
  private woken = false;

  constructor(private readonly clock: Clock) {}

  /** Sleeps `ms` on the clock; returns early on wakeAll() or when `stop` aborts. */
  async sleep(ms: number, stop?: AbortSignal): Promise<void> {
    if (this.woken || stop?.aborted) return;
    const wake = new AbortController();
    const onStop = () => wake.abort();
    this.pending.add(wake);
    stop?.addEventListener("abort", onStop, { once: true });
    try {
      await this.clock.sleep(ms, wake.signal);
    } finally {
      this.pending.delete(wake);
      stop?.removeEventListener("abort", onStop);
    }
  }

  /** Final: wakes every sleep in progress, and later sleeps return at once. */
  wakeAll(): void {
    this.woken = true;
    for (const wake of this.pending) wake.abort();
    this.pending.clear();
  }

  /** Sleeps in progress. */
  get size(): number {
    return this.pending.size;
  }
}
