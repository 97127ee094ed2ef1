import type { Classification } from "../../core/runtime";
import { type CheckResult, exitCodeOf, summarize } from "../../smoke/check-result";
import { Deadline, DeadlineExceeded } from "../../cli/deadline";
import { phaseOf, undoReason } from "../../smoke/deployment-state";
import { differingPaths } from "../../smoke/document-drift";
import { junitXml, xmlEscape } from "../../smoke/junit-report";
import { selectTpmQuota } from "../../smoke/quota-figures";
import { replySample } from "../../smoke/converse-probe";
import { withRetries } from "../../cli/retry";
import { workerPool } from "../../cli/worker-pool";
import { probeTargets, quotaTargets, targetLabel } from "../../smoke/probe-targets";
import { APPLY_TIME } from "../../core/environment";
import { buildManifest, buildRoutingDocument } from "../../core/routing";
import { appliedGuardrails, prodPlan } from "../fixtures";

describe("differingPaths", () => {
  test("names changed leaves, added and removed keys, and resized arrays", () => {
    const synthesized = { models: { "a.b-v1:0": { enabled: true, invokeId: "us.a" } }, routes: { chat: { primary: "x", fallbacks: ["y"], maxTokens: 10 } } };
    const deployed = { models: { "a.b-v1:0": { enabled: false, invokeId: "us.a" } }, routes: { chat: { primary: "x", fallbacks: [], maxTokens: 10, temperature: 0 } } };
    expect(differingPaths(deployed, synthesized)).toEqual(['models["a.b-v1:0"].enabled', "routes.chat.fallbacks", "routes.chat.temperature"]);
  });

  test("equal documents have no drift, whatever the key order", () => {
    expect(differingPaths({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toEqual([]);
  });

  test("an apply-time value matches the applied string deployed, and nothing else", () => {
    const expected = { guardrail: { name: "g", identifier: APPLY_TIME, version: APPLY_TIME } };
    expect(differingPaths({ guardrail: { name: "g", identifier: "arn:aws:bedrock:us-east-1:111111111111:guardrail/abc", version: "3" } }, expected)).toEqual([]);
    expect(differingPaths({ guardrail: { name: "h", identifier: "", version: 3 } }, expected)).toEqual(["guardrail.identifier", "guardrail.name", "guardrail.version"]);
    expect(differingPaths({}, expected)).toEqual(["guardrail"]);
  });

  test("prod as deployed (applied guardrails) shows no drift against its manifest", () => {
    const plan = prodPlan();
    for (const region of plan.config.regions)
      expect(differingPaths(JSON.parse(JSON.stringify(buildRoutingDocument(plan, region, appliedGuardrails(plan, region)))), buildManifest(plan, region).routingDocument)).toEqual([]);
  });
});

describe("probeTargets", () => {
  const plan = prodPlan();
  const region = "us-east-1";
  const manifest = buildManifest(plan, region);
  const doc = buildRoutingDocument(plan, region, appliedGuardrails(plan, region));
  const targets = probeTargets(doc, manifest);

  test("one target per model and way its routes call it (tier, guardrail, request parameters); plain ways first", () => {
    const byModel = (id: string) => targets.filter((t) => t.modelId === id).map((t) => ({ label: targetLabel(t), routes: t.routes.map((r) => r.task), maxTokens: t.maxTokens }));
    // prod's Nova Pro routes send temperature 0.2 (summarization), 0 (extraction) and 0 with the flex tier (bulk-extraction).
    expect(byModel("amazon.nova-pro-v1:0")).toEqual([
      { label: "us.amazon.nova-pro-v1:0 temperature=0.2", routes: ["summarization"], maxTokens: 2048 },
      { label: "us.amazon.nova-pro-v1:0 temperature=0", routes: ["extraction"], maxTokens: 4096 },
      { label: "us.amazon.nova-pro-v1:0 tier=flex temperature=0", routes: ["bulk-extraction"], maxTokens: 4096 },
    ]);
    expect(targets.find((t) => t.routes.some((r) => r.task === "extraction"))?.parameters).toEqual({ temperature: 0 });
    expect(byModel("anthropic.claude-sonnet-4-5-20250929-v1:0")).toEqual([
      { label: "us.anthropic.claude-sonnet-4-5-20250929-v1:0", routes: ["code-review", "agent-planning"], maxTokens: 8192 },
      { label: "us.anthropic.claude-sonnet-4-5-20250929-v1:0 guardrail=customer-safety", routes: ["customer-chat"], maxTokens: 2048 },
    ]);
    const guarded = targets.find((t) => t.guardrail)!;
    expect(guarded.guardrail).toEqual({ name: "customer-safety", ...{ identifier: appliedGuardrails(plan, region)["customer-safety"].arn, version: "1" } });
  });

  test("every (route, model) pair still gets exactly one quota row", () => {
    const pairs = Object.values(plan.config.routes).reduce((n, r) => n + 1 + r.fallbacks.length, 0);
    const rows = quotaTargets(targets).map((q) => `${q.task} ${q.target.modelId}`);
    expect(rows).toHaveLength(pairs);
    expect(new Set(rows).size).toBe(pairs);
  });
});

describe("probeTargets with cost attribution", () => {
  // Two workloads call one model the same way (no tier, guardrail or parameters) from different routes.
  const arn = (w: string) => `arn:aws:bedrock:us-east-1:111111111111:application-inference-profile/${w}`;
  const doc = {
    models: { "a.m-v1:0": { enabled: true, invokeId: "us.a.m-v1:0" } },
    routes: { chat: { primary: "a.m-v1:0", fallbacks: [], maxTokens: 100 }, batch: { primary: "a.m-v1:0", fallbacks: [], maxTokens: 900, canary: { model: "a.m-v1:0", percent: 5 } } },
    workloads: { bot: { routes: ["chat"], invokeIds: { "a.m-v1:0": arn("bot") } }, jobs: { routes: ["batch"], invokeIds: { "a.m-v1:0": arn("jobs") } } },
  } as unknown as Parameters<typeof probeTargets>[0];
  const manifest = { models: {}, routes: {} } as unknown as Parameters<typeof probeTargets>[1];

  test("each workload's probe names, caps and canaries only its own routes of the way", () => {
    const view = probeTargets(doc, manifest).map((t) => ({ invokeId: t.invokeId, label: targetLabel(t), routes: t.routes.map((r) => r.task), maxTokens: t.maxTokens }));
    expect(view).toEqual([
      { invokeId: arn("bot"), label: "workload=bot a.m-v1:0", routes: ["chat"], maxTokens: 100 },
      { invokeId: arn("jobs"), label: "workload=jobs a.m-v1:0 canary=batch", routes: ["batch"], maxTokens: 900 },
    ]);
  });

  test("a run as one workload's role probes its profile alone", () => {
    expect(probeTargets(doc, manifest, "jobs").map((t) => [t.invokeId, t.routes.map((r) => r.task)])).toEqual([[arn("jobs"), ["batch"]]]);
  });
});

describe("selectTpmQuota", () => {
  const quotas = [
    { code: "L-1", name: "Cross-region model inference tokens per minute for Anthropic Claude Sonnet 4.5 V1", value: 1 },
    { code: "L-2", name: "Global cross-region model inference tokens per minute for Anthropic Claude Sonnet 4.5 V1", value: 2 },
    { code: "L-3", name: "Cross-region model inference tokens per minute for Anthropic Claude Sonnet 4.5 V1 1M Context Length", value: 3 },
    { code: "L-4", name: "Cross-region model inference requests per minute for Anthropic Claude Sonnet 4.5 V1", value: 4 },
    { code: "L-5", name: "On-demand model inference tokens per minute for Anthropic Claude Sonnet 4.5 V1", value: 5 },
  ];
  test.each([
    ["geo", "L-1"],
    ["global", "L-2"],
    ["on-demand", "L-5"],
  ] as const)("%s invocations get the quota worded for them (TPM, not RPM; not the long-context variant)", (kind, code) => {
    expect(selectTpmQuota(quotas, "Claude Sonnet 4.5 V1", kind)?.code).toBe(code);
  });

  test("matching ignores case; nothing matching is undefined (reported as not found)", () => {
    expect(selectTpmQuota([{ code: "L-9", name: "cross-Region model inference Tokens Per Minute for nova lite", value: 1 }], "Nova Lite", "geo")?.code).toBe("L-9");
    expect(selectTpmQuota(quotas, "Nova Lite", "geo")).toBeUndefined();
    expect(selectTpmQuota(quotas.slice(0, 1), "Claude Sonnet 4.5 V1", "global")).toBeUndefined();
  });
});

describe("replySample", () => {
  test("the reply sample is one line of at most 40 characters", () => {
    const s = replySample("word ".repeat(30) + "\nsecret tail");
    expect(s.length).toBeLessThanOrEqual(40);
    expect(s).not.toContain("\n");
    expect(s).not.toContain("secret");
    expect(replySample(" pong ")).toBe("pong");
  });
});

describe("deployment state", () => {
  test.each([
    ["DEPLOYING", "in-progress"],
    ["BAKING", "in-progress"],
    ["VALIDATING", "in-progress"],
    ["ROLLING_BACK", "in-progress"],
    ["COMPLETE", "complete"],
    ["ROLLED_BACK", "undone"],
    ["REVERTED", "undone"],
    [undefined, "unknown"],
  ])("%s -> %s", (state, phase) => expect(phaseOf(state)).toBe(phase));

  test("the undo reason comes from the rollback event, with who triggered it", () => {
    const events = [
      { EventType: "ROLLBACK_COMPLETED", TriggeredBy: "APPCONFIG", Description: "Rollback completed" },
      { EventType: "ROLLBACK_STARTED", TriggeredBy: "CLOUDWATCH_ALARM", Description: "Rollback initiated by alarm arn:x" },
      { EventType: "DEPLOYMENT_STARTED", TriggeredBy: "USER", Description: "Deployment started" },
    ];
    expect(undoReason(events)).toBe("CLOUDWATCH_ALARM: Rollback initiated by alarm arn:x");
    expect(undoReason([{ EventType: "DEPLOYMENT_STARTED" }])).toBeUndefined();
  });
});

describe("JUnit report", () => {
  const row = (over: Partial<CheckResult>): CheckResult => ({ region: "us-east-1", kind: "converse", subject: "us.m", verdict: "PASS", outcome: "ok", hint: "", durationMs: 1500, ...over });

  test("escapes everything a message can carry", () => {
    expect(xmlEscape(`a<b>&"c'\u0007`)).toBe("a&lt;b&gt;&amp;&quot;c&apos;");
  });

  test("one suite per region in the given order, failures typed by category, warnings as system-out", () => {
    const xml = junitXml(
      "dev",
      ["us-west-2", "us-east-1"],
      [
        row({ verdict: "FAIL", outcome: "throttled", category: "capacity", hint: 'quota "L-1" < 5' }),
        row({ region: "us-west-2", kind: "routing", subject: "app/env/routing", verdict: "WARN", outcome: "drift", hint: "x" }),
        row({ region: "us-west-2", subject: "us.n" }),
      ],
      2000,
    );
    expect(xml.indexOf('<testsuite name="us-west-2"')).toBeLessThan(xml.indexOf('<testsuite name="us-east-1"'));
    expect(xml).toContain('<testsuites name="bedrock-smoke dev" tests="3" failures="1"');
    expect(xml).toContain('<testsuite name="us-east-1" tests="1" failures="1"');
    expect(xml).toContain('<failure message="quota &quot;L-1&quot; &lt; 5" type="capacity">');
    expect(xml).toContain("<system-out>WARN drift: x</system-out>");
    expect(xml).toContain('name="converse us.n" time="1.500"/>');
  });
});

describe("summary and exit code", () => {
  const r = (verdict: CheckResult["verdict"], category?: CheckResult["category"]): CheckResult => ({ region: "r", kind: "quota", subject: "s", verdict, outcome: "o", hint: "", durationMs: 0, ...(category ? { category } : {}) });
  test("warnings do not fail the run; failures do; categories count non-passing rows", () => {
    expect(exitCodeOf([r("PASS"), r("WARN", "quota")])).toBe(0);
    expect(exitCodeOf([r("PASS"), r("FAIL", "deadline")])).toBe(1);
    expect(summarize([r("PASS"), r("WARN", "quota"), r("FAIL", "quota"), r("FAIL", "access")])).toEqual({
      total: 4,
      byVerdict: { PASS: 1, FAIL: 2, WARN: 1 },
      byCategory: { quota: 2, access: 1 },
    });
  });
});

describe("worker pool", () => {
  test("never runs more than `concurrency` tasks at once, and runs them all", async () => {
    const pool = workerPool(3);
    let running = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        pool(async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((res) => setTimeout(res, 5));
          running--;
          return i;
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(results).toEqual([...Array(10).keys()]);
  });

  test("a failing task frees its slot", async () => {
    const pool = workerPool(1);
    await expect(pool(() => Promise.reject(new Error("x")))).rejects.toThrow("x");
    await expect(pool(async () => 1)).resolves.toBe(1);
  });
});

describe("withRetries", () => {
  const capacity = (name: string): Classification => ({ category: "capacity", cause: "throttled", retryable: true, errorName: name, hint: "" });
  const config: Classification = { category: "configuration", cause: "bare-model-id", retryable: false, errorName: "ValidationException", hint: "" };

  test("retries capacity errors up to 3 attempts with growing, capped backoff", async () => {
    const deadline = new Deadline(10_000);
    let calls = 0;
    const out = await withRetries(async () => Promise.reject(new Error(String(++calls))), { classify: () => capacity("ThrottlingException"), deadline, random: () => 0.999, policy: { maxAttempts: 3, baseMs: 10, capMs: 15 } });
    deadline.dispose();
    expect(out.ok).toBe(false);
    expect(calls).toBe(3);
    // full jitter below min(cap, base * 2^retry): < 10, then < 15 (capped), and no wait after the last attempt
    expect(out.attempts.map((a) => a.backoffMs)).toEqual([9, 14, undefined]);
  });

  test("never retries a non-retryable error", async () => {
    const deadline = new Deadline(10_000);
    let calls = 0;
    const out = await withRetries(async () => Promise.reject(new Error(String(++calls))), { classify: () => config, deadline });
    deadline.dispose();
    expect(calls).toBe(1);
    expect(out.ok).toBe(false);
  });

  test("stops retrying when the backoff would cross the deadline", async () => {
    const deadline = new Deadline(50);
    let calls = 0;
    const out = await withRetries(async () => Promise.reject(new Error(String(++calls))), { classify: () => capacity("ThrottlingException"), deadline, random: () => 0.99, policy: { maxAttempts: 3, baseMs: 1000, capMs: 1000 } });
    deadline.dispose();
    expect(calls).toBe(1);
    expect(out.ok).toBe(false);
  });

  test("a call cut by the deadline propagates DeadlineExceeded", async () => {
    const deadline = new Deadline(20);
    await expect(withRetries(() => new Promise((_, reject) => deadline.signal.addEventListener("abort", () => reject(deadline.signal.reason))), { classify: () => capacity("x"), deadline })).rejects.toBeInstanceOf(
      DeadlineExceeded,
    );
    deadline.dispose();
  });
});
