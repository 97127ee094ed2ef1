/**
 * Quota benchmark: the router against a naive "try the primary, then the fallback" loop, on the local endpoint's quota
 * mode (per-model TPM buckets with Bedrock's reservation and burndown, a latency model, outage windows), time-compressed
 * so a quota-minute lasts a few seconds. Both contenders use the same SDK client settings (retries off), attempt
 * budget, backoff and deadline; the router's own timers are scaled by the same factor as the stand-in's time.
 *
 * Four scenarios, open-loop Poisson arrivals (seeded, the same for every contender), a primary (Claude Haiku 4.5,
 * burndown 5) and one fallback (Nova Lite), 1,000 input tokens, maxTokens 512, 256 output tokens
 * (scripts/bench-quota/scenarios.ts):
 *   steady   primary quota covers half the offered load, the fallback the rest with headroom
 *   outage   the primary answers 503 for the middle third of the run
 *   burst    three times the base load for the middle minute of three
 *   maxtok   the same load with maxTokens set (512) and unset (the model maximum is reserved)
 *
 * Fleet mode (`--fleet N`): the same traffic dealt round-robin to N routers sharing the quota, each scenario run
 * without a quota store (each router on its own estimate), with one (a real redis-server started on a free loopback
 * port, flushed before each row), and with the store killed (SIGKILL) halfway through; `--processes` runs each router
 * in a process of its own. Targets with the store: served >= 99%, <= 1.1 wire calls per success, 429s < 5% of wire calls
 * in steady overload; with the store killed, no worse than the fleet without a store.
 *
 * Figures are in stand-in time (wall-clock ms × compression). Each router figure is printed with its target, `within`
 * or `OVER` (exit policy: scripts/bench-policy.ts: exit 0, --check exits 1 on a miss).
 *
 * Run: npm run bench:quota [-- --scenario steady|outage|burst|maxtok] [--compression 10] [--seed 1]
 *                          [--fleet 8 [--processes]] [--check]
 */
import { parseCommandLine } from "../cli/command-line";
import { benchArgs, BenchReport, runBench } from "./bench-policy";
import { startEndpointProcess } from "./endpoint-process";
import { startRedisServer, type RedisServer } from "./redis-server";
import { report } from "./bench-quota/report";
import { run, type BenchEnv, type Row, type RunFigures } from "./bench-quota/run";
import { FALLBACK, INPUT_TOKENS, MAX_TOKENS, OUTPUT_TOKENS, PRIMARY, SCENARIOS, type Scenario } from "./bench-quota/scenarios";

/** The rows of one scenario: its single-router contenders, or the fleet's. */
function rowsFor(sc: Scenario, fleet: number | undefined, processes: boolean): Row[] {
  if (fleet === undefined) {
    return sc.contenders.map((c) => ({
      label: c,
      kind: c.startsWith("router") ? ("router" as const) : ("naive" as const),
      withQuota: c === "router",
      unsetMaxTokens: c === "naive, maxTokens unset",
      instances: 1,
      store: "none" as const,
      processes: false,
    }));
  }
  const where = processes ? " (processes)" : "";
  const fleetRow = (label: string, store: Row["store"], withQuota = true): Row => ({ label: `${fleet} routers, ${label}${where}`, kind: "router", withQuota, instances: fleet, store, processes });
  return [
    fleetRow("no store", "none"),
    fleetRow("shared store", "shared"),
    ...(sc.max429Share !== undefined ? [fleetRow("shared, learned", "shared", false)] : []),
    fleetRow("store killed", "killed"),
  ];
}

function positiveInt(raw: string | undefined, flag: string, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max) throw new Error(`${flag} must be a whole number from 1 to ${max}, got ${raw}`);
  return Number(raw);
}

async function main(): Promise<number> {
  const { check, rest } = benchArgs();
  const { values } = parseCommandLine({
    args: rest,
    options: {
      scenario: { type: "string" },
      compression: { type: "string", default: "10" },
      seed: { type: "string", default: "1" },
      fleet: { type: "string" },
      processes: { type: "boolean", default: false },
    },
  });
  const compression = Number(values.compression);
  const seed = Number(values.seed);
  if (!(compression >= 1 && compression <= 100)) throw new Error(`--compression must be within 1..100, got ${values.compression}`);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${values.seed}`);
  const fleet = positiveInt(values.fleet, "--fleet", 32);
  if (values.processes && fleet === undefined) throw new Error("--processes needs --fleet N");
  const chosen = values.scenario === undefined ? SCENARIOS : SCENARIOS.filter((s) => s.name === values.scenario);
  if (chosen.length === 0) throw new Error(`--scenario must be one of ${SCENARIOS.map((s) => s.name).join(", ")}`);

  console.log(
    `quota benchmark: ${PRIMARY.modelId} (burndown ${PRIMARY.outputBurndown}) then ${FALLBACK.modelId}; ${INPUT_TOKENS} input tokens, maxTokens ${MAX_TOKENS}, ${OUTPUT_TOKENS} output tokens; ` +
      `runs of 3 stand-in minutes (the outage 6) at x${compression}; figures in stand-in ms; seed ${seed}` +
      (fleet ? `; a fleet of ${fleet} routers${values.processes ? ", one process each" : " in this process"}, traffic dealt round-robin` : ""),
  );
  const bench = new BenchReport(check);
  const ep = await startEndpointProcess();
  let redis: RedisServer | undefined;
  try {
    if (fleet) redis = await startRedisServer();
    const env: BenchEnv = { ep, redis, compression, seed };
    for (const sc of chosen) {
      const rows: Array<[Row, RunFigures]> = [];
      for (const row of rowsFor(sc, fleet, values.processes === true)) rows.push([row, await run(env, sc, row)]);
      report(sc, rows, compression, bench);
    }
  } finally {
    ep.close();
    await redis?.stop();
  }
  return bench.finish();
}

runBench(main);
