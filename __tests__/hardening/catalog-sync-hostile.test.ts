/**
 * catalog:sync against a hostile control plane, over the wire (the real @aws-sdk/client-bedrock and
 * client-service-quotas): an endpoint that never answers, drips its body, hands back page tokens, or answers values
 * no account has. Every run ends within its bounds with one line per problem and writes nothing it should not.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { CATALOG_DIR, OVERLAY_FILE, SNAPSHOT_FILE } from "../../cli/catalog-files";
import { SyncFailed, syncCatalog, syncReport, type SyncOptions } from "../../cli/catalog-sync";
import { parseSyncArgs } from "../../cli/catalog-sync-cli";
import { describeUserError } from "../../cli/user-error";
import { catalogSnapshotSchema } from "../../core/catalog";
import { startLocalEndpoint } from "../../local/endpoint";
import { readSeed, seedEndpoint } from "../../scripts/catalog-seed";
import { syncFailureOf } from "../cli/fixtures";
import { CREDS, TODAY } from "../fixtures";
import { catalogApi, type HostileAnswer, type HostileRequest, type HostileServer, PLAIN_ANSWERS, startHostileServer } from "./hostile-server";

let dir: string;
let server: HostileServer | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sync-hostile-"));
  cpSync(join(CATALOG_DIR, OVERLAY_FILE), join(dir, OVERLAY_FILE));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** A control plane answering `script` for the APIs it names and a plain, valid answer for the others. */
async function hostile(script: Partial<Record<"models" | "profiles" | "quotas", (req: HostileRequest) => HostileAnswer>>): Promise<HostileServer> {
  server = await startHostileServer((req) => {
    const api = catalogApi(req);
    if (api === "other") return { kind: "json", status: 404, errorType: "UnknownOperationException", body: { message: "no" } };
    return script[api]?.(req) ?? { kind: "json", body: PLAIN_ANSWERS[api] };
  });
  return server;
}

const sync = (url: string, over: Partial<SyncOptions> = {}) =>
  syncCatalog({ regions: ["us-east-1"], endpointUrl: url, credentials: CREDS, snapshotFile: join(dir, SNAPSHOT_FILE), overlayFile: join(dir, OVERLAY_FILE), now: () => new Date(`${TODAY}T12:00:00Z`), cwd: dir, timeoutMs: 1_000, deadlineMs: 20_000, maxPages: 20, ...over });

const failureOf = syncFailureOf;

/** Only the overlay the test copied: no snapshot, no temporary file. */
const nothingWritten = () => expect(readdirSync(dir)).toEqual([OVERLAY_FILE]);

describe("hangs end with one line within the bounds (exit 1, nothing written)", () => {
  // The first SDK call of a process loads the clients' protocol code synchronously, which on a loaded 2-core machine
  // can take seconds: a plain sync first, so the bounds below measure the hostile endpoint, not module loading.
  beforeAll(async () => {
    const plain = await startHostileServer((req) => (catalogApi(req) === "other" ? { kind: "json", status: 404, body: {} } : { kind: "json", body: PLAIN_ANSWERS[catalogApi(req) as "models"] }));
    const warm = mkdtempSync(join(tmpdir(), "sync-warm-"));
    cpSync(join(CATALOG_DIR, OVERLAY_FILE), join(warm, OVERLAY_FILE));
    try {
      await syncCatalog({ regions: ["us-east-1"], endpointUrl: plain.url, credentials: CREDS, snapshotFile: join(warm, SNAPSHOT_FILE), overlayFile: join(warm, OVERLAY_FILE), now: () => new Date(`${TODAY}T12:00:00Z`), cwd: warm, timeoutMs: 60_000, deadlineMs: 120_000, maxPages: 20 }).catch(() => undefined);
    } finally {
      await plain.close();
      rmSync(warm, { recursive: true, force: true });
    }
  });

  it.each<[string, Parameters<typeof hostile>[0], Partial<SyncOptions>, RegExp]>([
    ["an endpoint that accepts and never answers", { models: () => ({ kind: "hang" }) }, {}, /^us-east-1: bedrock:ListFoundationModels did not answer within 1000 ms \(--timeout-ms\)/],
    ["a body dripped a byte every 300 ms", { quotas: () => ({ kind: "drip", body: PLAIN_ANSWERS.quotas, everyMs: 300 }) }, {}, /^us-east-1: servicequotas:ListServiceQuotas did not answer within 1000 ms \(--timeout-ms\)/],
    ["a page token that comes back unchanged", { profiles: () => ({ kind: "json", body: { ...PLAIN_ANSWERS.profiles, nextToken: "same" } }) }, {}, /^us-east-1: bedrock:ListInferenceProfiles returned the page token "same" a second time \(page 2\)/],
    ["two page tokens in turn (A, B, A)", { quotas: (r) => ({ kind: "json", body: { ...PLAIN_ANSWERS.quotas, NextToken: r.body?.NextToken === "A" ? "B" : "A" } }) }, {}, /^us-east-1: servicequotas:ListServiceQuotas returned the page token "A" a second time \(page 3\)/],
    ["a new token on every page, for ever", { profiles: (r) => ({ kind: "json", body: { ...PLAIN_ANSWERS.profiles, nextToken: `t${Number(r.query.get("nextToken")?.slice(1) ?? 0) + 1}` } }) }, { maxPages: 5 }, /^us-east-1: bedrock:ListInferenceProfiles had more pages after 5 \(the page ceiling, --max-pages\)/],
    ["answers that each fit the call timeout but not the deadline", { models: () => ({ kind: "drip", body: PLAIN_ANSWERS.models, everyMs: 50 }) }, { timeoutMs: 60_000, deadlineMs: 1_500 }, /^us-east-1: bedrock:ListFoundationModels was still running at the deadline \(--deadline-ms 1500\)/],
  ])("%s", async (_name, script, over, line) => {
    const s = await hostile(script);
    const started = Date.now();
    const f = await failureOf(sync(s.url, over));
    expect(Date.now() - started).toBeLessThan(15_000); // bounded (the bounds are 1-1.5 s; generous for a busy machine)
    expect(f.exitCode).toBe(1);
    expect(f.lines).toEqual([expect.stringMatching(line), "nothing written: snapshot.json is unchanged"]);
    expect(s.requests.length).toBeLessThan(40); // no runaway loop of requests
    nothingWritten();
  });
});

describe("unexpected answers: one line naming region, API and field, or a skipped entry with a warning", () => {
  const model = (over: Record<string, unknown>) => ({ modelId: "amazon.nova-pro-v1:0", modelName: "Nova Pro", providerName: "Amazon", inferenceTypesSupported: ["INFERENCE_PROFILE"], responseStreamingSupported: true, modelLifecycle: { status: "ACTIVE" }, ...over });
  const quota = (over: Record<string, unknown>) => ({ QuotaCode: "L-AAAA0002", QuotaName: "Cross-region model inference tokens per minute for Amazon Nova Pro", Value: 5000, ...over });
  const withModel = (m: unknown) => ({ models: () => ({ kind: "json" as const, body: { modelSummaries: [...PLAIN_ANSWERS.models.modelSummaries, m] } }) });
  const withQuota = (q: unknown) => ({ quotas: () => ({ kind: "json" as const, body: { Quotas: [...PLAIN_ANSWERS.quotas.Quotas, q] } }) });

  it.each<[string, Parameters<typeof hostile>[0], RegExp]>([
    ["a quota code not shaped L-XXXXXXXX", withQuota(quota({ QuotaCode: "Q-1" })), /^us-east-1: servicequotas:ListServiceQuotas Quotas\[1\]\.QuotaCode: "Q-1" of "Cross-region .*Nova Pro" is not a Service Quotas code \(L-XXXXXXXX\): quota skipped$/],
    ["a negative quota value", withQuota(quota({ Value: -5 })), /^us-east-1: servicequotas:ListServiceQuotas Quotas\[1\]\.Value: -5 of L-AAAA0002 .* is not a quota value \(a number >= 0\): quota skipped$/],
    ["a quota value that is a string", withQuota(quota({ Value: "5000" })), /^us-east-1: servicequotas:ListServiceQuotas Quotas\[1\]\.Value: "5000" of L-AAAA0002 .* is not a quota value/],
    ["an empty lifecycle status", withModel(model({ modelLifecycle: { status: "" } })), /^us-east-1: bedrock:ListFoundationModels modelSummaries\[1\]\.modelLifecycle\.status: is "", not a lifecycle status: entry skipped$/],
    ["an empty inference type", withModel(model({ inferenceTypesSupported: ["", "INFERENCE_PROFILE"] })), /^us-east-1: bedrock:ListFoundationModels modelSummaries\[1\]\.inferenceTypesSupported\[0\]: "" is not an inference type: left out$/],
    ["a profile ARN in an unknown region", { profiles: () => ({ kind: "json", body: { inferenceProfileSummaries: [{ inferenceProfileId: "us.amazon.nova-lite-v1:0", models: [{ modelArn: "arn:aws:bedrock:mars-north-1::foundation-model/amazon.nova-lite-v1:0" }] }] } }) }, /^us-east-1: bedrock:ListInferenceProfiles inferenceProfileSummaries\[0\]\.models\[0\]\.modelArn: "arn:aws:bedrock:mars-north-1::.*" is not a foundation-model ARN in a known region: destination left out$/],
    ["a model ID with a space", withModel(model({ modelId: "amazon.nova pro" })), /^us-east-1: bedrock:ListFoundationModels modelSummaries\[1\]\.modelId: "amazon\.nova pro" is not a Bedrock model ID: entry skipped$/],
  ])("%s: the sync goes on and warns in one line", async (_name, script, warning) => {
    const s = await hostile(script);
    const r = await sync(s.url);
    expect(r.warnings).toEqual([expect.stringMatching(warning)]);
    expect(syncReport(r, dir)).toContain(`warning: ${r.warnings[0]}`);
    expect(catalogSnapshotSchema.safeParse(JSON.parse(readFileSync(r.file, "utf8"))).success).toBe(true);
  });

  it.each<[string, string, string]>([
    ["DEPRECATED", "DEPRECATED", "DEPRECATED is not a status this version knows (ACTIVE, LEGACY): recorded as listed; synth treats it like LEGACY"],
    ["lower-case legacy", "legacy", 'is "legacy"; recorded as LEGACY'],
  ])("an unknown lifecycle status (%s) is never taken as ACTIVE", async (_name, status, note) => {
    const s = await hostile(withModel(model({ modelLifecycle: { status } })));
    const r = await sync(s.url);
    expect(r.snapshot.regions["us-east-1"].models["amazon.nova-pro-v1:0"].lifecycle.status).toBe(status.toUpperCase());
    expect(r.warnings.join("\n")).toContain(note);
  });

  it("an empty answer from all three APIs is refused, not taken as an empty region", async () => {
    const s = await hostile({ models: () => ({ kind: "json", body: {} }), profiles: () => ({ kind: "json", body: {} }), quotas: () => ({ kind: "json", body: {} }) });
    const f = await failureOf(sync(s.url));
    expect(f.lines).toEqual([
      "us-east-1: bedrock:ListFoundationModels modelSummaries: listed no models; Bedrock lists its models in every region it is offered in, so the answer is not taken",
      "us-east-1: servicequotas:ListServiceQuotas Quotas: listed no quotas for service bedrock; Service Quotas lists them wherever Bedrock is offered, so the answer is not taken",
      "nothing written: snapshot.json is unchanged",
    ]);
    nothingWritten();
  });

  it("a timestamp the SDK cannot read is one line naming the API, not a stack trace", async () => {
    const s = await hostile(withModel(model({ modelLifecycle: { status: "LEGACY", legacyTime: "yesterday-ish" } })));
    const f = await failureOf(sync(s.url));
    expect(f.lines[0]).toMatch(/^us-east-1: bedrock:ListFoundationModels answered a value the SDK cannot read \(TypeError: .*\): nothing was taken from it$/);
  });

  // The property: whatever a control plane answers per entry, the sync either writes a snapshot the schema accepts
  // (warning once per skipped value) or fails with lines that each name the region; it never throws anything else.
  const anyValue = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 2 }));
  const oddModel = fc.record({ modelId: fc.oneof(fc.constant("amazon.nova-pro-v1:0"), anyValue), modelLifecycle: fc.oneof(fc.record({ status: fc.oneof(fc.constantFrom("ACTIVE", "LEGACY", "legacy", "DEPRECATED", ""), anyValue) }), anyValue), inferenceTypesSupported: fc.oneof(fc.array(fc.oneof(fc.constantFrom("ON_DEMAND", "INFERENCE_PROFILE", ""), anyValue), { maxLength: 3 }), anyValue), responseStreamingSupported: anyValue }, { requiredKeys: [] });
  const oddQuota = fc.record({ QuotaCode: fc.oneof(fc.constant("L-AAAA0003"), anyValue), QuotaName: fc.oneof(fc.constant("Cross-region model inference tokens per minute for Amazon Nova Pro"), anyValue), Value: anyValue }, { requiredKeys: [] });
  const oddProfile = fc.record({ inferenceProfileId: fc.oneof(fc.constant("us.amazon.nova-pro-v1:0"), anyValue), status: anyValue, models: fc.oneof(fc.array(fc.record({ modelArn: fc.oneof(fc.constant("arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0"), anyValue) }), { maxLength: 2 }), anyValue) }, { requiredKeys: [] });

  it("property: any odd entry is a warning or a one-line failure, never a crash (over the wire)", async () => {
    let current = { models: [] as unknown[], profiles: [] as unknown[], quotas: [] as unknown[] };
    const s = await hostile({
      models: () => ({ kind: "json", body: { modelSummaries: [...PLAIN_ANSWERS.models.modelSummaries, ...current.models] } }),
      profiles: () => ({ kind: "json", body: { inferenceProfileSummaries: [...PLAIN_ANSWERS.profiles.inferenceProfileSummaries, ...current.profiles] } }),
      quotas: () => ({ kind: "json", body: { Quotas: [...PLAIN_ANSWERS.quotas.Quotas, ...current.quotas] } }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(oddModel, { maxLength: 3 }), fc.array(oddProfile, { maxLength: 2 }), fc.array(oddQuota, { maxLength: 3 }), async (models, profiles, quotas) => {
        current = { models, profiles, quotas };
        rmSync(join(dir, SNAPSHOT_FILE), { force: true });
        try {
          const r = await sync(s.url);
          expect(catalogSnapshotSchema.safeParse(JSON.parse(readFileSync(r.file, "utf8"))).success).toBe(true);
          for (const w of r.warnings) expect(w).toMatch(/^us-east-1: (bedrock:ListFoundationModels|bedrock:ListInferenceProfiles|servicequotas:ListServiceQuotas) \S/);
        } catch (e) {
          if (!(e instanceof SyncFailed)) throw e;
          for (const l of e.lines.slice(0, -1)) expect(l).toMatch(/^us-east-1: /);
          expect(existsSync(join(dir, SNAPSHOT_FILE))).toBe(false);
        }
      }),
      { numRuns: 60, seed: 16 },
    );
  });
});

describe("credentials in --endpoint-url never reach the output or the snapshot", () => {
  it("the printed endpoint, the report and the file show *** instead of user and password", async () => {
    const ep = await startLocalEndpoint();
    try {
      seedEndpoint(ep, readSeed(), ["us-east-1"]);
      const url = ep.url.replace("http://", "http://operator:s3cr3t-pw@");
      const r = await sync(url);
      const text = readFileSync(r.file, "utf8");
      expect(text).not.toContain("s3cr3t-pw");
      expect(text).not.toContain("operator");
      expect(r.snapshot.origin.description).toBe(`catalog:sync against ${ep.url.replace("http://", "http://***@")}`);
      expect(r.snapshot.regions["us-east-1"].read.endpoint).toBe(ep.url.replace("http://", "http://***@"));
      expect(syncReport(r, dir).join("\n")).not.toContain("s3cr3t-pw");
    } finally {
      await ep.close();
    }
  });
});

describe("catalog:sync arguments (exit 2, one line, nothing read or written)", () => {
  const usage = (argv: string[]) => {
    try {
      parseSyncArgs(argv);
    } catch (e) {
      return describeUserError(e);
    }
    return undefined;
  };
  it.each<[string, string[], RegExp]>([
    ["--snapshot \"\"", ["--regions", "us-east-1", "--snapshot", ""], /^--snapshot needs a value, got an empty string/],
    ["a query string", ["--regions", "us-east-1", "--endpoint-url", "http://127.0.0.1:4566/?x=1"], /must not have a query string \(the SDK would drop it\)/],
    ["port 0", ["--regions", "us-east-1", "--endpoint-url", "http://127.0.0.1:0"], /needs a port from 1 to 65535/],
    ["a password in a bad URL is not echoed", ["--regions", "us-east-1", "--endpoint-url", "ftp://u:hunter2@h"], /^--endpoint-url ftp:\/\/\*\*\*@h must use http or https/],
    ["a flag given twice", ["--regions", "us-east-1", "--regions", "eu-west-1"], /^--regions given twice \("us-east-1" and "eu-west-1"\): give it once/],
    ["a --snapshot that is a directory", ["--regions", "us-east-1", "--snapshot", "/tmp"], /^--snapshot "\/tmp" is a directory, not a regular file/],
    ["a --timeout-ms of 0", ["--regions", "us-east-1", "--timeout-ms", "0"], /^--timeout-ms "0" must be a whole number from 1 to/],
  ])("%s", (_name, argv, message) => {
    const r = usage(argv);
    expect(r).toEqual({ lines: [expect.stringMatching(message)], exitCode: 2 });
    expect(r!.lines[0]).not.toContain("hunter2");
  });

  it("bad --regions are echoed escaped and bounded", () => {
    const many = Array.from({ length: 500 }, (_, i) => `bad\u001b[31m${i}`).join(",");
    const r = usage(["--regions", many])!;
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0].length).toBeLessThan(600);
    expect(r.lines[0]).not.toContain("\u001b");
    expect(r.lines[0]).toContain("and 495 more");
  });

  it("--help names the bounds and their defaults", () => {
    expect(parseSyncArgs(["--help"])).toBe("help");
  });
});
