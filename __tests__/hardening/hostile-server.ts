import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * A hostile control plane for tests: a real HTTP/1.1 server the real SDK clients (Bedrock control plane, Service
 * Quotas, AppConfig) talk to over the wire, answering whatever a test scripts: never, a byte a second, a page token
 * that comes back, values no schema expects. It never verifies signatures: it stands for an endpoint that misbehaves.
 */

/** What one request gets. */
export type HostileAnswer =
  /** Accept and never answer (the socket stays open until the server closes). */
  | { readonly kind: "hang" }
  /** Headers at once, then the JSON body one byte every `everyMs`. */
  | { readonly kind: "drip"; readonly body: unknown; readonly everyMs: number }
  /** A JSON answer (status 200 unless given); `errorType` sets x-amzn-errortype. */
  | { readonly kind: "json"; readonly body: unknown; readonly status?: number; readonly errorType?: string };

/** One request as the script sees it. */
export interface HostileRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** X-Amz-Target (awsJson protocols: Service Quotas). */
  readonly target: string;
  /** Parsed JSON body, or undefined. */
  readonly body: Record<string, unknown> | undefined;
}

export interface HostileServer {
  readonly url: string;
  /** Requests answered so far (each counts when it arrives). */
  readonly requests: HostileRequest[];
  close(): Promise<void>;
}

export async function startHostileServer(answer: (req: HostileRequest) => HostileAnswer): Promise<HostileServer> {
  const requests: HostileRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://hostile");
      let body: Record<string, unknown> | undefined;
      try {
        body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>) : undefined;
      } catch {
        body = undefined;
      }
      const request: HostileRequest = { method: req.method ?? "GET", path: url.pathname, query: url.searchParams, target: String(req.headers["x-amz-target"] ?? ""), body };
      requests.push(request);
      const a = answer(request);
      if (a.kind === "hang") return;
      const bytes = Buffer.from(JSON.stringify(a.body));
      const headers: Record<string, string> = { "content-type": "application/json", "content-length": String(bytes.length) };
      if (a.kind === "json") {
        if (a.errorType) headers["x-amzn-errortype"] = a.errorType;
        res.writeHead(a.status ?? 200, headers);
        res.end(bytes);
        return;
      }
      res.writeHead(200, headers);
      let i = 0;
      const drip = setInterval(() => {
        if (res.destroyed || i >= bytes.length) {
          clearInterval(drip);
          timers.delete(drip);
          if (!res.destroyed) res.end();
          return;
        }
        res.write(bytes.subarray(i, ++i));
      }, a.everyMs);
      timers.add(drip);
    });
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      for (const t of timers) clearInterval(t);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}

/** Which catalog API a request is, by the wire shapes the SDK uses (toolchain: restJson1 paths, awsJson targets). */
export function catalogApi(req: HostileRequest): "models" | "profiles" | "quotas" | "other" {
  if (req.path === "/foundation-models") return "models";
  if (req.path === "/inference-profiles") return "profiles";
  if (req.target.endsWith(".ListServiceQuotas")) return "quotas";
  return "other";
}

/** A well-formed answer per catalog API, for the APIs a test does not script. */
export const PLAIN_ANSWERS = {
  models: { modelSummaries: [{ modelId: "amazon.nova-lite-v1:0", modelName: "Nova Lite", providerName: "Amazon", inferenceTypesSupported: ["INFERENCE_PROFILE"], responseStreamingSupported: true, modelLifecycle: { status: "ACTIVE" } }] },
  profiles: { inferenceProfileSummaries: [{ inferenceProfileId: "us.amazon.nova-lite-v1:0", status: "ACTIVE", models: [{ modelArn: "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0" }] }] },
  quotas: { Quotas: [{ QuotaCode: "L-AAAA0001", QuotaName: "Cross-region model inference tokens per minute for Amazon Nova Lite", Value: 1000 }] },
} as const;
