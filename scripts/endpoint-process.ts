/**
 * The local endpoint in a process of its own, driven over IPC by a benchmark, so its request handling and garbage
 * collection run on the other core instead of inside the measured calls. Loopback only (127.0.0.1, ephemeral port).
 */
import { fork } from "node:child_process";
import type { CallRecord } from "../local/call-log";
import type { LocalEndpointOptions, QuotaModeConfig } from "../local/endpoint";

type Request = { id: number; op: "setQuotaMode" | "calls" | "clearCalls"; config?: QuotaModeConfig };
type Reply = { id: number; value?: unknown; error?: string };

/** What the benchmark drives. */
export interface EndpointProcess {
  readonly url: string;
  setQuotaMode(config: QuotaModeConfig | undefined): Promise<void>;
  calls(): Promise<CallRecord[]>;
  clearCalls(): Promise<void>;
  close(): void;
}

/** Starts the child (this file, run as a script) and resolves once it listens. */
export function startEndpointProcess(options: Pick<LocalEndpointOptions, "verifySignatures"> = {}): Promise<EndpointProcess> {
  const child = fork(__filename, [JSON.stringify(options)], { execArgv: ["-r", require.resolve("../cli/transpile-cache.js")], stdio: ["ignore", "ignore", "inherit", "ipc"] });
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 0;
  const ask = <T>(req: Omit<Request, "id">): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = ++next;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ ...req, id });
    });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the endpoint process exited with ${code} before listening`)));
    child.on("message", (m: Reply | { url: string }) => {
      if ("url" in m) {
        resolve({
          url: m.url,
          setQuotaMode: (config) => ask({ op: "setQuotaMode", config }),
          calls: () => ask<CallRecord[]>({ op: "calls" }),
          clearCalls: () => ask({ op: "clearCalls" }),
          close: () => void child.kill("SIGTERM"),
        });
        return;
      }
      const w = waiting.get(m.id);
      waiting.delete(m.id);
      if (m.error !== undefined) w?.reject(new Error(m.error));
      else w?.resolve(m.value);
    });
  });
}

async function serve(): Promise<void> {
  const { startLocalEndpoint } = await import("../local/endpoint");
  const ep = await startLocalEndpoint(JSON.parse(process.argv[2] ?? "{}") as LocalEndpointOptions);
  process.on("message", (m: Request) => {
    let reply: Reply;
    try {
      if (m.op === "setQuotaMode") ep.setQuotaMode(m.config);
      else if (m.op === "clearCalls") ep.clearCalls();
      reply = { id: m.id, value: m.op === "calls" ? ep.calls : undefined };
    } catch (e) {
      reply = { id: m.id, error: e instanceof Error ? e.message : String(e) };
    }
    process.send!(reply);
  });
  process.once("SIGTERM", () => void ep.close().then(() => process.exit(0)));
  process.once("disconnect", () => void ep.close().then(() => process.exit(0)));
  process.send!({ url: ep.url });
}

if (require.main === module) void serve();
