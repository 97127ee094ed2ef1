/**
 * bench:quota's printout: per scenario a table of every row (no verdicts), then each judged figure against its target,
 * `within` or `OVER` (scripts/bench-policy.ts).
 */
import type { BenchReport } from "../bench-policy";
import type { Row, RunFigures } from "./run";
import { ceilingPerMinute, charge, FALLBACK, MINUTE, ownLatency, PRIMARY, type Scenario } from "./scenarios";

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const num = (x: number) => Math.round(x).toLocaleString("en-US");

/** Served, wire calls per success and 429s as shares. */
const shares = (f: RunFigures) => ({ served: f.served / f.offered, calls: f.wireCalls / Math.max(1, f.served), throttles: f.throttles / Math.max(1, f.wireCalls) });

function table(sc: Scenario, rows: ReadonlyArray<[Row, RunFigures]>, compression: number): void {
  const width = Math.max(24, ...rows.map(([r]) => r.label.length + 2));
  console.log(`${sc.title}; ${sc.runMs / MINUTE} minutes (${(sc.runMs / compression / 1000).toFixed(0)} s at x${compression})`);
  console.log(
    `  primary TPM ${num(sc.primaryTpm)} (${num(sc.primaryTpm / charge(PRIMARY))} req/min at ${num(charge(PRIMARY))} tokens), fallback TPM ${num(sc.fallbackTpm)} (${num(sc.fallbackTpm / charge(FALLBACK))} req/min at ${num(charge(FALLBACK))}); ceiling ${num(ceilingPerMinute(sc))} req/min`,
  );
  console.log(
    `  ${"contender".padEnd(width)}${"offered".padStart(8)}${"served".padStart(9)}${"goodput".padStart(9)}${"calls/ok".padStart(10)}${"429s (share)".padStart(15)}${"p50 ms".padStart(8)}${"p99 ms".padStart(9)}${"fallback".padStart(10)}${sc.outage ? "  primary back after" : ""}`,
  );
  for (const [row, f] of rows) {
    const r = shares(f);
    const cols = [
      row.label.padEnd(width),
      String(f.offered).padStart(8),
      pct(r.served).padStart(9),
      pct(f.goodput).padStart(9),
      r.calls.toFixed(2).padStart(10),
      `${f.throttles} (${pct(r.throttles)})`.padStart(15),
      num(f.p50).padStart(8),
      num(f.p99).padStart(9),
      pct(f.fallbackShare).padStart(10),
      ...(f.recoveryMs !== undefined ? [`  ${(f.recoveryMs / 1000).toFixed(1)} s`] : []),
    ];
    console.log(`  ${cols.join("")}`);
    const notes = [...(f.failures.size ? [`failed: ${[...f.failures].map(([c, n]) => `${c} ${n}`).join(", ")}`] : []), ...(f.degraded !== undefined ? [`routers that saw the store degraded: ${f.degraded}`] : [])];
    if (notes.length) console.log(`  ${"".padEnd(width)}${notes.join("; ")}`);
  }
}

/** The targets one router (or, with the store, a fleet) must meet in every scenario. */
function judgeRouter(sc: Scenario, name: string, f: RunFigures, callsTarget: number, judge429: boolean, bench: BenchReport): void {
  const r = shares(f);
  const slower = Math.max(ownLatency(PRIMARY), ownLatency(FALLBACK));
  const label = (what: string) => `${sc.name} ${name}: ${what}`;
  bench.figure({ label: label("served"), value: 100 * r.served, target: 99, bound: ">=", format: (x) => `${x.toFixed(1)}%` });
  bench.figure({ label: label("calls per success"), value: r.calls, target: callsTarget, bound: "<=", format: (x) => x.toFixed(2) });
  bench.figure({ label: label("p99"), value: f.p99, target: 2 * slower, bound: "<=", format: (x) => `${num(x)} ms`, note: `2x the slower model's own ${num(slower)} ms` });
  // The 429 target assumes the applied quota is known (the document's); a learned one is shown, not judged.
  if (judge429 && sc.max429Share !== undefined)
    bench.figure({ label: label("429s of wire calls"), value: 100 * r.throttles, target: 100 * sc.max429Share, bound: "<=", format: (x) => `${x.toFixed(1)}%`, note: `at ${pct(f.goodput)} goodput` });
  if (f.recoveryMs !== undefined && sc.outage) {
    const outageMs = sc.outage.endMs - sc.outage.startMs;
    bench.figure({ label: label("primary back after"), value: f.recoveryMs / 1000, target: outageMs / 10 / 1000, bound: "<=", format: (x) => `${x.toFixed(1)} s`, note: "10% of the outage" });
  }
}

/** The scenario's table, then every judged figure: single routers as before; fleets with the store against the issue's targets. */
export function report(sc: Scenario, rows: ReadonlyArray<[Row, RunFigures]>, compression: number, bench: BenchReport): void {
  table(sc, rows, compression);
  const alone = rows.find(([r]) => r.kind === "router" && r.instances > 1 && r.store === "none" && r.withQuota)?.[1];
  for (const [row, f] of rows) {
    if (row.kind !== "router") continue;
    if (row.instances === 1) judgeRouter(sc, row.withQuota ? "router" : "learned", f, 1.3, row.withQuota, bench);
    else if (row.store === "shared") judgeRouter(sc, `${row.instances} shared${row.withQuota ? "" : ", learned"}`, f, row.withQuota ? 1.1 : 1.3, row.withQuota, bench);
    else if (row.store === "killed" && alone) {
      // Never worse than alone: the store's death costs the fleet what it had, not a call more.
      const served = shares(f).served;
      bench.figure({ label: `${sc.name} ${row.instances} store killed: served`, value: 100 * served, target: Math.min(99, (100 * alone.served) / alone.offered), bound: ">=", format: (x) => `${x.toFixed(1)}%`, note: "vs the fleet without a store" });
      const failed = [...f.failures.values()].reduce((a, b) => a + b, 0);
      const aloneFailed = [...alone.failures.values()].reduce((a, b) => a + b, 0);
      bench.figure({ label: `${sc.name} ${row.instances} store killed: failed`, value: failed, target: aloneFailed, bound: "<=", format: (x) => String(x), note: "failed calls, vs the fleet without a store" });
    }
  }
}
