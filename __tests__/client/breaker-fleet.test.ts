import { CircuitBreakers, type BreakerFleet, type FleetControlledBreakers } from "../../client/circuit-breaker";

// The breakers' side of a shared opening (client/circuit-breaker.ts with a BreakerFleet): what they tell the fleet,
// and what they do with the fleet's word. The fleet here is a recording stand-in; the store's side is in
// fleet-script.test.ts and the two together in fleet-routing.test.ts.

const M = "us.model-a";
const opts = { failureThreshold: 3, probeIntervalMs: 1000 };

function recordingFleet() {
  const events: string[] = [];
  let probedElsewhere = false;
  let bound: FleetControlledBreakers | undefined;
  const fleet: BreakerFleet = {
    bind: (b) => (bound = b),
    opened: (key, until) => void events.push(`opened ${key} until ${until}`),
    closed: (key) => void events.push(`closed ${key}`),
    probedElsewhere: () => probedElsewhere,
  };
  return {
    fleet,
    events,
    control: () => bound!,
    setProbedElsewhere: (v: boolean) => (probedElsewhere = v),
  };
}

describe("CircuitBreakers with a fleet", () => {
  it("tells the fleet when it opens (threshold or failed probe) and when its probe succeeds", () => {
    const f = recordingFleet();
    const b = new CircuitBreakers(opts, f.fleet);
    for (let i = 0; i < 3; i++) b.failure(M, 100);
    expect(f.events).toEqual([`opened ${M} until 1100`]);
    b.admit(M, 1100);
    b.failure(M, 1100);
    expect(f.events).toEqual([`opened ${M} until 1100`, `opened ${M} until 2100`]);
    b.admit(M, 2100);
    b.success(M);
    expect(f.events.at(-1)).toBe(`closed ${M}`);
    // A success while closed is no news.
    b.success(M);
    expect(f.events.filter((e) => e.startsWith("closed"))).toHaveLength(1);
  });

  it("another instance's opening stops this one's calls at once, without a failure of its own", () => {
    const f = recordingFleet();
    const b = new CircuitBreakers(opts, f.fleet);
    f.setProbedElsewhere(true);
    f.control().openedElsewhere(M, 5000);
    expect(b.available(M, 10)).toBe(false);
    expect(b.admit(M, 10)).toBeUndefined();
    expect(b.view(M, 10)).toMatchObject({ state: "open", openUntil: 5000, openedElsewhere: true, consecutiveFailures: 0 });
    // It never announces an opening it did not make.
    expect(f.events).toEqual([]);
  });

  it("leaves the probe to the prober: waits one more interval for its verdict, then probes itself (the prober may be gone)", () => {
    const f = recordingFleet();
    const b = new CircuitBreakers(opts, f.fleet);
    f.setProbedElsewhere(true);
    f.control().openedElsewhere(M, 5000);
    expect(b.admit(M, 5000)).toBeUndefined();
    expect(b.view(M, 5000).state).toBe("open");
    expect(b.earliestRecovery([M], 5000)).toBe(6000);
    expect(b.admit(M, 5999)).toBeUndefined();
    // Past the grace, its own breaker decides: one probe.
    expect(b.admit(M, 6000)).toBeDefined();
    expect(b.admit(M, 6000)).toBeUndefined();
  });

  it("probes at once when the fleet no longer vouches for a prober (store degraded, opening stale)", () => {
    const f = recordingFleet();
    const b = new CircuitBreakers(opts, f.fleet);
    f.setProbedElsewhere(true);
    f.control().openedElsewhere(M, 5000);
    f.setProbedElsewhere(false);
    expect(b.view(M, 5000).state).toBe("half-open");
    expect(b.admit(M, 5000)).toBeDefined();
  });

  it("the prober's success closes it here too; stragglers admitted before the opening cannot close or re-open it", () => {
    const f = recordingFleet();
    const b = new CircuitBreakers(opts, f.fleet);
    const straggler = b.admit(M, 0)!;
    f.setProbedElsewhere(true);
    f.control().openedElsewhere(M, 5000);
    b.success(M, straggler);
    expect(b.view(M, 10).state).toBe("open");
    b.failure(M, 10, straggler);
    expect(b.view(M, 10)).toMatchObject({ state: "open", openUntil: 5000 });
    f.control().closedElsewhere(M);
    expect(b.view(M, 10)).toMatchObject({ state: "closed", consecutiveFailures: 0 });
    expect(b.view(M, 10).openedElsewhere).toBeUndefined();
    expect(b.admit(M, 10)).toBeDefined();
  });

  it("a closing from the fleet does not touch an opening of its own, nor its probe in flight", () => {
    const f = recordingFleet();
    const b = new CircuitBreakers(opts, f.fleet);
    for (let i = 0; i < 3; i++) b.failure(M, 0);
    f.control().closedElsewhere(M);
    expect(b.view(M, 10).state).toBe("open");
    b.admit(M, 1000);
    f.control().openedElsewhere(M, 9000);
    f.control().closedElsewhere(M);
    expect(b.view(M, 1000)).toMatchObject({ state: "half-open", probeInFlight: true });
  });

  it("another instance's later opening moves a remote opening's end", () => {
    const f = recordingFleet();
    const b = new CircuitBreakers(opts, f.fleet);
    f.setProbedElsewhere(true);
    f.control().openedElsewhere(M, 5000);
    f.control().openedElsewhere(M, 7000);
    expect(b.view(M, 10)).toMatchObject({ state: "open", openUntil: 7000 });
  });
});
