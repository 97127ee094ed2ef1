/**
 * One router of bench:quota's fleet in a process of its own (`--processes`): forked by scripts/bench-quota/fleet.ts,
 * driven over IPC. It builds its router from the spec, warms its connection, plays its share of the arrivals from the
 * given start and sends the outcomes back; it exits when the parent disconnects.
 */
import { fork, type ChildProcess } from "node:child_process";
import { playArrivals, routerSender, type Outcome, type RouterSpec } from "./senders";

type ToWorker = { op: "warm"; spec: RouterSpec; instance: number } | { op: "play"; times: number[]; start: number; offset: number; stride: number } | { op: "close" };
type FromWorker = { op: "ready" } | { op: "warmed" } | { op: "played"; outcomes: Array<[number, Outcome]> } | { op: "error"; message: string };

/** The parent's handle on one worker. */
export interface FleetWorker {
  warm(spec: RouterSpec, instance: number): Promise<void>;
  play(times: readonly number[], start: number, offset: number, stride: number): Promise<Array<[number, Outcome]>>;
  close(): void;
}

export function startFleetWorker(): Promise<FleetWorker> {
  const child: ChildProcess = fork(__filename, [], { execArgv: ["-r", require.resolve("../../cli/transpile-cache.js")], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  let waiting: { op: FromWorker["op"]; resolve: (m: FromWorker) => void; reject: (e: Error) => void } | undefined;
  const ask = <T extends FromWorker>(msg: ToWorker, reply: T["op"]): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      waiting = { op: reply, resolve: resolve as (m: FromWorker) => void, reject };
      child.send(msg);
    });
  child.on("message", (m: FromWorker) => {
    const w = waiting;
    if (!w) return;
    waiting = undefined;
    if (m.op === "error") w.reject(new Error(`fleet worker: ${m.message}`));
    else w.resolve(m);
  });
  child.once("exit", (code) => waiting?.reject(new Error(`fleet worker exited with ${code}`)));
  return new Promise((resolve, reject) => {
    waiting = {
      op: "ready",
      resolve: () =>
        resolve({
          warm: async (spec, instance) => void (await ask({ op: "warm", spec, instance }, "warmed")),
          play: async (times, start, offset, stride) => (await ask<Extract<FromWorker, { op: "played" }>>({ op: "play", times: [...times], start, offset, stride }, "played")).outcomes,
          close: () => {
            if (child.connected) child.send({ op: "close" });
            child.disconnect?.();
          },
        }),
      reject,
    };
  });
}

async function serve(): Promise<void> {
  let router: ReturnType<typeof routerSender> | undefined;
  let compression = 1;
  const reply = (m: FromWorker) => process.send!(m);
  process.on("message", (m: ToWorker) => {
    void (async () => {
      try {
        if (m.op === "warm") {
          compression = m.spec.compression;
          router = routerSender(m.spec, m.instance);
          await router.send().catch(() => undefined);
          reply({ op: "warmed" });
        } else if (m.op === "play") {
          reply({ op: "played", outcomes: await playArrivals([router!.send], m.times, m.start, compression, { offset: m.offset, stride: m.stride }) });
        } else {
          router?.close();
          process.exit(0);
        }
      } catch (e) {
        reply({ op: "error", message: e instanceof Error ? e.message : String(e) });
      }
    })();
  });
  process.once("disconnect", () => {
    router?.close();
    process.exit(0);
  });
  reply({ op: "ready" });
}

if (require.main === module) void serve();
