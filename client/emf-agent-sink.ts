import * as dgram from "node:dgram";
import * as net from "node:net";
import type { EmfRecord, MetricsSink } from "./metrics";

/**
 * EMF records to the CloudWatch agent's embedded-metric listener (the agent's `logs.metrics_collected.emf` section;
 * TCP and UDP on port 25888 by default):
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Generation_CloudWatch_Agent.html
 * One JSON line per record. Never blocks or throws into a routed call: records wait (bounded) while the TCP connection
 * is made again, and are counted as dropped beyond that; every socket is unref'd, so it never keeps a process alive.
 */

/** Tuning of the agent sink; every field is optional. */
export interface AgentSinkOptions {
  /** Log group the agent writes the records to (EMF `_aws.LogGroupName`). Default: the agent's own default group. */
  readonly logGroupName?: string;
  /** Log stream (EMF `_aws.LogStreamName`). Default: the agent's choice (usually the host name). */
  readonly logStreamName?: string;
  /** Records held while TCP (re)connects; the oldest are dropped beyond it. Default: 1 000. */
  readonly maxQueued?: number;
  /** Bytes the socket may hold unsent before new records are dropped. Default: 1 MiB. */
  readonly maxBufferedBytes?: number;
  /** TCP connect timeout, ms. Default: 2 000. */
  readonly connectTimeoutMs?: number;
  /** Least time between two TCP connection attempts, ms. Default: 1 000. */
  readonly reconnectDelayMs?: number;
}

/** A sink with a socket behind it: close() it when the application stops routing (a router closes its default one). */
export interface AgentSink extends MetricsSink {
  close(): void;
  /** Records not delivered (agent unreachable, queue or buffer full, closed). */
  readonly dropped: number;
}

const DEFAULTS = { maxQueued: 1_000, maxBufferedBytes: 1 << 20, connectTimeoutMs: 2_000, reconnectDelayMs: 1_000 };

/** `tcp://host:port` or `udp://host:port`, checked; throws a one-line Error naming the fix otherwise. */
export function parseAgentEndpoint(endpoint: string): { protocol: "tcp" | "udp"; host: string; port: number } {
  const fix = `the CloudWatch agent endpoint must look like tcp://127.0.0.1:25888 or udp://127.0.0.1:25888`;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new Error(`${fix}, got a value that is not a URL`);
  }
  const protocol = url.protocol.replace(/:$/, "");
  const port = Number(url.port);
  if ((protocol !== "tcp" && protocol !== "udp") || !url.hostname || !Number.isInteger(port) || port < 1 || url.username || url.password || (url.pathname && url.pathname !== "/") || url.search)
    throw new Error(`${fix}, got ${protocol === "tcp" || protocol === "udp" ? `${protocol}://${url.hostname}:${url.port || "(no port)"}${url.pathname !== "/" ? " with a path" : ""}` : `a ${protocol} URL`}`);
  return { protocol, host: url.hostname.replace(/^\[|\]$/g, ""), port };
}

/** A MetricsSink that sends each record to the CloudWatch agent at `endpoint` (tcp:// or udp://). */
export function cloudWatchAgentSink(endpoint: string, options: AgentSinkOptions = {}): AgentSink {
  const target = parseAgentEndpoint(endpoint);
  const settings = { ...DEFAULTS, ...options };
  const transport = target.protocol === "udp" ? new UdpTransport(target.host, target.port) : new TcpTransport(target.host, target.port, settings);
  const decorate = (record: EmfRecord): EmfRecord =>
    options.logGroupName || options.logStreamName
      ? { ...record, _aws: { ...record._aws, ...(options.logGroupName ? { LogGroupName: options.logGroupName } : {}), ...(options.logStreamName ? { LogStreamName: options.logStreamName } : {}) } }
      : record;
  const sink = ((record: EmfRecord) => transport.send(JSON.stringify(decorate(record)) + "\n")) as AgentSink;
  Object.defineProperty(sink, "dropped", { get: () => transport.dropped });
  sink.close = () => transport.close();
  return sink;
}

interface Transport {
  send(line: string): void;
  close(): void;
  readonly dropped: number;
}

class UdpTransport implements Transport {
  dropped = 0;
  private socket?: dgram.Socket;
  private closed = false;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  send(line: string): void {
    if (this.closed) return void this.dropped++;
    if (!this.socket) {
      this.socket = dgram.createSocket(net.isIPv6(this.host) ? "udp6" : "udp4");
      this.socket.on("error", () => undefined);
      this.socket.unref();
    }
    this.socket.send(line, this.port, this.host, (error) => {
      if (error) this.dropped++;
    });
  }

  close(): void {
    this.closed = true;
    this.socket?.close();
    this.socket = undefined;
  }
}

class TcpTransport implements Transport {
  dropped = 0;
  private socket?: net.Socket;
  private connected = false;
  private closed = false;
  private lastAttempt = Number.NEGATIVE_INFINITY;
  private readonly queue: string[] = [];

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly settings: typeof DEFAULTS,
  ) {}

  send(line: string): void {
    if (this.closed) return void this.dropped++;
    if (this.connected && this.socket) {
      if (this.socket.writableLength > this.settings.maxBufferedBytes) return void this.dropped++;
      this.socket.write(line);
      return;
    }
    this.queue.push(line);
    if (this.queue.length > this.settings.maxQueued) {
      this.queue.shift();
      this.dropped++;
    }
    this.connect();
  }

  close(): void {
    this.closed = true;
    this.dropped += this.queue.length;
    this.queue.length = 0;
    this.socket?.destroy();
    this.socket = undefined;
  }

  private connect(): void {
    const now = Date.now();
    if (this.socket || now - this.lastAttempt < this.settings.reconnectDelayMs) return;
    this.lastAttempt = now;
    const socket = net.connect({ host: this.host, port: this.port });
    this.socket = socket;
    socket.unref();
    socket.setNoDelay(true);
    socket.setTimeout(this.settings.connectTimeoutMs, () => {
      if (!this.connected) socket.destroy();
    });
    socket.once("connect", () => {
      this.connected = true;
      socket.setTimeout(0);
      for (const line of this.queue.splice(0)) socket.write(line);
    });
    socket.on("error", () => undefined);
    socket.once("close", () => {
      if (this.socket === socket) this.socket = undefined;
      this.connected = false;
    });
  }
}
