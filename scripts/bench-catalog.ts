/**
 * Catalog benchmark: `catalog:sync` of 6 regions against the local endpoint seeded with catalog/seed.json (the real SDK
 * clients over the wire, every page), and the size of the snapshot it writes and of the shipped one.
 *
 *   npm run bench:catalog [-- --check]
 *
 * Figures only (no target): sync wall time per run (min and median of 5, after one warm-up), bytes written. Exit
 * policy of every bench (scripts/bench-policy.ts): exit 0; --check fails only on a missed target, and there is none.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { CATALOG_DIR, SNAPSHOT_FILE } from "../cli/catalog-files";
import { syncCatalog } from "../cli/catalog-sync";
import { startLocalEndpoint } from "../local/endpoint";
import { benchArgs, BenchReport, runBench } from "./bench-policy";
import { readSeed, seedEndpoint } from "./catalog-seed";

const REGIONS = ["us-east-1", "us-west-2", "eu-central-1", "eu-west-1", "ap-northeast-1", "ap-southeast-2"];
const RUNS = 5;

async function main(report: BenchReport): Promise<number> {
  const seed = readSeed();
  const endpoint = await startLocalEndpoint();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-catalog-"));
  try {
    seedEndpoint(endpoint, seed, REGIONS);
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i <= RUNS; i++) {
      const file = path.join(dir, `snapshot-${i}.json`); // a fresh file each run: every run is a first sync
      const t0 = performance.now();
      const r = await syncCatalog({ regions: REGIONS, endpointUrl: endpoint.url, credentials: { accessKeyId: "local", secretAccessKey: "local" }, snapshotFile: file });
      const ms = performance.now() - t0;
      if (i > 0) times.push(ms); // run 0 warms up module loading and connections
      bytes = r.bytes;
    }
    times.sort((a, b) => a - b);
    const calls = endpoint.calls.length / (RUNS + 1);
    const shipped = fs.statSync(path.join(CATALOG_DIR, SNAPSHOT_FILE)).size;
    console.log(`catalog:sync, ${REGIONS.length} regions against the local endpoint (${calls} wire calls per sync), ${RUNS} runs:`);
    report.info("sync wall", `min ${times[0].toFixed(0)} ms, median ${times[Math.floor(times.length / 2)].toFixed(0)} ms (no target)`);
    report.info(`snapshot of ${REGIONS.length} regions`, `${bytes.toLocaleString("en-US")} bytes (no target)`);
    report.info("shipped catalog/snapshot.json", `${shipped.toLocaleString("en-US")} bytes, ${Object.keys(JSON.parse(fs.readFileSync(path.join(CATALOG_DIR, SNAPSHOT_FILE), "utf8")).regions).length} regions (no target)`);
    return report.finish();
  } finally {
    await endpoint.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

runBench(() => main(new BenchReport(benchArgs().check)));
