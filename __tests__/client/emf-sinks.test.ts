import * as dgram from "node:dgram";
import * as net from "node:net";
import { cloudWatchAgentSink, parseAgentEndpoint } from "../../client/emf-agent-sink";
import { defaultMetricsSink, stderrSink, stdoutSink } from "../../client/emf-sinks";
import type { EmfRecord } from "../../client/metrics";
import { createRouter } from "../../client/router";
import { CREDS, REGION } from "../fixtures";
import { messages, testDocument, useLocalEndpoint } from "./fixtures";

// Where EMF records go: never into the application's own stdout outside AWS Lambda; to the CloudWatch agent over a
// real TCP or UDP socket when one is configured; and nothing a sink does may break or hold up a routed call.

const local = useLocalEndpoint();

/** A TCP listener standing in for the CloudWatch agent's EMF port: every line it receives, parsed. */
async function tcpAgent(): Promise<{ port: number; lines: EmfRecord[]; ended: () => number; close: () => Promise<void> }> {
  const lines: EmfRecord[] = [];
  let ended = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    let buffer = "";
    socket.on("data", (d) => {
      buffer += d.toString();
      for (let i = buffer.indexOf("\n"); i >= 0; i = buffer.indexOf("\n")) {
        lines.push(JSON.parse(buffer.slice(0, i)));
        buffer = buffer.slice(i + 1);
      }
    });
    socket.on("close", () => {
      ended++;
      sockets.delete(socket);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as net.AddressInfo).port,
    lines,
    ended: () => ended,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

async function until(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  for (const end = Date.now() + ms; !check(); ) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const staticRouter = (metrics: Parameters<typeof createRouter>[0]["metrics"]) => createRouter({ region: REGION, endpointUrl: local.ep.url, credentials: CREDS, document: testDocument(), metrics });

describe("the default sink", () => {
  it.each<[string, Record<string, string>, unknown]>([
    ["AWS Lambda: stdout, where the runtime ships EMF to CloudWatch Logs", { AWS_LAMBDA_FUNCTION_NAME: "summarize" }, stdoutSink],
    ["Lambda wins over an agent endpoint (there is no agent in Lambda)", { AWS_LAMBDA_FUNCTION_NAME: "summarize", AWS_EMF_AGENT_ENDPOINT: "tcp://127.0.0.1:25888" }, stdoutSink],
    ["anywhere else without an agent: stderr, never the application's stdout", {}, stderrSink],
    ["an empty agent endpoint counts as unset", { AWS_EMF_AGENT_ENDPOINT: "" }, stderrSink],
  ])("%s", (_title, env, expected) => {
    expect(defaultMetricsSink(env)).toBe(expected);
  });

  it("AWS_EMF_AGENT_ENDPOINT set: the CloudWatch agent sink", () => {
    const sink = defaultMetricsSink({ AWS_EMF_AGENT_ENDPOINT: "udp://127.0.0.1:25888" });
    expect(sink).not.toBe(stderrSink);
    expect(typeof (sink as { close?: unknown }).close).toBe("function");
    (sink as { close: () => void }).close();
  });

  it.each([
    ["http://127.0.0.1:25888", /must look like tcp:\/\/127\.0\.0\.1:25888.*got a http URL/],
    ["tcp://127.0.0.1", /got tcp:\/\/127\.0\.0\.1:\(no port\)/],
    ["25888", /got a value that is not a URL/],
    ["tcp://127.0.0.1:25888/logs", /with a path/],
    ["tcp://agent:s3cret@127.0.0.1:25888", /must look like/],
  ])("a malformed AWS_EMF_AGENT_ENDPOINT %s is refused at createRouter in one line, credentials never echoed", (endpoint, problem) => {
    let message = "";
    try {
      defaultMetricsSink({ AWS_EMF_AGENT_ENDPOINT: endpoint });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^createRouter: AWS_EMF_AGENT_ENDPOINT: /);
    expect(message).toMatch(problem);
    expect(message).not.toContain("s3cret");
    expect(message).not.toContain("\n");
  });

  it("a router made without `metrics` writes its records to stderr and nothing to stdout", async () => {
    const out = jest.spyOn(process.stdout, "write").mockImplementation(() => true);
    const err = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    const saved = { lambda: process.env.AWS_LAMBDA_FUNCTION_NAME, agent: process.env.AWS_EMF_AGENT_ENDPOINT };
    delete process.env.AWS_LAMBDA_FUNCTION_NAME;
    delete process.env.AWS_EMF_AGENT_ENDPOINT;
    try {
      const router = createRouter({ region: REGION, endpointUrl: local.ep.url, credentials: CREDS, document: testDocument() });
      await router.converse({ task: "chat", messages: messages() });
      router.close();
      const emf = err.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('"_aws"'));
      expect(emf).toHaveLength(1);
      expect(JSON.parse(emf[0])).toMatchObject({ Task: "chat", Outcome: "success" });
      expect(out.mock.calls.filter((c) => String(c[0]).includes('"_aws"'))).toEqual([]);
    } finally {
      out.mockRestore();
      err.mockRestore();
      if (saved.lambda !== undefined) process.env.AWS_LAMBDA_FUNCTION_NAME = saved.lambda;
      if (saved.agent !== undefined) process.env.AWS_EMF_AGENT_ENDPOINT = saved.agent;
    }
  });
});

describe("the CloudWatch agent sink", () => {
  it("TCP: one JSON line per call reaches the agent, with the log group and stream the agent should use", async () => {
    const agent = await tcpAgent();
    const sink = cloudWatchAgentSink(`tcp://127.0.0.1:${agent.port}`, { logGroupName: "/app/bedrock-routing", logStreamName: "web-1" });
    const router = staticRouter(sink);
    try {
      for (let i = 0; i < 3; i++) await router.converse({ task: "chat", messages: messages() });
      await until(() => agent.lines.length === 3, "three records at the agent");
      for (const r of agent.lines) {
        expect(r).toMatchObject({ Task: "chat", Outcome: "success", _aws: { LogGroupName: "/app/bedrock-routing", LogStreamName: "web-1", CloudWatchMetrics: expect.arrayContaining([expect.objectContaining({ Namespace: "BedrockRouting" })]) } });
      }
      expect(sink.dropped).toBe(0);
    } finally {
      router.close();
      sink.close();
      await agent.close();
    }
  });

  it("UDP: one datagram per record", async () => {
    const server = dgram.createSocket("udp4");
    const received: EmfRecord[] = [];
    server.on("message", (m) => received.push(JSON.parse(m.toString())));
    await new Promise<void>((r) => server.bind(0, "127.0.0.1", r));
    const sink = cloudWatchAgentSink(`udp://127.0.0.1:${server.address().port}`);
    const router = staticRouter(sink);
    try {
      await router.converse({ task: "chat", messages: messages() });
      await router.converse({ task: "pair", messages: messages() });
      await until(() => received.length === 2, "two datagrams");
      expect(received.map((r) => r.Task).sort()).toEqual(["chat", "pair"]);
      expect(received[0]._aws).not.toHaveProperty("LogGroupName");
    } finally {
      router.close();
      sink.close();
      server.close();
    }
  });

  it("an unreachable agent never breaks or holds up a call: records wait in a bounded queue, the rest are counted as dropped", async () => {
    const port = await (async () => {
      const s = net.createServer();
      await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
      const p = (s.address() as net.AddressInfo).port;
      await new Promise<void>((r) => s.close(() => r()));
      return p;
    })();
    const sink = cloudWatchAgentSink(`tcp://127.0.0.1:${port}`, { maxQueued: 2, reconnectDelayMs: 60_000 });
    const router = staticRouter(sink);
    try {
      for (let i = 0; i < 5; i++) expect((await router.converse({ task: "chat", messages: messages() })).stopReason).toBe("end_turn");
      expect(sink.dropped).toBe(3);
      sink.close();
      expect(sink.dropped).toBe(5);
      // After close, records are dropped, never thrown.
      await router.converse({ task: "chat", messages: messages() });
      expect(sink.dropped).toBe(6);
    } finally {
      router.close();
    }
  });

  it("the agent sink a router chose itself (AWS_EMF_AGENT_ENDPOINT) is closed with the router", async () => {
    const agent = await tcpAgent();
    const saved = process.env.AWS_EMF_AGENT_ENDPOINT;
    process.env.AWS_EMF_AGENT_ENDPOINT = `tcp://127.0.0.1:${agent.port}`;
    try {
      const router = createRouter({ region: REGION, endpointUrl: local.ep.url, credentials: CREDS, document: testDocument() });
      await router.converse({ task: "chat", messages: messages() });
      await until(() => agent.lines.length === 1, "the record at the agent");
      router.close();
      await until(() => agent.ended() === 1, "the agent connection to close");
    } finally {
      if (saved === undefined) delete process.env.AWS_EMF_AGENT_ENDPOINT;
      else process.env.AWS_EMF_AGENT_ENDPOINT = saved;
      await agent.close();
    }
  });

  it("parses tcp:// and udp:// endpoints, IPv6 included", () => {
    expect(parseAgentEndpoint("tcp://127.0.0.1:25888")).toEqual({ protocol: "tcp", host: "127.0.0.1", port: 25888 });
    expect(parseAgentEndpoint("udp://[::1]:25888")).toEqual({ protocol: "udp", host: "::1", port: 25888 });
  });
});
