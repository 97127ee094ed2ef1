import { createRouter, type Router } from "../../client/router";
import type { EmfRecord } from "../../client/metrics";
import { buildManifest } from "../../core/routing";
import { estimateCostUsd, type RoutingDocument } from "../../core/runtime";
import { type LocalEndpoint, startLocalEndpoint } from "../../local/endpoint";
import { LOCAL_TPM_QUOTA, seedFromManifests } from "../../local/seed";
import { costPlan, CREDS, HAIKU, NOVA_PRO } from "../fixtures";
import { failure, messages, testDocument } from "./fixtures";

// Over the wire against the local endpoint seeded as after `cdktf deploy` of an environment that attributes cost: the
// router runs as a workload, calls through that workload's application profiles, and records each call's estimated
// cost per workload.

const plan = costPlan();
const region = "us-east-1";
const manifest = buildManifest(plan, region);
let ep: LocalEndpoint;
const routers: Router[] = [];

beforeAll(async () => {
  ep = await startLocalEndpoint();
  seedFromManifests(ep, plan, [manifest], LOCAL_TPM_QUOTA);
});
afterAll(async () => {
  for (const r of routers) r.close();
  await ep.close();
});
beforeEach(() => ep.clearCalls());

function routerAs(workload: string | undefined, extra: { document?: RoutingDocument; warn?: (m: string) => void } = {}) {
  const records: EmfRecord[] = [];
  const router = createRouter({
    region,
    endpointUrl: ep.url,
    credentials: CREDS,
    ...(extra.document ? { document: extra.document } : { appConfig: { application: manifest.appConfig.application, environment: manifest.appConfig.environment, profile: manifest.appConfig.profile } }),
    metrics: (r) => records.push(r),
    ...(workload ? { workload } : {}),
    ...(extra.warn ? { warn: extra.warn } : {}),
  });
  routers.push(router);
  return { router, records };
}
const runtimeCalls = () => ep.calls.filter((c) => c.service === "bedrock-runtime");

/** The EMF directives of a record that carry the estimated cost. */
const costDirectives = (rec: any): any[] => rec._aws.CloudWatchMetrics.filter((d: any) => d.Metrics.some((m: any) => m.Name === "EstimatedCostUsd"));

describe("a router that runs as a workload", () => {
  it("calls through the workload's own application profile, which the endpoint serves as the model it copies", async () => {
    const { router, records } = routerAs("support-bot");
    const r = await router.converse({ task: "summarization", messages: messages() });
    const arn = ep.appConfig.hostedVersions({ region })[0] && JSON.parse(ep.appConfig.hostedVersions({ region })[0].content).workloads["support-bot"].invokeIds[HAIKU.modelId];
    expect(arn).toMatch(/^arn:aws:bedrock:us-east-1:\d{12}:application-inference-profile\/[a-z0-9]{12}$/);
    expect(r.servedBy).toEqual({ modelId: HAIKU.modelId, invokeId: arn });
    expect(runtimeCalls().map((c) => [c.modelId, c.servedAs, c.status])).toEqual([[arn, HAIKU.invokeId, 200]]);
    // Another workload's router uses its own profile of the same model.
    const other = routerAs("doc-pipeline");
    const r2 = await other.router.converse({ task: "summarization", messages: messages() });
    expect(r2.servedBy.invokeId).not.toBe(arn);
    // The quota estimate is the model's: every workload's profile of it draws on one per-model quota.
    expect(router.quotas().map((q) => q.invokeId)).toEqual(expect.arrayContaining([HAIKU.invokeId]));
    expect(router.quotas().map((q) => q.invokeId)).not.toContain(arn);
    expect(records).toHaveLength(1);
  });

  it("records the workload and the call's estimated cost (tokens x the document's price) in an EMF directive of its own", async () => {
    const { router, records } = routerAs("support-bot");
    const r = await router.converse({ task: "summarization", messages: messages() });
    const [rec] = records;
    const expected = estimateCostUsd(plan.specs[HAIKU.modelId].price!, r.usage!);
    expect(expected).toBeGreaterThan(0);
    expect(rec.Workload).toBe("support-bot");
    expect(rec.EstimatedCostUsd).toBeCloseTo(expected, 12);
    expect(costDirectives(rec)).toEqual([{ Namespace: "BedrockRouting", Dimensions: [["Workload"], ["Workload", "Model"]], Metrics: [{ Name: "EstimatedCostUsd", Unit: "None" }] }]);
    const stream = await router.converseStream({ task: "customer-chat", messages: messages() });
    for await (const _ of stream) void _;
    const done = await stream.result;
    expect(records[1].EstimatedCostUsd).toBeCloseTo(estimateCostUsd(plan.specs["anthropic.claude-sonnet-4-5-20250929-v1:0"].price!, done.usage!), 12);
  });

  it.each<[string, string | undefined, string, RegExp, RegExp]>([
    ["names no workload", undefined, "summarization", /^the routing document attributes cost per workload \(support-bot, dev-assistant, doc-pipeline\)/, /^pass workload to createRouter/],
    ["names one the document lacks", "nobody", "summarization", /^workload "nobody" is not in the routing document \(workloads: support-bot, dev-assistant, doc-pipeline\)$/, /^use one of/],
    ["calls a task outside its routes", "doc-pipeline", "code-review", /^workload "doc-pipeline" may not call task "code-review"; its routes: extraction, summarization, bulk-extraction$/, /^call one of/],
  ])("refuses, as configuration and before any wire call, a router that %s", async (_case, workload, task, message, hint) => {
    const { router, records } = routerAs(workload);
    const e = await failure(router.converse({ task, messages: messages() }));
    expect(e.category).toBe("configuration");
    expect(e.message).toMatch(message);
    expect(e.hint).toMatch(hint);
    expect(runtimeCalls()).toEqual([]);
    expect(records.map((x) => [x.Outcome, x.Model])).toEqual([["configuration", "none"]]);
  });

  it("a model without a price records no estimate and is named once; a document without workloads still records the workload", async () => {
    const warnings: string[] = [];
    const doc = testDocument((d) => delete d.models[HAIKU.modelId].price);
    const { router, records } = routerAs("anyone", { document: doc, warn: (m) => warnings.push(m) });
    await router.converse({ task: "chat", messages: messages() });
    await router.converse({ task: "chat", messages: messages() });
    expect(records.map((x) => [x.Workload, x.EstimatedCostUsd, costDirectives(x)])).toEqual([
      ["anyone", undefined, []],
      ["anyone", undefined, []],
    ]);
    expect(warnings).toEqual([expect.stringMatching(new RegExp(`^no price is known for ${HAIKU.modelId.replace(/\./g, "\\.")} `))]);
    const priced = testDocument((d) => (d.models[NOVA_PRO.modelId] = { invokeId: NOVA_PRO.invokeId, enabled: true, price: { inputPer1k: 0.0008, outputPer1k: 0.0032 } }));
    priced.routes.pro = { primary: NOVA_PRO.modelId, fallbacks: [], maxTokens: 8 };
    const anonymous = routerAs(undefined, { document: priced });
    await anonymous.router.converse({ task: "pro", messages: messages() });
    expect(costDirectives(anonymous.records[0]).map((d) => d.Dimensions)).toEqual([[["Model"]]]);
    expect(anonymous.records[0].Workload).toBeUndefined();
  });

  it("by default a process warns once per unpriced model, however many routers it makes", async () => {
    const emitted = jest.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    try {
      const doc = testDocument((d) => delete d.models[HAIKU.modelId].price);
      for (const workload of ["first", "second"]) await routerAs(workload, { document: doc }).router.converse({ task: "chat", messages: messages() });
      const noPrice = emitted.mock.calls.filter(([message, options]) => (options as { code?: string })?.code === "BEDROCK_ROUTING_NO_PRICE" && String(message).startsWith(`no price is known for ${HAIKU.modelId} `));
      expect(noPrice).toHaveLength(1);
    } finally {
      emitted.mockRestore();
    }
  });
});
