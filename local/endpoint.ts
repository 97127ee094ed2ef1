import http, { type IncomingMessage, type ServerResponse } from "node:http";
import http2, { type Http2ServerRequest, type Http2ServerResponse, type ServerHttp2Session } from "node:http2";
import net, { type AddressInfo } from "node:net";
import { Duplex } from "node:stream";
import {
  AppConfigError,
  type AppConfigSeed,
  AppConfigStore,
  type DeploymentView,
  type HostedVersionView,
  type RollbackScript,
  type SeededAppConfig,
  handleAppConfig,
} from "./appconfig";
import { AppConfigDataSessions } from "./appconfig-data";
import { type BedrockSettings, handleBedrockRuntime } from "./bedrock-runtime";
import { CallLog, type CallRecord, type LocalService } from "./call-log";
import { FaultBook, type FaultRule } from "./faults";
import { type Scenario, ScenarioError, loadScenarioFile, parseScenario, parseWith, partSchemas } from "./scenario";
import { type QuotaSeed, QuotaStore, handleServiceQuotas } from "./service-quotas";
import { parseAuthorization, verifySignature } from "./sigv4-scope";
import { type Identity, IdentityBook, handleSts, stsError } from "./sts";
import { jsonError, type WireReply, type WireRequest } from "./wire";

export type { AppConfigSeed, SeededAppConfig, StrategySeed } from "./appconfig";

/** Options for `startLocalEndpoint`; explicit fields override the same fields of `scenario`. */
export interface LocalEndpointOptions {
  /** TCP port; default 0 (ephemeral, read the chosen one from `url`). */
  port?: number;
  /** Bind address; default 127.0.0.1. */
  host?: string;
  /** Scenario object, or path to a scenario JSON file; default: empty scenario. */
  scenario?: Scenario | string;
  /** Latency added to every Bedrock call, ms; default scenario value or 0. */
  latencyMs?: number;
  /** Deployment duration, ms; default scenario value or 0 (complete on creation). */
  deploymentDurationMs?: number;
  /** Bare model IDs allowed on demand; default scenario value or none. */
  onDemandModelIds?: string[];
  /** Account ID for ARNs; default scenario value or 123456789012. */
  accountId?: string;
  /** Verify SigV4 signatures for keys whose secret is known (static `local`/`local`, AssumeRole keys); default true. */
  verifySignatures?: boolean;
}

/** Runtime settings that tests may change between requests. */
export interface LocalEndpointSettings {
  latencyMs?: number;
  deploymentDurationMs?: number;
  onDemandModelIds?: string[];
}

/** Read-only views of AppConfig state, evaluated at call time. */
export interface AppConfigView {
  deployments(filter?: { region?: string; application?: string; environment?: string }): DeploymentView[];
  hostedVersions(filter?: { region?: string; application?: string; profile?: string }): HostedVersionView[];
}

/** A running local AWS stand-in. */
export interface LocalEndpoint {
  /** http://127.0.0.1:<port>; pass as `endpoint` to every SDK client. */
  readonly url: string;
  readonly port: number;
  /** Snapshot of every request so far, in arrival order. */
  readonly calls: CallRecord[];
  clearCalls(): void;
  /** Adds a Bedrock fault script (evaluated after earlier ones). */
  inject(rule: FaultRule): void;
  /** Removes all fault scripts, pending scripted rollbacks and AssumeRole denials; keeps seeded state and calls. */
  reset(): void;
  configure(settings: LocalEndpointSettings): void;
  seedAppConfig(seed: AppConfigSeed): SeededAppConfig;
  seedQuotas(region: string, quotas: QuotaSeed[]): void;
  scriptRollback(script: RollbackScript): void;
  denyAssumeRole(roleArn: string): void;
  readonly appConfig: AppConfigView;
  /** Stops listening and destroys every open socket and HTTP/2 session, hung requests included. */
  close(): Promise<void>;
}

const H2_PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
const DEFAULT_ACCOUNT = "123456789012";

/**
 * Replays the bytes consumed while sniffing, then relays the socket. Needed because Node's HTTP/2 (and, with
 * its native parser, HTTP/1) server reads the socket handle directly and never sees data pushed back with unshift().
 */
class ReplaySocket extends Duplex {
  constructor(
    private readonly inner: net.Socket,
    head: Buffer,
  ) {
    super();
    this.push(head);
    inner.on("data", (chunk: Buffer) => {
      if (!this.push(chunk)) inner.pause();
    });
    inner.on("end", () => this.push(null));
    inner.on("close", () => this.destroy());
    inner.on("error", (err) => this.destroy(err));
    inner.on("timeout", () => this.emit("timeout"));
  }

  get remoteAddress(): string | undefined {
    return this.inner.remoteAddress;
  }

  get remotePort(): number | undefined {
    return this.inner.remotePort;
  }

  setTimeout(ms: number, cb?: () => void): this {
    this.inner.setTimeout(ms);
    if (cb) this.once("timeout", cb);
    return this;
  }

  setNoDelay(noDelay?: boolean): this {
    this.inner.setNoDelay(noDelay);
    return this;
  }

  setKeepAlive(enable?: boolean, delayMs?: number): this {
    this.inner.setKeepAlive(enable, delayMs);
    return this;
  }

  override _read(): void {
    this.inner.resume();
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (this.inner.destroyed) return cb();
    this.inner.write(chunk, encoding, cb);
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.inner.end();
    cb();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.inner.destroy();
    cb(err);
  }
}

type AnyRequest = IncomingMessage | Http2ServerRequest;
type AnyResponse = ServerResponse | Http2ServerResponse;

function collectBody(req: AnyRequest): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
    req.on("aborted", () => reject(new Error("request aborted")));
  });
}

function toWireRequest(req: AnyRequest, body: Buffer): WireRequest {
  const url = new URL(req.url ?? "/", "http://local");
  const rawPath = (req.url ?? "/").split("?")[0];
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    headers[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : String(v);
  }
  return { method: (req.method ?? "GET").toUpperCase(), path: rawPath, query: url.searchParams, headers, body };
}

/** Best guess at the API of an unsigned request, only to shape the 403 the way that API would. */
function guessService(req: WireRequest): LocalService {
  if ((req.headers["x-amz-target"] ?? "").startsWith("ServiceQuotas")) return "servicequotas";
  if (/(^|&)Action=/.test(req.body.toString("utf8"))) return "sts";
  if (req.path.startsWith("/model/")) return "bedrock-runtime";
  if (req.path === "/configurationsessions" || req.path === "/configuration") return "appconfigdata";
  if (req.path.startsWith("/applications") || req.path.startsWith("/deploymentstrategies")) return "appconfig";
  return "unknown";
}

function serviceFor(signingName: string, path: string): LocalService {
  switch (signingName) {
    case "bedrock":
      return "bedrock-runtime";
    case "appconfig":
      // AppConfigData signs as "appconfig" too; only the path tells the planes apart.
      return path === "/configurationsessions" || path === "/configuration" ? "appconfigdata" : "appconfig";
    case "servicequotas":
      return "servicequotas";
    case "sts":
      return "sts";
    default:
      return "unknown";
  }
}

function authError(service: LocalService, status: number, jsonType: string, stsCode: string, message: string): WireReply {
  return service === "sts" ? stsError(status, stsCode, message) : jsonError(status, jsonType, { message, Message: message });
}

export async function startLocalEndpoint(options: LocalEndpointOptions = {}): Promise<LocalEndpoint> {
  const scenario: Scenario =
    typeof options.scenario === "string"
      ? loadScenarioFile(options.scenario)
      : options.scenario
        ? parseScenario(options.scenario)
        : {};
  const accountId = options.accountId ?? scenario.accountId ?? DEFAULT_ACCOUNT;
  let deploymentDurationMs = options.deploymentDurationMs ?? scenario.deploymentDurationMs ?? 0;
  const bedrockSettings: BedrockSettings = {
    latencyMs: options.latencyMs ?? scenario.latencyMs ?? 0,
    onDemandModelIds: new Set(options.onDemandModelIds ?? scenario.onDemandModelIds ?? []),
  };
  const verify = options.verifySignatures ?? true;

  const log = new CallLog();
  const faults = new FaultBook();
  const quotas = new QuotaStore();
  const appConfig = new AppConfigStore(() => deploymentDurationMs);
  const appConfigData = new AppConfigDataSessions(appConfig);
  const identities = new IdentityBook(() => accountId, scenario.credentials ?? { local: "local" });

  for (const rule of scenario.faults ?? []) faults.inject(rule);
  for (const [region, list] of Object.entries(scenario.quotas ?? {})) quotas.seed(region, list);
  (scenario.appConfig ?? []).forEach((seed, i) => {
    try {
      appConfig.seed(seed);
    } catch (e) {
      // Zod checked the shapes; what is left is the validator schema or the strategy quota. Name it like any other
      // scenario error.
      const source = typeof options.scenario === "string" ? options.scenario : "scenario";
      if (e instanceof AppConfigError) throw new ScenarioError(source, `$.appConfig[${i}].strategies`, e.message);
      throw new ScenarioError(source, `$.appConfig[${i}].jsonSchema`, `not a usable draft-04 schema: ${(e as Error).message}`);
    }
  });
  for (const script of scenario.rollbacks ?? []) appConfig.scriptRollback(script);
  for (const role of scenario.deniedRoles ?? []) identities.deny(role);

  const inflight = new Set<AbortController>();
  let closing = false;

  async function dispatch(
    req: WireRequest,
    protocol: CallRecord["protocol"],
    signal: AbortSignal,
  ): Promise<{ record: CallRecord; reply: WireReply }> {
    const scope = parseAuthorization(req.headers["authorization"]);
    if (!scope) {
      const service = guessService(req);
      const record = log.start({ service, region: "", protocol });
      const reply = authError(service, 403, "MissingAuthenticationTokenException", "MissingAuthenticationToken", "Missing Authentication Token");
      return { record, reply };
    }
    const service = serviceFor(scope.service, req.path);
    const caller: Identity = identities.lookup(scope.accessKeyId);
    const record = log.start({
      service,
      region: scope.region,
      protocol,
      accessKeyId: scope.accessKeyId,
      principal: caller.principal,
    });

    if (caller.sessionToken !== undefined && req.headers["x-amz-security-token"] !== caller.sessionToken) {
      const msg = "The security token included in the request is invalid.";
      return { record, reply: authError(service, 403, "UnrecognizedClientException", "InvalidClientTokenId", msg) };
    }
    if (verify && caller.secretAccessKey !== undefined) {
      const check = await verifySignature(req, scope, {
        secretAccessKey: caller.secretAccessKey,
        ...(caller.sessionToken !== undefined ? { sessionToken: caller.sessionToken } : {}),
      });
      if (!check.ok) {
        const msg =
          "The request signature we calculated does not match the signature you provided. Check your AWS Secret " +
          `Access Key and signing method. Consult the service documentation for details. (local: ${check.reason})`;
        return { record, reply: authError(service, 403, "InvalidSignatureException", "SignatureDoesNotMatch", msg) };
      }
    }

    try {
      return { record, reply: await route(service, scope.service, scope.region, req, caller, record, signal) };
    } catch (err) {
      // A bug here must still answer (and be logged) like a service fault, not leave the client waiting.
      const message = `local endpoint failure: ${err instanceof Error ? err.message : String(err)}`;
      return { record, reply: jsonError(500, "InternalFailure", { message }) };
    }
  }

  async function route(
    service: LocalService,
    signingName: string,
    region: string,
    req: WireRequest,
    caller: Identity,
    record: CallRecord,
    signal: AbortSignal,
  ): Promise<WireReply> {
    switch (service) {
      case "bedrock-runtime":
        return handleBedrockRuntime({ req, region, caller, record, signal }, faults, bedrockSettings);
      case "appconfig":
        return handleAppConfig(req, region, appConfig, record);
      case "appconfigdata":
        return appConfigData.handle(req, region, record);
      case "servicequotas":
        return handleServiceQuotas(req, region, accountId, quotas, record);
      case "sts":
        return handleSts(req, caller, identities, record);
      default:
        return jsonError(404, "UnknownOperationException", { message: `The local endpoint does not serve signing name ${signingName}` });
    }
  }

  async function writeReply(res: AnyResponse, reply: WireReply, record: CallRecord, signal: AbortSignal): Promise<void> {
    if (reply.kind === "hang") return;
    const errorType = reply.headers["x-amzn-errortype"];
    record.status = reply.status;
    if (errorType) record.errorType = errorType;
    else if (reply.kind === "buffer" && reply.status >= 400 && record.service === "sts") {
      const code = /<Code>([^<]+)<\/Code>/.exec(reply.body.toString("utf8"))?.[1];
      if (code) record.errorType = code;
    }
    if (signal.aborted || res.destroyed) return;
    if (reply.kind === "buffer") {
      res.writeHead(reply.status, { ...reply.headers, "content-length": String(reply.body.length) });
      res.end(reply.body);
      return;
    }
    res.writeHead(reply.status, reply.headers);
    for await (const frame of reply.frames) {
      if (signal.aborted || res.destroyed) return;
      // Both response types accept a chunk; the union of their overloads is just not callable as written.
      (res as ServerResponse).write(frame);
    }
    res.end();
  }

  // One handler for both protocols: node's HTTP/2 compatibility API mirrors http's req/res.
  async function onRequest(req: AnyRequest, res: AnyResponse): Promise<void> {
    const controller = new AbortController();
    inflight.add(controller);
    res.on("close", () => {
      inflight.delete(controller);
      if (!res.writableFinished) controller.abort();
    });
    try {
      const body = await collectBody(req);
      if (closing) return;
      const { record, reply } = await dispatch(
        toWireRequest(req, body),
        req.httpVersion === "2.0" ? "h2" : "http/1.1",
        controller.signal,
      );
      await writeReply(res, reply, record, controller.signal);
    } catch (err) {
      if (controller.signal.aborted || res.destroyed || res.headersSent) {
        if (!res.destroyed && res.headersSent) res.destroy();
        return;
      }
      const message = err instanceof Error ? err.message : String(err);
      const payload = Buffer.from(JSON.stringify({ message: `local endpoint failure: ${message}` }));
      res.writeHead(500, { "content-type": "application/json", "x-amzn-errortype": "InternalFailure" });
      res.end(payload);
    }
  }

  const h1 = http.createServer((req, res) => void onRequest(req, res));
  const h2 = http2.createServer((req, res) => void onRequest(req, res));
  const sessions = new Set<ServerHttp2Session>();
  h2.on("session", (s: ServerHttp2Session) => {
    sessions.add(s);
    s.on("close", () => sessions.delete(s));
    s.on("error", () => s.destroy());
  });
  h2.on("sessionError", () => undefined);
  h1.on("clientError", (_err, socket: Duplex) => socket.destroy());

  const sockets = new Set<net.Socket>();
  const server = net.createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const n = Math.min(head.length, H2_PREFACE.length);
      const h2Prefix = head.subarray(0, n).equals(H2_PREFACE.subarray(0, n));
      if (h2Prefix && head.length < H2_PREFACE.length) return; // preface split across packets: keep reading
      socket.removeListener("data", onData);
      socket.pause();
      const replay = new ReplaySocket(socket, head);
      replay.on("error", () => undefined);
      (h2Prefix ? h2 : h1).emit("connection", replay);
    };
    socket.on("data", onData);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    get calls() {
      return log.list();
    },
    clearCalls: () => log.clear(),
    // The API takes the same shapes as the scenario file and rejects them the same way (ScenarioError, JSON path).
    inject: (rule) => faults.inject(parseWith(partSchemas.fault, rule, "inject()")),
    reset: () => {
      faults.reset();
      appConfig.resetScripts();
      identities.resetDenials();
    },
    configure: (settings) => {
      if (settings.latencyMs !== undefined) bedrockSettings.latencyMs = settings.latencyMs;
      if (settings.deploymentDurationMs !== undefined) deploymentDurationMs = settings.deploymentDurationMs;
      if (settings.onDemandModelIds !== undefined) bedrockSettings.onDemandModelIds = new Set(settings.onDemandModelIds);
    },
    seedAppConfig: (seed) => appConfig.seed(parseWith(partSchemas.appConfig, seed, "seedAppConfig()")),
    seedQuotas: (region, list) => quotas.seed(region, parseWith(partSchemas.quotas, list, "seedQuotas()")),
    scriptRollback: (script) => appConfig.scriptRollback(parseWith(partSchemas.rollback, script, "scriptRollback()")),
    denyAssumeRole: (roleArn) => identities.deny(roleArn),
    appConfig: {
      deployments: (filter) => appConfig.deployments(filter),
      hostedVersions: (filter) => appConfig.hostedVersions(filter),
    },
    close: async () => {
      if (closing) return;
      closing = true;
      for (const c of inflight) c.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sessions) s.destroy();
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
