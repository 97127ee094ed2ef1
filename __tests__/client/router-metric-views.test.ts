import type { EmfRecord } from "../../client/metrics";
import type { RouteRequest } from "../../client/router";
import { CALL_OUTCOMES, METRIC_VIEWS } from "../../core/runtime";
import { HAIKU, MICRO, NOVA } from "../fixtures";
import { failure, messages, testDocument, useLocalEndpoint } from "./fixtures";

// The routing dashboard, the client-side alarms and the saved queries read the client's EMF records by the views
// core/runtime/routing-metrics.ts declares. These tests make real calls over the wire (local endpoint, real SDK) and
// check what each kind of call writes: which directives, which values, and that no call is counted twice.

const local = useLocalEndpoint();

type Directive = EmfRecord["_aws"]["CloudWatchMetrics"][number];
const directives = (r: EmfRecord): Directive[] => [...r._aws.CloudWatchMetrics];
const dimensionSets = (r: EmfRecord) => directives(r).flatMap((d) => d.Dimensions.map((s) => s.join("|")));

/** What every record must satisfy to be extracted by CloudWatch without double counting. */
function expectWellFormed(r: EmfRecord): void {
  const json = JSON.parse(JSON.stringify(r));
  for (const d of directives(r)) {
    expect(d.Namespace).toBe("Test/Routing");
    for (const set of d.Dimensions) for (const key of set) expect(typeof json[key]).toBe("string");
    for (const m of d.Metrics) expect(typeof json[m.Name]).toBe("number");
  }
  // A dimension set in two directives would count the record's metrics twice under it.
  const sets = dimensionSets(r);
  expect(new Set(sets).size).toBe(sets.length);
  expect(CALL_OUTCOMES).toContain(json.Outcome);
}

const metricsOf = (r: EmfRecord, view: keyof typeof METRIC_VIEWS) => directives(r).find((d) => d.Dimensions === METRIC_VIEWS[view].dimensions)?.Metrics.map((m) => m.Name);

describe("the routing views of a call record", () => {
  it("a call that fell back after a 503: every view, Fallbacks 1, Failures 0, the reason as FallbackCause", async () => {
    const { router, records } = local.make({ namespace: "Test/Routing" });
    local.ep.inject({ modelId: HAIKU.invokeId, fault: "server-error", status: 503, times: 1 });
    await router.converse({ task: "summarization", messages: messages() });
    const [r] = records;
    expectWellFormed(r);
    expect(r).toMatchObject({ Task: "summarization", Model: NOVA.modelId, Variant: "primary", Outcome: "success", FellBack: "true", Calls: 1, Fallbacks: 1, Failures: 0, FallbackCause: "service-unavailable" });
    expect(dimensionSets(r)).toEqual(["Task|Model|Outcome|FellBack", "Task", "Task|Model", "Task|Outcome", "Task|Variant", "Model", "Model|Variant"]);
    expect(metricsOf(r, "route")).toEqual(["LatencyMs", "InputTokens", "OutputTokens", "Attempts", "Fallbacks", "Failures"]);
    expect(metricsOf(r, "distribution")).toEqual(["Calls"]);
    expect(metricsOf(r, "variant")).toEqual(["LatencyMs", "Fallbacks", "Failures"]);
    // An answer of a model counts in its refusal rate (0 here), per model and per model and variant.
    expect(metricsOf(r, "refusals")).toEqual(["Refusals"]);
    expect(r).toMatchObject({ Refusals: 0 });
    // The original directive is unchanged: dashboards built on it keep working.
    expect(metricsOf(r, "call")).toEqual(["LatencyMs", "InputTokens", "OutputTokens", "ReservedTokens", "Attempts"]);
  });

  it("a call served by its primary: Fallbacks 0 and no FallbackCause", async () => {
    const { router, records } = local.make({ namespace: "Test/Routing" });
    await router.converse({ task: "chat", messages: messages() });
    expectWellFormed(records[0]);
    expect(records[0]).toMatchObject({ Outcome: "success", Fallbacks: 0, Failures: 0 });
    expect(records[0]).not.toHaveProperty("FallbackCause");
  });

  it("a primary passed over without a failed attempt (no quota room): FallbackCause passed-over", async () => {
    const document = testDocument((d) => (d.models[HAIKU.modelId].quota = { tokensPerMinute: 0 }));
    const { router, records } = local.make({ namespace: "Test/Routing", document });
    const r = await router.converse({ task: "summarization", messages: messages() });
    expect(r.servedBy).toEqual(NOVA);
    expect(records[0]).toMatchObject({ FellBack: "true", Fallbacks: 1, FallbackCause: "passed-over", Attempts: 1 });
  });

  it("a call every candidate failed for capacity: Failures 1, outcome capacity, cause of the last failure", async () => {
    const { router, records } = local.make({ namespace: "Test/Routing" });
    for (const m of [HAIKU, NOVA, MICRO]) local.ep.inject({ modelId: m.invokeId, fault: "throttle" });
    await failure(router.converse({ task: "summarization", messages: messages() }));
    expectWellFormed(records[0]);
    expect(records[0]).toMatchObject({ Outcome: "capacity", Failures: 1, Cause: "throttled" });
  });

  it("a configuration error is a failure of the route, not a fallback", async () => {
    const { router, records } = local.make({ namespace: "Test/Routing" });
    await failure(router.converse({ task: "broken", messages: messages() }));
    expectWellFormed(records[0]);
    expect(records[0]).toMatchObject({ Outcome: "configuration", Fallbacks: 0, Failures: 1 });
  });

  it("a caller's malformed request is counted by task and outcome only: never in the route's latency or rates", async () => {
    const { router, records } = local.make({ namespace: "Test/Routing" });
    await failure(router.converse({ task: "summarization", messages: [] } as unknown as RouteRequest));
    expectWellFormed(records[0]);
    expect(records[0]).toMatchObject({ Outcome: "caller", Calls: 1 });
    expect(records[0]).not.toHaveProperty("Fallbacks");
    expect(records[0]).not.toHaveProperty("Failures");
    expect(dimensionSets(records[0])).toEqual(["Task|Model|Outcome|FellBack", "Task|Model", "Task|Outcome"]);
  });

  it("a stream the caller cancels keeps its latency but stays out of the rates", async () => {
    const { router, records } = local.make({ namespace: "Test/Routing" });
    const s = await router.converseStream({ task: "chat", messages: messages() });
    for await (const ev of s) if (ev.contentBlockDelta) break;
    await expect(s.result).rejects.toThrow(/cancelled/);
    const r = records.at(-1)!;
    expectWellFormed(r);
    expect(r).toMatchObject({ Outcome: "cancelled", Streaming: true });
    expect(r).not.toHaveProperty("Fallbacks");
    expect(metricsOf(r, "route")).toEqual(["LatencyMs", "TimeToFirstTokenMs", "Attempts"]);
  });

  it.each([
    ["refusal", "refused"],
    ["content_filtered", "refused"],
    ["guardrail_intervened", "guardrail"],
    ["end_turn", "success"],
  ])("an answer with stop reason %s is outcome %s, for Converse and streams alike", async (stopReason, outcome) => {
    const { router, records } = local.make({ namespace: "Test/Routing" });
    local.ep.scriptAnswer({ modelId: HAIKU.invokeId, text: "I can't help with that.", stopReason });
    await router.converse({ task: "chat", messages: messages() });
    const s = await router.converseStream({ task: "chat", messages: messages() });
    for await (const _ of s) void _;
    expect(records.map((r) => [r.Outcome, r.Failures, r.Streaming])).toEqual([
      [outcome, 0, false],
      [outcome, 0, true],
    ]);
    for (const r of records) expectWellFormed(r);
  });

  it("a canary call is split by variant: Variant canary in the variant view, whoever served it", async () => {
    const document = testDocument((d) => (d.routes.chat = { ...d.routes.chat, canary: { model: NOVA.modelId, percent: 50 } }));
    const { router, records } = local.make({ namespace: "Test/Routing", document, random: () => 0.01 });
    await router.converse({ task: "chat", messages: messages() });
    expect(records[0]).toMatchObject({ Variant: "canary", Model: NOVA.modelId, FellBack: "false" });
    expect(metricsOf(records[0], "variant")).toEqual(["LatencyMs", "Fallbacks", "Failures"]);
    expectWellFormed(records[0]);
    expect(JSON.stringify(records[0])).not.toContain("ACME-SECRET-7731");
  });

  it("the router's workload option is the Workload field of every record (a log field, not a dimension)", async () => {
    const { router, records } = local.make({ namespace: "Test/Routing", workload: "support-bot" });
    await router.converse({ task: "chat", messages: messages() });
    await failure(router.converse({ task: "summarization", messages: [] } as unknown as RouteRequest));
    for (const r of records) {
      expect(r.Workload).toBe("support-bot");
      expect(dimensionSets(r).some((s) => s.includes("Workload"))).toBe(false);
    }
  });

  it.each([["Support Bot"], [""], ["x".repeat(32)], [42]])("a workload that is not a workload name (%p) is refused by createRouter", (workload) => {
    expect(() => local.make({ workload: workload as string })).toThrow(/createRouter: workload must be a workload name/);
  });
});
