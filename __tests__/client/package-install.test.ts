import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import ts from "typescript";
import { startLocalEndpoint, type LocalEndpoint } from "../../local/endpoint";
import { CLIENT_DIR, cleanEnv, installApp, installedPackages, packClient, PACKAGE_NAME, REPO_ROOT, type PackedClient } from "../../scripts/client-package";
import { HAIKU, NOVA, REGION } from "../fixtures";
import { testDocument } from "./fixtures";

// The routing client as an application team gets it: `npm pack` of client/, installed into an empty directory with
// nothing else from this repository, then used from plain `node` (CommonJS and ESM) and from a TypeScript app.

const run = promisify(execFile);
jest.setTimeout(240_000);

let work: string;
let app: string;
let packed: PackedClient;
let ep: LocalEndpoint;

/** core/ files the build ships (the wings client/tsconfig.build.json includes), as `<wing>/<name>`. */
const shippedCore = (() => {
  const { config } = ts.readConfigFile(join(CLIENT_DIR, "tsconfig.build.json"), ts.sys.readFile);
  const wings = (config.include as string[]).filter((f) => f.startsWith("../core/")).map((f) => f.replace("../core/", "").replace(/\/\*\.ts$/, ""));
  return wings.flatMap((w) => readdirSync(join(CLIENT_DIR, "..", "core", w)).filter((f) => f.endsWith(".ts")).map((f) => `${w}/${f.replace(/\.ts$/, "")}`));
})();

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "routing-client-install-"));
  app = join(work, "app");
  packed = await packClient(work);
  // @types/node: what any TypeScript application on Node already has (the package's declarations use Node globals).
  await installApp(app, [packed.tarball, "@types/node@20.19.43"]);
  ep = await startLocalEndpoint();
}, 600_000);

afterAll(async () => {
  await ep?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

beforeEach(() => ep.clearCalls());

/** Runs `file` (in the app) with the machine's node and the app as cwd; returns the JSON line it prints last. */
async function runApp(file: string, source: string, env: Record<string, string> = {}): Promise<any> {
  const { stdout } = await runAppOutput(file, source, env);
  const lines = stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]);
}

/** Runs `file` like runApp and returns what it printed on stdout and stderr. */
async function runAppOutput(file: string, source: string, env: Record<string, string> = {}): Promise<{ stdout: string; stderr: string }> {
  writeFileSync(join(app, file), source);
  // --throw-deprecation: a deprecated Node API on the package's path fails the run on whichever Node runs the suite.
  return run(process.execPath, ["--throw-deprecation", file], {
    cwd: app,
    timeout: 120_000,
    env: cleanEnv({
      ENDPOINT_URL: ep.url,
      AWS_REGION: REGION,
      // The SDK default credential chain, as in production; the endpoint verifies SigV4 with these.
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      AWS_CONFIG_FILE: join(work, "no-config"),
      AWS_SHARED_CREDENTIALS_FILE: join(work, "no-credentials"),
      ...env,
    }),
  });
}

/** Shared by both apps: which SDK clients are loaded, and is anything loaded from outside the app directory. */
const REPORT = `
function loaded(cache, appDir) {
  const files = Object.keys(cache);
  const clients = [...new Set(files.map((f) => /node_modules\\/@aws-sdk\\/(client-[^/]+)\\//.exec(f)?.[1]).filter(Boolean))].sort();
  return { clients, outside: files.filter((f) => !f.startsWith(appDir + "/")), opentelemetry: files.filter((f) => f.includes("/@opentelemetry/")).length };
}`;

describe("the packed tarball", () => {
  it("holds compiled JavaScript, declarations and the ESM entry, no TypeScript sources or tests", () => {
    expect(packed.files).toEqual(expect.arrayContaining(["package.json", "index.mjs", "index.d.mts", "dist/client/index.js", "dist/client/index.d.ts", "dist/client/router.js"]));
    expect(packed.files.filter((f) => /(^|\/)__tests__\/|\.test\.|(?<!\.d)\.ts$|tsconfig/.test(f))).toEqual([]);
  });

  it("ships exactly the core files the build lists, none of the environment config", () => {
    const core = new Set(packed.files.filter((f) => f.startsWith("dist/core/")).map((f) => f.replace(/^dist\/core\/|\.d\.ts$|\.js$/g, "")));
    expect([...core].sort()).toEqual([...shippedCore].sort());
    expect(shippedCore.filter((f) => f.startsWith("environment/"))).toEqual([]);
  });

  it("its declarations never mention the environment-config schema, the baseline plan or cdktf", () => {
    const dir = join(app, "node_modules", PACKAGE_NAME);
    for (const f of packed.files.filter((p) => p.endsWith(".d.ts") || p.endsWith(".d.mts"))) {
      expect([f, readFileSync(join(dir, f), "utf8")]).toEqual([f, expect.not.stringMatching(/environment-config|environment-validation|baseline-plan|EnvironmentConfig|BaselinePlan|cdktf|constructs/)]);
    }
  });

  it("installs no cdktf, provider, constructs or test tooling", () => {
    const names = installedPackages(join(app, "node_modules"));
    expect(names).toContain(PACKAGE_NAME);
    expect(names).toContain("@aws-sdk/client-bedrock-runtime");
    const unwanted = [...names].filter((n) => /^(cdktf|cdktf-cli|cdktn|cdktn-cli|constructs|@cdktf\/.*|@cdktn\/.*|jest|ts-jest|ts-node|typescript|ajv|ajv-draft-04|fast-check|@cloud-copilot\/.*|@aws-sdk\/client-(appconfig|bedrock|sts|service-quotas)|@opentelemetry\/.*)$/.test(n));
    // @opentelemetry/api is an optional peer: npm installs it only when the application asks for it.
    expect(unwanted).toEqual([]);
  });

  it("declares @opentelemetry/api as an optional peer dependency, nothing of OpenTelemetry as a dependency", () => {
    const manifest = JSON.parse(readFileSync(join(app, "node_modules", PACKAGE_NAME, "package.json"), "utf8"));
    expect(Object.keys(manifest.dependencies).filter((d) => d.startsWith("@opentelemetry/"))).toEqual([]);
    expect(manifest.peerDependencies["@opentelemetry/api"]).toEqual(expect.any(String));
    expect(manifest.peerDependenciesMeta["@opentelemetry/api"]).toEqual({ optional: true });
  });
});

describe("an application using the installed package", () => {
  it("CommonJS require: loads only the Bedrock Runtime and AppConfigData clients and completes a Converse call on a static document", async () => {
    writeFileSync(join(app, "document.json"), JSON.stringify(testDocument()));
    const out = await runApp(
      "app.cjs",
      `${REPORT}
const { createRouter, parseRoutingDocument } = require(${JSON.stringify(PACKAGE_NAME)});
const afterLoad = loaded(require.cache, __dirname);
const document = parseRoutingDocument(require("node:fs").readFileSync("document.json", "utf8"));
if (typeof document === "string") throw new Error(document);
const router = createRouter({ region: process.env.AWS_REGION, endpointUrl: process.env.ENDPOINT_URL, document, metrics: false });
router.converse({ task: "chat", messages: [{ role: "user", content: [{ text: "ping" }] }] }).then((r) => {
  router.close();
  console.log(JSON.stringify({ afterLoad, afterCall: loaded(require.cache, __dirname), servedBy: r.servedBy, stopReason: r.stopReason, text: r.output.output.message.content[0].text }));
});
`,
    );
    // Without @opentelemetry/api installed nothing of OpenTelemetry is loaded, before or after a call.
    expect(out.afterLoad).toEqual({ clients: ["client-appconfigdata", "client-bedrock-runtime"], outside: [], opentelemetry: 0 });
    expect(out.afterCall).toEqual({ clients: ["client-appconfigdata", "client-bedrock-runtime"], outside: [], opentelemetry: 0 });
    expect(out.servedBy).toEqual(HAIKU);
    expect(out.stopReason).toBe("end_turn");
    expect(out.text).toEqual(expect.any(String));
    expect(ep.calls.filter((c) => c.service === "bedrock-runtime").map((c) => [c.modelId, c.status])).toEqual([[HAIKU.invokeId, 200]]);
  });

  it("ESM import: reads the routing document from AppConfig and completes a Converse call, sharing one module instance with require", async () => {
    const doc = testDocument((d) => (d.routes.chat = { primary: NOVA.modelId, fallbacks: [], maxTokens: 48 }));
    ep.seedAppConfig({ region: REGION, application: "bedrock-app-esm", environment: "dev", profile: "routing", content: JSON.stringify(doc) });
    const out = await runApp(
      "app.mjs",
      `${REPORT}
import { createRequire } from "node:module";
import * as pkg from ${JSON.stringify(PACKAGE_NAME)};
import { createRouter, RoutingError } from ${JSON.stringify(PACKAGE_NAME)};
const require = createRequire(import.meta.url);
const appDir = new URL(".", import.meta.url).pathname.replace(/\\/$/, "");
const router = createRouter({ region: process.env.AWS_REGION, endpointUrl: process.env.ENDPOINT_URL, appConfig: { application: "bedrock-app-esm", environment: "dev", profile: "routing" }, metrics: false });
const r = await router.converse({ task: "chat", messages: [{ role: "user", content: [{ text: "ping" }] }] });
router.close();
const cjs = require(${JSON.stringify(PACKAGE_NAME)});
console.log(JSON.stringify({
  loaded: loaded(require.cache, appDir),
  servedBy: r.servedBy,
  stopReason: r.stopReason,
  sameInstance: cjs.RoutingError === RoutingError && cjs.createRouter === createRouter,
  esmNames: Object.keys(pkg).filter((k) => k !== "__esModule").sort(),
  cjsNames: Object.keys(cjs).filter((k) => k !== "__esModule").sort(),
}));
`,
    );
    expect(out.loaded).toEqual({ clients: ["client-appconfigdata", "client-bedrock-runtime"], outside: [], opentelemetry: 0 });
    expect(out.servedBy).toEqual(NOVA);
    expect(out.stopReason).toBe("end_turn");
    expect(out.sameInstance).toBe(true);
    expect(out.esmNames).toEqual(out.cjsNames);
    expect(out.esmNames).toEqual(expect.arrayContaining(["createRouter", "RoutingError", "ROUTER_DEFAULTS", "parseRoutingDocument", "classifyError", "buildConverseRequest", "reservedTokens"]));
    const services = ep.calls.map((c) => c.service);
    expect(services).toContain("appconfigdata");
    expect(ep.calls.filter((c) => c.service === "bedrock-runtime").map((c) => [c.modelId, c.status])).toEqual([[NOVA.invokeId, 200]]);
  });

  it("a TypeScript application type-checks against the installed declarations (CommonJS and ESM resolution), and a wrong call is an error", async () => {
    const usage = (from: string) => `
import { createRouter, RoutingError, ROUTER_DEFAULTS, type RoutedResult, type RouterOptions, type RoutingDocument } from ${JSON.stringify(from)};
const options: RouterOptions = { region: "us-east-1", appConfig: { application: "bedrock-prod", environment: "prod", profile: "routing" } };
const router = createRouter(options);
export async function summarize(text: string): Promise<string> {
  const r: RoutedResult = await router.converse({ task: "summarization", messages: [{ role: "user", content: [{ text }] }], deadlineMs: 5_000 });
  const model: string = r.servedBy.modelId;
  return \`\${model}: \${r.output.output?.message?.content?.[0]?.text ?? ""} (\${r.usage?.outputTokens ?? 0} tokens)\`;
}
export const isCapacity = (e: unknown): boolean => e instanceof RoutingError && e.classification.category === "capacity";
export const attempts: number = ROUTER_DEFAULTS.maxAttempts;
export const modelsOf = (d: RoutingDocument): string[] => Object.keys(d.models);
// OpenTelemetry options type-check without @opentelemetry/api installed (structural provider types).
export const quiet: RouterOptions = { ...options, telemetry: false };
export const ownProviders: RouterOptions = { ...options, telemetry: { tracerProvider: { getTracer: () => ({}) }, meterProvider: { getMeter: () => ({}) } } };
// @ts-expect-error a request names a task, never a model
void router.converse({ modelId: "anthropic.claude-haiku-4-5-20251001-v1:0", messages: [] });
// @ts-expect-error appConfig and document are options, region is required
createRouter({ document: undefined });
`;
    writeFileSync(join(app, "app.ts"), usage(PACKAGE_NAME));
    writeFileSync(join(app, "app-esm.mts"), usage(PACKAGE_NAME));
    writeFileSync(
      join(app, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { target: "ES2022", module: "nodenext", moduleResolution: "nodenext", strict: true, noEmit: true, types: ["node"], skipLibCheck: false }, files: ["app.ts", "app-esm.mts"] }),
    );
    const tsc = join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
    const result = await run(process.execPath, [tsc, "-p", "tsconfig.json", "--listFiles"], { cwd: app, timeout: 180_000, env: cleanEnv() }).catch((e) => e);
    expect(result.stdout.split("\n").filter((l: string) => /error TS/.test(l))).toEqual([]);
    // The declarations came from the installed package, not from this repository's sources.
    const listed: string[] = result.stdout.split("\n").filter((l: string) => l.includes(`node_modules/${PACKAGE_NAME}/`));
    expect(listed).toEqual(expect.arrayContaining([expect.stringMatching(/index\.d\.mts$/), expect.stringMatching(/dist\/client\/index\.d\.ts$/)]));
    expect(result.stdout).not.toContain(`${REPO_ROOT}/client/`);
  });
});

describe("EMF records in a real application", () => {
  it("without a metrics option, go to stderr and leave the application's stdout to the application", async () => {
    writeFileSync(join(app, "document.json"), JSON.stringify(testDocument()));
    const { stdout, stderr } = await runAppOutput(
      "emf.cjs",
      `
const { createRouter, parseRoutingDocument } = require(${JSON.stringify(PACKAGE_NAME)});
const router = createRouter({ region: process.env.AWS_REGION, endpointUrl: process.env.ENDPOINT_URL, document: parseRoutingDocument(require("node:fs").readFileSync("document.json", "utf8")) });
router.converse({ task: "chat", messages: [{ role: "user", content: [{ text: "ping" }] }] }).then(() => {
  router.close();
  console.log(JSON.stringify({ app: "output" }));
});
`,
    );
    expect(stdout.trim().split("\n")).toEqual(['{"app":"output"}']);
    const emf = stderr.split("\n").filter((l) => l.includes('"_aws"'));
    expect(emf).toHaveLength(1);
    expect(JSON.parse(emf[0])).toMatchObject({ Task: "chat", Outcome: "success" });
  });
});

// Last in the file: from here on the app has OpenTelemetry installed (the tests above prove the package without it).
describe("OpenTelemetry, once the application installs it", () => {
  const rootPkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8"));
  const otel = ["@opentelemetry/api", "@opentelemetry/sdk-trace-base", "@opentelemetry/context-async-hooks"];

  beforeAll(async () => {
    await installApp(app, [packed.tarball, "@types/node@20.19.43", ...otel.map((n) => `${n}@${rootPkg.devDependencies[n]}`)]);
  }, 600_000);

  /** The application's set-up (what NodeSDK does for it) and one routed call inside its request span. */
  const body = `
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const exporter = new InMemorySpanExporter();
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
const router = createRouter({ region: process.env.AWS_REGION, endpointUrl: process.env.ENDPOINT_URL, document: parseRoutingDocument(readFileSync("document.json", "utf8")), metrics: false });
trace.getTracer("app").startActiveSpan("handler", async (app) => {
  const r = await router.converse({ task: "chat", messages: [{ role: "user", content: [{ text: "ping" }] }] });
  app.end();
  router.close();
  const spans = exporter.getFinishedSpans().filter((s) => s.instrumentationScope.name === ${JSON.stringify(PACKAGE_NAME)});
  console.log(JSON.stringify({
    servedBy: r.servedBy.modelId,
    spans: spans.map((s) => [s.name, s.attributes["gen_ai.provider.name"], s.attributes["gen_ai.response.model"]]),
    sameTrace: spans.every((s) => s.spanContext().traceId === app.spanContext().traceId),
    callParent: spans.find((s) => s.name === "route chat")?.parentSpanContext?.spanId === app.spanContext().spanId,
  }));
});
`;
  const sdk = "{ BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor }";

  it.each([
    [
      "CommonJS",
      "otel.cjs",
      `const { context, trace } = require("@opentelemetry/api");
const ${sdk} = require("@opentelemetry/sdk-trace-base");
const { AsyncLocalStorageContextManager } = require("@opentelemetry/context-async-hooks");
const { createRouter, parseRoutingDocument } = require(${JSON.stringify(PACKAGE_NAME)});
const { readFileSync } = require("node:fs");`,
    ],
    [
      "ESM",
      "otel.mjs",
      `import { context, trace } from "@opentelemetry/api";
import ${sdk} from "@opentelemetry/sdk-trace-base";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { createRouter, parseRoutingDocument } from ${JSON.stringify(PACKAGE_NAME)};
import { readFileSync } from "node:fs";`,
    ],
  ])("%s: the router's spans join the application's active span, with the GenAI attributes", async (_kind, file, imports) => {
    writeFileSync(join(app, "document.json"), JSON.stringify(testDocument()));
    const out = await runApp(file, imports + body);
    expect(out.servedBy).toBe(HAIKU.modelId);
    expect(out.spans).toEqual([
      [`chat ${HAIKU.invokeId}`, "aws.bedrock", HAIKU.modelId],
      ["route chat", "aws.bedrock", HAIKU.modelId],
    ]);
    expect(out.sameTrace).toBe(true);
    expect(out.callParent).toBe(true);
  });
});
