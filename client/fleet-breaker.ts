import type { BreakerFleet, FleetControlledBreakers } from "./circuit-breaker";
import type { FleetReply } from "./fleet-script";
import type { FleetSync, ModelState } from "./fleet-sync";

/*
 * Breaker openings shared through the quota store (the BreakerFleet the router's CircuitBreakers reports to). When an
 * instance's breaker opens, the store records the opening, its end and the instance as the one to probe; every other
 * instance learns it from its next reply (a call's update or the refresh timer), stops calling the model, and waits for
 * the prober's verdict instead of probing itself: one discovery of an outage spares the others their own failures and
 * probes. The prober's success closes the opening for everyone; its failure extends it. An opening whose prober has
 * not reported one probe interval after its turn is left to each instance's own breaker (the prober may be gone).
 */

export class FleetBreakers implements BreakerFleet {
  private breakers?: FleetControlledBreakers;

  constructor(
    private readonly sync: FleetSync,
    private readonly probeIntervalMs: number,
  ) {
    sync.onReply((m, r) => this.onReply(m, r));
  }

  bind(breakers: FleetControlledBreakers): void {
    this.breakers = breakers;
  }

  opened(key: string, until: number, now: number): void {
    const m = this.sync.model(key);
    m.lastUse = Math.max(m.lastUse, now);
    this.sync.enqueue(m, { op: "open", until });
  }

  closed(key: string): void {
    const m = this.sync.model(key);
    m.lastUse = Math.max(m.lastUse, this.sync.settings.now());
    this.sync.enqueue(m, { op: "close" });
  }

  probedElsewhere(key: string, now: number): boolean {
    if (!this.sync.up) return false;
    const b = this.sync.model(key).breaker;
    return b.until > 0 && !b.proberIsMe && b.generation > b.closedGeneration && now < b.until + this.probeIntervalMs;
  }

  private onReply(m: ModelState, r: FleetReply): void {
    const b = m.breaker;
    const now = this.sync.settings.now();
    if (r.breakerUntil === 0) {
      // The opening ended: its prober's probe succeeded. Replies still on their way about it are stale now.
      if (b.until > 0) {
        b.closedGeneration = Math.max(b.closedGeneration, r.breakerGeneration, b.generation);
        b.until = 0;
        b.proberIsMe = false;
        this.breakers?.closedElsewhere(m.invokeId);
      }
      return;
    }
    if (r.breakerGeneration <= b.closedGeneration) return;
    b.until = r.breakerUntil;
    b.proberIsMe = r.proberIsMe;
    b.generation = r.breakerGeneration;
    // An opening whose prober never reported is left to this instance's own breaker (probedElsewhere turns false).
    if (now >= r.breakerUntil + this.probeIntervalMs) return;
    m.lastUse = Math.max(m.lastUse, now);
    if (!r.proberIsMe) this.breakers?.openedElsewhere(m.invokeId, r.breakerUntil);
  }
}
